"""Assessing businesses end to end: what fires, how it is ranked and explained, what is unknown,
root causes, the JSON shape, provenance in the graph, and failure isolation."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from servicekg.assessment.graph_facts import AssessmentContext
from servicekg.assessment.pipeline import assess, run_assessment
from servicekg.assessment.results import SCHEMA
from servicekg.errors import ObservationError
from servicekg.namespace import GRAPH
from servicekg.observations import ObservationSet

BUSINESSES = """business,name,sector,region
burgers,Burgeri "Rīga",fast-food,LV
diner,Ed's Rude Diner,restaurant,US
callcentre,Bel Direct,call-centre,NL
factory,Staalwerk,manufacturing,NL
"""

OBSERVATIONS = """business,metric,value,unit
burgers,service_time_seconds,4,min
burgers,friendliness_score,4.5,
burgers,greeting_rate,95,%
diner,friendliness_score,1.2,
diner,rude_service_is_the_product,true,
diner,service_time_seconds,600,s
callcentre,complaint_rate,40,per_1000
callcentre,staff_turnover_rate,0.6,ratio
callcentre,employee_satisfaction_score,2.1,
factory,supplier_on_time_rate,0.6,
factory,supplier_defect_rate,0.08,
factory,defect_rate,0.07,
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("obs")
    (folder / "businesses.csv").write_text(BUSINESSES, encoding="utf-8")
    (folder / "observations.csv").write_text(OBSERVATIONS, encoding="utf-8")
    return [folder / "businesses.csv", folder / "observations.csv"]


@pytest.fixture(scope="module")
def run(data: list[Path]):
    return run_assessment(data)


def _rules(run, business: str) -> list[str]:
    return [r.rule.iri.rsplit("/", 1)[-1] for r in run.report.business(business).recommendations]


def test_slow_fast_food_is_told_so_against_the_90_second_benchmark(run) -> None:
    (rec,) = [r for r in run.report.business("burgers").recommendations if "slow" in r.rule.iri]
    assert rec.evidence[0].value == 240  # 4 min, converted
    assert any("90" in s.quote for s in rec.sources)
    assert rec.rank == 1


def test_a_rude_service_diner_is_not_told_to_be_friendlier(run) -> None:
    assert "unfriendly-staff" not in _rules(run, "diner")
    assert "customers-not-greeted" not in _rules(run, "diner")


def test_complaints_and_unhappy_leaving_staff_point_to_staff_treatment(run) -> None:
    assessment = run.report.business("callcentre")
    causes = [c.concept.iri.rsplit("#", 1)[-1] for c in assessment.root_causes]
    assert causes[0] == "EmployeeTreatment"
    assert assessment.root_causes[0].observed  # the turnover rules address staff treatment
    assert any(
        r.root_cause and r.root_cause.concept.iri.endswith("EmployeeTreatment")
        for r in assessment.recommendations
    )


def test_late_poor_supplies_are_not_blamed_for_product_defects(run) -> None:
    # regression: the suppliers passage promises better service from suppliers, not better
    # products, so defective supplies and defective products are two findings, not one cause
    causes = run.report.business("factory").root_causes
    assert not any(c.concept.iri.endswith("SupplierService") for c in causes)
    fired = {r.rule.iri.rsplit("/", 1)[-1] for r in run.report.business("factory").recommendations}
    assert {"supplier-late-and-defective", "poor-product-quality"} <= fired


def test_recommendations_are_ranked_by_score_with_reasons(run) -> None:
    for business in run.report.businesses:
        scores = [r.score for r in business.recommendations]
        assert scores == sorted(scores, reverse=True)
        assert [r.rank for r in business.recommendations] == list(range(1, len(scores) + 1))
        for rec in business.recommendations:
            assert 0 < rec.score <= 100
            assert rec.reason.chains
            assert rec.evidence
            assert rec.sources
            assert rec.principles


def test_what_could_not_be_judged_names_the_metric_to_measure(run) -> None:
    unjudged = run.report.business("burgers").unjudged
    missing = {m.iri.rsplit("/", 1)[-1] for u in unjudged for m in u.missing_metrics}
    assert "complaint_rate" in missing
    assert "service_time_seconds" not in missing


@pytest.mark.parametrize("lang", ["en", "nl", "lv"])
def test_the_recommendation_text_follows_the_language(data: list[Path], lang: str) -> None:
    report = run_assessment(data, lang=lang).report
    rec = report.business("burgers").recommendations[0]
    assert report.language == lang
    assert rec.title
    assert rec.addresses.label != "ServiceTime"


