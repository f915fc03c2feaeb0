"""An assessment as one self-contained HTML page (no scripts, no network), every text escaped."""

from __future__ import annotations

from html import escape

from servicekg.assessment.results import AssessmentReport, BusinessAssessment

__all__ = ["html_report"]

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}
h2{border-bottom:1px solid #ccc} .score{color:#555;font-size:.9em}
blockquote{margin:.3rem 0 .3rem 1rem;color:#444;font-style:italic}
.en{font-style:normal;color:#666} .root{background:#fff3cd;padding:.3rem .6rem}
.error{color:#a00} li{margin-bottom:.6rem}
"""


def html_report(report: AssessmentReport) -> str:
    """Every business of ``report`` as one HTML page."""
    body = "\n".join(_business(b) for b in report.businesses)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(report.language)}"><head><meta charset="utf-8">'
        f"<title>servicekg assessment</title><style>{_STYLE}</style></head><body>"
        f"<h1>servicekg assessment</h1><p>{escape(report.generated_at)}</p>{body}</body></html>\n"
    )


def _business(business: BusinessAssessment) -> str:
    name = escape(business.name or business.business)
    parts = [f"<section><h2>{name} <small>({escape(business.sector or '-')})</small></h2>"]
    parts += [f'<p class="warning">{escape(w)}</p>' for w in business.warnings]
    if business.error:
        parts.append(f'<p class="error">{escape(business.error)}</p></section>')
        return "".join(parts)
    for cause in business.root_causes:
        explains = ", ".join(escape(t.label) for t in cause.explains)
        state = "observed" if cause.observed else "suspected"
        parts.append(
            f'<p class="root">Root cause ({state}): <b>{escape(cause.concept.label)}</b>'
            f" explains {explains}</p>"
        )
    parts.append("<ol>")
    for rec in business.recommendations:
        evidence = "; ".join(
            f"{escape(e.label)} = {escape(str(e.value))} {escape(e.unit)}"
            + "".join(f" <i>({escape(t)})</i>" for t in (e.source, e.note) if t)
            for e in rec.evidence
        )
        quotes = "".join(
            f"<blockquote>{escape(s.quote)} <span class='en'>({escape(s.rendering)})</span>"
            "</blockquote>"
            for s in rec.sources
        )
        parts.append(
            f"<li><b>{escape(rec.title)}</b> <span class='score'>score {rec.score:g},"
            f" {escape(rec.severity)}</span><p>{escape(rec.text)}</p>"
            f"<p>Evidence: {evidence}</p><p class='score'>{escape(rec.reason.text())}</p>"
            f"{quotes}</li>"
        )
    parts.append("</ol>")
    if business.unjudged:
        items = "".join(
            f"<li>{escape(u.rule.label)}: measure "
            + ", ".join(escape(m.label) for m in u.missing_metrics)
            + "</li>"
            for u in business.unjudged
        )
        parts.append(f"<h3>Could not judge</h3><ul>{items}</ul>")
    parts.append("</section>")
    return "".join(parts)
