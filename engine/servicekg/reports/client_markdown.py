"""The client report as Markdown, with the structure of the HTML (charts as tables)."""

from __future__ import annotations

from collections.abc import Iterable

from servicekg.reports.document import (
    BusinessSection,
    ClientReport,
    PassageView,
    RecommendationView,
)
from servicekg.reports.document import no_recommendations_key as _none
from servicekg.reports.words import Words

__all__ = ["client_markdown"]


def client_markdown(doc: ClientReport) -> str:
    """The whole report as one Markdown document."""
    w, words = doc.words, Words(doc.lang)
    lines = [f"# {_md(doc.title)}", ""]
    if doc.client:
        lines += [f"**{_md(doc.client)}**", ""]
    for key, value in (
        ("client", doc.client),
        ("period", doc.period),
        ("consultant", doc.consultant),
        ("scope", doc.scope),
        ("report_date", doc.date),
    ):
        if value:
            lines.append(f"- **{_md(w[key])}:** {_md(value)}")
    lines += ["", f"## {_md(w['executive_summary'])}", "", f"### {_md(w['top_actions'])}", ""]
    if not doc.actions:
        lines += [_md(w["top_actions_none"]), ""]
    for i, action in enumerate(doc.actions, start=1):
        where = words.say("at_businesses", names=", ".join(action.businesses))
        lines += [f"{i}. **{_md(action.title)}** {_md(where)} {_md(action.effect)}"]
    lines += ["", f"### {_md(w['strengths'])}", ""]
    if not doc.strengths:
        lines += [_md(w["strengths_none"])]
    for s in doc.strengths:
        why = f" {_md(w['why_it_matters'])}: {_md(s.why)}" if s.why else ""
        lines.append(f"- **{_md(s.label)}** ({_md(s.business)}): {_md(s.value)}.{why}")
    lines.append("")
    if doc.comparison is not None:
        comp = doc.comparison
        lines += [f"## {_md(w['comparison'])}", ""]
        lines += _table(
            [w["need_or_factor"], *comp.businesses],
            [
                [label, *(words.percent(c / 100) if c is not None else "" for c in cells)]
                for label, cells in comp.rows
            ]
            + [
                [
                    w["comparison_overall"],
                    *(words.percent(v / 100) if v is not None else "" for v in comp.overall),
                ],
                [w["recommendations"], *(str(n) for n in comp.recommendations)],
                [w["highest_priority"], *comp.highest],
            ],
        )
        lines += ["", _md(w["comparison_caption"]), ""]
    for business in doc.businesses:
        lines += _business(doc, business)
    lines += [f"## {_md(w['appendix'])}", "", _md(w["appendix_formula"]), ""]
    if doc.scores:
        lines += _table(
            [
                w["business"],
                w["recommendation"],
                w["score"],
                w["severity_weight"],
                w["impact"],
                w["gap"],
            ],
            [
                [r.business, r.title, r.score, r.severity_weight, r.impact, r.gap]
                for r in doc.scores
            ],
        )
    return "\n".join(lines) + "\n"