def test_the_json_shape_is_stable(run) -> None:
    data = json.loads(json.dumps(run.report.as_dict()))
    assert data["schema"] == SCHEMA
    assert set(data) == {"schema", "language", "generated_at", "businesses"}
    business = data["businesses"][0]
    assert set(business) == {
        "business",
        "iri",
        "name",
        "sector",
        "observations",
        "recommendations",
        "unjudged",
        "root_causes",
        "used_observations",
        "error",
        "warnings",
    }
    rec = next(b for b in data["businesses"] if b["recommendations"])["recommendations"][0]
    assert set(rec) == {
        "id",
        "business",
        "rank",
        "score",
        "title",
        "text",
        "rule",
        "severity",
        "addresses",
        "principles",
        "evidence",
        "sources",
        "reason",
        "root_cause",
    }
    assert set(rec["reason"]) == {"severity", "severity_weight", "impact", "gap", "chains", "text"}
    assert set(rec["sources"][0]) == {
        "passage",
        "article",
        "section",
        "quote",
        "quote_language",
        "rendering",
    }


def test_assessments_are_queryable_with_prov(run) -> None:
    rows = run.kb.select(
        """SELECT ?rule ?rank ?obs WHERE {
             ?rec a skg:Recommendation ; skg:forBusiness ?b ; skg:firedRule ?rule ;
                  skg:rank ?rank ; prov:wasGeneratedBy ?a ; prov:wasDerivedFrom ?obs .
             ?a a skg:Assessment ; prov:used ?obs .
             ?obs a sosa:Observation ; sosa:hasFeatureOfInterest ?b .
             ?b schema:identifier "burgers" }"""
    )
    assert any(r["rule"].endswith("slow-service-fast-food") and r["rank"] == 1 for r in rows)
    rules_on_principle = run.kb.select(
        "SELECT ?r WHERE { ?r a skg:Rule ; skg:restsOnPrinciple skg:Friendliness }"
    )
    assert rules_on_principle


def test_bad_observations_stop_the_run_with_file_row_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("business,metric,value\nx,greeting_rate,1.4\n", encoding="utf-8")
    with pytest.raises(ObservationError, match=r"bad\.csv:row 2: field 'value'"):
        run_assessment([bad])


def test_one_failing_business_does_not_touch_the_others(run) -> None:
    # a NaN never passes the loader; given to the engine directly, durable-rules cannot take it
    diner = next(o for o in run.observations.observations if o.business == "diner")
    poisoned = replace(diner, metric="service_time_seconds", value=float("nan"))
    observations = ObservationSet(
        run.observations.businesses, [*run.observations.observations, poisoned]
    )
    report = assess(run.kb, observations, context=AssessmentContext.build(run.kb))
    assert [b.business for b in report.failed] == ["diner"]
    assert "diner" in report.business("diner").error
    assert _rules(run, "burgers") == [
        r.rule.iri.rsplit("/", 1)[-1] for r in report.business("burgers").recommendations
    ]


def test_a_run_with_two_workers_writes_the_same_report_and_graphs(data: list[Path]) -> None:
    from servicekg.assessment import workers as runner

    single = run_assessment(data)
    old, runner.CHUNK = runner.CHUNK, 1
    try:
        double = run_assessment(data, workers=2)
    finally:
        runner.CHUNK = old
    assert _json(double.report) == _json(single.report)
    for graph in (GRAPH.observations, GRAPH.assessments):
        assert _lines(double.kb, graph) == _lines(single.kb, graph)


def _json(report) -> str:
    return json.dumps({**report.as_dict(), "generated_at": None})


def _lines(kb, graph) -> set[str]:
    text = kb.dump(graph, ox.RdfFormat.N_QUADS)
    return {line for line in text.decode().splitlines() if "endedAtTime" not in line}


def test_two_workers_give_the_same_report(run) -> None:
    from servicekg.assessment import workers as runner

    single = assess(run.kb, run.observations)
    old = runner.CHUNK
    runner.CHUNK = 1
    try:
        double = assess(run.kb, run.observations, workers=2)
    finally:
        runner.CHUNK = old
    strip = lambda r: [  # noqa: E731
        (b.business, [(x.rule.iri, x.rank, x.score) for x in b.recommendations])
        for b in r.businesses
    ]
    assert strip(single) == strip(double)


