"""The client report as one self-contained HTML page that prints as it reads.

No script, no network: styles and charts (SVG) are inline, every text is escaped. The print
styles put the title page, the summary and each business on pages of their own, never cut a
table row or a recommendation, and number the pages (the PDF is this page printed).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from servicekg.reports.charts import bar_chart, overall_chart
from servicekg.reports.document import (
    BusinessSection,
    ClientReport,
    Comparison,
    PassageView,
    RecommendationView,
)
from servicekg.reports.document import no_recommendations_key as _none
from servicekg.reports.words import Words

__all__ = ["client_html"]

_STYLE = """
@page { size: A4; margin: 20mm 18mm 22mm 18mm;
  @bottom-left { content: string(client); font: 8pt sans-serif; color: #777; }
  @bottom-right { content: "%(page)s " counter(page) " / " counter(pages);
    font: 8pt sans-serif; color: #777; } }
@page :first { @bottom-left { content: none; } @bottom-right { content: none; } }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10pt;
  line-height: 1.4; color: #1d2733; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3, h4 { color: #163a5f; line-height: 1.2; break-after: avoid; }
h1 { font-size: 24pt; margin: 0 0 .5rem; }
h2 { font-size: 16pt; border-bottom: 2px solid #163a5f; padding-bottom: .2rem; margin-top: 0; }
h3 { font-size: 12.5pt; margin: 1.2rem 0 .4rem; }
h4 { font-size: 11pt; margin: .8rem 0 .3rem; }
.title-page { padding: 3rem 0 2rem; break-after: page; }
.title-page .client { font-size: 16pt; color: #163a5f; string-set: client content(); }
.title-page dl { display: grid; grid-template-columns: 11rem 1fr; gap: .4rem 1rem;
  margin-top: 2.5rem; font-size: 11pt; }
.title-page dt { font-weight: bold; color: #555; }
.title-page dd { margin: 0; }
section.summary, section.business, section.appendix, section.comparison { break-before: page; }
.action { border-left: 4px solid #163a5f; padding: .3rem .8rem; margin: .6rem 0;
  break-inside: avoid; }
.action .title { font-weight: bold; }
.muted { color: #5a6570; }
.facts { color: #5a6570; margin: 0 0 .6rem; }
.rec { border: 1px solid #d5dbe1; border-radius: 4px; padding: .5rem .8rem;
  margin: .8rem 0; }
.rec > p, .rec li, blockquote, .rendering, .chart, .action { break-inside: avoid; }
.rec h4 { margin-top: .2rem; }
.pill { display: inline-block; font-size: 8.5pt; padding: 0 .45rem; border-radius: 8px;
  color: #fff; background: #777; vertical-align: middle; font-weight: normal; }
.pill.critical { background: #8e1b1b; } .pill.high { background: #c0392b; }
.pill.medium { background: #d68910; } .pill.low { background: #5d6d7e; }
.label { font-weight: bold; color: #163a5f; }
blockquote { margin: .3rem 0 .3rem .4rem; padding-left: .6rem; border-left: 3px solid #ccd5de;
  font-style: italic; color: #333; }
.rendering { font-style: normal; color: #444; margin: .1rem 0 .2rem .4rem; padding-left: .6rem; }
.cite { font-size: 8.5pt; color: #5a6570; }
.root { background: #fff6d6; padding: .4rem .7rem; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border-bottom: 1px solid #dde3e8; padding: .25rem .4rem; text-align: left;
  vertical-align: top; }
th { background: #eef2f6; }
td.num { text-align: right; white-space: nowrap; }
th.num { text-align: right; }
table.matrix { table-layout: fixed; }
table.matrix th:first-child { width: 30%; }
.unjudged { font-size: 8.5pt; color: #444; }
.unjudged h3 { font-size: 10.5pt; }
svg.chart { max-width: 100%; height: auto; display: block; margin: .3rem 0; }
.error { color: #a00; }
ul.evidence { margin: .2rem 0; padding-left: 1.1rem; }
section + section { margin-top: 3rem; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  section + section { margin-top: 0; }
  .title-page { min-height: 230mm; display: flex; flex-direction: column;
    justify-content: center; padding: 0; }
}
"""


def client_html(doc: ClientReport) -> str:
    """The whole report as one HTML page."""
    w = doc.words
    style = _STYLE.replace("%(page)s", _css_string(w["page"]))
    parts = [
        f'<!DOCTYPE html>\n<html lang="{escape(doc.lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(_title(doc))}</title><style>{style}</style>"
        "</head><body>",
        _title_page(doc),
        _summary(doc),
    ]
    if doc.comparison is not None:
        parts.append(_comparison(doc, doc.comparison))
    parts += [_business(doc, b) for b in doc.businesses]
    parts.append(_appendix(doc))
    parts.append("</body></html>\n")
    return "".join(parts)


def _title_page(doc: ClientReport) -> str:
    w = doc.words
    rows = [
        (w["client"], doc.client),
        (w["period"], doc.period),
        (w["consultant"], doc.consultant),
        (w["scope"], doc.scope),
        (w["report_date"], doc.date),
    ]
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows if v)
    client = f'<div class="client">{escape(doc.client)}</div>' if doc.client else ""
    return (
        f'<section class="title-page"><h1>{escape(doc.title)}</h1>{client}'
        f"<dl>{items}</dl></section>"
    )


def _title(doc: ClientReport) -> str:
    return f"{doc.title} \u2013 {doc.client}" if doc.client else doc.title


def _summary(doc: ClientReport) -> str:
    w = doc.words
    words = Words(doc.lang)
    parts = [f'<section class="summary"><h2>{escape(w["executive_summary"])}</h2>']
    parts.append(f"<h3>{escape(w['top_actions'])}</h3>")
    if not doc.actions:
        parts.append(f"<p>{escape(w['top_actions_none'])}</p>")
    for i, action in enumerate(doc.actions, start=1):
        where = words.say("at_businesses", names=", ".join(action.businesses))
        parts.append(
            f'<div class="action"><div class="title">{i}. {escape(action.title)}</div>'
            f'<div class="muted">{escape(where)}</div><div>{escape(action.effect)}</div></div>'
        )
    parts.append(f"<h3>{escape(w['strengths'])}</h3>")
    if not doc.strengths:
        parts.append(f"<p>{escape(w['strengths_none'])}</p>")
    else:
        parts.append("<ul>")
        for s in doc.strengths:
            source = f' <span class="cite">({escape(s.article)})</span>' if s.article else ""
            why = (
                f'<br><span class="muted">{escape(w["why_it_matters"])}: {escape(s.why)}</span>'
                f"{source}"
                if s.why
                else ""
            )
            parts.append(
                f"<li><b>{escape(s.label)}</b> ({escape(s.business)}): {escape(s.value)}{why}</li>"
            )
        parts.append("</ul>")
    parts.append("</section>")
    return "".join(parts)


def _comparison(doc: ClientReport, comp: Comparison) -> str:
    w, words = doc.words, Words(doc.lang)

    def pct(value: float | None) -> str:
        return escape(words.percent(value / 100)) if value is not None else ""

    summary = "".join(
        f"<tr><td>{escape(name)}</td><td class='num'>{pct(overall)}</td>"
        f"<td class='num'>{count}</td><td>{escape(highest)}</td></tr>"
        for name, overall, count, highest in zip(
            comp.businesses, comp.overall, comp.recommendations, comp.highest, strict=True
        )
    )
    parts = [
        f'<section class="comparison"><h2>{escape(w["comparison"])}</h2>'
        f"<h3>{escape(w['comparison_overall'])}</h3>",
        overall_chart(comp.businesses, comp.overall, lambda v: words.percent(v / 100)),
        f"<table><thead><tr><th>{escape(w['business'])}</th>"
        f"<th class='num'>{escape(w['comparison_overall'])}</th>"
        f"<th class='num'>{escape(w['recommendations'])}</th>"
        f"<th>{escape(w['highest_priority'])}</th></tr></thead><tbody>{summary}</tbody></table>",
        f"<h3>{escape(w['chart_title'])}</h3>",
    ]
    for start in range(0, len(comp.businesses), _MATRIX_COLUMNS):
        names = comp.businesses[start : start + _MATRIX_COLUMNS]
        head = "".join(f'<th class="num">{escape(n)}</th>' for n in names)
        rows = "".join(
            f"<tr><td>{escape(label)}</td>"
            + "".join(
                f'<td class="num">{pct(c)}</td>' for c in cells[start : start + _MATRIX_COLUMNS]
            )
            + "</tr>"
            for label, cells in comp.rows
            if any(c is not None for c in cells[start : start + _MATRIX_COLUMNS])
        )
        parts.append(
            f'<table class="matrix"><thead><tr><th>{escape(w["need_or_factor"])}</th>{head}'
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )
    parts.append(f'<p class="muted">{escape(w["comparison_caption"])}</p></section>')
    return "".join(parts)


_MATRIX_COLUMNS = 4
"""Businesses per table of the side-by-side comparison (more would not fit the page)."""


def _business(doc: ClientReport, b: BusinessSection) -> str:
    w, words = doc.words, Words(doc.lang)
    facts = [f"{w['sector']}: {b.sector}"]
    if b.region:
        facts.append(f"{w['region']}: {b.region}")
    facts.append(f"{w['observations_count']}: {b.observations}")
    parts = [
        f'<section class="business" id="{escape(b.id)}"><h2>{escape(b.name)}</h2>'
        f'<p class="facts">{escape(" · ".join(facts))}</p>'
    ]
    if b.error:
        parts.append(f'<p class="error">{escape(b.error)}</p></section>')
        return "".join(parts)
    parts.append(f"<h3>{escape(w['chart_title'])}</h3>")
    if b.bars:
        parts.append(bar_chart(b.bars, w["target"], lambda v: words.percent(v / 100)))
        parts.append(f'<p class="muted">{escape(w["chart_caption"])}</p>')
    else:
        parts.append(f'<p class="muted">{escape(w["chart_none"])}</p>')
    for cause in b.root_causes:
        parts.append(
            f'<p class="root"><span class="label">{escape(w["root_cause"])}:</span> '
            f"{escape(cause)}</p>"
        )
    parts.append(f"<h3>{escape(w['recommendations'])}</h3>")
    if not b.recommendations:
        parts.append(f"<p>{escape(w[_none(b)])}</p>")
    parts += [_recommendation(doc, rec) for rec in b.recommendations]
    if b.strengths:
        items = "".join(
            f"<li><b>{escape(s.label)}</b>: {escape(s.value)}"
            + (
                f'<br><span class="muted">{escape(w["why_it_matters"])}: {escape(s.why)}</span>'
                if s.why
                else ""
            )
            + "</li>"
            for s in b.strengths
        )
        parts.append(f"<h3>{escape(w['strengths'])}</h3><ul>{items}</ul>")
    if b.to_check:
        checks: list[str] = []
        for item in b.to_check:
            said = [words.say("to_check_explains", effects=item.explains)]
            if item.measures:
                said.append(words.say("to_check_measure", measures=item.measures))
            path = (
                f'<br><span class="muted">{escape(words.say("root_cause_path", path=item.path))}'
                "</span>"
                if item.path
                else ""
            )
            checks.append(
                f"<li><b>{escape(item.concept)}</b>: {escape('; '.join(said))}.{path}</li>"
            )
        parts.append(
            f'<div class="to-check"><h3>{escape(w["to_check"])}</h3>'
            f'<p class="muted">{escape(w["to_check_intro"])}</p><ul>{"".join(checks)}</ul></div>'
        )
    if b.set_aside:
        asides = [
            f"<li><b>{escape(a.title)}</b>: {escape(a.reason)}{_passages(a.passages)}</li>"
            for a in b.set_aside
        ]
        parts.append(
            f'<div class="set-aside"><h3>{escape(w["set_aside"])}</h3>'
            f'<p class="muted">{escape(w["set_aside_intro"])}</p><ul>{"".join(asides)}</ul></div>'
        )
    if b.data_quality:
        findings = [f"<li>{escape(item)}</li>" for item in b.data_quality]
        parts.append(
            f'<div class="data-quality"><h3>{escape(w["data_quality"])}</h3>'
            f'<p class="muted">{escape(w["data_quality_intro"])}</p>'
            f"<ul>{''.join(findings)}</ul></div>"
        )
    if b.unjudged:
        rows = "".join(
            f"<tr><td>{escape(r.group)}</td><td>{escape(r.measure)}</td><td>{escape(r.how)}</td>"
            "</tr>"
            for r in b.unjudged
        )
        parts.append(
            f'<div class="unjudged"><h3>{escape(w["unjudged"])}</h3>'
            f"<p>{escape(w['unjudged_intro'])}</p><table><thead><tr>"
            f"<th>{escape(w['need_or_factor'])}</th><th>{escape(w['measure'])}</th>"
            f"<th>{escape(w['how_to_measure'])}</th></tr></thead><tbody>{rows}</tbody>"
            "</table></div>"
        )
    parts.append("</section>")
    return "".join(parts)


def _recommendation(doc: ClientReport, rec: RecommendationView) -> str:
    w, words = doc.words, Words(doc.lang)
    evidence = []
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
        note = (
            f'<br><span class="muted">{escape(w["note"])}: {escape(e.note)}</span>'
            if e.note
            else ""
        )
        extra = f' <span class="cite">({escape("; ".join(details))})</span>' if details else ""
        evidence.append(f"<li><b>{escape(e.label)}</b>: {escape(e.value)}{extra}{note}</li>")
    passages = _passages(rec.passages)
    basis = "".join(f"<li>{escape(line)}</li>" for line in rec.basis)
    caveats = "".join(
        f'<div class="caveat"><p class="muted"><span class="label">{escape(w["caveat"])}:</span>'
        f" {escape(c.text)}</p>{_passages((c.passage,) if c.passage else ())}</div>"
        for c in rec.caveats
    )
    return (
        f'<div class="rec"><h4>{rec.rank}. {escape(rec.title)} '
        f'<span class="pill {escape(rec.severity)}">{escape(w["priority"])}: '
        f"{escape(rec.priority)}</span></h4>"
        f'<p><span class="label">{escape(w["what_to_do"])}:</span> {escape(rec.what)}</p>'
        f'<p><span class="label">{escape(w["why"])}:</span> {escape(rec.why)}</p>'
        f'<div><span class="label">{escape(w["evidence"])}:</span>'
        f'<ul class="evidence">{"".join(evidence)}</ul></div>'
        + (
            f'<div><span class="label">{escape(w["in_the_articles_words"])}:</span>{passages}</div>'
            if passages
            else ""
        )
        + (
            f'<div><span class="label">{escape(w["basis"])}:</span>'
            f'<ul class="evidence">{basis}</ul></div>'
            if basis
            else ""
        )
        + caveats
        + "</div>"
    )


def _passages(passages: Iterable[PassageView]) -> str:
    """Each passage quoted in its own words, with its rendering in the report's language."""
    found = []
    for p in passages:
        where = p.article + (f" \u2013 {p.section}" if p.section else "")
        rendering = (
            f'<p class="rendering"><span class="label">{escape(p.rendering_label)}:</span> '
            f"{escape(p.rendering)}</p>"
            if p.rendering
            else ""
        )
        found.append(
            f'<blockquote lang="{escape(p.quote_language)}">\u201c{escape(p.quote)}\u201d'
            f'<br><span class="cite">{escape(where)}</span></blockquote>{rendering}'
        )
    return "".join(found)


def _appendix(doc: ClientReport) -> str:
    w = doc.words
    rows = "".join(
        f"<tr><td>{escape(r.business)}</td><td>{escape(r.title)}</td>"
        f'<td class="num">{escape(r.score)}</td><td class="num">{escape(r.severity_weight)}</td>'
        f'<td class="num">{escape(r.impact)}</td><td class="num">{escape(r.gap)}</td></tr>'
        for r in doc.scores
    )
    table = (
        f"<table><thead><tr><th>{escape(w['business'])}</th>"
        f"<th>{escape(w['recommendation'])}</th><th class='num'>{escape(w['score'])}</th>"
        f"<th class='num'>{escape(w['severity_weight'])}</th>"
        f"<th class='num'>{escape(w['impact'])}</th><th class='num'>{escape(w['gap'])}</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
        if doc.scores
        else ""
    )
    return (
        f'<section class="appendix"><h2>{escape(w["appendix"])}</h2>'
        f"<p>{escape(w['appendix_formula'])}</p>{table}</section>"
    )


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
