"""Checking rule files: every field of every rule, every problem at once.

:class:`RuleChecker` turns the located YAML of rule files into :class:`Rule` objects and logs a
:class:`~servicekg.errors.Problem` for everything wrong, naming the file, line, rule id and
field, and what would be accepted. A rule with any problem is left out. Conditions and
thresholds are read by :class:`~servicekg.rules.condition_reader.ConditionReader`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from servicekg.errors import Problem, UnknownTermError
from servicekg.graph.catalogue import MetricSpec
from servicekg.namespace import LANGUAGES
from servicekg.rules.condition_reader import ConditionReader
from servicekg.rules.conditions import (
    Condition,
    Threshold,
    Value,
    implied_sectors,
    iter_comparisons,
)
from servicekg.rules.problem_log import ProblemLog, is_number
from servicekg.rules.rulebook import BASIS_KINDS, SEVERITIES, Basis, Caveat, Example, Rule
from servicekg.rules.vocabulary import Vocabulary
from servicekg.rules.yaml_source import line_of

__all__ = ["FILE_FIELDS", "REQUIRED_FIELDS", "RULE_FIELDS", "RuleChecker"]

RULE_FIELDS = (
    "id",
    "title",
    "recommendation",
    "severity",
    "addresses",
    "principles",
    "sources",
    "when",
    "unless",
    "rationale",
    "basis",
    "caveats",
    "examples",
)
"""Every field a rule may have, in the order the README explains them."""

REQUIRED_FIELDS = tuple(f for f in RULE_FIELDS if f not in ("unless", "rationale", "caveats"))
BASIS_FIELDS = ("advice", "threshold", "note")
CAVEAT_FIELDS = ("passage", "text")
"""Fields every rule must have (``rationale`` too, where the rule sets a number of its own)."""

FILE_FIELDS = ("rules", "description")
"""Top-level keys of a rule file."""

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class RuleChecker:
    """Checks rule files against the knowledge graph's ``vocabulary``; ``problems`` collects
    what is wrong across every file given to :meth:`rules_of` (and every override read)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.log = ProblemLog()
        self.reader = ConditionReader(self.log, vocabulary)
        self._ids: dict[str, str] = {}  # rule id -> "file:line" where first defined

    @property
    def problems(self) -> list[Problem]:
        """Every problem so far, in the order found."""
        return self.log.problems

    @property
    def known_ids(self) -> set[str]:
        """The ids of every rule read so far, with problems or without."""
        return set(self._ids)

    def at(self, path: str, rule: str | None = None) -> None:
        """Report the following problems against ``path`` (and ``rule``)."""
        self.log.at(path, rule)

    def problem(self, line: int | None, field: str | None, message: str) -> None:
        """Record a problem of the current file and rule."""
        self.log.problem(line, field, message)

    def threshold(
        self,
        value: Any,
        spec: MetricSpec,
        op: str,
        field: str,
        line: int | None,
        sectors: frozenset[str] | None,
    ) -> Threshold | None:
        """A threshold outside a rule file (an override) for a rule of ``sectors``."""
        self.reader.begin()
        threshold = self.reader.threshold(value, spec, op, field, line)
        self.reader.check_benchmark_sectors(sectors)
        return threshold

    # -- a file -------------------------------------------------------------------------------

    def rules_of(self, path: Path | str, document: Any) -> list[Rule]:
        """The rules of a parsed rule file; problems are recorded, faulty rules left out."""
        self.log.at(str(path))
        if not isinstance(document, dict):
            self.log.problem(1, None, "a rule file is a mapping with a 'rules:' list")
            return []
        self.log.keys(document, FILE_FIELDS, None, required=("rules",))
        items = document.get("rules")
        if "rules" in document and (not isinstance(items, list) or not items):
            self.log.problem(
                line_of(document, "rules"), "rules", "'rules' must be a non-empty list"
            )
            return []
        rules = []
        for index, item in enumerate(items or []):
            rule = self.rule(item, line_of(items, index), Path(path))
            if rule is not None:
                rules.append(rule)
        return rules

    def rule(self, node: Any, line: int | None, path: Path) -> Rule | None:
        """One rule, or ``None`` (with problems recorded) if anything about it is wrong."""
        self.log.at(str(path))
        if not isinstance(node, dict):
            self.log.problem(line, None, "a rule is a mapping of fields: " + ", ".join(RULE_FIELDS))
            return None
        before = len(self.log.problems)
        rule_id = self._rule_id(node, line)
        self.reader.begin()
        self.log.keys(node, RULE_FIELDS, None, required=REQUIRED_FIELDS)
        title = self._texts(node, "title")
        recommendation = self._texts(node, "recommendation")
        severity = self._choice(node, "severity", list(SEVERITIES))
        addresses = self._concepts(node, "addresses", single=True)
        principles = self._concepts(node, "principles", single=False)
        sources = self._passages(node)
        when = (
            self.reader.condition(node["when"], "when", line_of(node, "when"))
            if "when" in node
            else None
        )
        unless = None
        if "unless" in node:
            unless = self.reader.condition(node["unless"], "unless", line_of(node, "unless"))
        rationale = self._rationale(node)
        basis = self._basis(node, _has_threshold(when, unless))
        caveats = self._caveats(node)
        if when is not None:
            self.reader.check_benchmark_sectors(implied_sectors(when))
        examples = self._examples(node.get("examples"), line_of(node, "examples"))
        if len(self.log.problems) > before or when is None:
            return None
        rule = Rule(
            id=rule_id,
            title=title,
            recommendation=recommendation,
            severity=severity,
            addresses=addresses[0],
            principles=tuple(principles),
            sources=tuple(sources),
            when=when,
            unless=unless,
            rationale=rationale,
            examples=tuple(examples),
            basis=basis,
            caveats=tuple(caveats),
            file=path,
            line=line,
        )
        self._check_examples(rule)
        return None if len(self.log.problems) > before else rule

    # -- fields of a rule ---------------------------------------------------------------------

    def _rule_id(self, node: Mapping[Any, Any], line: int | None) -> str:
        rule_id = node.get("id")
        if not isinstance(rule_id, str) or not _ID.match(rule_id):
            self.log.at(self.log.path, None)
            if "id" in node:
                self.log.problem(
                    line_of(node, "id"),
                    "id",
                    f"{rule_id!r} is not a kebab-case id "
                    "(lower-case letters and digits joined by hyphens, e.g. slow-service)",
                )
            return str(rule_id)
        self.log.at(self.log.path, rule_id)
        here = f"{self.log.path}:{line_of(node, 'id')}"
        if rule_id in self._ids:
            self.log.problem(
                line_of(node, "id"), "id", f"duplicate id: already defined at {self._ids[rule_id]}"
            )
        else:
            self._ids[rule_id] = here
        return rule_id

    def _texts(self, node: Mapping[Any, Any], key: str, where: str | None = None) -> dict[str, str]:
        value, line = node.get(key), line_of(node, key)
        where = where or key
        if key not in node:
            return {}
        if not isinstance(value, dict):
            self.log.problem(line, where, f"expected one text per language: {', '.join(LANGUAGES)}")
            return {}
        self.log.keys(value, LANGUAGES, where, required=LANGUAGES, what="language")
        texts = {}
        for lang in LANGUAGES:
            text = value.get(lang)
            if lang in value and (not isinstance(text, str) or not text.strip()):
                self.log.problem(
                    line_of(value, lang), f"{where}.{lang}", "expected a non-empty text"
                )
            elif isinstance(text, str):
                texts[lang] = " ".join(text.split())
        return texts

    def _choice(self, node: Mapping[Any, Any], key: str, accepted: list[str]) -> str:
        value = node.get(key)
        if key in node and value not in accepted:
            self.log.problem(
                line_of(node, key), key, f"{value!r} is not one of: {', '.join(accepted)}"
            )
        return str(value)

    def _concepts(self, node: Mapping[Any, Any], key: str, *, single: bool) -> list[str]:
        if key not in node:
            return [""]
        value, line = node[key], line_of(node, key)
        names = [value] if single or isinstance(value, str) else value
        if single and not isinstance(value, str):
            self.log.problem(line, key, "expected one concept name, e.g. ServiceTime")
            return [""]
        if not isinstance(names, list) or not names:
            self.log.problem(
                line, key, "expected a non-empty list of concept names, e.g. [Friendliness]"
            )
            return [""]
        found = []
        for index, name in enumerate(names):
            where = key if single else f"{key}[{index}]"
            try:
                found.append(self.vocabulary.concept(str(name)))
            except UnknownTermError as error:
                self.log.problem(line_of(names, index) if not single else line, where, str(error))
        return found or [""]

    def _passages(self, node: Mapping[Any, Any]) -> list[str]:
        if "sources" not in node:
            return []
        value, line = node["sources"], line_of(node, "sources")
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names:
            self.log.problem(
                line,
                "sources",
                "a rule needs at least one source passage, e.g. [lv-service-time-mcdonalds]",
            )
            return []
        found = []
        for index, name in enumerate(names):
            try:
                found.append(self.vocabulary.passage(str(name)))
            except UnknownTermError as error:
                self.log.problem(line_of(names, index), f"sources[{index}]", str(error))
        return found

    def _rationale(self, node: Mapping[Any, Any]) -> str:
        value = node.get("rationale")
        if value is not None and not isinstance(value, str):
            self.log.problem(line_of(node, "rationale"), "rationale", "expected a text")
            return ""
        text = " ".join((value or "").split())
        if self.reader.literal and not text:
            self.log.problem(
                line_of(node),
                "rationale",
                "the rule sets a threshold of its own (not "
                "from a benchmark): say in 'rationale' where the number comes from",
            )
        return text

    def _basis(self, node: Mapping[Any, Any], has_threshold: bool) -> Basis | None:
        if "basis" not in node:
            return None  # the missing required field is reported by the key check
        value, line = node["basis"], line_of(node, "basis")
        kinds = " | ".join(BASIS_KINDS)
        if not isinstance(value, dict):
            self.log.problem(
                line,
                "basis",
                f"expected {{advice: {kinds}, threshold: {kinds} (when the rule compares a "
                "number), note: {en: ..., nl: ..., lv: ...}}",
            )
            return None
        self.log.keys(value, BASIS_FIELDS, "basis", required=("advice",))
        advice = value.get("advice")
        if "advice" in value and advice not in BASIS_KINDS:
            self.log.problem(
                line_of(value, "advice"),
                "basis.advice",
                f"{advice!r} is not one of: {', '.join(BASIS_KINDS)}",
            )
        threshold = value.get("threshold")
        if has_threshold and "threshold" not in value:
            self.log.problem(
                line,
                "basis.threshold",
                f"the rule compares a number: say what its threshold rests on ({kinds})",
            )
        elif "threshold" in value and not has_threshold:
            self.log.problem(
                line_of(value, "threshold"),
                "basis.threshold",
                "the rule compares no number: leave 'threshold' out",
            )
        elif "threshold" in value and threshold not in BASIS_KINDS:
            self.log.problem(
                line_of(value, "threshold"),
                "basis.threshold",
                f"{threshold!r} is not one of: {', '.join(BASIS_KINDS)}",
            )
        note = self._texts(value, "note", "basis.note") if "note" in value else {}
        explained = any(kind in ("implied", "judgement") for kind in (advice, threshold))
        if explained and "note" not in value:
            self.log.problem(
                line,
                "basis.note",
                "an implied or judgement basis needs a note in en, nl and lv: the reading of "
                "the passage, or the rationale",
            )
        return Basis(
            advice=str(advice),
            threshold=str(threshold) if has_threshold and threshold is not None else None,
            note=note,
        )

    def _caveats(self, node: Mapping[Any, Any]) -> list[Caveat]:
        if "caveats" not in node:
            return []
        value, line = node["caveats"], line_of(node, "caveats")
        if not isinstance(value, list) or not value:
            self.log.problem(
                line,
                "caveats",
                "expected a non-empty list of {passage: ID, text: {en: ..., nl: ..., lv: ...}}",
            )
            return []
        caveats = []
        for index, item in enumerate(value):
            where, item_line = f"caveats[{index}]", line_of(value, index)
            if not isinstance(item, dict):
                self.log.problem(item_line, where, "expected {passage: ID, text: {en, nl, lv}}")
                continue
            self.log.keys(item, CAVEAT_FIELDS, where, required=CAVEAT_FIELDS)
            passage = ""
            if "passage" in item:
                try:
                    passage = self.vocabulary.passage(str(item["passage"]))
                except UnknownTermError as error:
                    self.log.problem(line_of(item, "passage"), f"{where}.passage", str(error))
            text = self._texts(item, "text", f"{where}.text")
            if passage and len(text) == len(LANGUAGES):
                caveats.append(Caveat(passage=passage, text=text))
        return caveats

    # -- examples -----------------------------------------------------------------------------

    def _examples(self, node: Any, line: int | None) -> list[Example]:
        if node is None:
            return []
        if not isinstance(node, dict):
            self.log.problem(line, "examples", "expected {fires: [...], silent: [...]}")
            return []
        self.log.keys(node, ("fires", "silent"), "examples", required=("fires", "silent"))
        examples = []
        for kind in ("fires", "silent"):
            items = node.get(kind)
            if kind not in node:
                continue
            if not isinstance(items, list) or not items:
                self.log.problem(
                    line_of(node, kind),
                    f"examples.{kind}",
                    "expected a non-empty list "
                    "of businesses, each a mapping of metric ids (and 'sector') to values",
                )
                continue
            for index, item in enumerate(items):
                example = self._example(item, f"examples.{kind}[{index}]", line_of(items, index))
                if example is not None:
                    examples.append(
                        Example(example[0], example[1], kind == "fires", line_of(items, index))
                    )
        return examples

    def _example(
        self, item: Any, field: str, line: int | None
    ) -> tuple[dict[str, Value], str] | None:
        if not isinstance(item, dict):
            self.log.problem(
                line, field, "an example is a mapping of metric ids (and 'sector') to values"
            )
            return None
        facts: dict[str, Value] = {}
        sector, ok = "", True
        for key, value in item.items():
            where = f"{field}.{key}"
            if key == "sector":
                if not isinstance(value, str) or value not in self.vocabulary.sectors:
                    self.log.problem(
                        line,
                        where,
                        str(
                            UnknownTermError(
                                "sector code", str(value), sorted(self.vocabulary.sectors)
                            )
                        ),
                    )
                    ok = False
                sector = str(value)
                continue
            spec = self.reader.metric(key, where, line)
            if spec is None:
                ok = False
            elif spec.is_boolean != isinstance(value, bool) or not (
                isinstance(value, bool) or is_number(value)
            ):
                self.log.problem(
                    line, where, f"{value!r} is not a value of {spec.id} ({spec.accepted_range()})"
                )
                ok = False
            elif not spec.is_boolean and (
                (spec.minimum is not None and value < spec.minimum)
                or (spec.maximum is not None and value > spec.maximum)
            ):
                self.log.problem(
                    line,
                    where,
                    f"{value!r} is out of the range of {spec.id} ({spec.accepted_range()})",
                )
                ok = False
            else:
                facts[key] = value
        return (facts, sector) if ok else None

    def _check_examples(self, rule: Rule) -> None:
        for example in rule.examples:
            judged = rule.judge(example.facts, example.sector)
            if judged is example.fires:
                continue
            kind = "fires" if example.fires else "silent"
            if judged is None:
                unknown = ", ".join(rule.unknowns(example.facts, example.sector))
                said = f"cannot be judged (observe {unknown})"
            else:
                said = "fires" if judged else "stays silent"
            self.log.problem(
                example.line,
                f"examples.{kind}",
                f"the rule {said} for this example, which is listed under '{kind}'",
            )


def _has_threshold(when: Condition | None, unless: Condition | None) -> bool:
    """Whether the rule compares a number (its ``when`` or ``unless`` has a threshold)."""
    return any(
        comparison.threshold is not None
        for condition in (when, unless)
        if condition is not None
        for comparison in iter_comparisons(condition)
    )