def test_a_failing_business_is_reported_everywhere_and_the_others_stay_whole(run) -> None:
    from servicekg.assessment import workers as runner
    from servicekg.assessment.provenance import write_assessments
    from servicekg.knowledge_base import KnowledgeBase
    from servicekg.reports import html_report, markdown_report

    diner = next(o for o in run.observations.observations if o.business == "diner")
    poisoned = replace(diner, metric="service_time_seconds", value=float("nan"))
    observations = ObservationSet(
        run.observations.businesses, [*run.observations.observations, poisoned]
    )
    old = runner.CHUNK
    runner.CHUNK = 1
    try:  # in worker processes too, each business of its own
        report = assess(run.kb, observations, workers=2)
    finally:
        runner.CHUNK = old
    assert [b.business for b in report.failed] == ["diner"]
    for business in ("burgers", "callcentre", "factory"):
        assert [
            (r.rule.iri, r.rank, r.score) for r in report.business(business).recommendations
        ] == [(r.rule.iri, r.rank, r.score) for r in run.report.business(business).recommendations]
    failed = next(b for b in report.as_dict()["businesses"] if b["business"] == "diner")
    assert "diner" in failed["error"]
    assert failed["recommendations"] == []
    assert "diner" in html_report(report).split('class="error">', 1)[1]
    assert "**error:**" in markdown_report(report)
    kb = KnowledgeBase()
    write_assessments(kb, report)
    (row,) = kb.select("SELECT ?why WHERE { ?a skg:assessedBusiness ?b ; rdfs:comment ?why }")
    assert "diner" in row["why"]
    assert len(kb.select("SELECT ?r WHERE { ?r a skg:Recommendation }")) == sum(
        len(b.recommendations) for b in report.businesses
    )


SESSIONS = """
import json, math, resource
from servicekg.assessment.graph_facts import AssessmentContext
from servicekg.assessment.assessor import assess_business
from servicekg.knowledge_base import KnowledgeBase
from servicekg.observations import Observation, Origin

context = AssessmentContext.build(KnowledgeBase.with_ontology())
failed, kinds, rss = [], {}, {}
for i in range(25_000):
    value = math.nan if i % 1_000 == 999 else 100.0 + i % 300
    seen = Observation(f"b{i}", "service_time_seconds", value, "s", None, None, None, None,
                       Origin("generated", i))
    result = assess_business(context, f"b{i}", None, [seen])
    if result.error:
        failed.append(result.business)
    else:
        rules = tuple(r.rule.iri for r in result.recommendations)
        kinds.setdefault(value, set()).add(rules)
    if i in (5_000, 24_999):
        rss[i] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"failed": failed, "inconsistent": [v for v, k in kinds.items() if len(k) > 1],
                  "rss_growth_kb": rss[24_999] - rss[5_000]}))
"""


@pytest.mark.slow
def test_more_businesses_than_durable_rules_has_live_sessions_with_failures_among_them() -> None:
    # 20,000 sessions never deleted ended in MemoryError or a segfault (DESIGN.md): every
    # session, of a failed business too, is released, so 25,000 in one process run through
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", SESSIONS], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    assert found["failed"] == [f"b{i}" for i in range(999, 25_000, 1_000)]
    assert found["inconsistent"] == []
    assert found["rss_growth_kb"] < 40_000  # 20,000 live sessions would hold about 70 MB


def test_a_worker_that_could_not_start_fails_each_business_but_keeps_its_observations(
    run,
) -> None:
    from servicekg.assessment import workers as runner

    jobs = runner.chunk_jobs(run.observations)
    assert runner._WORKER is None  # this process never started a worker
    results, data = runner._assess_chunk((jobs, "2024-01-01T00:00:00+00:00", True))
    text = data.decode()
    assert all(r.error == runner._WORKER_ERROR for r in results)
    observations = sum(len(rows) for _, _, rows in jobs)
    assert text.count("<http://www.w3.org/ns/sosa/Observation>") == observations
    assert text.count(runner._WORKER_ERROR) == len(jobs)


def test_the_json_of_a_business_is_what_asdict_makes_of_it(run) -> None:
    from dataclasses import asdict

    from servicekg.assessment.results import business_dict

    for business in run.report.businesses:
        expected = asdict(business)
        for rec, raw in zip(business.recommendations, expected["recommendations"], strict=True):
            raw["reason"]["text"] = rec.reason.text()
        assert business_dict(business) == expected
        assert json.dumps(business_dict(business)) == json.dumps(expected)
