"""The one module of servicekg that imports durable-rules: the rule book compiled to one
ruleset, and each business evaluated in a session of its own.

What durable-rules 2.0.28 does, measured here, and how this module lives with it:

* A business is ONE fact, ``{"sid": session, "sector": code or "", "<metric>": value, ...}``,
  and every rule is ONE condition on it, joined with ``&`` and ``|`` (``when_all(a, b)`` would
  join two different facts).
* It is asserted (``assert_fact``), not posted: an event (``post``) is consumed by the first
  rule it matches, so of several matching rules only one fires; a fact fires them all.
* A rule fires once for each ``|`` branch that holds: firings are collected as a set.
* A fact that no rule matches raises ``MessageNotHandledException``, and deleting the session
  of such a fact afterwards crashed the process in most fresh runs (segmentation fault or
  ``double free``: the C core frees the state's action context, which only an action ever
  initialises). So every ruleset has one more rule, :data:`SEEN`, that matches every business
  and does nothing: each fact is handled, each session has run an action before it is deleted.
  Measured: 8 of 12 fresh processes crashed without it, 0 of 12 with it.
* The session's state is re-asserted after every action, and a condition such as ``-m.x``
  (x absent) matches the state itself: the rule fires for ever (a probe hung; upstream
  jruizgit/rules#302). Every condition is guarded with ``+m.sector``, which the state never
  has; with the guard, ``+m.x`` and ``-m.x`` are safe.
* Its JSON reader refuses an exponent without a decimal point (``1e-05``, ``1e+16``: what
  ``json.dumps`` writes for such floats; a threshold like that fails the whole ruleset), fails
  on ``inf`` and very large numbers (C errors 202 and 204), lets NaN match nothing, and
  compares a string as greater than any number. So numbers go to it as whole millionths of
  their unit (:func:`~servicekg.rules.conditions.quantize`), booleans as booleans, nothing else.
* An exception raised inside an action is swallowed and written to the state's ``exception``
  field: it is read back and raised here.
* Its ``Host`` starts two timer threads that dispatch actions in the background every 0.2 s.
  Everything here is synchronous, so this module's host does not start them: no action runs on
  another thread while a business is evaluated.
* A ruleset name can be registered once per process: each compiled rule book gets its own.
* Errors of its C core are ``durable_rules_engine.error`` with their text in ``str()``; its
  Python exceptions carry theirs in ``.message``. All become
  :class:`~servicekg.errors.RuleEngineError`, naming the business; the session is deleted in a
  ``finally`` either way (undeleted sessions pile up until the process dies), so one business's
  failure leaves the next one unaffected.
"""

from __future__ import annotations

import itertools
import math
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from functools import reduce
from operator import and_, or_
from time import perf_counter
from typing import Any

from durable import engine as durable_engine
from durable import lang as durable_lang

from servicekg.errors import RuleEngineError, UnknownTermError
from servicekg.rules.conditions import (
    AllOf,
    Comparison,
    Condition,
    SectorTest,
    Threshold,
    Value,
    iter_comparisons,
    quantize,
)
from servicekg.rules.rulebook import Firing, Rule, RuleBook

__all__ = ["SEEN", "DurableEngine", "compile_condition", "compile_rulebook", "raw_rate_benchmark"]

Business = tuple[Mapping[str, Value], str]
"""One business as the engine sees it: metric id -> value, and its sector code (or ``""``)."""

SEEN = "_business_seen"
"""The rule every business fact matches (no rule id can be written so: ids are kebab-case)."""

_NEGATED = {
    "above": "at_most",
    "at_most": "above",
    "below": "at_least",
    "at_least": "below",
    "equals": "differs",
}


class _SynchronousHost(durable_engine.Host):
    """durable's host without its background dispatch threads (see the module's notes)."""

    def _run(self) -> None:
        return None


_lock = threading.RLock()
_host: _SynchronousHost | None = None
_names = itertools.count(1)
_sessions = itertools.count(1)


def _the_host() -> _SynchronousHost:
    global _host  # one durable host per process
    with _lock:
        if _host is None:
            _host = _SynchronousHost()
        return _host


def compile_rulebook(rulebook: RuleBook) -> DurableEngine:
    """Compile ``rulebook`` to one durable-rules ruleset (what :func:`load_rules` calls)."""
    return DurableEngine(rulebook.rules, set(rulebook.sectors))


