"""Progress and chain reports as Markdown, and a metric's trend as an inline SVG chart.

These are the engagement reports' own plain outputs (the JSON shape is each report's
``as_dict()``). The HTML/PDF report and the views embed the same data: they call
:func:`progress_sections` / :func:`chain_sections` for the Markdown parts, or take the
dataclasses and :func:`trend_svg` directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from servicekg.engagement.chain import ChainReport
from servicekg.engagement.progress import MetricTrend, Progress
from servicekg.engagement.what_if import BestChange, WhatIfResult
from servicekg.engagement.words import words

_DASH = "\u2013"
"""An en dash: what a table shows for a value not known."""

__all__ = [
    "chain_markdown",
    "chain_sections",
    "md",
    "progress_markdown",
    "progress_sections",
    "show_value",
    "trend_svg",
    "what_if_markdown",
]


def md(text: str) -> str:
    """Text with Markdown's active characters escaped, on one line (data never becomes markup).

    >>> md("a|b *c*")
    'a\\\\|b \\\\*c\\\\*'
    """
    text = " ".join(str(text).splitlines())
    for char in "\\`*_[]<>|#&~!":
        text = text.replace(char, "\\" + char)
    return text


def show_value(value: float | bool | None, unit: str, lang: str = "en") -> str:
    """A value as a reader sees it: rates in %, yes/no in words, others with their unit.

    >>> show_value(0.815, "ratio"), show_value(142.0, "s"), show_value(True, "bool", "lv")
    ('81.5 %', '142 s', 'jā')
    """
    if value is None:
        return _DASH
    if isinstance(value, bool):
        return str(words(lang)["yes" if value else "no"])
    if unit == "ratio":
        return f"{value * 100:.1f} %".replace(".0 %", " %")
    if unit in ("score", "nps", ""):
        return f"{value:g}"
    return f"{value:g} {unit}"


def progress_markdown(progress: Progress, lang: str = "en") -> str:
    """One business's progress as a Markdown document."""
    w = words(lang)
    title = md(progress.name or progress.business)
    return "\n".join([f"# {w['progress']}: {title}", "", *progress_sections(progress, lang)])


def progress_sections(progress: Progress, lang: str = "en") -> list[str]:
    """The progress sections (from level-2 headings down), to put in a larger report."""
    w = words(lang)
    lines: list[str] = []
    visits = progress.visits
    lines += [f"## {w['visits']}", ""]
    for visit, score in zip(visits, progress.scores, strict=True):
        span = visit.label
        if visit.end and visit.start and visit.end != visit.start:
            span += f" {_DASH} {visit.end.isoformat()}"
        lines.append(f"{visit.number}. {span}: {w['score'].lower()} {score:g}")
    lines.append("")
    if progress.score_change is not None:
        change = f"{progress.score_change:+g}"
        lines.append(
            f"**{w['score_change']}** ({w['since']} {visits[-2].label}): {change} "
            f"_({w['score_note']})_"
        )
        lines.append("")
    lines += [f"## {w['recommendations']}", ""]
    if progress.recommendations:
        lines += [
            f"| {w['recommendation']} | {w['change']} | {w['score']} | {w['follow_ups']} |",
            "|---|---|---|---|",
        ]
        for rec in progress.recommendations:
            change = w["transitions"][rec.change]
            scores = _scores(rec.score_before, rec.score_after, w)
            status = ""
            if rec.follow_up:
                status = w["statuses"][rec.follow_up.status]
                if rec.follow_up.date:
                    status += f" ({rec.follow_up.date.isoformat()})"
            lines.append(f"| {md(rec.title)} | {change} | {scores} | {status} |")
    else:
        lines.append(w["none"])
    lines.append("")
    lines += [f"## {w['metrics']}", ""]
    header = " | ".join(md(v.label) for v in visits)
    lines += [f"| {w['metric']} | {header} | {w['trend']} |", "|---" * (len(visits) + 2) + "|"]
    for trend in progress.metrics:
        cells = []
        for value, measured in zip(trend.values, trend.measured, strict=True):
            shown = show_value(value, trend.unit, lang)
            cells.append(shown if measured or value is None else f"({shown})")
        lines.append(f"| {md(trend.label)} | {' | '.join(cells)} | {w['trends'][trend.trend]} |")
    lines += ["", f"_( ): {w['not_remeasured']}_", ""]
    if len(visits) > 1:
        lines += [f"## {w['newly_measured']}", ""]
        labels = {t.metric: t.label for t in progress.metrics}
        if progress.newly_measured:
            lines += [f"- {md(labels.get(m, m))} (`{m}`)" for m in progress.newly_measured]
        else:
            lines.append(w["none"])
        lines.append("")
    if progress.follow_ups:
        outcomes = {(c.follow_up.rule, c.follow_up.date): c for c in progress.checks}
        lines += [f"## {w['follow_ups']}", ""]
        lines += [
            f"| {w['recommendation']} | {w['status']} | {w['date']} | {w['note']} "
            f"| {w['outcome']} |",
            "|---|---|---|---|---|",
        ]
        for done in progress.follow_ups:
            check = outcomes.get((done.rule, done.date))
            outcome = w["outcomes"][check.outcome] if check else ""
            if check and check.visit:
                outcome += f" ({w['visit'].lower()} {check.visit.label})"
            when = done.date.isoformat() if done.date else ""
            lines.append(
                f"| `{md(done.rule)}` | {w['statuses'][done.status]} | {when} "
                f"| {md(done.note or '')} | {outcome} |"
            )
        lines.append("")
    return lines


