"""Generated malformed rule files and threshold overrides: each is refused with a
:class:`~servicekg.errors.RuleFileError` naming the file (and the line, rule and field where
it can), or loads cleanly and compiles; never another exception. Through the CLI,
``rules check`` exits 0 or 2 with no traceback.

Rule documents are made by changing a sound rule at random places (a value replaced by one of
another type, a key dropped or added, a rule repeated) and by cutting or inserting bytes in a
sound rule file. Hypothesis runs derandomized with no example database.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz import SETTINGS, examples
from servicekg.cli import app
from servicekg.errors import EXIT_ERROR, EXIT_OK, RuleFileError, ServiceKGError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.resources import rules_dir
from servicekg.rules import RuleBook, load_rules

pytestmark = pytest.mark.fuzz

SOUND = """\
rules:
  - id: test-rule
    title: {en: Slow, nl: Traag, lv: Lēni}
    recommendation: {en: Be faster., nl: Wees sneller., lv: Esiet ātrāki.}
    severity: high
    addresses: ServiceTime
    principles: [ServiceTime]
    sources: [lv-service-time-factor]
    when:
      all:
        - {metric: service_time_seconds, above: {default: 300, fast-food: 90}}
        - {sector_not: [accountancy]}
    unless: {metric: rude_service_is_the_product, is: true}
    rationale: A test.
    basis: {advice: stated, threshold: judgement, note: {en: A test., nl: Een test., lv: Tests.}}
    examples:
      fires: [{service_time_seconds: 400}]
      silent: [{service_time_seconds: 100}]
