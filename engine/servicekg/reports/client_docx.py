"""The client report as DOCX (python-docx): the structure of the HTML, charts as tables.

python-docx is imported here only, when a DOCX is asked for.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from servicekg.reports.document import (
    BusinessSection,
    ClientReport,
    PassageView,
    RecommendationView,
)
from servicekg.reports.document import no_recommendations_key as _none
from servicekg.reports.words import Words

__all__ = ["client_docx"]

_MATRIX_COLUMNS = 4
"""Businesses per table of the side-by-side comparison, as in the HTML."""


def client_docx(doc: ClientReport) -> bytes:
    """The report as the bytes of a .docx file."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    w, words = doc.words, Words(doc.lang)
    out = Document()
    out.core_properties.title = f"{doc.title} \u2013 {doc.client}" if doc.client else doc.title
    out.core_properties.language = doc.lang
    out.add_heading(doc.title, level=0)
    if doc.client:
        out.add_paragraph(doc.client).runs[0].bold = True
    for key, value in (
        ("client", doc.client),
        ("period", doc.period),
        ("consultant", doc.consultant),
        ("scope", doc.scope),
        ("report_date", doc.date),
    ):
        if value:
            _labelled(out, w[key], value)
    out.add_paragraph(w["charts_omitted"]).runs[0].italic = True
    out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    out.add_heading(w["executive_summary"], level=1)
    out.add_heading(w["top_actions"], level=2)
    if not doc.actions:
        out.add_paragraph(w["top_actions_none"])
    for action in doc.actions:
        p = out.add_paragraph(style="List Number")
        p.add_run(action.title).bold = True
        p.add_run(" " + words.say("at_businesses", names=", ".join(action.businesses)))
        p.add_run(" " + action.effect)
    out.add_heading(w["strengths"], level=2)
    if not doc.strengths:
        out.add_paragraph(w["strengths_none"])
    for s in doc.strengths:
        p = out.add_paragraph(style="List Bullet")
        p.add_run(s.label).bold = True
        p.add_run(f" ({s.business}): {s.value}.")
        if s.why:
            p.add_run(f" {w['why_it_matters']}: {s.why}")

    if doc.comparison is not None:
        comp = doc.comparison
        out.add_heading(w["comparison"], level=1)
        _table(
            out,
            [w["business"], w["comparison_overall"], w["recommendations"], w["highest_priority"]],
            [
                [name, words.percent(v / 100) if v is not None else "", str(n), h]
                for name, v, n, h in zip(
                    comp.businesses, comp.overall, comp.recommendations, comp.highest, strict=True
                )
            ],
        )
        out.add_heading(w["chart_title"], level=2)
        for start in range(0, len(comp.businesses), _MATRIX_COLUMNS):
            end = start + _MATRIX_COLUMNS
            rows = [
                [
                    label,
                    *(words.percent(c / 100) if c is not None else "" for c in cells[start:end]),
                ]
                for label, cells in comp.rows
                if any(c is not None for c in cells[start:end])
            ]
            _table(out, [w["need_or_factor"], *comp.businesses[start:end]], rows)
            out.add_paragraph()
        out.add_paragraph(w["comparison_caption"])

    for business in doc.businesses:
        out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _business(out, doc, business)

    out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out.add_heading(w["appendix"], level=1)
    out.add_paragraph(" ".join(w["appendix_formula"].split()))
    if doc.scores:
        _table(
            out,
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
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _business(out: Any, doc: ClientReport, b: BusinessSection) -> None:
    w, words = doc.words, Words(doc.lang)
    out.add_heading(b.name, level=1)
    facts = [f"{w['sector']}: {b.sector}"]
    if b.region:
        facts.append(f"{w['region']}: {b.region}")
    facts.append(f"{w['observations_count']}: {b.observations}")
    out.add_paragraph(" · ".join(facts))
    if b.error:
        out.add_paragraph(b.error)
        return
    out.add_heading(w["chart_title"], level=2)
    if b.bars:
        _table(
            out,
            [w["need_or_factor"], w["target"]],
            [[bar.label, words.percent(bar.percent / 100)] for bar in b.bars],
        )
        out.add_paragraph(w["chart_caption"])
    else:
        out.add_paragraph(w["chart_none"])
    for cause in b.root_causes:
        _labelled(out, w["root_cause"], cause)
    out.add_heading(w["recommendations"], level=2)
    if not b.recommendations:
        out.add_paragraph(w[_none(b)])
    for rec in b.recommendations:
        _recommendation(out, doc, rec)
    if b.strengths:
        out.add_heading(w["strengths"], level=2)
        for s in b.strengths:
            p = out.add_paragraph(style="List Bullet")
            p.add_run(s.label).bold = True
            p.add_run(f": {s.value}")
            if s.why:
                p.add_run(f" {w['why_it_matters']}: {s.why}").italic = True
    if b.to_check:
        out.add_heading(w["to_check"], level=2)
        out.add_paragraph(w["to_check_intro"])
        for item in b.to_check:
            said = [words.say("to_check_explains", effects=item.explains)]
            if item.measures:
                said.append(words.say("to_check_measure", measures=item.measures))
            p = out.add_paragraph(style="List Bullet")
            p.add_run(item.concept).bold = True
            p.add_run(f": {'; '.join(said)}.")
            if item.path:
                p.add_run(" " + words.say("root_cause_path", path=item.path)).italic = True
    if b.set_aside:
        out.add_heading(w["set_aside"], level=2)
        out.add_paragraph(w["set_aside_intro"])
        for aside in b.set_aside:
            p = out.add_paragraph(style="List Bullet")
            p.add_run(aside.title).bold = True
            p.add_run(f": {aside.reason}")
            _passages(out, aside.passages)
    if b.data_quality:
        out.add_heading(w["data_quality"], level=2)
        out.add_paragraph(w["data_quality_intro"])
        for finding in b.data_quality:
            out.add_paragraph(finding, style="List Bullet")
    if b.unjudged:
        out.add_heading(w["unjudged"], level=2)
        out.add_paragraph(w["unjudged_intro"])
        _table(
            out,
            [w["need_or_factor"], w["measure"], w["how_to_measure"]],
            [[r.group, r.measure, r.how] for r in b.unjudged],
        )


def _recommendation(out: Any, doc: ClientReport, rec: RecommendationView) -> None:
    w, words = doc.words, Words(doc.lang)
    out.add_heading(f"{rec.rank}. {rec.title} ({w['priority']}: {rec.priority})", level=3)
    _labelled(out, w["what_to_do"], rec.what)
    _labelled(out, w["why"], rec.why)
    _labelled(out, w["evidence"], "")
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
        p = out.add_paragraph(style="List Bullet")
        p.add_run(e.label).bold = True
        p.add_run(f": {e.value}" + (f" ({'; '.join(details)})" if details else ""))
        if e.note:
            p.add_run(f" {w['note']}: {e.note}").italic = True
    if rec.passages:
        _labelled(out, w["in_the_articles_words"], "")
        _passages(out, rec.passages)
    if rec.basis:
        _labelled(out, w["basis"], " ".join(rec.basis))
    for caveat in rec.caveats:
        _labelled(out, w["caveat"], caveat.text)
        if caveat.passage is not None:
            _passages(out, (caveat.passage,))


def _passages(out: Any, passages: Iterable[PassageView]) -> None:
    for passage in passages:
        where = passage.article + (f" \u2013 {passage.section}" if passage.section else "")
        quote = out.add_paragraph(style="Quote")
        quote.add_run(f"\u201c{passage.quote}\u201d ")
        quote.add_run(f"({where})").italic = False
        if passage.rendering:
            _labelled(out, passage.rendering_label, passage.rendering)


def _labelled(out: Any, label: str, text: str) -> None:
    p = out.add_paragraph()
    p.add_run(f"{label}: ").bold = True
    if text:
        p.add_run(text)


def _table(out: Any, head: list[str], rows: list[list[str]]) -> None:
    table = out.add_table(rows=1, cols=len(head))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