def chain_markdown(report: ChainReport, lang: str = "en") -> str:
    """A chain report as a Markdown document."""
    w = words(lang)
    return "\n".join([f"# {w['chain']}: {md(report.group)}", "", *chain_sections(report, lang)])


def chain_sections(report: ChainReport, lang: str = "en") -> list[str]:
    """The chain report's sections (from level-2 headings down)."""
    w = words(lang)
    lines = [f"## {w['branches']}", ""]
    lines += [
        f"| {w['branch']} | {w['visit']} | {w['score']} | {w['percentile']} |",
        "|---|---|---|---|",
    ]
    for b in report.branches:
        name = md(b.name or b.business) + (f" ({md(b.region)})" if b.region else "")
        share = _DASH if b.percentile is None else f"{b.percentile:g} ({b.sector_size})"
        lines.append(f"| {name} | {md(b.visit or '')} | {b.score:g} | {share} |")
    lines += ["", f"_{w['score']}: {w['score_note']}. {w['percentile']}: {w['percentile_note']}._"]
    lines += ["", f"### {w['recommendations']}", ""]
    ids = [b.business for b in report.branches]
    rules: dict[str, tuple[str, str]] = {}
    scores: dict[tuple[str, str], float] = {}
    for b in report.branches:
        for rule, title, addresses, score in b.recommendations:
            rules.setdefault(rule, (title, addresses))
            scores[(rule, b.business)] = score
    lines += [
        f"| {w['recommendation']} | " + " | ".join(md(i) for i in ids) + " |",
        "|---" * (len(ids) + 1) + "|",
    ]
    for rule, (title, addresses) in rules.items():
        cells = [f"{scores[(rule, i)]:g}" if (rule, i) in scores else _DASH for i in ids]
        lines.append(f"| {md(title)} ({md(addresses)}) | " + " | ".join(cells) + " |")
    lines += ["", f"## {w['shared_actions']}", ""]
    for action in report.shared_actions:
        lines.append(
            f"- **{md(action.title)}** ({md(action.addresses)}): {len(action.branches)} "
            f"{w['of']} {len(report.branches)} {w['branch_count']} "
            f"({', '.join(md(b) for b in action.branches)}); {w['score'].lower()} "
            f"{action.mean_score:g}"
        )
    if not report.shared_actions:
        lines.append(w["none"])
    lines += ["", f"## {w['shared_causes']}", ""]
    for cause in report.shared_causes:
        lines.append(
            f"- **{md(cause.label)}** ({', '.join(md(b) for b in cause.branches)}) -> "
            + ", ".join(md(e) for e in cause.explains)
        )
    if not report.shared_causes:
        lines.append(w["none"])
    lines += ["", f"## {w['best_worst']}", ""]
    lines += [f"| {w['metric']} | {w['best']} | {w['worst']} |", "|---|---|---|"]
    for item in report.extremes:
        values = dict(item.values)
        best = f"{md(item.best)} ({show_value(values[item.best], item.unit, lang)})"
        worst = f"{md(item.worst)} ({show_value(values[item.worst], item.unit, lang)})"
        lines.append(f"| {md(item.label)} | {best} | {worst} |")
    lines.append("")
    return lines