class DurableEngine:
    """The rules of a rule book as one durable-rules ruleset, evaluating one business at a time.

    Thread-safe: evaluations are serialised (durable's host is shared by the process).
    """

    def __init__(self, rules: Sequence[Rule], sectors: set[str]) -> None:
        self.rules = tuple(rules)
        self.name = f"servicekg-rules-{next(_names)}-{uuid.uuid4().hex[:8]}"
        self._sectors = sectors
        self._kinds = _metric_kinds(self.rules)
        self._reads = {rule.id: tuple(rule.metrics) for rule in self.rules}
        self._fired: set[str] | None = None
        self._definition = {
            rule.id: {"all": [{"m": compile_condition(rule).define()}]} for rule in self.rules
        }
        if self.rules:
            actions = {
                rule.id: {**self._definition[rule.id], "run": self._action(rule.id)}
                for rule in self.rules
            }
            actions[SEEN] = _seen_rule()
            try:
                _the_host().register_rulesets({self.name: actions})
            except Exception as error:  # durable raises bare exceptions
                raise RuleEngineError(
                    None, f"durable-rules refused the rules: {_text(error)}"
                ) from None

    def compiled(self, rule_id: str) -> dict[str, Any]:
        """The durable-rules definition of one rule, as JSON-ready data (for display and tests)."""
        try:
            return self._definition[rule_id]
        except KeyError:
            raise UnknownTermError("rule", rule_id, sorted(self._definition)) from None

    def evaluate(
        self, facts: Mapping[str, Value], sector: str = "", business: str = ""
    ) -> list[Firing]:
        """Every rule that fires for one business, in rule-book order, with its evidence.

        Raises :class:`RuleEngineError` naming ``business`` if a value cannot be compared or
        durable-rules fails; the business's session is released either way.
        """
        name = business or "<unnamed business>"
        message = self._message(facts, sector, name)
        if not self.rules:
            return []
        sid = f"s{next(_sessions)}"
        message["sid"] = sid
        fired: set[str] = set()
        host = _the_host()
        with _lock:
            self._fired = fired
            try:
                state, failure = self._assert(host, message)
            finally:
                self._fired = None
                release = self._release(host, sid)
        if failure is not None:
            raise RuleEngineError(name, f"durable-rules failed: {failure}")
        if isinstance(state, dict) and state.get("exception"):
            raise RuleEngineError(name, f"a rule action failed: {state['exception']}")
        if release is not None:
            raise RuleEngineError(name, f"could not release its session: {release}")
        return [
            Firing(rule, {m: facts[m] for m in self._reads[rule.id] if m in facts}, sector)
            for rule in self.rules
            if rule.id in fired
        ]

    def bare_rate(self, businesses: Sequence[Business]) -> float:
        """Businesses per second that durable-rules itself manages for these businesses on a
        bare copy of this ruleset: the benchmark's peer.

        The copy has the same rules with the same compiled conditions (and the :data:`SEEN`
        rule), each with an action that does nothing; every business is encoded as
        :meth:`evaluate` encodes it (before the clock starts), asserted in a session of its
        own, and the session deleted. What is left out is exactly our own work: collecting
        firings, checking for errors, and everything after the engine.
        """
        messages = []
        for number, (facts, sector) in enumerate(businesses):
            message = self._message(facts, sector, f"business {number}")
            message["sid"] = f"bare{number}"
            messages.append(message)
        definition = {rule_id: {**d, "run": _nothing} for rule_id, d in self._definition.items()}
        definition[SEEN] = _seen_rule()
        return _time_bare(definition, messages)

    def _assert(
        self, host: _SynchronousHost, message: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, str | None]:
        try:
            return host.assert_fact(self.name, message), None
        except durable_engine.MessageNotHandledException:
            return None, None  # no rule matched
        except Exception as error:  # durable raises bare exceptions; each becomes ours
            return None, _text(error)

    def _release(self, host: _SynchronousHost, sid: str) -> str | None:
        try:
            host.delete_state(self.name, sid)
        except Exception as error:  # a session never created cannot be deleted (error 309)
            return _text(error)
        return None

    def _action(self, rule_id: str) -> Callable[[object], None]:
        def run(_context: object) -> None:
            if self._fired is not None:
                self._fired.add(rule_id)

        return run

    def _message(self, facts: Mapping[str, Value], sector: str, business: str) -> dict[str, Any]:
        if not isinstance(sector, str) or (sector and sector not in self._sectors):
            unknown = UnknownTermError("sector code", str(sector), sorted(self._sectors))
            raise RuleEngineError(business, str(unknown))
        message: dict[str, Any] = {"sector": sector}
        for metric, kind in self._kinds.items():
            if metric not in facts:
                continue
            value = facts[metric]
            if isinstance(value, bool) and kind != "number":
                message[metric] = value
            elif (
                isinstance(value, int | float) and not isinstance(value, bool) and kind != "boolean"
            ):
                if not math.isfinite(value):
                    raise RuleEngineError(business, f"metric {metric}: {value!r} is not a number")
                message[metric] = quantize(value)
            else:
                expected = "true or false" if kind == "boolean" else "a number"
                raise RuleEngineError(
                    business, f"metric {metric}: expected {expected}, got {value!r}"
                )
        return message


def compile_condition(rule: Rule) -> Any:
    """The durable-rules condition of ``rule``: guard, ``when``, and not ``unless``."""
    expression = +_field("sector") & _holds(rule.when)
    if rule.unless is not None:
        expression = expression & _fails(rule.unless)
    return expression


def _field(name: str) -> Any:
    return durable_lang.value("$m", name)


