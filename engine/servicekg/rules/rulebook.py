"""Rules as plain data: a rule, its examples, a firing, and the rule book that holds them.

The rule book judges a rule in Python (:meth:`RuleBook.judge`, :meth:`RuleBook.unknowns`) and
runs all rules over one business through its compiled engine (:meth:`RuleBook.evaluate`,
durable-rules behind :mod:`servicekg.rules.adapter`). Both read the same conditions
(:mod:`servicekg.rules.conditions`) and agree by construction; a test holds them to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from servicekg.errors import UnknownTermError
from servicekg.namespace import LANGUAGES
from servicekg.rules.conditions import (
    Condition,
    Value,
    evaluate,
    implied_sectors,
    metrics_of,
    settle,
    unknown_metrics,
)

__all__ = [
    "BASIS_KINDS",
    "SEVERITIES",
    "Basis",
    "Caveat",
    "Example",
    "Firing",
    "Rule",
    "RuleBook",
    "RuleEngine",
]

"""Every title and recommendation is written in these languages."""

SEVERITIES: dict[str, int] = {"low": 1, "medium": 2, "high": 3, "critical": 4}
"""The severities a rule may have, and their rank (4 is the most severe)."""


BASIS_KINDS = ("stated", "implied", "judgement")
"""What a rule's advice or threshold rests on: the article states it, implies it, or it is the
project's own judgement (``skg:StatedByArticle``, ``skg:ImpliedByArticle``,
``skg:OwnJudgement``)."""


@dataclass(frozen=True)
class Basis:
    """The basis of a rule: of its advice, of its threshold (``None`` when the rule compares
    no number) and the note (language -> text) that gives the reading or the rationale."""

    advice: str
    threshold: str | None = None
    note: Mapping[str, str] = field(default_factory=dict)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds used, advice first."""
        return (self.advice,) if self.threshold is None else (self.advice, self.threshold)


@dataclass(frozen=True)
class Caveat:
    """A qualification an article puts on the advice: its passage (IRI) and text per language."""

    passage: str
    text: Mapping[str, str]


@dataclass(frozen=True)
class Example:
    """A business a rule file says the rule fires for (``fires``) or must stay silent on."""

    facts: Mapping[str, Value]
    sector: str
    fires: bool
    line: int | None = None


@dataclass(frozen=True)
class Rule:
    """One rule of a rule file, checked: concepts, passages and metrics are known.

    ``addresses``, ``principles`` and ``sources`` are IRIs (a concept, concepts, passages).
    The rule fires when ``when`` is true and ``unless`` is not known to be true.
    """

    id: str
    title: Mapping[str, str]
    recommendation: Mapping[str, str]
    severity: str
    addresses: str
    principles: tuple[str, ...]
    sources: tuple[str, ...]
    when: Condition
    unless: Condition | None = None
    rationale: str = ""
    examples: tuple[Example, ...] = ()
    basis: Basis | None = None
    caveats: tuple[Caveat, ...] = ()
    file: Path = field(default=Path("<rules>"), compare=False)
    line: int | None = field(default=None, compare=False)

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def severity_rank(self) -> int:
        """1 (low) to 4 (critical)."""
        return SEVERITIES[self.severity]

    @property
    def metrics(self) -> list[str]:
        """Every metric the rule reads, in ``when`` then ``unless``, in order."""
        exceptions = metrics_of(self.unless) if self.unless is not None else []
        return list(dict.fromkeys([*metrics_of(self.when), *exceptions]))

    @property
    def exception_metrics(self) -> list[str]:
        """The metrics ``unless`` reads."""
        return metrics_of(self.unless) if self.unless is not None else []

    @property
    def sectors(self) -> frozenset[str] | None:
        """The only sectors the rule can fire in, or ``None`` when it can fire in any."""
        return implied_sectors(self.when)

    def text(self, name: str, lang: str = "en") -> str:
        """``title`` or ``recommendation`` in ``lang``."""
        if name not in ("title", "recommendation"):
            raise UnknownTermError("rule text", name, ["title", "recommendation"])
        texts: Mapping[str, str] = getattr(self, name)
        if lang not in texts:
            raise UnknownTermError("language", lang, list(LANGUAGES))
        return texts[lang]

    def judge(self, facts: Mapping[str, Value], sector: str = "") -> bool | None:
        """``True`` if the rule fires, ``False`` if it does not, ``None`` if it cannot tell.

        An exception (``unless``) whose metrics were not observed does not hold.
        """
        if self.unless is not None and evaluate(self.unless, facts, sector) is True:
            return False
        return evaluate(self.when, facts, sector)

    def verdict(
        self, facts: Mapping[str, Value], sector: str = ""
    ) -> tuple[bool | None, list[str]]:
        """:meth:`judge` and :meth:`unknowns` in one pass: whether the rule fires (``None``:
        cannot tell) and the unobserved metrics that keep it from being judged."""
        if self.unless is not None and evaluate(self.unless, facts, sector) is True:
            return False, []
        return settle(self.when, facts, sector)

    def unknowns(self, facts: Mapping[str, Value], sector: str = "") -> list[str]:
        """The unobserved metrics that keep the rule from being judged (empty once judged)."""
        if self.judge(facts, sector) is not None:
            return []
        return unknown_metrics(self.when, facts, sector)

    def evidence(self, facts: Mapping[str, Value]) -> dict[str, Value]:
        """The observed values of the metrics the rule reads."""
        return {metric: facts[metric] for metric in self.metrics if metric in facts}


