"""View 4, one business's assessment, read back from the knowledge graph (PROV-O, SOSA): its
observations, the rules that fired, the recommendations in rank order, the principles and the
quotes they rest on, the root cause marked, and the rules it could not be judged on with the
metrics nobody observed, marked unknown.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import networkx as nx
from pyoxigraph import Literal, NamedNode

from servicekg.errors import InputError, UnknownTermError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import SKG
from servicekg.views.lexicon import Lexicon, local_name
from servicekg.views.nodes import add_concept, add_passage, ui_text
from servicekg.views.principles import edge_labels
from servicekg.views.spec import Texts
from servicekg.views.view_graph import add_edge, add_node, link, new_graph, same_text, value

__all__ = ["assessment_graph", "business_values", "format_value"]

_PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"


def assessment_graph(
    kb: KnowledgeBase, lexicon: Lexicon, business: str
) -> tuple[nx.MultiDiGraph, str]:
    """The assessment of ``business`` (its id) as a graph, and the business's name."""
    spec = lexicon.spec
    found = kb.select(spec.query("business"), wanted=Literal(business))
    if not found:
        known = [str(r["id"]) for r in kb.select(spec.query("businesses"))]
        raise UnknownTermError("business", business, known)
    head = found[0]
    iri = head["business"]
    node = NamedNode(iri)
    if not kb.query("ASK { ?a a skg:Assessment ; skg:assessedBusiness ?business }", business=node):
        raise InputError(
            f"business {business!r} has not been assessed in this knowledge base"
            " (assess its observations first: give them with --data)"
        )
    name = str(head.get("name") or business)
    graph = new_graph("assessment")
    observations = kb.select(spec.query("observations"), business=node)
    add_node(
        graph,
        iri,
        "business",
        same_text(name),
        values=[*business_values(head), value("observations", len(observations))],
        links=[link("portfolio", ui_text(lexicon, "see-portfolio"), node=iri)],
    )
    for row in observations:
        _add_observation(graph, lexicon, iri, row)
    recommendations = kb.select(spec.query("recommendations"), business=node)
    for row in recommendations:
        _add_recommendation(graph, lexicon, row)
    for row in kb.select(spec.query("recommendation-links"), business=node):
        _add_recommendation_link(graph, lexicon, row)
    for row in recommendations:
        cause = row.get("rootCause")
        if cause:
            if cause not in graph:
                add_concept(graph, lexicon, cause, here="assessment")
            if "root-cause" not in graph.nodes[cause]["marks"]:
                graph.nodes[cause]["marks"].append("root-cause")
            add_edge(graph, row["rec"], cause, edge_labels(lexicon, str(SKG.rootCause)))
    _add_unjudged(graph, lexicon, iri, kb.select(spec.query("unjudged"), business=node))
    return graph, name


def business_values(row: dict[str, Any]) -> list[tuple[Texts | str, Texts | str]]:
    """The values of a business shown in its details: id, name, sector, region."""
    pairs = (("identifier", "id"), ("name", "name"), ("sector", "sector"), ("region", "region"))
    return [value(key, row[field]) for key, field in pairs if row.get(field) is not None]


def format_value(raw: Any) -> str:
    """An observed value as a reader writes it.

    >>> format_value(Decimal("132.0")), format_value(True), format_value(0.25)
    ('132', 'yes', '0.25')
    """
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, Decimal | float | int):
        return f"{float(raw):g}"
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return str(raw)


def _add_observation(
    graph: nx.MultiDiGraph, lexicon: Lexicon, business: str, row: dict[str, Any]
) -> None:
    metric = lexicon.label(row["metric"], row.get("metricId"))
    shown = format_value(row["value"]) + (f" {row['unit']}" if row.get("unit") else "")
    add_node(
        graph,
        row["observation"],
        "observation",
        {lang: f"{text} = {shown}" for lang, text in metric.items()},
        definition=lexicon.field(row["metric"], "definition"),
        values=[
            value("value", shown),
            *(
                value(key, format_value(row[field]))
                for key, field in (("when", "time"), ("by", "source"), ("note", "note"))
                if row.get(field) is not None
            ),
        ],
    )
    add_edge(graph, business, row["observation"], ui_text(lexicon, "observed"))


def _add_recommendation(graph: nx.MultiDiGraph, lexicon: Lexicon, row: dict[str, Any]) -> None:
    rule = row["rule"]
    rule_id = str(row.get("ruleId") or local_name(rule))
    severity = lexicon.label(row["severity"]) if row.get("severity") else None
    if rule not in graph:
        add_node(
            graph,
            rule,
            "rule",
            same_text(rule_id),
            definition=lexicon.field(rule, "label"),
            quotes=lexicon.quotes(rule),
            values=[
                value("condition", row.get("condition")),
                *([value("severity", severity)] if severity else []),
            ],
        )
    title = lexicon.label(rule, rule_id)
    rank = int(row["rank"])
    add_node(
        graph,
        row["rec"],
        "recommendation",
        {lang: f"{rank}. {text}" for lang, text in title.items()},
        definition=lexicon.field(rule, "text"),
        quotes=lexicon.quotes(rule),
        values=[
            value("rank", rank),
            value("score", format_value(row["score"])),
            value("why-score", row.get("reason")),
        ],
        size=14 + min(float(row["score"]), 100.0) / 5,
    )
    add_edge(graph, rule, row["rec"], ui_text(lexicon, "fired"))
    addresses = row["addresses"]
    if addresses not in graph:
        add_concept(graph, lexicon, addresses, here="assessment")
    add_edge(graph, row["rec"], addresses, edge_labels(lexicon, str(SKG.addresses)))


def _add_recommendation_link(graph: nx.MultiDiGraph, lexicon: Lexicon, row: dict[str, Any]) -> None:
    rec, prop, target = row["rec"], row["property"], row["target"]
    if prop == _PROV_DERIVED:
        if target in graph:
            add_edge(graph, target, rec, ui_text(lexicon, "evidence"))
        return
    if prop == str(SKG.restsOn):
        if target not in graph:
            quote = next((q for q in lexicon.quotes(row["rule"]) if q["passage"] == target), None)
            if quote is None:
                return
            add_passage(graph, quote)
        add_edge(graph, rec, target, edge_labels(lexicon, prop))
        return
    if target not in graph:
        add_concept(graph, lexicon, target, here="assessment")
    add_edge(graph, rec, target, edge_labels(lexicon, prop))


def _add_unjudged(
    graph: nx.MultiDiGraph, lexicon: Lexicon, business: str, rows: list[dict[str, Any]]
) -> None:
    """Each metric nobody observed, marked unknown, with the rules it would decide."""
    decides: dict[str, list[str]] = {}
    for row in rows:
        rule_id = str(row.get("ruleId") or local_name(row["rule"]))
        decides.setdefault(row["metric"], [])
        if rule_id not in decides[row["metric"]]:
            decides[row["metric"]].append(rule_id)
    for row in rows:
        metric = row["metric"]
        if metric in graph:
            continue
        add_node(
            graph,
            metric,
            "metric",
            lexicon.label(metric, row.get("metricId")),
            definition=lexicon.field(metric, "definition"),
            values=[
                value("missing", row.get("metricId") or local_name(metric)),
                value("needs-metric", ", ".join(decides[metric])),
            ],
            marks=["unknown"],
        )
        add_edge(graph, business, metric, ui_text(lexicon, "missing"), dashes=True)
