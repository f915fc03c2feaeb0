"""Explaining an assessment read back from a store goes through the one renderer a fresh
assessment uses, escapes included (the stored copy used to escape less)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from servicekg.assessment.pipeline import run_assessment
from servicekg.assessment.stored import stored_assessment
from servicekg.errors import UnknownTermError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.reports.markdown import explain_markdown

NAME = "Evil & Co\n# Injected heading <script>alert(1)</script> *bold* [link](http://x) ~~s~~!"
SOURCE = "<img src=x onerror=alert(1)> | `code` _it_"


def _write(folder: Path) -> list[Path]:
    folder.mkdir()
    businesses, observations = folder / "businesses.csv", folder / "observations.csv"
    with businesses.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([["business", "name", "sector"], ["evil", NAME, "fast-food"]])
    with observations.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(
            [
                ["business", "metric", "value", "unit", "source", "note"],
                ["evil", "service_time_seconds", "156", "s", SOURCE, "<b>note</b> # not a head"],
            ]
        )
    return [businesses, observations]


@pytest.fixture(scope="module")
def explained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("escaping")
    files = _write(folder / "in")
    kb = KnowledgeBase.open(folder / "store")
    kb.load_ontology()
    try:
        fresh = run_assessment(files, kb=kb).report.business("evil")
        stored = stored_assessment(kb, "evil")
    finally:
        kb.close()
    return {
        kind: "\n".join(explain_markdown(assessment, rec) for rec in assessment.chosen())
        for kind, assessment in (("fresh", fresh), ("stored", stored))
    }


@pytest.mark.parametrize("kind", ["fresh", "stored"])
def test_names_and_sources_never_become_markup(explained: dict[str, str], kind: str) -> None:
    text = explained[kind]
    assert "slow-service" in text  # the recommendation is there
    assert not re.search(r"(?<![\\-])[<>]", text)  # none unescaped but our own arrows (->)
    assert not any(line.startswith("# Injected") for line in text.splitlines())
    assert r"\<script\>" in text
    assert r"\*bold\*" in text
    assert r"\[link\]" in text
    assert r"Evil \& Co" in text
    assert r"\~\~s\~\~\!" in text


def test_the_stored_explanation_is_the_fresh_one_but_for_what_the_store_does_not_keep(
    explained: dict[str, str],
) -> None:
    fresh, stored = explained["fresh"].splitlines(), explained["stored"].splitlines()
    assert fresh[0] == stored[0] == "# 1. Fast-food service is slower than the McDonald's example"
    assert fresh[2] == stored[2]  # the business, escaped alike
    assert [line for line in stored if line.startswith("score ")] == [
        line for line in fresh if line.startswith("score ")
    ]


def test_choosing_a_recommendation_by_rule_or_rank_names_the_known_ones(tmp_path: Path) -> None:
    kb = KnowledgeBase.open(tmp_path / "store")
    kb.load_ontology()
    try:
        run_assessment(_write(tmp_path / "in"), kb=kb)
        assessment = stored_assessment(kb, "evil")
    finally:
        kb.close()
    assert assessment.chosen("1") == assessment.chosen("slow-service-fast-food")
    with pytest.raises(UnknownTermError, match="did you mean 'slow-service-fast-food'"):
        assessment.chosen("slow-servic")