@dataclass(frozen=True)
class Firing:
    """A rule that fired for a business, with the observed values it read (the evidence)."""

    rule: Rule
    evidence: Mapping[str, Value]
    sector: str = ""

    def __hash__(self) -> int:
        return hash((self.rule.id, self.sector, tuple(sorted(self.evidence.items()))))

    @property
    def rule_id(self) -> str:
        """The id of the rule that fired."""
        return self.rule.id


class RuleEngine(Protocol):
    """Runs every rule of a rule book over one business (the durable-rules adapter)."""

    def evaluate(
        self, facts: Mapping[str, Value], sector: str = "", business: str = ""
    ) -> list[Firing]: ...


class RuleBook:
    """The checked rules of the rule files, in file order, compiled to an engine at load time.

    Build one with :func:`servicekg.rules.load_rules`. ``sectors`` maps each sector code the
    knowledge graph knows to its IRI.
    """

    def __init__(
        self,
        rules: Sequence[Rule],
        sectors: Mapping[str, str],
        engine_factory: Callable[[RuleBook], RuleEngine] | None = None,
    ) -> None:
        self._rules = tuple(rules)
        self._by_id = {rule.id: rule for rule in self._rules}
        self.sectors = dict(sectors)
        self._engine = engine_factory(self) if engine_factory is not None else None

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in the order of the files and of the rules in each file."""
        return self._rules

    @property
    def engine(self) -> RuleEngine | None:
        """The compiled engine (:class:`~servicekg.rules.adapter.DurableEngine`), if any."""
        return self._engine

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def get(self, rule_id: str) -> Rule:
        """The rule called ``rule_id``; raises :class:`UnknownTermError` naming close ones."""
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise UnknownTermError("rule", rule_id, sorted(self._by_id)) from None

    def metrics_needed(self, rule: Rule | str) -> list[str]:
        """The metrics ``rule`` (or the rule with that id) reads, in order."""
        return self._rule(rule).metrics

    def judge(self, rule: Rule | str, facts: Mapping[str, Value], sector: str = "") -> bool | None:
        """Whether ``rule`` fires for these facts, judged in Python (``None``: cannot tell)."""
        return self._rule(rule).judge(facts, sector)

    def unknowns(self, rule: Rule | str, facts: Mapping[str, Value], sector: str = "") -> list[str]:
        """The metric ids whose absence keeps ``rule`` from being judged for these facts.

        Empty when the rule fires or is known not to; an unobserved metric is unknown, never
        assumed good or bad.
        """
        return self._rule(rule).unknowns(facts, sector)

    def evaluate(
        self, facts: Mapping[str, Value], sector: str = "", business: str = ""
    ) -> list[Firing]:
        """Every rule that fires for one business, in rule-book order, with its evidence.

        ``facts`` maps metric ids to observed values (numbers in the metric's unit, booleans);
        ``sector`` is a sector code or ``""``; ``business`` names the business in errors.
        Raises :class:`~servicekg.errors.RuleEngineError` if the engine fails for it.
        """
        if self._engine is None:
            raise TypeError("this rule book was built without an engine; use load_rules()")
        return self._engine.evaluate(facts, sector, business)

    def _rule(self, rule: Rule | str) -> Rule:
        return self.get(rule) if isinstance(rule, str) else rule
