"""Reading the conditions and thresholds of a rule file into :mod:`~servicekg.rules.conditions`.

Every problem is logged with the field at fault (``when.all[1].above``) and what would be
accepted; a condition with a problem is read as ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from servicekg.errors import UnknownTermError
from servicekg.graph.catalogue import Benchmark, MetricSpec
from servicekg.namespace import local_name
from servicekg.rules.conditions import (
    ENGINE_LIMIT,
    NUMERIC_OPERATORS,
    OPERATORS,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    SectorTest,
    Threshold,
)
from servicekg.rules.problem_log import ProblemLog, is_number
from servicekg.rules.vocabulary import Vocabulary
from servicekg.rules.yaml_source import line_of

__all__ = ["CONDITION_KEYS", "ConditionReader"]

CONDITION_KEYS = ("metric", *OPERATORS, "all", "any", "sector", "sector_not")
"""Keys a condition may have."""

_NUMERIC = tuple(NUMERIC_OPERATORS)


class ConditionReader:
    """Reads conditions and thresholds, logging problems to ``log``.

    ``literal`` tells whether a threshold of the rule being read is a number of its own (not
    from a benchmark); benchmarks read since :meth:`begin` are checked against the rule's
    sectors by :meth:`check_benchmark_sectors`.
    """

    def __init__(self, log: ProblemLog, vocabulary: Vocabulary) -> None:
        self.log = log
        self.vocabulary = vocabulary
        self.literal = False
        self._benchmark_uses: list[tuple[Benchmark, str, int | None]] = []

    def begin(self) -> None:
        """Start reading the thresholds of one rule (or of overrides)."""
        self.literal = False
        self._benchmark_uses = []

    def condition(self, node: Any, field: str, line: int | None) -> Condition | None:
        """A condition: a comparison, a sector test, ``all:``/``any:`` (a list is ``all:``)."""
        if isinstance(node, list):
            return self._group(AllOf, node, field, line)
        if not isinstance(node, dict) or not node:
            self.log.problem(
                line,
                field,
                "a condition is a mapping such as {metric: complaint_rate, above: 10}, "
                "{all: [...]}, {any: [...]}, {sector: [fast-food]} or {sector_not: [...]}",
            )
            return None
        line = line_of(node)
        self.log.duplicates(node, field)
        keys = set(node)
        for group, kind in (("all", AllOf), ("any", AnyOf)):
            if group in keys:
                self.log.alone(node, group, field)
                return self._group(kind, node[group], f"{field}.{group}", line_of(node, group))
        for key in ("sector", "sector_not"):
            if key in keys:
                self.log.alone(node, key, field)
                return self._sector_test(node, key, f"{field}.{key}")
        if "metric" in keys:
            return self._comparison(node, field)
        self.log.keys(node, CONDITION_KEYS, field)
        self.log.problem(
            line, field, "a condition needs 'metric', 'all', 'any', 'sector' or 'sector_not'"
        )
        return None

    def _group(
        self, kind: type[AllOf | AnyOf], items: Any, field: str, line: int | None
    ) -> Condition | None:
        if not isinstance(items, list) or not items:
            self.log.problem(line, field, "expected a non-empty list of conditions")
            return None
        parts = [
            self.condition(item, f"{field}[{i}]", line_of(items, i)) for i, item in enumerate(items)
        ]
        if any(part is None for part in parts):
            return None
        return parts[0] if len(parts) == 1 else kind(tuple(parts))  # type: ignore[arg-type]

    def _sector_test(self, node: Mapping[Any, Any], key: str, field: str) -> SectorTest | None:
        codes = node[key] if isinstance(node[key], list) else [node[key]]
        known = sorted(self.vocabulary.sectors)
        ok = bool(codes)
        for code in codes:
            if not isinstance(code, str) or code not in self.vocabulary.sectors:
                self.log.problem(
                    line_of(node, key),
                    field,
                    str(UnknownTermError("sector code", str(code), known)),
                )
                ok = False
        return SectorTest(frozenset(codes), negated=key == "sector_not") if ok else None

    def _comparison(self, node: Mapping[Any, Any], field: str) -> Comparison | None:
        line = line_of(node)
        self.log.keys(node, ("metric", *OPERATORS), field)
        spec = self.metric(node["metric"], f"{field}.metric", line_of(node, "metric"))
        ops = [key for key in node if key in OPERATORS]
        if not ops and any(key not in ("metric", *OPERATORS) for key in node):
            return None  # the unknown key is reported, with the operator it is closest to
        if len(ops) != 1:
            said = (
                "needs one of"
                if not ops
                else f"has {len(ops)} comparisons ({', '.join(ops)}); use one of"
            )
            self.log.problem(line, field, f"a condition on a metric {said}: {', '.join(OPERATORS)}")
            return None
        op = ops[0]
        value, where, vline = node[op], f"{field}.{op}", line_of(node, op)
        if spec is None:
            return None
        if op in ("present", "absent"):
            if value is not True:
                other = "absent" if op == "present" else "present"
                self.log.problem(
                    vline, where, f"write '{op}: true' (for the opposite, '{other}: true')"
                )
                return None
            return Comparison(spec.id, op)
        if op == "is":
            if not spec.is_boolean:
                self.log.problem(
                    vline,
                    where,
                    f"{spec.id} is a number ({spec.unit}); 'is' compares yes/no "
                    f"metrics: use one of {', '.join(_NUMERIC)}",
                )
                return None
            if not isinstance(value, bool):
                self.log.problem(vline, where, f"'is' takes true or false, not {value!r}")
                return None
            return Comparison(spec.id, "is", expected=value)
        if spec.is_boolean:
            self.log.problem(
                vline,
                where,
                f"{spec.id} is a yes/no observation; compare it with 'is: true' or 'is: false'",
            )
            return None
        threshold = self.threshold(value, spec, op, where, vline)
        return Comparison(spec.id, op, threshold) if threshold is not None else None

    def metric(self, name: Any, field: str, line: int | None) -> MetricSpec | None:
        if not isinstance(name, str):
            self.log.problem(
                line, field, f"a metric id is a word such as service_time_seconds, not {name!r}"
            )
            return None
        try:
            return self.vocabulary.catalogue[name]
        except UnknownTermError as error:
            self.log.problem(line, field, str(error))
            return None

    def threshold(
        self, value: Any, spec: MetricSpec, op: str, field: str, line: int | None
    ) -> Threshold | None:
        """A number, a per-sector map with ``default``, or ``{benchmark: id}``."""
        if isinstance(value, dict) and set(value) == {"benchmark"}:
            found = self._benchmark(value["benchmark"], spec, op, f"{field}.benchmark", line)
            if found is None:
                return None
            number, benchmark = found
            self._benchmark_uses.append((benchmark, f"{field}.benchmark", line))
            return Threshold(number, (), (("default", benchmark.iri),))
        if isinstance(value, dict):
            return self._sector_map(value, spec, op, field)
        if is_number(value):
            self.literal = True
            literal = self._number(value, spec, op, field, line)
            return Threshold(literal) if literal is not None else None
        self.log.problem(
            line,
            field,
            "a threshold is a number, a per-sector map such as "
            "{default: 180, fast-food: 90}, or {benchmark: <id>}",
        )
        return None

    def _sector_map(
        self, value: Mapping[Any, Any], spec: MetricSpec, op: str, field: str
    ) -> Threshold | None:
        self.log.duplicates(value, field)
        if "default" not in value:
            self.log.problem(
                line_of(value),
                field,
                "a per-sector threshold needs 'default' for the "
                "other sectors, e.g. {default: 180, fast-food: 90}",
            )
            return None
        ok = True
        numbers: dict[str, float] = {}
        benchmarks: list[tuple[str, str]] = []
        for key, entry in value.items():
            where, line = f"{field}.{key}", line_of(value, key)
            if key != "default" and key not in self.vocabulary.sectors:
                known = ["default", *sorted(self.vocabulary.sectors)]
                self.log.problem(line, field, str(UnknownTermError("sector code", str(key), known)))
                ok = False
                continue
            if isinstance(entry, dict) and set(entry) == {"benchmark"}:
                found = self._benchmark(entry["benchmark"], spec, op, f"{where}.benchmark", line)
                if found is None:
                    ok = False
                    continue
                number, benchmark = found
                if benchmark.sector is not None and benchmark.sector != key:
                    self.log.problem(
                        line,
                        where,
                        f"benchmark {local_name(benchmark.iri)!r} applies to sector "
                        f"{benchmark.sector} only: write it under '{benchmark.sector}:'",
                    )
                    ok = False
                    continue
                numbers[key] = number
                benchmarks.append((key, benchmark.iri))
            elif is_number(entry):
                self.literal = True
                literal = self._number(entry, spec, op, where, line)
                if literal is None:
                    ok = False
                    continue
                numbers[key] = literal
            else:
                self.log.problem(line, where, "expected a number or {benchmark: <id>}")
                ok = False
        if not ok:
            return None
        by_sector = tuple((code, n) for code, n in numbers.items() if code != "default")
        return Threshold(numbers["default"], by_sector, tuple(benchmarks))

    def _benchmark(
        self, name: Any, spec: MetricSpec, op: str, field: str, line: int | None
    ) -> tuple[float, Benchmark] | None:
        try:
            benchmark = self.vocabulary.benchmark(str(name))
        except UnknownTermError as error:
            self.log.problem(line, field, str(error))
            return None
        if benchmark.metric != spec.id:
            self.log.problem(
                line,
                field,
                f"benchmark {local_name(benchmark.iri)!r} is for metric "
                f"{benchmark.metric}, not {spec.id}",
            )
            return None
        if op in ("above", "at_most"):
            bound, said = benchmark.good_at_most, "good at most"
        elif op in ("below", "at_least"):
            bound, said = benchmark.good_at_least, "good at least"
        else:
            self.log.problem(
                line,
                field,
                "a benchmark is a bound: compare with above, below, at_least or at_most",
            )
            return None
        if bound is None:
            self.log.problem(
                line,
                field,
                f"benchmark {local_name(benchmark.iri)!r} gives no '{said}' value for '{op}'",
            )
            return None
        number = self._number(bound, spec, op, field, line)
        return (number, benchmark) if number is not None else None

    def _number(
        self, value: float, spec: MetricSpec, op: str, field: str, line: int | None
    ) -> float | None:
        number = float(value)
        low, high = spec.minimum, spec.maximum
        if not math.isfinite(number) or abs(number) > ENGINE_LIMIT:
            self.log.problem(
                line, field, f"{value!r} is not a number from -{ENGINE_LIMIT:g} to {ENGINE_LIMIT:g}"
            )
        elif (low is not None and number < low) or (high is not None and number > high):
            self.log.problem(
                line,
                field,
                f"{number:g} is out of the range of {spec.id} "
                f"({spec.accepted_range()}, unit {spec.unit})",
            )
        elif (op == "above" and high is not None and number >= high) or (
            op == "below" and low is not None and number <= low
        ):
            self.log.problem(
                line,
                field,
                f"'{op}: {number:g}' can never hold: {spec.id} accepts {spec.accepted_range()}",
            )
        elif (op == "at_least" and low is not None and number <= low) or (
            op == "at_most" and high is not None and number >= high
        ):
            self.log.problem(
                line,
                field,
                f"'{op}: {number:g}' holds for every value of {spec.id} "
                f"({spec.accepted_range()}); for 'observed at all' write 'present: true'",
            )
        else:
            return number
        return None

    def check_benchmark_sectors(self, sectors: frozenset[str] | None) -> None:
        for benchmark, field, line in self._benchmark_uses:
            if benchmark.sector is None or (sectors is not None and sectors <= {benchmark.sector}):
                continue
            self.log.problem(
                line,
                field,
                f"benchmark {local_name(benchmark.iri)!r} applies to sector "
                f"{benchmark.sector} only: restrict the rule with "
                f"'sector: [{benchmark.sector}]' in 'when', or use it in a per-sector map "
                f"({{default: ..., {benchmark.sector}: "
                f"{{benchmark: {local_name(benchmark.iri)}}}}})",
            )
