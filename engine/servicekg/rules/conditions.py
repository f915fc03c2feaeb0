"""The condition language of the rule files, and its evaluation in Python.

A condition is a tree: comparisons of one metric (:class:`Comparison`), tests of the business's
sector (:class:`SectorTest`), and :class:`AllOf` / :class:`AnyOf` over conditions. It is judged
with three values: ``True``, ``False`` or ``None`` (unknown), because a metric that was not
observed is unknown, never assumed good or bad:

>>> slow = Comparison("service_time_seconds", "above", Threshold(180.0, (("fast-food", 90.0),)))
>>> evaluate(slow, {"service_time_seconds": 120}, "fast-food")
True
>>> evaluate(slow, {"service_time_seconds": 120}, "retail")
False
>>> print(evaluate(slow, {}, "retail"))
None
>>> complaints = Comparison("complaint_rate", "above", Threshold(10.0))
>>> evaluate(AllOf((slow, complaints)), {"service_time_seconds": 300}, "")  # still open
>>> unknown_metrics(AllOf((slow, complaints)), {"service_time_seconds": 300}, "")
['complaint_rate']

Numbers are compared at a resolution of one millionth of the metric's unit (:func:`quantize`),
the same here and in the durable-rules engine, so that both always agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

__all__ = [
    "ENGINE_LIMIT",
    "NUMERIC_OPERATORS",
    "OPERATORS",
    "AllOf",
    "AnyOf",
    "Comparison",
    "Condition",
    "SectorTest",
    "Threshold",
    "Value",
    "describe",
    "evaluate",
    "implied_sectors",
    "iter_comparisons",
    "metrics_of",
    "quantize",
    "settle",
    "unknown_metrics",
]

Value = float | int | bool
"""An observed value: a number in the metric's unit, or a boolean."""

NUMERIC_OPERATORS: dict[str, str] = {
    "above": ">",
    "below": "<",
    "at_least": ">=",
    "at_most": "<=",
    "equals": "=",
}
"""Comparisons of a number with a threshold, and the sign each is written with."""

OPERATORS: tuple[str, ...] = (*NUMERIC_OPERATORS, "is", "present", "absent")
"""Every comparison a rule file may write after ``metric:``."""

QUANTUM = 10**6
"""Numbers are compared as whole millionths of their unit."""

ENGINE_LIMIT = 10**9
"""The largest threshold magnitude; observed values beyond it compare as just beyond it."""


def quantize(value: float) -> int:
    """``value`` as a whole number of millionths, clamped just beyond :data:`ENGINE_LIMIT`.

    Clamping keeps every comparison with a threshold within the limit as it was.

    >>> quantize(0.07), quantize(2.5e-05), quantize(1e300) == (ENGINE_LIMIT + 1) * QUANTUM
    (70000, 25, True)
    """
    if value > ENGINE_LIMIT:
        return (ENGINE_LIMIT + 1) * QUANTUM
    if value < -ENGINE_LIMIT:
        return -(ENGINE_LIMIT + 1) * QUANTUM
    return round(value * QUANTUM)


@dataclass(frozen=True)
class Threshold:
    """The number a metric is compared with: a default, and per-sector numbers.

    ``benchmarks`` says which of them come from an ontology benchmark: pairs of
    (``"default"`` or a sector code, benchmark IRI).
    """

    default: float
    by_sector: tuple[tuple[str, float], ...] = ()
    benchmarks: tuple[tuple[str, str], ...] = ()

    def for_sector(self, sector: str) -> float:
        """The number that applies to a business of ``sector`` (a code, or ``""``)."""
        for code, number in self.by_sector:
            if code == sector:
                return number
        return self.default

    def numbers(self) -> list[float]:
        """Every number of the threshold, the default first."""
        return [self.default, *(number for _, number in self.by_sector)]

    def __str__(self) -> str:
        text = _num(self.default)
        if self.by_sector:
            text += " (" + ", ".join(f"{c}: {_num(n)}" for c, n in self.by_sector) + ")"
        return text


@dataclass(frozen=True)
class Comparison:
    """One metric compared: ``op`` is one of :data:`OPERATORS`.

    Numeric operators carry a ``threshold``; ``is`` carries ``expected`` (a boolean);
    ``present`` and ``absent`` carry neither and are always known.
    """

    metric: str
    op: str
    threshold: Threshold | None = None
    expected: bool | None = None


@dataclass(frozen=True)
class SectorTest:
    """True when the business's sector is one of ``sectors`` (or, ``negated``, none of them).

    A business of unknown sector (``""``) is in no sector.
    """

    sectors: frozenset[str]
    negated: bool = False


@dataclass(frozen=True)
class AllOf:
    """True when every part is true; false as soon as one part is false."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True as soon as one part is true; false when every part is false."""

    parts: tuple[Condition, ...]


