"""Loading rule files: find them, parse them, check them against the knowledge graph, apply
per-run threshold overrides, and compile the rule book, or refuse with every problem at once.

>>> # kb: KnowledgeBase.with_ontology(), one shared by the doctests (conftest.py)
>>> book = load_rules(kb=kb)
>>> rule = book.get("slow-service")
>>> [f.rule_id for f in book.evaluate({"service_time_seconds": 120}, "fast-food")]
['slow-service-fast-food']
>>> book.evaluate({"service_time_seconds": 120}, "retail")
[]
>>> faster = load_rules(overrides={"slow-service": {"service_time_seconds": 100}})
>>> [f.rule_id for f in faster.evaluate({"service_time_seconds": 120}, "retail")]
['slow-service']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from servicekg.errors import Problem, RuleFileError, UnknownTermError, YamlSyntaxError
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.knowledge_base import KnowledgeBase
from servicekg.resources import rules_dir
from servicekg.rules.adapter import compile_rulebook
from servicekg.rules.conditions import (
    NUMERIC_OPERATORS,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    Threshold,
    iter_comparisons,
)
from servicekg.rules.rule_reader import RuleChecker
from servicekg.rules.rulebook import Rule, RuleBook
from servicekg.rules.vocabulary import Vocabulary
from servicekg.rules.yaml_source import LocatedDict, line_of, read_yaml

__all__ = ["RULE_FILE_SUFFIXES", "check_rules", "load_overrides", "load_rules", "rule_files"]

RULE_FILE_SUFFIXES = (".yaml", ".yml")
"""A folder's rule files are its files with these suffixes, in name order."""

RulePaths = Path | str | Sequence[Path | str] | None
"""A folder of rule files, one file, or several (``None``: the bundled ``rules/``)."""

Overrides = Mapping[str, Mapping[str, Any]] | Path | str | None
"""Per-run thresholds ``{rule id: {metric id: threshold}}``, or a YAML file of that shape."""


def load_rules(
    paths: RulePaths = None,
    kb: KnowledgeBase | None = None,
    catalogue: MetricCatalogue | None = None,
    overrides: Overrides = None,
) -> RuleBook:
    """Read, check and compile the rule files (default: every ``rules/*.yaml``).

    ``kb`` is the knowledge base the rules are checked against (default: the bundled
    ontology); ``catalogue`` its metrics (default: read from ``kb``). ``overrides`` replaces
    thresholds for this run: ``{"slow-service": {"service_time_seconds": 120}}``, a per-sector
    map merged into the rule's (``{"fast-food": 60}``), or the path of a YAML file of that shape.

    Raises :class:`~servicekg.errors.RuleFileError` listing every problem of every file
    (file, line, rule id, field, what would be accepted); then no rule is loaded.
    """
    rules, problems, vocabulary = _read(paths, kb, catalogue, overrides)
    if problems:
        raise RuleFileError(problems)
    return RuleBook(rules, vocabulary.sectors, engine_factory=compile_rulebook)


def check_rules(
    paths: RulePaths = None,
    kb: KnowledgeBase | None = None,
    catalogue: MetricCatalogue | None = None,
    overrides: Overrides = None,
) -> list[Problem]:
    """Every problem of the rule files (and overrides), in file and line order; empty if none.

    The same checks as :func:`load_rules`, including each rule's examples, without compiling.
    """
    return _read(paths, kb, catalogue, overrides)[1]


def rule_files(paths: RulePaths = None) -> list[Path]:
    """The rule files named by ``paths``: a folder's ``*.yaml`` files, or the files given."""
    if paths is None:
        paths = rules_dir()
    given = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    found: list[Path] = []
    for path in given:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in RULE_FILE_SUFFIXES))
        else:
            found.append(path)
    return found


def load_overrides(path: Path | str) -> dict[str, Any]:
    """The overrides in a YAML file (``{rule id: {metric id: threshold}}``), not yet checked.

    Raises :class:`~servicekg.errors.RuleFileError` if the file cannot be read or parsed.
    """
    document, problems = _read_document(Path(path))
    if problems:
        raise RuleFileError(problems)
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise RuleFileError([Problem(str(path), None, None, _OVERRIDES_SHAPE, line=1)])
    return document


_OVERRIDES_SHAPE = "overrides are a mapping {rule id: {metric id: threshold}}"


