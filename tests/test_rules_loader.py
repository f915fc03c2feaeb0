"""Rule files are checked before anything runs: every problem of every file at once, each
naming the file, line, rule id and field and saying what would be accepted; and thresholds can
be overridden per run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from servicekg.errors import EXIT_ERROR, Problem, RuleFileError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.rules import check_rules, load_overrides, load_rules, rule_files
from servicekg.rules.conditions import Comparison, iter_comparisons
from servicekg.rules.rulebook import BASIS_KINDS

VALID = """\
rules:
  - id: test-rule
    title: {en: Slow, nl: Traag, lv: Lēni}
    recommendation: {en: Be faster., nl: Wees sneller., lv: Esiet ātrāki.}
    severity: high
    addresses: ServiceTime
    principles: [ServiceTime]
    sources: [lv-service-time-factor]
    when: {metric: service_time_seconds, above: 300}
    rationale: A test.
    examples:
      fires: [{service_time_seconds: 400}]
      silent: [{service_time_seconds: 100}]
    basis: {advice: stated, threshold: judgement, note: {en: A test., nl: Een test., lv: Tests.}}
"""

# (case, text to replace in VALID, replacement, line, rule, field, message pattern)
BROKEN = [
    ("yaml-syntax", "severity: high", "severity: [high", None, None, None, r"not valid YAML"),
    (
        "basis-missing",
        "    basis: {advice: stated, threshold: judgement, "
        "note: {en: A test., nl: Een test., lv: Tests.}}\n",
        "",
        2,
        "test-rule",
        "basis",
        r"missing field 'basis'",
    ),
    (
        "basis-unknown-advice",
        "advice: stated",
        "advice: obvious",
        14,
        "test-rule",
        "basis.advice",
        r"'obvious' is not one of: stated, implied, judgement",
    ),
    (
        "basis-threshold-missing",
        "threshold: judgement, ",
        "",
        14,
        "test-rule",
        "basis.threshold",
        r"the rule compares a number: say what its threshold rests on",
    ),
    (
        "basis-judgement-without-note",
        ", note: {en: A test., nl: Een test., lv: Tests.}",
        "",
        14,
        "test-rule",
        "basis.note",
        r"needs a note in en, nl and lv",
    ),
    (
        "basis-note-missing-latvian",
        ", lv: Tests.}}",
        "}}",
        14,
        "test-rule",
        "basis.note.lv",
        r"missing language 'lv'",
    ),
    (
        "caveat-unknown-passage",
        "    basis:",
        "    caveats: [{passage: lv-no-such-passage, text: {en: A., nl: B., lv: C.}}]\n    basis:",
        14,
        "test-rule",
        "caveats[0].passage",
        r"lv-no-such-passage",
    ),
    (
        "missing-field",
        "    severity: high\n",
        "",
        2,
        "test-rule",
        "severity",
        r"missing field 'severity'",
    ),
    (
        "unknown-field",
        "recommendation:",
        "recomendation:",
        4,
        "test-rule",
        "recomendation",
        r"unknown field 'recomendation'; did you mean 'recommendation'\?",
    ),
    ("bad-id", "id: test-rule", "id: Test_Rule", 2, None, "id", r"not a kebab-case id"),
    (
        "bad-severity",
        "severity: high",
        "severity: urgent",
        5,
        "test-rule",
        "severity",
        r"'urgent' is not one of: low, medium, high, critical",
    ),
    (
        "unknown-metric",
        "metric: service_time_seconds",
        "metric: service_time_secs",
        9,
        "test-rule",
        "when.metric",
        r"unknown metric 'service_time_secs'; did you mean 'service_time_seconds'",
    ),
    (
        "is-on-a-number",
        "above: 300}",
        "is: true}",
        9,
        "test-rule",
        "when.is",
        r"service_time_seconds is a number \(s\); 'is' compares yes/no metrics",
    ),
    (
        "above-on-a-boolean",
        "{metric: service_time_seconds, above: 300}",
        "{metric: has_problem_resolution_process, above: 0}",
        9,
        "test-rule",
        "when.above",
        r"yes/no observation; compare it with 'is: true' or 'is: false'",
    ),
    (
        "out-of-range",
        "{metric: service_time_seconds, above: 300}",
        "{metric: greeting_rate, below: 1.5}",
        9,
        "test-rule",
        "when.below",
        r"1\.5 is out of the range of greeting_rate \(0 to 1",
    ),
    (
        "never-holds",
        "{metric: service_time_seconds, above: 300}",
        "{metric: greeting_rate, above: 1}",
        9,
        "test-rule",
        "when.above",
        r"'above: 1' can never hold",
    ),
    (
        "negative-time",
        "above: 300}",
        "above: -5}",
        9,
        "test-rule",
        "when.above",
        r"-5 is out of the range of service_time_seconds \(at least 0",
    ),
    (
        "two-operators",
        "above: 300}",
        "above: 300, below: 400}",
        9,
        "test-rule",
        "when",
        r"has 2 comparisons \(above, below\)",
    ),
    (
        "unknown-operator",
        "above: 300}",
        "abvoe: 300}",
        9,
        "test-rule",
        "when.abvoe",
        r"did you mean 'above'",
    ),
    (
        "present-false",
        "above: 300}",
        "present: false}",
        9,
        "test-rule",
        "when.present",
        r"write 'present: true' \(for the opposite, 'absent: true'\)",
    ),
    (
        "unknown-principle",
        "principles: [ServiceTime]",
        "principles: [ServiceTime, Frendliness]",
        7,
        "test-rule",
        "principles[1]",
        r"unknown concept 'Frendliness'; did you mean 'Friendliness'",
    ),
    (
        "unknown-concept",
        "addresses: ServiceTime",
        "addresses: ServiceSpeed",
        6,
        "test-rule",
        "addresses",
        r"unknown concept 'ServiceSpeed'",
    ),
    (
        "unknown-passage",
        "sources: [lv-service-time-factor]",
        "sources: [lv-service-time-factr]",
        8,
        "test-rule",
        "sources[0]",
        r"unknown passage 'lv-service-time-factr'; did you mean 'lv-service-time-factor'",
    ),
    (
        "no-source",
        "sources: [lv-service-time-factor]",
        "sources: []",
        8,
        "test-rule",
        "sources",
        r"at least one source passage",
    ),
    (
        "missing-language",
        "title: {en: Slow, nl: Traag, lv: Lēni}",
        "title: {en: Slow, nl: Traag}",
        3,
        "test-rule",
        "title.lv",
        r"missing language 'lv'",
    ),
    (
        "unknown-language",
        "nl: Traag, lv: Lēni}",
        "nl: Traag, lv: Lēni, de: Langsam}",
        3,
        "test-rule",
        "title.de",
        r"unknown language 'de'.*accepted: en, nl, lv",
    ),
    (
        "unknown-sector",
        "when: {metric: service_time_seconds, above: 300}",
        "when: {all: [{sector: [fastfood]}, {metric: service_time_seconds, above: 300}]}",
        9,
        "test-rule",
        "when.all[0].sector",
        r"unknown sector code 'fastfood'; did you mean 'fast-food'",
    ),
    (
        "unknown-sector-in-map",
        "above: 300}",
        "above: {default: 300, fastfood: 90}}",
        9,
        "test-rule",
        "when.above",
        r"unknown sector code 'fastfood'; did you mean 'fast-food'",
    ),
    (
        "map-without-default",
        "above: 300}",
        "above: {fast-food: 90}}",
        9,
        "test-rule",
        "when.above",
        r"needs 'default' for the other sectors",
    ),
    (
        "unknown-benchmark",
        "above: 300}",
        "above: {benchmark: fast-food-time}}",
        9,
        "test-rule",
        "when.above.benchmark",
        r"unknown benchmark 'fast-food-time'; did you mean",
    ),
    (
        "benchmark-of-another-metric",
        "{metric: service_time_seconds, above: 300}",
        "{metric: queue_wait_seconds, above: {benchmark: fast-food-service-time}}",
        9,
        "test-rule",
        "when.above.benchmark",
        r"is for metric service_time_seconds, not queue_wait_seconds",
    ),
    (
        "benchmark-outside-its-sector",
        "above: 300}",
        "above: {benchmark: fast-food-service-time}}",
        9,
        "test-rule",
        "when.above.benchmark",
        r"applies to sector fast-food only: restrict the rule with 'sector: \[fast-food\]'",
    ),
    (
        "benchmark-under-another-sector",
        "above: 300}",
        "above: {default: 300, retail: {benchmark: fast-food-service-time}}}",
        9,
        "test-rule",
        "when.above.retail",
        r"applies to sector fast-food only: write it under 'fast-food:'",
    ),
    (
        "no-rationale",
        "    rationale: A test.\n",
        "",
        2,
        "test-rule",
        "rationale",
        r"sets a threshold of its own",
    ),
    (
        "example-that-does-not-fire",
        "fires: [{service_time_seconds: 400}]",
        "fires: [{service_time_seconds: 200}]",
        12,
        "test-rule",
        "examples.fires",
        r"the rule stays silent for this example, which is listed under 'fires'",
    ),
    (
        "example-that-cannot-be-judged",
        "silent: [{service_time_seconds: 100}]",
        "silent: [{}]",
        13,
        "test-rule",
        "examples.silent",
        r"cannot be judged \(observe service_time_seconds\)",
    ),
    (
        "missing-silent-example",
        "      silent: [{service_time_seconds: 100}]\n",
        "",
        12,
        "test-rule",
        "examples.silent",
        r"missing field 'silent'",
    ),
    (
        "example-with-a-bad-value",
        "fires: [{service_time_seconds: 400}]",
        "fires: [{service_time_seconds: fast}]",
        12,
        "test-rule",
        "examples.fires[0].service_time_seconds",
        r"'fast' is not a value of service_time_seconds",
    ),
    (
        "duplicate-key",
        "    severity: high\n",
        "    severity: high\n    severity: low\n",
        6,
        "test-rule",
        "severity",
        r"'severity' is written twice",
    ),
    (
        "condition-mixes-group-and-metric",
        "when: {metric: service_time_seconds, above: 300}",
        "when: {all: [{metric: service_time_seconds, above: 300}], metric: x}",
        9,
        "test-rule",
        "when",
        r"'all' stands alone in its condition",
    ),
]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _matching(problems: list[Problem], line, rule, field, pattern) -> list[Problem]:
    return [
        p
        for p in problems
        if (line is None or p.line == line)
        and p.rule == rule
        and p.field == field
        and re.search(pattern, p.message)
    ]


def test_the_bundled_rules_have_no_problem(kb: KnowledgeBase) -> None:
    assert check_rules(kb=kb) == []


def test_the_valid_template_has_no_problem(tmp_path: Path, kb: KnowledgeBase) -> None:
    assert check_rules(_write(tmp_path, "ok.yaml", VALID), kb=kb) == []


@pytest.mark.parametrize(
    ("old", "new", "line", "rule", "field", "pattern"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_a_broken_rule_file_is_refused_naming_file_line_rule_and_field(
    tmp_path: Path, kb: KnowledgeBase, old, new, line, rule, field, pattern
) -> None:
    assert old in VALID
    path = _write(tmp_path, "broken.yaml", VALID.replace(old, new, 1))
    with pytest.raises(RuleFileError) as raised:
        load_rules(path, kb=kb)
    problems = raised.value.problems
    assert _matching(problems, line, rule, field, pattern), "\n".join(map(str, problems))
    assert all(p.path == str(path) for p in problems)
    assert raised.value.exit_code == EXIT_ERROR
    assert str(path) in str(raised.value)


def test_a_yaml_syntax_error_names_its_line(tmp_path: Path, kb: KnowledgeBase) -> None:
    path = _write(tmp_path, "broken.yaml", VALID.replace("severity: high", "severity: [high", 1))
    (problem,) = check_rules(path, kb=kb)
    assert problem.line in (5, 6)
    assert str(problem).startswith(f"{path}:{problem.line}: not valid YAML")


def test_every_problem_of_every_file_is_reported_at_once(tmp_path: Path, kb: KnowledgeBase) -> None:
    _write(tmp_path, "a.yaml", VALID.replace("severity: high", "severity: urgent"))
    _write(tmp_path, "b.yaml", VALID.replace("test-rule", "other-rule").replace("lv: Lēni}", "}"))
    third = VALID.replace("test-rule", "third-rule")
    _write(tmp_path, "c.yaml", third.replace("addresses: ServiceTime", "addresses: Nothing"))
    problems = check_rules(tmp_path, kb=kb)
    assert [(Path(p.path).name, p.field) for p in problems] == [
        ("a.yaml", "severity"),
        ("b.yaml", "title.lv"),
        ("c.yaml", "addresses"),
    ]
    with pytest.raises(RuleFileError, match=r"3 problems in the rule files; no rule loaded"):
        load_rules(tmp_path, kb=kb)


def test_a_duplicate_id_names_where_it_was_first_defined(tmp_path: Path, kb: KnowledgeBase) -> None:
    first = _write(tmp_path, "a.yaml", VALID)
    _write(tmp_path, "b.yaml", VALID)
    (problem,) = check_rules(tmp_path, kb=kb)
    assert (Path(problem.path).name, problem.line, problem.rule, problem.field) == (
        "b.yaml",
        2,
        "test-rule",
        "id",
    )
    assert f"already defined at {first}:2" in problem.message


def test_a_folder_without_rule_files_is_a_problem(tmp_path: Path, kb: KnowledgeBase) -> None:
    (problem,) = check_rules(tmp_path, kb=kb)
    assert "no rule files" in problem.message


def test_a_file_that_is_not_a_mapping_of_rules(tmp_path: Path, kb: KnowledgeBase) -> None:
    (problem,) = check_rules(_write(tmp_path, "list.yaml", "- id: x\n"), kb=kb)
    assert "a rule file is a mapping with a 'rules:' list" in problem.message


def test_rule_files_are_the_yaml_files_of_a_folder_in_name_order(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yml", "README.md"):
        _write(tmp_path, name, "")
    assert [p.name for p in rule_files(tmp_path)] == ["a.yml", "b.yaml"]


def test_a_problem_reads_as_file_line_rule_field_message() -> None:
    problem = Problem("rules/x.yaml", None, "when.above", "too big", rule="slow-service", line=12)
    assert str(problem) == "rules/x.yaml:12: rule 'slow-service', field 'when.above': too big"


# -- overrides ----------------------------------------------------------------------------------


def _threshold(book, rule_id: str):
    condition = book.get(rule_id).when
    assert isinstance(condition, Comparison)
    return condition.threshold


def test_a_number_overrides_every_sector(kb: KnowledgeBase) -> None:
    book = load_rules(kb=kb, overrides={"slow-service": {"service_time_seconds": 120}})
    threshold = _threshold(book, "slow-service")
    assert (threshold.for_sector("retail"), threshold.for_sector("fast-food")) == (120, 120)
    assert [f.rule_id for f in book.evaluate({"service_time_seconds": 150}, "retail")] == [
        "slow-service"
    ]
    # fast food has a rule of its own, with the article's benchmark
    fired = [f.rule_id for f in book.evaluate({"service_time_seconds": 100}, "fast-food")]
    assert fired == ["slow-service-fast-food"]


def test_a_map_is_merged_into_the_rules_thresholds(kb: KnowledgeBase) -> None:
    book = load_rules(kb=kb, overrides={"slow-service": {"service_time_seconds": {"retail": 200}}})
    threshold = _threshold(book, "slow-service")
    assert threshold.for_sector("retail") == 200
    assert threshold.for_sector("theme-park") == 300  # the rule's default stays
    assert threshold.for_sector("restaurant") == 1200


def test_overrides_change_only_the_rule_book_they_are_given_to(kb: KnowledgeBase) -> None:
    load_rules(kb=kb, overrides={"many-complaints": {"complaint_rate": 1}})
    book = load_rules(kb=kb)
    assert book.evaluate({"complaint_rate": 5}, "", "acme") == []


def test_overrides_from_a_yaml_file(tmp_path: Path, kb: KnowledgeBase) -> None:
    path = _write(tmp_path, "overrides.yaml", "many-complaints:\n  complaint_rate: 2\n")
    assert load_overrides(path) == {"many-complaints": {"complaint_rate": 2}}
    book = load_rules(kb=kb, overrides=path)
    assert [f.rule_id for f in book.evaluate({"complaint_rate": 5})] == ["many-complaints"]


BAD_OVERRIDES = [
    (
        "unknown-rule",
        "slow-servic:\n  service_time_seconds: 100\n",
        1,
        None,
        None,
        r"unknown rule 'slow-servic'; did you mean 'slow-service'",
    ),
    (
        "metric-not-compared",
        "slow-service:\n  queue_wait_seconds: 100\n",
        2,
        "slow-service",
        "queue_wait_seconds",
        r"compares no number of 'queue_wait_seconds' \(it compares: service",
    ),
    (
        "out-of-range",
        "unfriendly-staff:\n  friendliness_score: 7\n",
        2,
        "unfriendly-staff",
        "friendliness_score",
        r"7 is out of the range of friendliness_score \(1 to 5",
    ),
    (
        "unknown-sector",
        "slow-service:\n  service_time_seconds: {fastfood: 60}\n",
        2,
        "slow-service",
        "service_time_seconds",
        r"unknown sector code 'fastfood'",
    ),
    (
        "benchmark-outside-its-sector",
        "long-queues:\n  queue_wait_seconds: {benchmark: fast-food-service-time}\n",
        2,
        "long-queues",
        "queue_wait_seconds.benchmark",
        r"is for metric service_time_seconds",
    ),
    (
        "not-a-mapping",
        "slow-service: 100\n",
        1,
        "slow-service",
        None,
        r"expected \{metric id: threshold\}",
    ),
    (
        "yaml-syntax",
        "slow-service: {service_time_seconds: [\n",
        None,
        None,
        None,
        r"not valid YAML",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "rule", "field", "pattern"),
    [case[1:] for case in BAD_OVERRIDES],
    ids=[case[0] for case in BAD_OVERRIDES],
)
def test_bad_overrides_are_refused_naming_file_rule_and_metric(
    tmp_path: Path, kb: KnowledgeBase, text, line, rule, field, pattern
) -> None:
    path = _write(tmp_path, "overrides.yaml", text)
    problems = check_rules(kb=kb, overrides=path)
    assert _matching(problems, line, rule, field, pattern), "\n".join(map(str, problems))
    assert all(p.path == str(path) for p in problems)


def test_a_sector_bound_benchmark_in_an_override_needs_the_rules_sector(kb: KnowledgeBase) -> None:
    overrides = {"slow-service": {"service_time_seconds": {"benchmark": "fast-food-service-time"}}}
    (problem,) = check_rules(kb=kb, overrides=overrides)
    assert (problem.path, problem.rule) == ("<overrides>", "slow-service")
    assert "applies to sector fast-food only" in problem.message


def test_every_bundled_rule_has_a_basis_and_a_threshold_basis_where_it_compares_a_number(
    kb: KnowledgeBase,
) -> None:
    book = load_rules(kb=kb)
    for rule in book:
        assert rule.basis is not None, rule.id
        assert rule.basis.advice in BASIS_KINDS, rule.id
        compares = any(c.threshold is not None for c in iter_comparisons(rule.when))
        assert (rule.basis.threshold is not None) == compares, rule.id
        if {"implied", "judgement"} & set(rule.basis.kinds):
            assert set(rule.basis.note) == {"en", "nl", "lv"}, rule.id
    assert book.get("slow-service-fast-food").basis.kinds == ("stated", "stated")
    assert book.get("no-problem-resolution-process").basis.threshold is None
