"""What-if: re-assess one business with some values changed, and say what moves.

The assessing is the pipeline's (``what_if(kb, business, changes)``, which never writes); this
module reads the changes a person types (:func:`parse_changes`), compares the assessment before
and after (:func:`compare`), and answers the consultant's question "which single change would
move loyalty, retention and growth most?" (:func:`best_changes`).

A metric **observed as bad** is one a fired recommendation rests on. Its **target** is the
nearest value at which no rule reading it finds it bad, with the thresholds of the business's
sector (:func:`targets`): a time that must be at most 90 s gets 90 s; a rate that must be at
least 0.8 gets 0.8; a missing process gets ``true``. Each single change is ranked by how much
it lowers the business's score: the scores are each recommendation's expected effect on
loyalty, retention and growth through the causal graph, times severity and gap
(:mod:`servicekg.assessment.scoring`), so the drop is the expected effect of the change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from servicekg.assessment.results import BusinessAssessment, Recommendation
from servicekg.engagement.progress import business_score
from servicekg.errors import InputError, UnknownTermError
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.rules import Rule
from servicekg.rules.conditions import implied_sectors, iter_comparisons

__all__ = [
    "BestChange",
    "WhatIfResult",
    "bad_metrics",
    "best_changes",
    "compare",
    "parse_changes",
    "targets",
]

Value = float | bool
Assess = Callable[[Mapping[str, Value]], BusinessAssessment]
"""Re-assesses the business with the changes given (the pipeline's what-if)."""

_CHANGE = re.compile(r"^\s*([A-Za-z0-9_]+)\s*=\s*(.+?)\s*$")
_NUMBER_UNIT = re.compile(r"^([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?)\s*(\S*)$")
_TRUE = {"true", "yes", "1", "ja", "jā"}
_FALSE = {"false", "no", "0", "nee", "nē"}


@dataclass(frozen=True)
class WhatIfResult:
    """What moves when values change: recommendations that disappear, appear or stay (with
    their scores before and after), the business's score, and root causes named or dropped."""

    business: str
    changes: Mapping[str, Value]
    disappear: tuple[Recommendation, ...]
    appear: tuple[Recommendation, ...]
    stay: tuple[tuple[Recommendation, Recommendation], ...]
    score_before: float
    score_after: float
    new_causes: tuple[str, ...]
    gone_causes: tuple[str, ...]
    after: BusinessAssessment = field(repr=False, compare=False)

    @property
    def score_change(self) -> float:
        """The score after minus before (negative: the change helps)."""
        return round(self.score_after - self.score_before, 1)

    def as_dict(self) -> dict[str, Any]:
        """The result as plain JSON data."""
        return {
            "business": self.business,
            "changes": dict(self.changes),
            "score_before": self.score_before,
            "score_after": self.score_after,
            "score_change": self.score_change,
            "disappear": [_rec(r) for r in self.disappear],
            "appear": [_rec(r) for r in self.appear],
            "stay": [{**_rec(after), "score_before": before.score} for before, after in self.stay],
            "new_root_causes": list(self.new_causes),
            "gone_root_causes": list(self.gone_causes),
        }


@dataclass(frozen=True)
class BestChange:
    """One single change to a bad metric's target, and what it would move."""

    metric: str
    label: str
    value_before: Value
    target: Value
    effect: float
    """How much the business's score falls (the expected effect on loyalty, retention and
    growth through the causal graph, weighted by severity and gap)."""
    result: WhatIfResult
    path: tuple[str, ...]
    """The strongest causal path from what the change fixes to an outcome (labels)."""

    def as_dict(self) -> dict[str, Any]:
        """The change as plain JSON data."""
        return {
            "metric": self.metric,
            "label": self.label,
            "value_before": self.value_before,
            "target": self.target,
            "effect": self.effect,
            "path": list(self.path),
            "disappear": [_rule_id(r) for r in self.result.disappear],
            "score_after": self.result.score_after,
        }


def parse_changes(written: Iterable[str], catalogue: MetricCatalogue) -> dict[str, Value]:
    """``metric=value`` texts as metric -> value in the metric's own unit.

    A value may carry a unit the metric converts from (``greeting_rate=85%``,
    ``queue_wait_seconds=3min``); yes/no metrics take true/false, yes/no, 1/0, ja/nee, jā/nē.
    :class:`~servicekg.errors.InputError` names the change at fault and what is accepted.

    >>> from servicekg.knowledge_base import KnowledgeBase
    >>> catalogue = MetricCatalogue.from_kb(KnowledgeBase.with_ontology())
    >>> parse_changes(["greeting_rate=85%", "service_time_seconds=1.5min"], catalogue)
    {'greeting_rate': 0.85, 'service_time_seconds': 90.0}
    """
    changes: dict[str, Value] = {}
    for text in written:
        match = _CHANGE.match(text)
        if not match:
            raise InputError(f"{text!r}: write a change as metric=value (greeting_rate=0.9)")
        metric, raw = match.groups()
        if metric not in catalogue:
            raise UnknownTermError("metric", metric, catalogue.ids)
        spec = catalogue[metric]
        if spec.is_boolean:
            word = raw.strip().lower()
            if word not in _TRUE | _FALSE:
                raise InputError(f"{text!r}: {metric} is yes/no; write true or false")
            changes[metric] = word in _TRUE
            continue
        found = _NUMBER_UNIT.match(raw.strip())
        if not found:
            raise InputError(f"{text!r}: {raw!r} is not a number (with an optional unit)")
        number, unit = float(found.group(1).replace(",", ".")), found.group(2) or None
        try:
            value = catalogue.convert(spec, number, unit)
        except (KeyError, ValueError) as error:
            units = ", ".join(catalogue.units_for(spec))
            raise InputError(f"{text!r}: {error}; {metric} is written in {units}") from None
        low, high = spec.minimum, spec.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            raise InputError(f"{text!r}: {metric} must be {spec.accepted_range()}")
        changes[metric] = value
    return changes


def bad_metrics(assessment: BusinessAssessment) -> list[str]:
    """The metrics the business's recommendations rest on (observed as bad), first the ones
    of the highest-ranked recommendations."""
    return list(dict.fromkeys(e.metric for r in assessment.recommendations for e in r.evidence))


def targets(metrics: Iterable[str], rules: Iterable[Rule], sector: str) -> dict[str, Value]:
    """Each metric's target for a business of ``sector``: the nearest value at which no
    comparison of any rule on that metric finds it bad (see the module). A metric no rule
    compares to a threshold has no target."""
    wanted = set(metrics)
    highs: dict[str, float] = {}  # bad above: the target is at most the lowest of these
    lows: dict[str, float] = {}  # bad below: the target is at least the highest
    flags: dict[str, bool] = {}
    for rule in rules:
        scope = implied_sectors(rule.when)
        if scope is not None and sector not in scope:
            continue  # a rule of other sectors (the McDonald's 90 s are fast food's) sets none
        for comparison in iter_comparisons(rule.when):
            metric = comparison.metric
            if metric not in wanted:
                continue
            if comparison.op == "is" and comparison.expected is not None:
                flags[metric] = not comparison.expected
            elif comparison.threshold is not None:
                limit = comparison.threshold.for_sector(sector)
                if comparison.op in ("above", "at_least"):
                    step = 0.0 if comparison.op == "above" else _STEP
                    highs[metric] = min(highs.get(metric, limit - step), limit - step)
                elif comparison.op in ("below", "at_most"):
                    step = 0.0 if comparison.op == "below" else _STEP
                    lows[metric] = max(lows.get(metric, limit + step), limit + step)
    found: dict[str, Value] = {}
    for metric in wanted:
        if metric in flags:
            found[metric] = flags[metric]
        elif metric in highs:
            found[metric] = highs[metric]
        elif metric in lows:
            found[metric] = lows[metric]
    return found


_STEP = 1e-6
"""How far past an inclusive threshold a target lies (the rules compare to a millionth)."""


def compare(
    before: BusinessAssessment, after: BusinessAssessment, changes: Mapping[str, Value]
) -> WhatIfResult:
    """What moved between the assessment as stored and the one with ``changes``."""
    old = {_rule_id(r): r for r in before.recommendations}
    new = {_rule_id(r): r for r in after.recommendations}
    old_causes = {c.concept.label for c in before.root_causes}
    new_causes = {c.concept.label for c in after.root_causes}
    return WhatIfResult(
        business=before.business,
        changes=dict(changes),
        disappear=tuple(r for k, r in old.items() if k not in new),
        appear=tuple(r for k, r in new.items() if k not in old),
        stay=tuple((old[k], r) for k, r in new.items() if k in old),
        score_before=business_score(before),
        score_after=business_score(after),
        new_causes=tuple(sorted(new_causes - old_causes)),
        gone_causes=tuple(sorted(old_causes - new_causes)),
        after=after,
    )


def best_changes(
    before: BusinessAssessment,
    facts: Mapping[str, Value],
    rules: Sequence[Rule],
    sector: str,
    assess: Assess,
    labels: Mapping[str, str] | None = None,
    top: int | None = None,
) -> list[BestChange]:
    """Each single change of a bad metric to its target, re-assessed with ``assess``, ranked
    by how much it lowers the score (the expected effect on loyalty, retention and growth);
    ties by metric id. ``top`` keeps the first few."""
    found = []
    for metric, target in targets(bad_metrics(before), rules, sector).items():
        if metric not in facts or facts[metric] == target:
            continue
        result = compare(before, assess({metric: target}), {metric: target})
        effect = round(result.score_before - result.score_after, 1)
        found.append(
            BestChange(
                metric=metric,
                label=(labels or {}).get(metric, metric),
                value_before=facts[metric],
                target=target,
                effect=effect,
                result=result,
                path=_strongest_path(result.disappear or tuple(o for o, _ in result.stay)),
            )
        )
    found.sort(key=lambda c: (-c.effect, c.metric))
    return found[:top] if top else found


def _strongest_path(recs: Sequence[Recommendation]) -> tuple[str, ...]:
    chains = [c for r in recs for c in r.reason.chains]
    if not chains:
        return ()
    best = max(chains, key=lambda c: c.strength)
    return tuple(t.label for t in best.path)


def _rule_id(rec: Recommendation) -> str:
    return rec.rule.iri.rsplit("/", 1)[-1]


def _rec(rec: Recommendation) -> dict[str, Any]:
    return {"rule": _rule_id(rec), "title": rec.title, "score": rec.score}
