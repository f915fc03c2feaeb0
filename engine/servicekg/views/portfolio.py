"""View 5, a portfolio across many businesses: which recommendations and root causes are most
common, by sector. Sectors, businesses, recommendations (by the rule that fired) and root
causes are nodes; a recommendation or root cause is drawn larger the more businesses share it,
and its details count them by sector.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from servicekg.errors import InputError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import SKG
from servicekg.views.assessment import business_values
from servicekg.views.lexicon import Lexicon, local_name
from servicekg.views.nodes import add_concept, ui_text
from servicekg.views.principles import edge_labels
from servicekg.views.spec import Texts
from servicekg.views.view_graph import add_edge, add_node, link, new_graph, same_text, value

__all__ = ["portfolio_graph"]

_OTHER_SECTOR = "other"


def portfolio_graph(kb: KnowledgeBase, lexicon: Lexicon) -> nx.MultiDiGraph:
    """Every assessed business, its sector, the recommendations it got and their root causes."""
    spec = lexicon.spec
    if not kb.query("ASK { ?a a skg:Assessment }"):
        raise InputError(
            "no assessments in this knowledge base (assess observations first: give them with"
            " --data)"
        )
    graph = new_graph("portfolio")
    sector_of: dict[str, str] = {}
    for row in kb.select(spec.query("businesses")):
        _add_business(graph, lexicon, row)
        sector = row.get("sector") or f"sector:{row.get('sectorCode') or _OTHER_SECTOR}"
        sector_of[row["business"]] = sector
        if sector not in graph:
            if row.get("sector"):
                add_concept(graph, lexicon, sector, here="portfolio")
            else:
                add_node(graph, sector, "sector", same_text(sector.split(":", 1)[1]))
        add_edge(graph, row["business"], sector, ui_text(lexicon, "in-sector"))
    findings = kb.select(spec.query("portfolio"))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    businesses: dict[str, set[str]] = defaultdict(set)
    for row in findings:
        business = row["business"]
        for target in (row["rule"], row.get("rootCause")):
            if target and business not in businesses[target]:
                businesses[target].add(business)
                counts[target][sector_of.get(business, "")] += 1
    for row in findings:
        _add_finding(graph, lexicon, row, counts)
    return graph


def _add_business(graph: nx.MultiDiGraph, lexicon: Lexicon, row: dict[str, Any]) -> None:
    business_id = str(row["id"])
    add_node(
        graph,
        row["business"],
        "business",
        same_text(str(row.get("name") or business_id)),
        values=business_values({**row, "sector": row.get("sectorCode")}),
        links=[link("assessment", ui_text(lexicon, "see-assessment"), business=business_id)],
    )


def _add_finding(
    graph: nx.MultiDiGraph,
    lexicon: Lexicon,
    row: dict[str, Any],
    counts: dict[str, Counter[str]],
) -> None:
    business, rule, cause = row["business"], row["rule"], row.get("rootCause")
    if business not in graph:
        return
    if rule not in graph:
        rule_id = str(row.get("ruleId") or local_name(rule))
        title = lexicon.label(rule, rule_id)
        total = sum(counts[rule].values())
        add_node(
            graph,
            rule,
            "recommendation",
            {lang: f"{text} ({total})" for lang, text in title.items()},
            definition=lexicon.field(rule, "text"),
            quotes=lexicon.quotes(rule),
            values=_count_values(graph, counts[rule]),
            size=12 + 4 * total**0.5,
        )
    add_edge(graph, business, rule, ui_text(lexicon, "recommended"))
    if cause:
        if cause not in graph:
            add_concept(graph, lexicon, cause, here="portfolio")
            total = sum(counts[cause].values())
            data = graph.nodes[cause]
            data["marks"].append("root-cause")
            data["size"] = 12 + 4 * total**0.5
            data["labels"] = {lang: f"{text} ({total})" for lang, text in data["labels"].items()}
            data["details"]["values"] = [
                {"name": n, "value": v} for n, v in _count_values(graph, counts[cause])
            ]
        if not graph.has_edge(business, cause):
            add_edge(graph, business, cause, edge_labels(lexicon, str(SKG.rootCause)))


def _count_values(
    graph: nx.MultiDiGraph, by_sector: Counter[str]
) -> list[tuple[Texts | str, Texts | str]]:
    """The total, then a row per sector named in every language (ordered by English name)."""
    names = {sector: _sector_names(graph, sector) for sector in by_sector}
    rows = [value("count", sum(by_sector.values()))]
    rows += [
        value(names[sector], count)
        for sector, count in sorted(by_sector.items(), key=lambda item: names[item[0]]["en"])
    ]
    return rows


def _sector_names(graph: nx.MultiDiGraph, sector: str) -> Texts:
    if sector not in graph:
        return same_text(_OTHER_SECTOR)
    return {lang: str(text) for lang, text in graph.nodes[sector]["labels"].items()}
