"""An assessment as Markdown: per business, recommendations in rank order with their reasons."""

from __future__ import annotations

from servicekg.assessment.results import (
    AssessmentReport,
    BusinessAssessment,
    Evidence,
    Recommendation,
)
from servicekg.namespace import local_name

__all__ = ["explain_markdown", "markdown_report"]

_HEAD = {
    "en": ("Assessment", "Recommendations", "Could not judge", "measure", "Root cause"),
    "nl": ("Beoordeling", "Aanbevelingen", "Niet te beoordelen", "meet", "Grondoorzaak"),
    "lv": ("Novērtējums", "Ieteikumi", "Nevarēja novērtēt", "izmēriet", "Pamatcēlonis"),
}


def markdown_report(report: AssessmentReport) -> str:
    """Every business of ``report`` as one Markdown document."""
    title = _HEAD[report.language][0]
    parts = [f"# servicekg: {title}\n", f"_{report.generated_at}_\n"]
    for business in report.businesses:
        parts.append(_business(business, report.language))
    return "\n".join(parts)


def _business(business: BusinessAssessment, lang: str) -> str:
    _, recs, unjudged, measure, root = _HEAD[lang]
    name = business.name or business.business
    lines = [f"## {_md(name)} ({_md(business.sector or '-')})", ""]
    lines += [f"> {_md(warning)}\n" for warning in business.warnings]
    if business.error:
        lines += [f"**error:** {_md(business.error)}", ""]
        return "\n".join(lines)
    for cause in business.root_causes:
        state = "observed" if cause.observed else "suspected"
        lines.append(
            f"**{root}** ({state}): {_md(cause.concept.label)} -> "
            + ", ".join(_md(t.label) for t in cause.explains)
        )
    lines += ["", f"### {recs}", ""]
    for rec in business.recommendations:
        lines += _recommendation(rec)
    if business.unjudged:
        lines += [f"### {unjudged}", ""]
        for item in business.unjudged:
            metrics = ", ".join(f"`{local_name(m.iri)}`" for m in item.missing_metrics)
            lines.append(f"- {_md(item.rule.label)}: {measure} {metrics}")
        lines.append("")
    return "\n".join(lines)


def _recommendation(rec: Recommendation) -> list[str]:
    lines = [
        f"{rec.rank}. **{_md(rec.title)}** (score {rec.score:g}, {rec.severity})",
        f"   {_md(rec.text)}",
        "   - evidence: "
        + "; ".join(
            (
                f"{_md(e.label)} = {e.value:g} {e.unit}"
                if not isinstance(e.value, bool)
                else f"{_md(e.label)} = {str(e.value).lower()}"
            )
            + _said(e)
            for e in rec.evidence
        ),
        "   - principles: " + ", ".join(_md(p.label) for p in rec.principles),
        f"   - why this score: {rec.reason.text()}",
    ]
    if rec.root_cause:
        lines.append(f"   - root cause: {_md(rec.root_cause.concept.label)}")
    for source in rec.sources:
        lines.append(f'   - "{_md(source.quote)}" ({source.quote_language}; {_md(source.article)})')
        lines.append(f"     = {_md(source.rendering)}")
    lines.append("")
    return lines


def explain_markdown(business: BusinessAssessment, rec: Recommendation) -> str:
    """The chain from facts to quote for one recommendation, of a fresh assessment or one read
    back from a store (:func:`servicekg.assessment.stored.stored_assessment`). Every text that
    comes from data is escaped."""
    name = business.name or business.business
    lines = [f"# {rec.rank}. {_md(rec.title)}", "", f"business: {_md(name)}", ""]
    lines.append("facts:")
    for e in rec.evidence:
        where = e.origin or e.source
        unit = f" {_md(e.unit)}" if e.unit else ""
        lines.append(f"  {e.metric} = {e.value}{unit}" + (f" ({_md(where)})" if where else ""))
    lines += ["", f"rule: {local_name(rec.rule.iri)} ({rec.severity})", ""]
    lines.append("principles: " + ", ".join(_md(p.label) for p in rec.principles))
    for chain in rec.reason.chains:
        path = " -> ".join(_md(t.label) for t in chain.path)
        lines.append(f"  to {_md(chain.target.label)}: {path} (strength {chain.strength:g})")
    if rec.root_cause:
        lines.append(f"root cause: {_md(rec.root_cause.concept.label)}")
    lines += ["", "sources:"]
    for s in rec.sources:
        lines.append(f'  "{_md(s.quote)}" [{s.quote_language}]')
        if s.rendering:
            lines.append(f"  = {_md(s.rendering)}")
        if s.article:
            lines.append(f"  ({_md(s.article)})")
    lines += ["", f"score {rec.score:g} = {rec.reason.text()}", "", _md(rec.text)]
    return "\n".join(lines)


def _said(evidence: Evidence) -> str:
    """The consultant's source and note on an observation, in brackets (``""``: none)."""
    said = [text for text in (evidence.source, evidence.note) if text]
    return f" ({_md('; '.join(said))})" if said else ""


def _md(text: str) -> str:
    """Text with Markdown's active characters escaped (data never becomes markup), on one line:
    a line break in a name would end its heading and start a list or a heading of its own."""
    text = " ".join(text.splitlines())
    for char in "\\`*_[]<>|#&~!":
        text = text.replace(char, "\\" + char)
    return text
