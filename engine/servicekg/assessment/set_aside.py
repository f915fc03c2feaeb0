"""Rules set aside: the problem was observed, but the articles say the rule does not hold here.

Two things set a rule aside, and the assessment says which, why and on which passages:

* an exception (``unless``) that reads a metric of a :data:`EXCEPTION` concept, such as a
  restaurant whose rude service is the product: the rule's condition holds, the exception too;
* the kind of business: a rule about a need of some kinds of business only (a
  :data:`SECTOR_NEED`, such as fun at a theme park) whose condition would hold in those sectors
  but not in this business's, such as fun at an accountant's.

An exception written on the sector alone (a rule that leaves fast food to its own rule) names
no exception concept and sets nothing aside that the report should mention.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from servicekg.assessment.graph_facts import AssessmentContext
from servicekg.assessment.results import Evidence, SetAside
from servicekg.namespace import SKG
from servicekg.rules import Rule
from servicekg.rules.conditions import Value, evaluate, metrics_of

__all__ = ["EXCEPTION", "SECTOR_NEED", "set_aside"]

EXCEPTION = str(SKG.ServiceException)
"""The class of the concepts an exception metric measures (rude service as the product)."""

SECTOR_NEED = str(SKG.BusinessSpecificNeed)
"""The class of the needs that depend on the kind of business (fun, safety, accuracy, ...)."""

_PRINCIPLE = str(SKG.Principle)


def set_aside(
    context: AssessmentContext,
    rule: Rule,
    facts: Mapping[str, Value],
    sector: str,
    evidence: Callable[[str], Evidence | None],
) -> SetAside | None:
    """Why ``rule``, which did not fire, would have fired but for the articles, or ``None``.

    ``evidence`` gives the observation of a metric id (``None`` if it was not observed).
    """
    if rule.unless is not None and evaluate(rule.unless, facts, sector) is True:
        if evaluate(rule.when, facts, sector) is not True:
            return None
        exceptions = [
            concept
            for metric in metrics_of(rule.unless)
            if metric in facts
            for concept in context.catalogue[metric].concepts
            if context.kind(concept) == EXCEPTION
        ]
        if not exceptions:
            return None
        plan = context.plan(rule)
        return SetAside(
            rule=plan.term,
            title=plan.title,
            kind="exception",
            reason=context.term(exceptions[0]),
            evidence=_used(rule, evidence),
            passages=context.grounding(exceptions[0]) or plan.sources,
        )
    sectors = rule.sectors
    if not sector or sectors is None or sector in sectors:
        return None
    if context.kind(rule.addresses) != SECTOR_NEED:
        return None
    if not any(evaluate(rule.when, facts, code) is True for code in sorted(sectors)):
        return None
    plan = context.plan(rule)
    principle = next((p for p in rule.principles if context.kind(p) == _PRINCIPLE), None)
    own = context.book.sectors.get(sector, "")
    grounds = [*context.grounds.get(rule.addresses, ()), *context.grounds.get(own, ())]
    return SetAside(
        rule=plan.term,
        title=plan.title,
        kind="sector",
        reason=context.term(principle or rule.addresses),
        evidence=_used(rule, evidence),
        passages=context.quotes(grounds) or plan.sources,
        applies_to=tuple(
            context.term(context.book.sectors[code])
            for code in sorted(sectors)
            if code in context.book.sectors
        ),
    )


def _used(rule: Rule, evidence: Callable[[str], Evidence | None]) -> tuple[Evidence, ...]:
    return tuple(e for e in map(evidence, rule.metrics) if e is not None)