def trend_svg(trend: MetricTrend, labels: Sequence[str], width: int = 240) -> str:
    """One metric's values across the visits as a small inline SVG line chart (no script, no
    external resource); unknown values leave a gap. Yes/no metrics are drawn as 1/0."""
    height, pad = 80, 14
    points = [(i, float(v)) for i, v in enumerate(trend.values) if v is not None]
    title = escape(trend.label)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{title}">',
        f"<title>{title}</title>",
    ]
    if points:
        low = min(v for _, v in points)
        high = max(v for _, v in points)
        span = (high - low) or 1.0
        steps = max(len(trend.values) - 1, 1)

        def place(i: int, v: float) -> tuple[float, float]:
            x = pad + (width - 2 * pad) * i / steps
            y = height - pad - (height - 2 * pad) * (v - low) / span
            return round(x, 1), round(y, 1)

        placed = [place(i, v) for i, v in points]
        line = " ".join(f"{x},{y}" for x, y in placed)
        parts.append(f'<polyline fill="none" stroke="currentColor" points="{line}"/>')
        for (x, y), (i, v) in zip(placed, points, strict=True):
            shown = escape(f"{labels[i] if i < len(labels) else i}: {v:g}")
            parts.append(f'<circle cx="{x}" cy="{y}" r="3"><title>{shown}</title></circle>')
            anchor = "start" if i == 0 else "end" if i == steps else "middle"
            above = y - 5 if y > pad + 6 else y + 12
            parts.append(
                f'<text x="{x}" y="{round(above, 1)}" font-size="9" text-anchor="{anchor}">'
                f"{escape(_short(v, trend.unit))}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _scores(before: float | None, after: float | None, w: dict[str, object]) -> str:
    if after is None:
        return f"{_DASH} ({w['was']} {before:g})" if before is not None else _DASH
    if before is None:
        return f"{after:g}"
    return f"{after:g} ({w['was']} {before:g})"


def what_if_markdown(
    result: WhatIfResult | None,
    best: Sequence[BestChange] = (),
    lang: str = "en",
    name: str | None = None,
) -> str:
    """A what-if (the changes given and what they move) and/or the best single changes, as a
    Markdown document."""
    w = words(lang)
    business = result.business if result else (best[0].result.business if best else "")
    lines = [f"# {w['what_if']}: {md(name or business)}", ""]
    if result is not None:
        changes = ", ".join(f"`{md(m)}` = {_plain(v)}" for m, v in result.changes.items())
        lines += [f"**{w['changes']}**: {changes}", ""]
        lines += [
            f"**{w['score']}**: {result.score_before:g} -> {result.score_after:g} "
            f"({result.score_change:+g}; {w['score_note']})",
            "",
        ]
        for heading, recs in (("disappear", result.disappear), ("appear", result.appear)):
            lines += [f"## {w[heading]}", ""]
            lines += [f"- {md(r.title)} ({r.score:g})" for r in recs] or [w["none"]]
            lines.append("")
        lines += [f"## {w['stay']}", ""]
        lines += [
            f"- {md(after.title)} "
            f"({after.score:g}{'' if after.score == before.score else _was(before.score, w)})"
            for before, after in result.stay
        ] or [w["none"]]
        lines.append("")
        for heading, causes in (
            ("new_causes", result.new_causes),
            ("gone_causes", result.gone_causes),
        ):
            if causes:
                lines += [f"## {w[heading]}", "", *(f"- {md(c)}" for c in causes), ""]
    if best:
        lines += [f"## {w['best_changes']}", ""]
        lines += [
            f"| # | {w['metric']} | {w['changes']} | {w['effect']} | {w['disappear']} "
            f"| {w['path']} |",
            "|---|---|---|---|---|---|",
        ]
        for rank, change in enumerate(best, start=1):
            gone = ", ".join(md(r.title) for r in change.result.disappear) or w["none"]
            path = " -> ".join(md(step) for step in change.path)
            moved = f"{_plain(change.value_before)} -> {_plain(change.target)}"
            lines.append(
                f"| {rank} | {md(change.label)} | {moved} | {change.effect:g} | {gone} | {path} |"
            )
        lines.append("")
    return "\n".join(lines)


def _short(value: float, unit: str) -> str:
    if unit == "ratio":
        return f"{value * 100:.0f} %"
    return f"{value:g}"


def _was(score: float, w: dict[str, object]) -> str:
    return f", {w['was']} {score:g}"


def _plain(value: float | bool) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return f"{value:g}"
