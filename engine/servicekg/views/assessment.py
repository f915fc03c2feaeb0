"""View 4, one business's assessment, read back from the knowledge graph (PROV-O, SOSA): its
observations (the strengths among them marked), the rules that fired (named by their title in
each language), the recommendations in rank order, the principles and the quotes they rest on,
the root cause marked with the path that leads to it, and the metrics nobody observed, marked
unknown and grouped by the need or factor their rules address.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

import networkx as nx
from pyoxigraph import Literal, NamedNode

from servicekg.assessment.stored import REASON_PATTERN
from servicekg.errors import InputError, UnknownTermError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import LANGUAGES, SKG
from servicekg.reports.words import Words
from servicekg.views.lexicon import Lexicon, local_name
from servicekg.views.nodes import add_concept, add_passage, ui_text
from servicekg.views.principles import edge_labels
from servicekg.views.spec import Texts
from servicekg.views.view_graph import add_edge, add_node, link, new_graph, same_text, value

__all__ = [
    "action_label",
    "assessment_graph",
    "business_values",
    "format_value",
    "observed_value",
    "strengths",
]

_PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
_ACTION_CHARS = 60
_COMPARISON = re.compile(
    r"([A-Za-z_]\w*) (<=|>=|<|>|=) (-?[0-9.]+(?:e-?[0-9]+)?)(?: \(([^()]*)\))?"
)
_SECTOR_NUMBER = re.compile(r":\s*(-?[0-9.]+(?:e-?[0-9]+)?)")


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
    strong = strengths(observations, kb.select(spec.query("strengths"), business=node))
    for row in observations:
        _add_observation(graph, lexicon, iri, row, strong=row["observation"] in strong)
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
            add_edge(
                graph,
                row["rec"],
                cause,
                edge_labels(lexicon, str(SKG.rootCause)),
                "path",
                width=4.0,
                emphasis=True,
            )
            _stress_path(graph, iri, row["rec"], row["rule"])
    for observation in strong:  # evidence for a recommendation is no strength
        if observation in graph and any(
            graph.nodes[t]["kind"] == "recommendation" for t in graph.successors(observation)
        ):
            graph.nodes[observation]["marks"].remove("strength")
    _add_unjudged(graph, lexicon, iri, kb.select(spec.query("unjudged"), business=node))
    return graph, name


def _stress_path(graph: nx.MultiDiGraph, business: str, rec: str, rule: str) -> None:
    """Draw the path to a root cause wide: business -> the observations the recommendation
    derives from -> the recommendation, and the rule that made it."""
    evidence = [s for s in graph.predecessors(rec) if graph.nodes[s]["kind"] == "observation"]
    pairs = {(rule, rec)} | {(o, rec) for o in evidence} | {(business, o) for o in evidence}
    for source, target in pairs:
        for data in graph.get_edge_data(source, target, default={}).values():
            data.update(style="path", width=4.0, emphasis=True)


def strengths(observations: list[dict[str, Any]], conditions: list[dict[str, Any]]) -> set[str]:
    """The observations that are strengths: of a metric with a better direction, whose value
    clears every threshold the conditions of the rules reading it set on that metric, the
    thresholds of every sector included (and at least one rule sets one).

    >>> obs = [{"observation": "o1", "value": Decimal("4.6")}, {"observation": "o2", "value": 2},
    ...        {"observation": "o3", "value": 156}]
    >>> rules = [{"observation": "o1", "metricId": "friendly", "condition": "friendly < 3.5"},
    ...          {"observation": "o2", "metricId": "friendly", "condition": "friendly < 3.5"},
    ...          {"observation": "o3", "metricId": "wait", "condition": "wait > 300 (fast: 90)"}]
    >>> sorted(strengths(obs, rules))
    ['o1']
    """
    values = {row["observation"]: row["value"] for row in observations}
    verdict: dict[str, bool] = {}
    for row in conditions:
        observed = values.get(row["observation"])
        if isinstance(observed, bool) or not isinstance(observed, Decimal | float | int):
            continue
        for metric, op, number, by_sector in _COMPARISON.findall(str(row["condition"])):
            if metric != row["metricId"]:
                continue
            thresholds = [float(number), *map(float, _SECTOR_NUMBER.findall(by_sector))]
            bad = any(_holds(float(observed), op, t) for t in thresholds)
            verdict[row["observation"]] = verdict.get(row["observation"], True) and not bad
    return {observation for observation, good in verdict.items() if good}


def _holds(left: float, op: str, right: float) -> bool:
    return {
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
        "=": left == right,
    }[op]


def action_label(text: str) -> str:
    """The first clause of a recommendation's text: what to do, short enough for a node.

    >>> action_label("Make friendliness a daily standard: greet every customer politely.")
    'Make friendliness a daily standard'
    >>> action_label("Train staff to listen first, acknowledge the customer's situation and more")
    "Train staff to listen first, acknowledge the customer's…"
    """
    text = " ".join(text.split())
    first = re.split(r"[.:;](?:\s|$)", text, maxsplit=1)[0]
    if len(first) <= _ACTION_CHARS:
        return first
    return first[:_ACTION_CHARS].rsplit(" ", 1)[0].rstrip(",") + "…"


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


def observed_value(raw: Any, unit: str | None) -> Texts:
    """An observed value in ``unit`` (the metric's unit symbol) as a person writes it in each
    language, by the client report's own formatter: a ratio as a percentage, the locale's
    decimal comma, units in the language's words.

    >>> shown = observed_value(Decimal("0.4"), "ratio")
    >>> shown["en"], shown["lv"]
    ('40\xa0%', '40\xa0%')
    >>> observed_value(2.1, "score")["nl"], observed_value(30, "per_1000")["lv"]
    ('2,1\xa0/ 5', '30\xa0uz 1000')
    """
    if isinstance(raw, bool):
        return {lang: Words(lang).quantity(raw, "bool") for lang in LANGUAGES}
    if isinstance(raw, Decimal | float | int):
        return {lang: Words(lang).quantity(float(raw), unit or "count") for lang in LANGUAGES}
    if isinstance(raw, datetime.date):
        return {lang: Words(lang).date(raw) for lang in LANGUAGES}
    return same_text(str(raw))


def _add_observation(
    graph: nx.MultiDiGraph, lexicon: Lexicon, business: str, row: dict[str, Any], *, strong: bool
) -> None:
    metric = lexicon.label(row["metric"], row.get("metricId"))
    shown = observed_value(row["value"], str(row["unit"]) if row.get("unit") else None)
    add_node(
        graph,
        row["observation"],
        "observation",
        {lang: f"{text} = {shown[lang]}" for lang, text in metric.items()},
        definition=lexicon.field(row["metric"], "definition"),
        values=[
            value("value", shown),
            *(
                value(key, format_value(row[field]))
                for key, field in (("when", "time"), ("by", "source"), ("note", "note"))
                if row.get(field) is not None
            ),
        ],
        marks=["strength"] if strong else [],
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
            lexicon.label(rule, rule_id),
            definition=lexicon.field(rule, "text"),
            quotes=lexicon.quotes(rule),
            values=[
                value("identifier", rule_id),
                value("condition", row.get("condition")),
                *([value("severity", severity)] if severity else []),
            ],
        )
    title = lexicon.field(rule, "text") or lexicon.label(rule, rule_id)
    rank = int(row["rank"])
    add_node(
        graph,
        row["rec"],
        "recommendation",
        {lang: f"{rank}. {action_label(text)}" for lang, text in title.items()},
        definition=lexicon.field(rule, "text"),
        quotes=lexicon.quotes(rule),
        values=[
            value("rank", rank),
            value("score", observed_value(row["score"], "count")),
            value("why-score", _score_reason(lexicon, row.get("reason"), severity)),
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
    """Each metric nobody observed, marked unknown, with the rules it would decide; grouped
    by the need or factor those rules address (the page draws each group as one node)."""
    decides: dict[str, list[str]] = {}
    about: dict[str, str] = {}
    for row in rows:
        rule_id = str(row.get("ruleId") or local_name(row["rule"]))
        decides.setdefault(row["metric"], [])
        if rule_id not in decides[row["metric"]]:
            decides[row["metric"]].append(rule_id)
        about.setdefault(row["metric"], row.get("addresses") or "")
    members: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        metric = row["metric"]
        if metric in graph:
            continue
        group = "group:" + about[metric]
        if sum(1 for m in about.values() if m == about[metric]) < 2:
            group = "group:"
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
        graph.nodes[metric]["group"] = group
        members[group].append(metric)
        add_edge(graph, business, metric, ui_text(lexicon, "missing"), dashes=True)
    groups = graph.graph.setdefault("groups", {})
    unmeasured = ui_text(lexicon, "unmeasured")
    for group, metrics in members.items():
        concept = group.split(":", 1)[1]
        name = lexicon.label(concept) if concept else ui_text(lexicon, "other-metrics")
        groups[group] = {lang: f"{name[lang]}: {len(metrics)} {unmeasured[lang]}" for lang in name}


def _score_reason(lexicon: Lexicon, reason: object, severity: Texts | None) -> Texts | str | None:
    """The stored score reason in each page language (the severity by its label, numbers in
    the language's own form); as stored where it does not read as the formula."""
    found = REASON_PATTERN.match(str(reason)) if reason is not None else None
    if found is None:
        return None if reason is None else str(reason)
    level, weight, impact, gap = found.groups()
    formula = ui_text(lexicon, "score-formula")
    texts = {}
    for lang in LANGUAGES:
        words = Words(lang)
        texts[lang] = formula[lang].format(
            severity=(severity or {}).get(lang, level),
            weight=words.number(float(weight)),
            impact=words.number(float(impact)),
            gap=words.number(float(gap)),
        )
    return texts
