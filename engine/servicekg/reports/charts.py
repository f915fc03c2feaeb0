"""Charts of the client report as inline SVG: no script, no network, every text escaped.

>>> from servicekg.reports.document import Bar
>>> svg = bar_chart([Bar("Service time", "factor", 40.0, False)], "Target", "{} %")
>>> svg.startswith("<svg") and "Service time" in svg and "Target" in svg
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from servicekg.reports.document import Bar

__all__ = ["bar_chart", "overall_chart"]

_ROW = 22
_LABEL_W = 230
_BAR_W = 300
_PAD = 8
_GOOD, _BAD = "#2e7d4f", "#c0392b"
_DASH = "\u2013"


def bar_chart(bars: Sequence[Bar], target_word: str, percent: str | Callable[[float], str]) -> str:
    """Horizontal bars of the share of the target met, with the target line at 100 %."""
    fmt = _formatter(percent)
    height = _PAD * 2 + _ROW * len(bars) + 18
    width = _LABEL_W + _BAR_W + 70
    x0 = _LABEL_W
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img" aria-label="{escape(target_word)}">'
    ]
    for i, bar in enumerate(bars):
        y = _PAD + i * _ROW
        length = _BAR_W * min(bar.percent, 100.0) / 100.0
        colour = _GOOD if bar.met else _BAD
        parts.append(
            f'<text x="{x0 - 6}" y="{y + 15}" text-anchor="end" font-size="11">'
            f"{escape(_clip(bar.label, 38))}</text>"
            f'<rect x="{x0}" y="{y + 4}" width="{_BAR_W}" height="14" fill="#eee"/>'
            f'<rect x="{x0}" y="{y + 4}" width="{length:.1f}" height="14" fill="{colour}"/>'
            f'<text x="{x0 + _BAR_W + 6}" y="{y + 15}" font-size="11">{escape(fmt(bar.percent))}'
            "</text>"
        )
    bottom = _PAD + _ROW * len(bars)
    parts.append(
        f'<line x1="{x0 + _BAR_W}" y1="{_PAD}" x2="{x0 + _BAR_W}" y2="{bottom + 2}"'
        ' stroke="#222" stroke-dasharray="3,2"/>'
        f'<text x="{x0 + _BAR_W}" y="{bottom + 14}" text-anchor="middle" font-size="10">'
        f"{escape(target_word)}</text></svg>"
    )
    return "".join(parts)


def overall_chart(
    names: Sequence[str], values: Sequence[float | None], percent: str | Callable[[float], str]
) -> str:
    """One bar per business: the share of its measured needs and factors at target."""
    fmt = _formatter(percent)
    bars = [
        Bar(name, "factor", value if value is not None else 0.0, (value or 0.0) >= 100)
        for name, value in zip(names, values, strict=True)
    ]
    height = _PAD * 2 + _ROW * len(bars)
    width = _LABEL_W + _BAR_W + 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img">'
    ]
    for i, (bar, value) in enumerate(zip(bars, values, strict=True)):
        y = _PAD + i * _ROW
        length = _BAR_W * min(bar.percent, 100.0) / 100.0
        parts.append(
            f'<text x="{_LABEL_W - 6}" y="{y + 15}" text-anchor="end" font-size="11">'
            f"{escape(_clip(bar.label, 38))}</text>"
            f'<rect x="{_LABEL_W}" y="{y + 4}" width="{_BAR_W}" height="14" fill="#eee"/>'
            f'<rect x="{_LABEL_W}" y="{y + 4}" width="{length:.1f}" height="14" fill="#2c5d8a"/>'
            f'<text x="{_LABEL_W + _BAR_W + 6}" y="{y + 15}" font-size="11">'
            f"{escape(fmt(value) if value is not None else _DASH)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _formatter(percent: str | Callable[[float], str]) -> Callable[[float], str]:
    if callable(percent):
        return percent
    return lambda value: percent.format(round(value))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
