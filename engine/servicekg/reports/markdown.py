"""An assessment as Markdown: per business, recommendations in rank order with their reasons."""

from __future__ import annotations

from servicekg.assessment.results import (
    AssessmentReport,
    BusinessAssessment,
    Evidence,
    Link,
    Recommendation,
    SourceQuote,
)
from servicekg.namespace import local_name

__all__ = ["explain_markdown", "findings_markdown", "markdown_report"]

_WORDS = {
    "en": {
        "strengths": "Strengths",
        "set_aside": "Set aside",
        "to_check": "To check",
        "data_quality": "Data quality",
        "caveat": "caveat",
        "basis": "basis",
        "target": "target",
        "threshold": "threshold",
        "why": "why it matters",
        "applies_to": "applies to",
        "would_explain": "would explain",
        "observed": "observed",
        "unmeasured": "no metric observes it",
        "raises": "raises",
        "lowers": "lowers",
        "stated": "stated by the article",
        "implied": "implied by the article",
        "judgement": "servicekg's own judgement",
    },
    "nl": {
        "strengths": "Sterke punten",
        "set_aside": "Buiten toepassing gelaten",
        "to_check": "Na te gaan",
        "data_quality": "Kwaliteit van de gegevens",
        "caveat": "kanttekening",
        "basis": "grondslag",
        "target": "doel",
        "threshold": "drempel",
        "why": "waarom het ertoe doet",
        "applies_to": "geldt voor",
        "would_explain": "zou verklaren",
        "observed": "waargenomen",
        "unmeasured": "geen meetgrootheid neemt het waar",
        "raises": "verhoogt",
        "lowers": "verlaagt",
        "stated": "staat in het artikel",
        "implied": "volgt uit het artikel",
        "judgement": "eigen oordeel van servicekg",
    },
    "lv": {
        "strengths": "Stiprās puses",
        "set_aside": "Nepiemērotie noteikumi",
        "to_check": "Jāpārbauda",
        "data_quality": "Datu kvalitāte",
        "caveat": "piebilde",
        "basis": "pamatojums",
        "target": "mērķis",
        "threshold": "slieksnis",
        "why": "kāpēc tas ir svarīgi",
        "applies_to": "attiecas uz",
        "would_explain": "izskaidrotu",
        "observed": "novērots",
        "unmeasured": "neviens rādītājs to nenovēro",
        "raises": "palielina",
        "lowers": "samazina",
        "stated": "teikts rakstā",
        "implied": "izriet no raksta",
        "judgement": "servicekg vērtējums",
    },
}
"""The words of the sections on strengths, rules set aside, causes to check, data quality,
caveats and bases, in every report language."""

_OPS = {"at_least": ">=", "above": ">", "at_most": "<=", "below": "<", "is": "="}

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
    words = _WORDS[lang]
    for cause in business.root_causes:
        state = words["observed"] if cause.observed else words["unmeasured"]
        lines.append(
            f"**{root}** ({state}): {_md(cause.concept.label)} -> "
            + ", ".join(_md(t.label) for t in cause.explains)
        )
        for chain in cause.links:
            lines += _links(chain, lang, "  ")
    lines += ["", f"### {recs}", ""]
    for rec in business.recommendations:
        lines += _recommendation(rec, lang)
    lines.append(findings_markdown(business, lang))
    if business.unjudged:
        lines += [f"### {unjudged}", ""]
        for item in business.unjudged:
            metrics = ", ".join(f"`{local_name(m.iri)}`" for m in item.missing_metrics)
            lines.append(f"- {_md(item.rule.label)}: {measure} {metrics}")
        lines.append("")
    return "\n".join(lines)


def _recommendation(rec: Recommendation, lang: str = "en") -> list[str]:
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
    lines += [f"   {line}" for line in _qualifications(rec, lang)]
    lines.append("")
    return lines


def _qualifications(rec: Recommendation, lang: str) -> list[str]:
    """The recommendation's basis and caveats, each caveat with its passage."""
    words = _WORDS[lang]
    lines = []
    if rec.basis is not None:
        kinds = words[rec.basis.advice]
        if rec.basis.threshold is not None:
            kinds += f"; {words['threshold']}: {words[rec.basis.threshold]}"
        note = f" ({_md(rec.basis.note)})" if rec.basis.note else ""
        lines.append(f"- {words['basis']}: {kinds}{note}")
    for caveat in rec.caveats:
        lines.append(f"- {words['caveat']}: {_md(caveat.text)} {_quote(caveat.passage)}")
    return lines