def _holds(condition: Condition) -> Any:
    """True exactly where :func:`~servicekg.rules.conditions.evaluate` gives ``True``."""
    if isinstance(condition, Comparison):
        metric = _field(condition.metric)
        if condition.op == "present":
            return +metric
        if condition.op == "absent":
            return -metric
        if condition.op == "is":
            return metric == condition.expected
        return _numeric(condition.metric, condition.op, condition.threshold)
    if isinstance(condition, SectorTest):
        return _sector_test(condition.sectors, condition.negated)
    joined = and_ if isinstance(condition, AllOf) else or_
    return reduce(joined, (_holds(part) for part in condition.parts))


def _fails(condition: Condition) -> Any:
    """True exactly where the condition is not known to be true (false, or unobserved)."""
    if isinstance(condition, Comparison):
        metric = _field(condition.metric)
        if condition.op == "present":
            return -metric
        if condition.op == "absent":
            return +metric
        if condition.op == "is":
            return (metric == (not condition.expected)) | -metric
        return _numeric(condition.metric, _NEGATED[condition.op], condition.threshold) | -metric
    if isinstance(condition, SectorTest):
        return _sector_test(condition.sectors, not condition.negated)
    joined = or_ if isinstance(condition, AllOf) else and_  # De Morgan
    return reduce(joined, (_fails(part) for part in condition.parts))


def _sector_test(sectors: frozenset[str], negated: bool) -> Any:
    sector = _field("sector")
    if negated:
        return reduce(and_, (sector != code for code in sorted(sectors)))
    return reduce(or_, (sector == code for code in sorted(sectors)))


def _numeric(metric: str, op: str, threshold: Threshold | None) -> Any:
    """``metric op threshold``, the threshold chosen by sector:
    ``(sector == a) & (m > ta) | ... | (sector != a) & ... & (m > default)``."""
    if threshold is None:
        raise ValueError(f"comparison {op!r} of {metric} has no threshold")
    default = quantize(threshold.default)
    specific = [(c, quantize(n)) for c, n in threshold.by_sector if quantize(n) != default]
    otherwise = _compare(metric, op, default)
    if not specific:
        return otherwise
    sector = _field("sector")
    branches = [(sector == code) & _compare(metric, op, number) for code, number in specific]
    others = reduce(and_, (sector != code for code, _ in specific))
    return reduce(or_, [*branches, others & otherwise])


def _compare(metric: str, op: str, number: int) -> Any:
    field = _field(metric)
    if op == "above":
        return field > number
    if op == "below":
        return field < number
    if op == "at_least":
        return field >= number
    if op == "at_most":
        return field <= number
    if op == "equals":
        return field == number
    return field != number  # "differs", only ever negated from "equals"


def _metric_kinds(rules: Sequence[Rule]) -> dict[str, str]:
    """Each metric the rules read: ``"boolean"``, ``"number"`` or ``"any"`` (only tested for
    presence)."""
    kinds: dict[str, str] = {}
    for rule in rules:
        conditions = [rule.when] + ([rule.unless] if rule.unless is not None else [])
        for condition in conditions:
            for comparison in iter_comparisons(condition):
                kind = {"is": "boolean", "present": "any", "absent": "any"}.get(
                    comparison.op, "number"
                )
                if kinds.get(comparison.metric, "any") == "any":
                    kinds[comparison.metric] = kind
    return kinds


def _text(error: BaseException) -> str:
    return str(getattr(error, "message", None) or error)


def raw_rate_benchmark(n_businesses: int, facts_per_business: int = 20, n_rules: int = 1) -> float:
    """Businesses per second that durable-rules itself manages, for comparison with ours.

    Each business is one fact of ``facts_per_business`` whole numbers, asserted into a bare
    ruleset of ``n_rules`` one-comparison rules whose action does nothing (guarded like ours,
    with the :data:`SEEN` rule), and its session deleted: durable's own cost, without our
    encoding and bookkeeping.
    """
    fields = [f"f{j}" for j in range(max(facts_per_business, 1))]
    definition = {
        f"r{k}": {
            "all": [{"m": (+_field("sector") & (_field(fields[k % len(fields)]) > 500)).define()}],
            "run": _nothing,
        }
        for k in range(n_rules)
    }
    definition[SEEN] = _seen_rule()
    messages = [
        {
            "sid": f"raw{i}",
            "sector": "",
            **{f: (i * 7 + j * 13) % 1000 for j, f in enumerate(fields)},
        }
        for i in range(n_businesses)
    ]
    return _time_bare(definition, messages)


def _time_bare(definition: dict[str, Any], messages: Sequence[dict[str, Any]]) -> float:
    """Register ``definition`` as a new ruleset, assert each message in its own session and
    delete it; messages per second."""
    host = _the_host()
    name = f"servicekg-bare-{next(_names)}-{uuid.uuid4().hex[:8]}"
    with _lock:
        host.register_rulesets({name: definition})
        start = perf_counter()
        for message in messages:
            try:
                host.assert_fact(name, message)
            except durable_engine.MessageNotHandledException:
                pass
            finally:
                host.delete_state(name, message["sid"])
        elapsed = perf_counter() - start
    return len(messages) / elapsed if elapsed > 0 else math.inf


def _seen_rule() -> dict[str, Any]:
    return {"all": [{"m": (+_field("sector")).define()}], "run": _nothing}


def _nothing(_context: object) -> None:
    return None
