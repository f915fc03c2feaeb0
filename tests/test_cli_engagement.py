"""progress, chain, what-if and follow-up, run in-process as a consultant would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from servicekg.engagement.words import words

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
RIGA, JELGAVA = "burgeru-baze-riga", "burgeru-baze-jelgava"


@pytest.mark.parametrize("lang", ["en", "nl", "lv"])
def test_progress_in_each_language(run_cli, lang: str) -> None:
    result = run_cli("progress", RIGA, "--lang", lang)
    assert result.exit_code == 0, result.stderr
    said = words(lang)
    assert result.stdout.startswith(f"# {said['progress']}: Burgeru Bāze")
    assert said["outcomes"]["not-moved"] in result.stdout


def test_progress_as_json_written_to_a_file(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "progress.json"
    result = run_cli("progress", JELGAVA, "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [v["number"] for v in data["visits"]] == [1, 2, 3]
    assert {r["change"] for r in data["recommendations"]} == {"new", "worse"}


@pytest.mark.parametrize("lang", ["en", "nl", "lv"])
def test_chain_in_each_language(run_cli, lang: str) -> None:
    result = run_cli("chain", "burgeru-baze", "--lang", lang)
    assert result.exit_code == 0, result.stderr
    assert f"## {words(lang)['shared_actions']}" in result.stdout


def test_chain_as_json_names_the_chain_level_actions(run_cli) -> None:
    result = run_cli("chain", "burgeru-baze", "--format", "json")
    data = json.loads(result.stdout)
    assert data["shared_actions"][0]["rule"] == "slow-service-fast-food"
    assert [c["label"] for c in data["shared_causes"]] == ["Employee treatment"]


@pytest.mark.parametrize("lang", ["en", "nl", "lv"])
def test_what_if_in_each_language(run_cli, lang: str) -> None:
    result = run_cli(
        "what-if", JELGAVA, "service_time_seconds=1.5min", "--best", "2", "--lang", lang
    )
    assert result.exit_code == 0, result.stderr
    said = words(lang)
    assert f"## {said['disappear']}" in result.stdout
    assert f"## {said['best_changes']}" in result.stdout


def test_what_if_as_json_ranks_the_best_changes(run_cli) -> None:
    result = run_cli("what-if", JELGAVA, "--best", "3", "--format", "json")
    assert result.exit_code == 0, result.stderr
    best = json.loads(result.stdout)["best"]
    assert len(best) == 3
    assert [b["effect"] for b in best] == sorted((b["effect"] for b in best), reverse=True)
    assert all(b["path"] for b in best)


@pytest.mark.parametrize(
    ("args", "words_"),
    [
        (("what-if", JELGAVA), "metric=value"),
        (("what-if", JELGAVA, "service_time=90"), "unknown metric"),
        (("progress", "nobody"), "unknown business"),
        (("chain", "nobody"), "unknown group"),
        (("follow-up", RIGA, "slow-service-fast-food", "--status", "done"), "--store DIR"),
    ],
)
def test_bad_requests_exit_2_naming_what_is_wrong(run_cli, args, words_: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2
    assert words_ in result.stderr


def test_follow_up_is_stored_and_read_back_by_progress(run_cli, tmp_path: Path) -> None:
    store = str(tmp_path / "kb")
    assert run_cli("assess", str(EXAMPLES), "--store", store, "--format", "json").exit_code == 0
    result = run_cli(
        "follow-up", JELGAVA, "slow-service-fast-food", "--status", "in-progress",
        "--note", "a third person at lunch", "--date", "2026-09-20", "--store", store,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith(f"/follow-up/{JELGAVA}/slow-service-fast-food/1")
    shown = run_cli("progress", JELGAVA, "--store", store, "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    follow = json.loads(shown.stdout)["follow_ups"]
    assert {
        "rule": "slow-service-fast-food",
        "status": "in-progress",
        "date": "2026-09-20",
    }.items() <= {
        k: v for f in follow if f["rule"] == "slow-service-fast-food" for k, v in f.items()
    }.items()


def test_an_unknown_rule_is_refused_and_nothing_is_written(run_cli, tmp_path: Path) -> None:
    store = str(tmp_path / "kb")
    run_cli("assess", str(EXAMPLES), "--store", store, "--format", "json")

    def stored() -> str:
        count = run_cli(
            "query", "SELECT (COUNT(*) AS ?n) WHERE { ?f a skg:FollowUp }", "--store", store,
            "--format", "json",
        )  # fmt: skip
        [row] = json.loads(count.stdout)["results"]["bindings"]
        return str(row["n"]["value"])

    assert stored() == "6"  # examples/chain/follow-ups.csv, stored by assess
    result = run_cli("follow-up", RIGA, "slow-servise", "--status", "done", "--store", store)
    assert result.exit_code == 2
    assert "did you mean 'slow-service'" in result.stderr
    assert stored() == "6"


def test_assess_at_one_visit_judges_what_was_known_then(run_cli) -> None:
    first = json.loads(run_cli("assess", str(EXAMPLES), "--visit", "1", "--format", "json").stdout)
    latest = json.loads(run_cli("assess", str(EXAMPLES), "--format", "json").stdout)

    def rules(report: dict, business: str) -> set[str]:
        [found] = [b for b in report["businesses"] if b["business"] == business]
        return {r["rule"]["iri"].rsplit("/", 1)[1] for r in found["recommendations"]}

    assert "customers-not-greeted" in rules(first, RIGA)  # March: 72 % greeted
    assert rules(latest, RIGA) == {"slow-service-fast-food"}  # September


def test_assess_at_a_visit_some_businesses_lack_says_so(run_cli) -> None:
    result = run_cli("assess", str(EXAMPLES), "--visit", "3", "--format", "json")
    assert result.exit_code == 0
    assert "have no visit 3" in result.stderr
    assessed = {b["business"] for b in json.loads(result.stdout)["businesses"]}
    assert RIGA in assessed
    assert "burgeru-baze-liepaja" not in assessed


def test_assess_all_visits_into_a_store_then_progress_from_it(run_cli, tmp_path: Path) -> None:
    store = str(tmp_path / "kb")
    done = run_cli("assess", str(EXAMPLES), "--all-visits", "--store", store, "--format", "json")
    assert done.exit_code == 0, done.stderr
    resolved = run_cli(
        "query", "-f", str(EXAMPLES.parent / "ontology" / "queries" / "engagement"
                           / "02-recommendations-resolved-per-chain.rq"),
        "--store", store, "--format", "json",
    )  # fmt: skip
    [row] = json.loads(resolved.stdout)["results"]["bindings"]
    assert row["resolved"]["value"] == "9"
    shown = run_cli("progress", RIGA, "--store", store, "--lang", "nl")
    assert shown.exit_code == 0, shown.stderr
    assert "opgelost" in shown.stdout


def test_visits_cannot_be_streamed(run_cli, tmp_path: Path) -> None:
    result = run_cli(
        "assess", str(EXAMPLES), "--all-visits", "--store", str(tmp_path), "--stream",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "leave out --stream" in result.stderr