def findings_markdown(business: BusinessAssessment, lang: str = "en") -> str:
    """What the assessment found beside its recommendations: strengths, rules set aside (and
    why), causes to check (and the metrics that would decide them), and observations that
    contradict each other. Empty when there is none."""
    words = _WORDS[lang]
    lines: list[str] = []
    if business.strengths:
        lines += [f"### {words['strengths']}", ""]
        for strength in business.strengths:
            e = strength.evidence
            target = f"{_OPS[strength.target['op']]} {_value(strength.target['value'])}"
            path = [strength.concept.label, *(link.target.label for link in strength.links)]
            lines.append(
                f"- {_md(e.label)} = {_value(e.value)} ({words['target']} {target}): "
                + " -> ".join(_md(label) for label in path)
            )
            quotes = {q.passage: q for q in strength.passages}
            for link in strength.links:
                quotes.update((q.passage, q) for q in link.passages)
            for quote in quotes.values():
                lines.append(f"  - {words['why']}: {_quote(quote)}")
        lines.append("")
    if business.set_aside:
        lines += [f"### {words['set_aside']}", ""]
        for aside in business.set_aside:
            where = ""
            if aside.applies_to:
                where = f"; {words['applies_to']} " + ", ".join(
                    _md(t.label) for t in aside.applies_to
                )
            lines.append(
                f"- {_md(aside.title)} (`{local_name(aside.rule.iri)}`): "
                f"{_md(aside.reason.label)}{where}; {_observed(aside.evidence)}"
            )
            for quote in aside.passages:
                lines.append(f"  - {_quote(quote)}")
        lines.append("")
    if business.to_check:
        lines += [f"### {words['to_check']}", ""]
        for item in business.to_check:
            metrics = ", ".join(f"`{local_name(m.iri)}`" for m in item.metrics)
            lines.append(
                f"- {_md(item.concept.label)}: {words['would_explain']} "
                + ", ".join(_md(t.label) for t in item.explains)
                + f"; {_HEAD[lang][3]} {metrics}"
            )
            for chain in item.links:
                lines += _links(chain, lang, "  ")
        lines.append("")
    if business.data_quality:
        lines += [f"### {words['data_quality']}", ""]
        for finding in business.data_quality:
            rows = ", ".join(f"`{_md(e.origin or e.observation)}`" for e in finding.observations)
            lines.append(f"- {_md(finding.check.label)}: {_md(finding.detail)} ({rows})")
        lines.append("")
    return "\n".join(lines)


def _links(links: tuple[Link, ...], lang: str, indent: str) -> list[str]:
    """One line per causal link, with the passages it rests on."""
    words = _WORDS[lang]
    lines = []
    for link in links:
        verb = words["raises"] if link.sign > 0 else words["lowers"]
        basis = f" [{words[link.basis]}]" if link.basis else ""
        quotes = " ".join(_quote(q) for q in link.passages)
        lines.append(
            f"{indent}- {_md(link.source.label)} {verb} {_md(link.target.label)}{basis}: {quotes}"
        )
    return lines


def _quote(quote: SourceQuote) -> str:
    return f'"{_md(quote.quote)}" [{quote.quote_language}; `{local_name(quote.passage)}`]'


def _observed(evidence: tuple[Evidence, ...]) -> str:
    return "; ".join(f"{_md(e.label)} = {_value(e.value)}" for e in evidence)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float | int):
        return f"{value:g}"
    return _md(str(value))


def explain_markdown(business: BusinessAssessment, rec: Recommendation, lang: str = "en") -> str:
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
        for links in rec.root_cause.links:
            lines += _links(links, lang, "  ")
    lines += ["", "sources:"]
    for s in rec.sources:
        lines.append(f'  "{_md(s.quote)}" [{s.quote_language}]')
        if s.rendering:
            lines.append(f"  = {_md(s.rendering)}")
        if s.article:
            lines.append(f"  ({_md(s.article)})")
    qualifications = _qualifications(rec, lang)
    if qualifications:
        lines += ["", *qualifications]
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