def _read(
    paths: RulePaths,
    kb: KnowledgeBase | None,
    catalogue: MetricCatalogue | None,
    overrides: Overrides,
) -> tuple[list[Rule], list[Problem], Vocabulary]:
    vocabulary = Vocabulary.from_kb(
        kb if kb is not None else KnowledgeBase.with_ontology(), catalogue
    )
    checker = RuleChecker(vocabulary)
    rules: list[Rule] = []
    files = rule_files(paths)
    if not files:
        where = str(paths if paths is not None else rules_dir())
        checker.problems.append(Problem(where, None, None, "no rule files (*.yaml) found"))
    for path in files:
        document, problems = _read_document(path)
        checker.problems.extend(problems)
        if not problems:
            rules.extend(checker.rules_of(path, document))
    if overrides is not None:
        rules = _apply_overrides(checker, rules, overrides)
    return rules, checker.problems, vocabulary


def _read_document(path: Path) -> tuple[Any, list[Problem]]:
    try:
        return read_yaml(path), []
    except YamlSyntaxError as error:
        return None, [
            Problem(str(path), None, None, f"not valid YAML: {error.detail}", line=error.line)
        ]
    except OSError as error:
        return None, [Problem(str(path), None, None, f"cannot read the file: {error.strerror}")]


def _apply_overrides(checker: RuleChecker, rules: list[Rule], overrides: Overrides) -> list[Rule]:
    if isinstance(overrides, str | Path):
        source = str(overrides)
        document, problems = _read_document(Path(overrides))
        checker.problems.extend(problems)
        if problems:
            return rules
        overrides = document if document is not None else {}
    else:
        source = "<overrides>"
    checker.at(source)
    if not isinstance(overrides, Mapping):
        checker.problem(1, None, _OVERRIDES_SHAPE)
        return rules
    by_id = {rule.id: rule for rule in rules}
    for rule_id, changes in overrides.items():
        line = line_of(overrides, rule_id)
        if rule_id not in by_id:
            checker.at(source)
            if rule_id not in checker.known_ids:  # a rule left out for its own problems is quiet
                checker.problem(
                    line, None, str(UnknownTermError("rule", str(rule_id), sorted(by_id)))
                )
            continue
        checker.at(source, rule_id)
        if not isinstance(changes, Mapping) or not changes:
            checker.problem(
                line, None, "expected {metric id: threshold}, e.g. {service_time_seconds: 120}"
            )
            continue
        rule = by_id[rule_id]
        for metric, value in changes.items():
            updated = _override(checker, rule, str(metric), value, line_of(changes, metric))
            if updated is not None:
                rule = updated
        by_id[rule_id] = rule
    return [by_id[rule.id] for rule in rules]


def _override(
    checker: RuleChecker, rule: Rule, metric: str, value: Any, line: int | None
) -> Rule | None:
    conditions = [rule.when] + ([rule.unless] if rule.unless is not None else [])
    compared = {
        c.op: c
        for condition in conditions
        for c in iter_comparisons(condition)
        if c.metric == metric and c.op in NUMERIC_OPERATORS
    }
    if not compared:
        numeric = sorted(
            {c.metric for cond in conditions for c in iter_comparisons(cond) if c.threshold}
        )
        checker.problem(
            line,
            metric,
            f"the rule compares no number of {metric!r} "
            f"(it compares: {', '.join(numeric) or 'no number at all'})",
        )
        return None
    spec = checker.vocabulary.catalogue[metric]
    replacements: dict[str, Threshold] = {}
    for op, comparison in compared.items():
        current = comparison.threshold or Threshold(0.0)
        if isinstance(value, Mapping) and "benchmark" not in value:
            merged = _located(
                {"default": current.default, **dict(current.by_sector), **value}, line
            )
            parsed = checker.threshold(merged, spec, op, metric, line, rule.sectors)
            if parsed is not None:
                kept = tuple((k, iri) for k, iri in current.benchmarks if k not in value)
                parsed = replace(parsed, benchmarks=kept + parsed.benchmarks)
        else:
            parsed = checker.threshold(value, spec, op, metric, line, rule.sectors)
        if parsed is None:
            return None
        replacements[op] = parsed
    when = _rethreshold(rule.when, metric, replacements)
    unless = _rethreshold(rule.unless, metric, replacements) if rule.unless is not None else None
    return replace(rule, when=when, unless=unless)


def _located(entries: Mapping[str, Any], line: int | None) -> LocatedDict:
    result = LocatedDict()
    result.update(entries)
    result.line = line
    result.key_lines = {key: line for key in entries if line is not None}
    return result


def _rethreshold(condition: Condition, metric: str, by_op: Mapping[str, Threshold]) -> Condition:
    if isinstance(condition, Comparison):
        if condition.metric == metric and condition.op in by_op:
            return replace(condition, threshold=by_op[condition.op])
        return condition
    if isinstance(condition, AllOf | AnyOf):
        parts = tuple(_rethreshold(part, metric, by_op) for part in condition.parts)
        return type(condition)(parts)
    return condition