"""
SOUND_DOCUMENT: dict[str, Any] = yaml.safe_load(SOUND)
BUNDLED = sorted(rules_dir().glob("*.yaml"))


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        (
            "", "ServiceTime", "skg:ServiceTime", "Vriendelijkheid", "service_time_seconds",
            "greeting_rate", "fast-food", "default", "benchmark", "fast-food-service-time",
            "above", "below", "is", "all", "any", "metric", "sector", "high", "urgent",
            "lv-service-time-factor", "https://example.org/x", "<script>", "Rīga", "1e309",
            "test-rule", "Test_Rule", "\x00", "a" * 300,
        )
    ),
    st.text(max_size=10),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.one_of(SCALARS, st.sampled_from(("metric", "above", "all"))), inner, max_size=3
        ),
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a document: dict keys and list indexes, depth first."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*prefix, i))
    return found


@st.composite
def mutated_document(draw: st.DrawFn) -> Any:
    """The sound rule with one to four places changed."""
    document = copy.deepcopy(SOUND_DOCUMENT)
    for _ in range(draw(st.integers(1, 4))):
        places = [p for p in _paths(document) if p]
        if not places:
            return draw(VALUES)
        place = draw(st.sampled_from(places))
        parent = document
        for step in place[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(("replace", "replace", "drop", "add", "repeat")))
        key = place[-1]
        if action == "replace":
            parent[key] = draw(VALUES)
        elif action == "drop":
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(SCALARS)] = draw(VALUES)
        elif action == "repeat" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return document


def _yaml(document: Any) -> bytes:
    return yaml.safe_dump(document, allow_unicode=True).encode("utf-8", "surrogatepass")


@st.composite
def cut_or_spliced(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if draw(st.booleans()):
            del data[at : at + draw(st.integers(1, 30))]
        else:
            data[at:at] = draw(
                st.sampled_from(
                    (
                        b":",
                        b"- ",
                        b"\n  ",
                        b"{",
                        b"]",
                        b"&a",
                        b"*a",
                        b"!!python/object:os.system ",
                        b"\t",
                        b"\xff",
                    )
                )
            )
    return bytes(data)


def _described(document: Any) -> Any:
    return {"description": "x", **document} if isinstance(document, dict) else document


def rule_file() -> st.SearchStrategy[bytes]:
    return st.one_of(
        mutated_document().map(_yaml),
        mutated_document().map(_described).map(_yaml),
        cut_or_spliced(SOUND.encode()),
        st.sampled_from(BUNDLED).map(Path.read_bytes).flatmap(cut_or_spliced),
        st.binary(max_size=100),
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rules")


def _refused_clearly(error: ServiceKGError, path: Path) -> None:
    assert isinstance(error, RuleFileError), repr(error)
    assert error.problems
    for problem in error.problems:
        assert problem.path == str(path), str(problem)
        assert problem.message.strip(), str(problem)


@pytest.mark.slow
def test_the_rule_loader_refuses_malformed_rule_files_clearly(
    kb: KnowledgeBase, folder: Path
) -> None:
    path = folder / "fuzzed.yaml"

    @settings(SETTINGS, max_examples=examples(300))
    @given(data=rule_file())
    def check(data: bytes) -> None:
        path.write_bytes(data)
        try:
            book = load_rules(path, kb=kb)
        except ServiceKGError as error:
            _refused_clearly(error, path)
        else:
            assert isinstance(book, RuleBook)
            for rule in book.rules:  # what loads also runs
                book.evaluate({m: 1 for m in rule.metrics if m.endswith("_seconds")}, "")

    check()


@pytest.mark.slow
def test_malformed_threshold_overrides_are_refused_clearly(kb: KnowledgeBase, folder: Path) -> None:
    path = folder / "overrides.yaml"
    overrides = st.one_of(
        st.dictionaries(
            st.sampled_from(("slow-service", "unfriendly-staff", "nope", "")),
            st.one_of(
                VALUES,
                st.dictionaries(
                    st.sampled_from(("service_time_seconds", "friendliness_score", "x")), VALUES
                ),
            ),
            max_size=3,
        ).map(_yaml),
        st.binary(max_size=60),
    )

    @settings(SETTINGS, max_examples=examples(60))
    @given(data=overrides)
    def check(data: bytes) -> None:
        path.write_bytes(data)
        failure: RuleFileError | None = None
        try:
            load_rules(kb=kb, overrides=path)
        except RuleFileError as error:
            failure = error
        if failure is not None:
            assert failure.problems
            assert all(p.message.strip() for p in failure.problems)

    check()


@pytest.mark.slow
def test_rules_check_exits_0_or_2_with_no_traceback(folder: Path) -> None:
    runner = CliRunner()
    path = folder / "cli.yaml"

    @settings(SETTINGS, max_examples=examples(60))
    @given(data=rule_file())
    def check(data: bytes) -> None:
        path.write_bytes(data)
        result = runner.invoke(app, ["rules", "check", str(path)])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        assert result.exit_code in (EXIT_OK, EXIT_ERROR)
        assert "Traceback" not in result.output + result.stderr
        if result.exit_code == EXIT_ERROR:
            assert str(path) in result.stderr

    check()


def test_a_nan_threshold_is_refused_not_compiled(kb: KnowledgeBase, folder: Path) -> None:
    path = folder / "nan.yaml"
    document = copy.deepcopy(SOUND_DOCUMENT)
    document["rules"][0]["when"]["all"][0]["above"]["default"] = math.nan
    path.write_bytes(_yaml(document))
    with pytest.raises(RuleFileError, match=r"nan\.yaml:\d+: rule 'test-rule'"):
        load_rules(path, kb=kb)


def test_a_rule_file_not_in_utf8_is_refused_with_its_line(kb: KnowledgeBase, folder: Path) -> None:
    # a latin-1 rule file raised UnicodeDecodeError out of the loader and the CLI
    path = folder / "latin1.yaml"
    path.write_bytes(SOUND.replace("Lēni", "Café").encode("latin-1", "replace"))
    with pytest.raises(RuleFileError) as caught:
        load_rules(path, kb=kb)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (str(path), 3)
    assert "not UTF-8 text (byte 0xe9 on line 3)" in problem.message
