"""The chain roll-up: chain-level actions, shared root causes, best and worst, percentile."""

from __future__ import annotations

import pytest

from engagement_data import JELGAVA, LIEPAJA, RIGA, examples, specs, visits_of_business
from servicekg.engagement.chain import Branch, chain_report, group_of, percentile
from servicekg.engagement.progress import business_score
from servicekg.engagement.render import chain_markdown
from servicekg.engagement.words import words

BRANCHES = (JELGAVA, LIEPAJA, RIGA)


def _chain(lang: str = "en"):
    data = examples()
    branches, scores = [], {}
    for business in data.by_business():
        latest = visits_of_business(business, lang=lang)[-1]
        described = data.businesses[business]
        scores.setdefault(described.sector or "", []).append(business_score(latest.assessment))
        if group_of(described) == "burgeru-baze":
            branches.append(Branch(described, latest.assessment, latest.facts, latest.visit.label))
    return chain_report("burgeru-baze", branches, specs(), scores, lang), scores


def test_the_example_chain_has_three_branches_from_its_group_column() -> None:
    report, _ = _chain()
    assert [b.business for b in report.branches] == list(BRANCHES)
    assert [b.visit for b in report.branches] == ["2026-09-15", "2026-09-22", "2026-09-08"]


def test_recommendations_made_at_most_branches_become_chain_level_actions() -> None:
    report, _ = _chain()
    shared = {a.rule: a.branches for a in report.shared_actions}
    assert shared["slow-service-fast-food"] == BRANCHES
    assert shared["staff-poorly-treated"] == (JELGAVA, LIEPAJA)
    assert "slow-complaint-resolution" not in shared  # Liepāja's alone
    assert report.shared_actions[0].rule == "slow-service-fast-food"  # at every branch: first


def test_a_root_cause_named_at_several_branches_is_shared() -> None:
    report, _ = _chain()
    [cause] = report.shared_causes
    assert cause.concept.endswith("#EmployeeTreatment")
    assert cause.branches == (JELGAVA, LIEPAJA)
    assert "Internal service" in cause.explains


def test_best_and_worst_branch_per_metric_follow_its_better_direction() -> None:
    report, _ = _chain()
    found = {e.metric: (e.best, e.worst) for e in report.extremes}
    assert found["service_time_seconds"] == (LIEPAJA, JELGAVA)  # 92 s best, 121 s worst
    assert found["greeting_rate"] == (RIGA, JELGAVA)
    assert found["staff_turnover_rate"] == (RIGA, JELGAVA)  # lower is better


def test_each_branch_has_its_percentile_among_its_sector() -> None:
    report, scores = _chain()
    fast_food = scores["fast-food"]
    assert len(fast_food) == 4  # burgeri-riga and the three branches
    by_id = {b.business: b for b in report.branches}
    assert by_id[RIGA].percentile == percentile(by_id[RIGA].score, fast_food)
    assert by_id[JELGAVA].percentile < by_id[LIEPAJA].percentile < by_id[RIGA].percentile
    assert by_id[JELGAVA].percentile == 12.5  # the worst of four


@pytest.mark.parametrize(
    ("score", "scores", "expected"),
    [(5.0, [5.0], 50.0), (0.0, [0.0, 10.0], 75.0), (10.0, [0.0, 10.0], 25.0),
     (3.0, [3.0, 3.0, 3.0, 9.0], 62.5)],
)  # fmt: skip
def test_percentile_counts_ties_half(score: float, scores: list[float], expected: float) -> None:
    assert percentile(score, scores) == expected


@pytest.mark.parametrize("lang", ["en", "nl", "lv"])
def test_the_chain_report_speaks_the_readers_language(lang: str) -> None:
    report, _ = _chain(lang)
    said = words(lang)
    text = chain_markdown(report, lang)
    assert text.startswith(f"# {said['chain']}: burgeru-baze")
    for heading in ("shared_actions", "shared_causes", "best_worst"):
        assert f"## {said[heading]}" in text
    title = {
        "en": "Fast-food service is slower than the McDonald's example",
        "nl": "De fastfoodbediening is trager dan het voorbeeld van McDonald's",
        "lv": "Ātrās ēdināšanas apkalpošana ir lēnāka par McDonald's piemēru",
    }
    assert f"**{title[lang]}**" in text


def test_the_chain_report_as_json() -> None:
    report, _ = _chain()
    data = report.as_dict()
    assert set(data) == {"group", "branches", "shared_actions", "shared_causes", "best_and_worst"}
    assert data["branches"][0]["recommendations"][0]["rule"] == "slow-service-fast-food"
