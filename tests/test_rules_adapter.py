"""The durable-rules adapter: compiled rules agree with their Python reading, each business runs
in a session of its own that is always released, one business's failure leaves the next
unaffected, and no other module imports durable-rules."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from servicekg.errors import RuleEngineError
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.knowledge_base import KnowledgeBase
from servicekg.rules import RuleBook, adapter, load_rules
from servicekg.rules.adapter import DurableEngine, raw_rate_benchmark
from servicekg.rules.conditions import iter_comparisons, unknown_metrics

PACKAGE = Path(adapter.__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def book(kb: KnowledgeBase) -> RuleBook:
    return load_rules(kb=kb)


def _engine(book: RuleBook) -> DurableEngine:
    assert isinstance(book.engine, DurableEngine)
    return book.engine


def _ids(book: RuleBook, facts: dict, sector: str = "", business: str = "test") -> list[str]:
    return [f.rule_id for f in book.evaluate(facts, sector, business)]


def _random_business(book: RuleBook, catalogue: MetricCatalogue, rnd: random.Random) -> dict:
    """Values at, just around and far from every threshold the rules compare with."""
    facts: dict = {}
    for rule in book:
        for condition in (rule.when, rule.unless):
            for comparison in iter_comparisons(condition) if condition is not None else ():
                metric = comparison.metric
                if metric in facts or rnd.random() < 0.35:
                    continue
                spec = catalogue[metric]
                if spec.is_boolean:
                    facts[metric] = rnd.random() < 0.5
                    continue
                numbers = comparison.threshold.numbers() if comparison.threshold else [0.0]
                low = spec.minimum if spec.minimum is not None else 0.0
                high = spec.maximum if spec.maximum is not None else 3 * max(numbers) + 1
                pick = rnd.choice([*numbers, *numbers, None])
                value = (
                    rnd.uniform(low, high) if pick is None else pick + rnd.choice([-1e-3, 0, 1e-3])
                )
                facts[metric] = min(max(value, low), high)
    return facts


def test_durable_agrees_with_the_python_reading_of_every_rule(
    book: RuleBook, kb: KnowledgeBase
) -> None:
    catalogue = MetricCatalogue.from_kb(kb)
    rnd = random.Random(20261124)  # noqa: S311  # a reproducible sample, not a secret
    sectors = ["", *book.sectors]
    fired_somewhere: set[str] = set()
    for n in range(400):
        facts, sector = _random_business(book, catalogue, rnd), rnd.choice(sectors)
        python = {rule.id for rule in book if rule.judge(facts, sector) is True}
        durable = set(_ids(book, facts, sector, f"random {n}"))
        assert durable == python, (facts, sector)
        fired_somewhere |= durable
    assert len(fired_somewhere) > len(book) * 0.8  # the sample reaches most rules


def test_the_one_pass_verdict_agrees_with_judging_and_listing_unknowns(
    book: RuleBook, kb: KnowledgeBase
) -> None:
    """What the assessment uses per rule it could not judge: the same answer as ``judge`` and
    ``unknowns``, the unknowns exactly the unobserved metrics that leave the rule open."""
    catalogue = MetricCatalogue.from_kb(kb)
    rnd = random.Random(20261130)  # noqa: S311  # a reproducible sample, not a secret
    sectors = ["", *book.sectors]
    open_seen = 0
    for _ in range(300):
        facts, sector = _random_business(book, catalogue, rnd), rnd.choice(sectors)
        for rule in book:
            verdict, missing = rule.verdict(facts, sector)
            assert verdict is rule.judge(facts, sector)
            assert (
                missing
                == rule.unknowns(facts, sector)
                == (unknown_metrics(rule.when, facts, sector) if verdict is None else [])
            )
            assert not set(missing) & set(facts)
            if verdict is None:
                open_seen += 1
                assert missing, rule.id
                # observing them settles the rule
                settled = {**facts, **{m: _some_value(catalogue[m]) for m in missing}}
                assert rule.judge(settled, sector) is not None, rule.id
    assert open_seen > 100


def _some_value(spec) -> float | bool:
    if spec.is_boolean:
        return True
    return spec.minimum if spec.minimum is not None else 0.0


def test_numbers_durables_json_reader_refuses_are_compared_correctly(book: RuleBook) -> None:
    # json.dumps writes 1e-05 and 1e+16, which durable-rules' reader refuses (error 204)
    assert "poor-product-quality" not in _ids(book, {"defect_rate": 1e-05})
    assert "poor-product-quality" in _ids(book, {"defect_rate": 0.5})
    assert "slow-service" in _ids(book, {"service_time_seconds": 1e16})
    assert "slow-service" not in _ids(book, {"service_time_seconds": 2.5e-05})


def test_a_rule_with_several_true_branches_fires_once(book: RuleBook) -> None:
    facts = {"alternatives_offered_rate": 0.1, "refusals_without_alternative_rate": 0.9}
    assert _ids(book, facts).count("no-alternatives-offered") == 1


def test_a_business_no_rule_matches_gets_no_firing(book: RuleBook) -> None:
    assert _ids(book, {}) == []
    assert _ids(book, {"retention_rate": 0.99, "complaint_rate": 1}) == []


def test_every_session_is_released(book: RuleBook, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _engine(book)
    released: list[str] = []
    release = engine._release

    def recording(host, sid: str) -> str | None:
        released.append(sid)
        return release(host, sid)

    monkeypatch.setattr(engine, "_release", recording)
    _ids(book, {"complaint_rate": 30})
    _ids(book, {})
    _inject(monkeypatch, engine, {"complaint_rate": float("inf")})
    with pytest.raises(RuleEngineError):
        _ids(book, {"complaint_rate": 30}, business="broken")
    assert len(released) == 3
    for sid in released:
        with pytest.raises(Exception, match="309"):  # durable: no such session
            adapter._the_host().get_state(engine.name, sid)


def _inject(monkeypatch: pytest.MonkeyPatch, engine: DurableEngine, extra: dict) -> None:
    """Make the next messages carry values durable-rules fails on (as if a bug let them by)."""
    encode = engine._message
    monkeypatch.setattr(engine, "_message", lambda *args: {**encode(*args), **extra})


def test_a_failing_business_is_named_and_the_next_one_is_evaluated_correctly(
    book: RuleBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    _inject(monkeypatch, _engine(book), {"complaint_rate": float("inf")})
    with pytest.raises(
        RuleEngineError, match=r"business 'acme': .*durable-rules failed: .*error"
    ) as e:
        book.evaluate({"complaint_rate": 30}, "", "acme")
    assert e.value.business == "acme"
    monkeypatch.undo()
    assert _ids(book, {"complaint_rate": 30, "service_time_seconds": 100}, "fast-food", "next") == [
        "slow-service-fast-food",
        "many-complaints",
    ]


def test_an_exception_inside_a_rule_action_is_raised_not_swallowed(
    book: RuleBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_action(self: DurableEngine, rule_id: str):
        def run(_context: object) -> None:
            raise ZeroDivisionError(rule_id)

        return run

    monkeypatch.setattr(DurableEngine, "_action", failing_action)
    broken = DurableEngine([book.get("many-complaints")], set(book.sectors))
    with pytest.raises(RuleEngineError, match=r"'acme': .*a rule action failed: .*many-complaints"):
        broken.evaluate({"complaint_rate": 30}, "", "acme")
    monkeypatch.undo()
    assert _ids(book, {"complaint_rate": 30}, "", "next") == ["many-complaints"]


@pytest.mark.parametrize(
    ("facts", "said"),
    [
        ({"complaint_rate": "high"}, r"metric complaint_rate: expected a number, got 'high'"),
        ({"complaint_rate": True}, r"metric complaint_rate: expected a number, got True"),
        ({"complaint_rate": float("nan")}, r"metric complaint_rate: nan is not a number"),
        (
            {"has_problem_resolution_process": 1},
            r"metric has_problem_resolution_process: expected true or false, got 1",
        ),
    ],
)
def test_values_that_cannot_be_compared_are_refused(book: RuleBook, facts: dict, said: str) -> None:
    with pytest.raises(RuleEngineError, match=rf"business 'acme': rules engine error: {said}"):
        book.evaluate(facts, "", "acme")


def test_an_unknown_sector_is_refused(book: RuleBook) -> None:
    with pytest.raises(RuleEngineError, match=r"'acme'.*'fastfood'; did you mean 'fast-food'"):
        book.evaluate({}, "fastfood", "acme")


def test_metrics_no_rule_reads_are_ignored(book: RuleBook) -> None:
    assert _ids(book, {"not_a_metric": "anything", "complaint_rate": 30}) == ["many-complaints"]


def test_a_sector_map_compiles_to_one_condition_on_one_fact(book: RuleBook) -> None:
    # long-queues: {default: 300, fast-food: 180, bakery: 180, healthcare-practice: 900,
    # public-office: 900}; the default holds for every other sector
    assert _engine(book).compiled("long-queues") == {
        "all": [
            {
                "m": {
                    "$and": [
                        {"$ex": {"sector": 1}},
                        {
                            "$or": [
                                {
                                    "$and": [
                                        {"sector": "fast-food"},
                                        {"$gt": {"queue_wait_seconds": 180_000_000}},
                                    ]
                                },
                                {
                                    "$and": [
                                        {"sector": "bakery"},
                                        {"$gt": {"queue_wait_seconds": 180_000_000}},
                                    ]
                                },
                                {
                                    "$and": [
                                        {"sector": "healthcare-practice"},
                                        {"$gt": {"queue_wait_seconds": 900_000_000}},
                                    ]
                                },
                                {
                                    "$and": [
                                        {"sector": "public-office"},
                                        {"$gt": {"queue_wait_seconds": 900_000_000}},
                                    ]
                                },
                                {
                                    "$and": [
                                        {"$neq": {"sector": "fast-food"}},
                                        {"$neq": {"sector": "bakery"}},
                                        {"$neq": {"sector": "healthcare-practice"}},
                                        {"$neq": {"sector": "public-office"}},
                                        {"$gt": {"queue_wait_seconds": 300_000_000}},
                                    ]
                                },
                            ]
                        },
                    ]
                }
            }
        ]
    }


def test_an_exception_compiles_to_its_negation_unknown_included(book: RuleBook) -> None:
    condition = _engine(book).compiled("unfriendly-staff")["all"][0]["m"]["$and"]
    assert condition[-1] == {
        "$or": [
            {"rude_service_is_the_product": False},
            {"$nex": {"rude_service_is_the_product": 1}},
        ]
    }


def test_every_rule_is_one_guarded_condition_on_one_fact(book: RuleBook) -> None:
    for rule in book:
        (fact,) = _engine(book).compiled(rule.id)["all"]
        assert list(fact) == ["m"]
        assert fact["m"]["$and"][0] == {"$ex": {"sector": 1}}, rule.id  # the session state has none


def test_each_compiled_rule_book_registers_a_ruleset_of_its_own(kb: KnowledgeBase) -> None:
    assert _engine(load_rules(kb=kb)).name != _engine(load_rules(kb=kb)).name


def test_raw_rate_benchmark_measures_durable_alone() -> None:
    assert raw_rate_benchmark(300) > 1000
    assert raw_rate_benchmark(100, facts_per_business=5, n_rules=10) > 100


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_regression_sessions_of_facts_no_rule_matches_are_deleted_without_crashing() -> None:
    # Deleting the session of a fact no rule had matched crashed fresh processes (segfault,
    # double free) until every ruleset got a rule that matches every business.
    code = """
        from servicekg.rules import load_rules
        book = load_rules()
        for n in range(300):
            assert book.evaluate({"retention_rate": 0.99}, "", f"b{n}") == []
        print("done")
    """
    for _ in range(3):
        result = _run_python(code)
        assert (result.returncode, result.stdout.strip()) == (0, "done"), result.stderr[-2000:]


@pytest.mark.slow
def test_regression_a_rule_on_an_absent_metric_fires_once_and_returns(tmp_path: Path) -> None:
    # Without the guard, `-m.x` matches durable's own session state and the rule fires forever.
    rules = tmp_path / "absent.yaml"
    rules.write_text(
        textwrap.dedent("""\
        rules:
          - id: process-not-observed
            title: {en: Not observed, nl: Niet waargenomen, lv: Nav novērots}
            recommendation: {en: Observe it., nl: Neem het waar., lv: Novērojiet to.}
            severity: low
            addresses: ProblemResolution
            principles: [ProblemResolution]
            sources: [lv-resolution-process]
            when: {metric: has_problem_resolution_process, absent: true}
            basis: {advice: stated}
            examples:
              fires: [{}]
              silent: [{has_problem_resolution_process: true}]
        """),
        encoding="utf-8",
    )
    result = _run_python(f"""
        from servicekg.rules import load_rules
        book = load_rules({str(rules)!r})
        print([f.rule_id for f in book.evaluate({{}}, "", "x")])
    """)
    assert (result.returncode, result.stdout.strip()) == (0, "['process-not-observed']"), (
        result.stderr[-2000:]
    )


def test_no_module_but_the_adapter_imports_durable() -> None:
    importing = re.compile(r"^\s*(from|import)\s+durable\b", re.MULTILINE)
    found = sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if importing.search(path.read_text(encoding="utf-8"))
    )
    assert found == ["rules/adapter.py"]
    assert "import *" not in (PACKAGE / "rules" / "adapter.py").read_text(encoding="utf-8")