def _business(doc: ClientReport, b: BusinessSection) -> list[str]:
    w, words = doc.words, Words(doc.lang)
    facts = [f"{w['sector']}: {b.sector}"]
    if b.region:
        facts.append(f"{w['region']}: {b.region}")
    facts.append(f"{w['observations_count']}: {b.observations}")
    lines = [f"## {_md(b.name)}", "", _md(" · ".join(facts)), ""]
    if b.error:
        return [*lines, f"**{_md(b.error)}**", ""]
    lines += [f"### {_md(w['chart_title'])}", ""]
    if b.bars:
        lines += _table(
            [w["need_or_factor"], w["target"]],
            [[bar.label, words.percent(bar.percent / 100)] for bar in b.bars],
        )
        lines += ["", _md(w["chart_caption"]), ""]
    else:
        lines += [_md(w["chart_none"]), ""]
    for cause in b.root_causes:
        lines += [f"**{_md(w['root_cause'])}:** {_md(cause)}", ""]
    lines += [f"### {_md(w['recommendations'])}", ""]
    if not b.recommendations:
        lines += [_md(w[_none(b)]), ""]
    for rec in b.recommendations:
        lines += _recommendation(doc, rec)
    if b.strengths:
        lines += [f"### {_md(w['strengths'])}", ""]
        for s in b.strengths:
            why = f" {_md(w['why_it_matters'])}: {_md(s.why)}" if s.why else ""
            lines.append(f"- **{_md(s.label)}**: {_md(s.value)}.{why}")
        lines.append("")
    if b.to_check:
        lines += [f"### {_md(w['to_check'])}", "", _md(w["to_check_intro"]), ""]
        for item in b.to_check:
            parts = [words.say("to_check_explains", effects=item.explains)]
            if item.measures:
                parts.append(words.say("to_check_measure", measures=item.measures))
            lines.append(f"- **{_md(item.concept)}**: {_md('; '.join(parts))}.")
            if item.path:
                lines.append(f"  {_md(words.say('root_cause_path', path=item.path))}")
        lines.append("")
    if b.set_aside:
        lines += [f"### {_md(w['set_aside'])}", "", _md(w["set_aside_intro"]), ""]
        for aside in b.set_aside:
            lines += [f"- **{_md(aside.title)}**: {_md(aside.reason)}", ""]
            lines += _passages(aside.passages)
    if b.data_quality:
        lines += [f"### {_md(w['data_quality'])}", "", _md(w["data_quality_intro"]), ""]
        lines += [f"- {_md(item)}" for item in b.data_quality]
        lines.append("")
    if b.unjudged:
        lines += [f"### {_md(w['unjudged'])}", "", _md(w["unjudged_intro"]), ""]
        lines += _table(
            [w["need_or_factor"], w["measure"], w["how_to_measure"]],
            [[r.group, r.measure, r.how] for r in b.unjudged],
        )
        lines.append("")
    return lines


def _recommendation(doc: ClientReport, rec: RecommendationView) -> list[str]:
    w, words = doc.words, Words(doc.lang)
    lines = [
        f"#### {rec.rank}. {_md(rec.title)} ({_md(w['priority'])}: {_md(rec.priority)})",
        "",
        f"**{_md(w['what_to_do'])}:** {_md(rec.what)}",
        "",
        f"**{_md(w['why'])}:** {_md(rec.why)}",
        "",
        f"**{_md(w['evidence'])}:**",
        "",
    ]
    for e in rec.evidence:
        details = [
            d
            for d in (
                words.say("observed_on", date=e.when) if e.when else None,
                words.say("at_location", location=e.location) if e.location else None,
                f"{w['source']}: {e.source}" if e.source else None,
            )
            if d
        ]
        extra = f" ({_md('; '.join(details))})" if details else ""
        lines.append(f"- **{_md(e.label)}**: {_md(e.value)}{extra}")
        if e.note:
            lines.append(f"  {_md(w['note'])}: {_md(e.note)}")
    lines.append("")
    if rec.passages:
        lines += [f"**{_md(w['in_the_articles_words'])}:**", ""]
        lines += _passages(rec.passages)
    if rec.basis:
        lines += [f"**{_md(w['basis'])}:** " + " ".join(_md(b) for b in rec.basis), ""]
    for caveat in rec.caveats:
        lines += [f"**{_md(w['caveat'])}:** {_md(caveat.text)}", ""]
        if caveat.passage is not None:
            lines += _passages((caveat.passage,))
    return lines


def _passages(passages: Iterable[PassageView]) -> list[str]:
    """Each passage as a quote in its own words, with its rendering in the report's language."""
    lines = []
    for p in passages:
        where = p.article + (f" \u2013 {p.section}" if p.section else "")
        lines.append(f"> \u201c{_md(p.quote)}\u201d ({_md(where)})")
        if p.rendering:
            lines += [">", f"> {_md(p.rendering_label)}: {_md(p.rendering)}"]
        lines.append("")
    return lines


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(_md(c) for c in cells) + " |"

    return [row(head), "|" + "---|" * len(head), *(row(r) for r in rows)]


def _md(text: str) -> str:
    """Text with Markdown's active characters escaped, on one line."""
    text = " ".join(str(text).split())
    for char in "\\`*_[]<>|#&~!":
        text = text.replace(char, "\\" + char)
    return text