Condition = Comparison | SectorTest | AllOf | AnyOf


def evaluate(condition: Condition, facts: Mapping[str, Value], sector: str) -> bool | None:
    """``True``, ``False``, or ``None`` when unobserved metrics leave it open (Kleene logic)."""
    if isinstance(condition, Comparison):
        return _compare(condition, facts, sector)
    if isinstance(condition, SectorTest):
        return (sector in condition.sectors) != condition.negated
    values = [evaluate(part, facts, sector) for part in condition.parts]
    decisive = isinstance(condition, AnyOf)  # the value that settles the whole
    if decisive in values:
        return decisive
    if None in values:
        return None
    return not decisive


def unknown_metrics(condition: Condition, facts: Mapping[str, Value], sector: str) -> list[str]:
    """The unobserved metrics that leave ``condition`` open, in order (empty once settled)."""
    return settle(condition, facts, sector)[1]


def settle(
    condition: Condition, facts: Mapping[str, Value], sector: str
) -> tuple[bool | None, list[str]]:
    """What :func:`evaluate` gives, with what :func:`unknown_metrics` gives, in one pass over
    the tree: the value, and the unobserved metrics that leave it open (empty once settled)."""
    if isinstance(condition, Comparison):
        value = _compare(condition, facts, sector)
        return value, ([condition.metric] if value is None else [])
    if isinstance(condition, SectorTest):
        return (sector in condition.sectors) != condition.negated, []
    decisive = isinstance(condition, AnyOf)  # the value that settles the whole
    found: list[str] = []
    open_ = False
    for part in condition.parts:
        value, unknown = settle(part, facts, sector)
        if value is decisive:
            return decisive, []
        if value is None:
            open_ = True
            found += [metric for metric in unknown if metric not in found]
    return (None, found) if open_ else (not decisive, [])


def iter_comparisons(condition: Condition) -> Iterator[Comparison]:
    """Every comparison of the tree, depth first."""
    if isinstance(condition, Comparison):
        yield condition
    elif isinstance(condition, AllOf | AnyOf):
        for part in condition.parts:
            yield from iter_comparisons(part)


def metrics_of(condition: Condition) -> list[str]:
    """The metrics a condition reads, in order of first appearance."""
    return list(dict.fromkeys(c.metric for c in iter_comparisons(condition)))


def implied_sectors(condition: Condition) -> frozenset[str] | None:
    """The sectors outside which ``condition`` can never be true; ``None`` if any sector."""
    if isinstance(condition, SectorTest):
        return None if condition.negated else condition.sectors
    if isinstance(condition, AllOf):
        found = [s for s in map(implied_sectors, condition.parts) if s is not None]
        return frozenset.intersection(*found) if found else None
    if isinstance(condition, AnyOf):
        each = [implied_sectors(part) for part in condition.parts]
        if any(s is None for s in each):
            return None
        return frozenset().union(*each)  # type: ignore[arg-type]
    return None


def describe(condition: Condition) -> str:
    """The condition in one line, as a consultant reads it.

    >>> describe(AnyOf((Comparison("greeting_rate", "below", Threshold(0.8)),
    ...                 Comparison("has_problem_resolution_process", "is", expected=False))))
    'any of (greeting_rate < 0.8; has_problem_resolution_process is false)'
    """
    if isinstance(condition, Comparison):
        if condition.op in NUMERIC_OPERATORS:
            return f"{condition.metric} {NUMERIC_OPERATORS[condition.op]} {condition.threshold}"
        if condition.op == "is":
            return f"{condition.metric} is {str(condition.expected).lower()}"
        return f"{condition.metric} is {'observed' if condition.op == 'present' else 'missing'}"
    if isinstance(condition, SectorTest):
        sectors = ", ".join(sorted(condition.sectors))
        return f"sector {'not ' if condition.negated else ''}in ({sectors})"
    name = "all of" if isinstance(condition, AllOf) else "any of"
    return f"{name} (" + "; ".join(describe(part) for part in condition.parts) + ")"


def _compare(comparison: Comparison, facts: Mapping[str, Value], sector: str) -> bool | None:
    if comparison.op == "present":
        return comparison.metric in facts
    if comparison.op == "absent":
        return comparison.metric not in facts
    if comparison.metric not in facts:
        return None
    value = facts[comparison.metric]
    if comparison.op == "is":
        return bool(value) == comparison.expected
    if comparison.threshold is None:
        raise ValueError(f"comparison {comparison.op!r} of {comparison.metric} has no threshold")
    left = quantize(float(value))
    right = quantize(comparison.threshold.for_sector(sector))
    return {
        "above": left > right,
        "below": left < right,
        "at_least": left >= right,
        "at_most": left <= right,
        "equals": left == right,
    }[comparison.op]


def _num(value: float) -> str:
    return f"{value:g}"
