"""What an assessment finds beside its recommendations: root causes that rest on evidence and
causes to check, rules set aside, caveats, strengths and data quality; in JSON and Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from servicekg.assessment.pipeline import run_assessment
from servicekg.assessment.results import AssessmentReport
from servicekg.assessment.stored import stored_assessment
from servicekg.errors import ObservationError
from servicekg.namespace import local_name
from servicekg.reports.markdown import explain_markdown, findings_markdown, markdown_report

OBSERVATIONS = """business,metric,value
slow,service_time_seconds,600
slow,complaint_rate,25
staff,service_time_seconds,600
staff,complaint_rate,25
staff,manager_support_score,2.1
staff,staff_turnover_rate,0.5
diner,rude_service_is_the_product,true
diner,friendliness_score,1.8
diner,greeting_rate,0.2
accountant,fun_score,2.0
accountant,certainty_score,4.6
counts,complaint_rate,5
counts,complaints_received,40
counts,customers_served,1000
"""

BUSINESSES = """business,name,sector
slow,Corner shop,retail
staff,Call us,call-centre
diner,Insult Grill,restaurant
accountant,Verhoef,accountancy
counts,Tuinhuis,retail
"""


def _files(folder: Path) -> list[Path]:
    (folder / "obs.csv").write_text(OBSERVATIONS, encoding="utf-8")
    (folder / "biz.csv").write_text(BUSINESSES, encoding="utf-8")
    return [folder / "obs.csv", folder / "biz.csv"]


@pytest.fixture(scope="module", params=["en", "nl", "lv"])
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    return run_assessment(_files(tmp_path_factory.mktemp("f")), lang=request.param).report


def _names(terms) -> list[str]:
    return [local_name(t.concept.iri) for t in terms]


def test_an_unobserved_upstream_cause_is_to_check_not_the_cause(report: AssessmentReport) -> None:
    # regression: slow service and complaints named staff treatment, which nobody observed
    found = report.business("slow")
    assert "EmployeeTreatment" not in _names(found.root_causes)
    (check,) = [c for c in found.to_check if c.concept.iri.endswith("EmployeeTreatment")]
    metrics = {local_name(m.iri) for m in check.metrics}
    assert {"manager_support_score", "staff_turnover_rate"} <= metrics
    assert all(link.passages for chain in check.links for link in chain)


def test_an_observed_bad_upstream_cause_is_named_with_its_path(report: AssessmentReport) -> None:
    found = report.business("staff")
    cause = found.root_causes[0]
    assert local_name(cause.concept.iri) == "EmployeeTreatment"
    assert cause.observed
    assert "Complaints" in [local_name(t.iri) for t in cause.explains]
    chain = cause.links[[local_name(t.iri) for t in cause.explains].index("Complaints")]
    assert local_name(chain[0].source.iri) == "EmployeeTreatment"
    assert local_name(chain[-1].target.iri) == "Complaints"
    assert all(link.passages for link in chain)
    assert "nl1-wsj-poorly-treated" in {local_name(p.passage) for p in chain[0].passages}
    assert "EmployeeTreatment" not in _names(found.to_check)


def test_the_rude_diner_is_told_why_politeness_rules_are_set_aside(
    report: AssessmentReport,
) -> None:
    found = report.business("diner")
    aside = {local_name(a.rule.iri): a for a in found.set_aside}
    assert {"unfriendly-staff", "customers-not-greeted"} <= set(aside)
    item = aside["unfriendly-staff"]
    assert item.kind == "exception"
    assert local_name(item.reason.iri) == "RudeServiceAsProduct"
    assert item.reason.label != "RudeServiceAsProduct"  # labelled in the report's language
    assert "lv-exception-chicago" in {local_name(p.passage) for p in item.passages}
    assert not found.recommendations


def test_fun_at_an_accountant_is_set_aside_as_a_need_of_another_business(
    report: AssessmentReport,
) -> None:
    (item,) = report.business("accountant").set_aside
    assert local_name(item.rule.iri) == "theme-park-not-fun"
    assert item.kind == "sector"
    assert local_name(item.reason.iri) == "NeedsVaryByBusiness"
    assert [local_name(t.iri) for t in item.applies_to] == ["ThemePark"]
    assert "nl1-accountants" in {local_name(p.passage) for p in item.passages}


def test_strengths_say_what_is_good_and_why(report: AssessmentReport) -> None:
    (strength,) = report.business("accountant").strengths
    assert strength.evidence.metric == "certainty_score"
    assert strength.target == {"op": "at_least", "value": 4.0}
    assert local_name(strength.concept.iri) == "Certainty"
    assert strength.links
    assert all(link.passages for link in strength.links)
    assert strength.passages


def test_contradicting_counts_are_a_finding_naming_both_rows(report: AssessmentReport) -> None:
    (finding,) = report.business("counts").data_quality
    assert finding.kind == "rate"
    assert [e.origin.rsplit(":", 1)[1] for e in finding.observations] == ["13", "14", "15"]
    assert "complaint_rate" not in {s.evidence.metric for s in report.business("counts").strengths}


def test_the_same_metric_twice_with_different_values_stays_an_error(tmp_path: Path) -> None:
    (tmp_path / "obs.csv").write_text(
        "business,metric,value\nb,complaint_rate,5\nb,complaint_rate,9\n", encoding="utf-8"
    )
    with pytest.raises(ObservationError, match="twice with different values"):
        run_assessment([tmp_path / "obs.csv"])


def test_every_finding_is_in_the_json(report: AssessmentReport) -> None:
    data = json.loads(json.dumps(report.as_dict()))
    by_id = {b["business"]: b for b in data["businesses"]}
    assert by_id["diner"]["set_aside"][0]["reason"]["label"]
    assert by_id["diner"]["set_aside"][0]["passages"][0]["quote"]
    assert by_id["slow"]["to_check"][0]["metrics"]
    assert by_id["staff"]["root_causes"][0]["links"][0][0]["passages"]
    assert by_id["accountant"]["strengths"][0]["target"]["op"] == "at_least"
    assert by_id["counts"]["data_quality"][0]["observations"][0]["origin"].endswith(":13")
    for rec in by_id["slow"]["recommendations"]:
        assert isinstance(rec["caveats"], list)  # rules without caveats give an empty list


def test_the_markdown_shows_every_finding_in_the_report_language(
    report: AssessmentReport,
) -> None:
    text = markdown_report(report)
    heads = {
        "en": ("Set aside", "To check", "Strengths", "Data quality"),
        "nl": ("Buiten toepassing gelaten", "Na te gaan", "Sterke punten", "Kwaliteit van"),
        "lv": ("Nepiemērotie noteikumi", "Jāpārbauda", "Stiprās puses", "Datu kvalitāte"),
    }[report.language]
    for head in heads:
        assert f"### {head}" in text
    assert "`manager_support_score`" in text
    assert "obs.csv:13" in text
    diner = findings_markdown(report.business("diner"), report.language)
    assert "`unfriendly-staff`" in diner
    assert "lv-exception-chicago" in diner
    staff = report.business("staff")
    explained = explain_markdown(staff, staff.recommendations[0], report.language)
    assert "nl1-wsj-poorly-treated" in explained or not staff.recommendations[0].root_cause


def test_rules_set_aside_are_written_back_as_rdf(tmp_path: Path) -> None:
    run = run_assessment(_files(tmp_path))
    rows = run.kb.select(
        """SELECT ?rule ?by WHERE {
             ?node a skg:SetAside ; skg:setAsideRule ?rule ; skg:setAsideBy ?by ;
                   prov:wasGeneratedBy/skg:assessedBusiness/schema:identifier "diner" }"""
    )
    found = {(local_name(r["rule"]), local_name(r["by"])) for r in rows}
    assert ("unfriendly-staff", "RudeServiceAsProduct") in found


def test_rules_set_aside_are_read_back_for_explain(tmp_path: Path) -> None:
    run = run_assessment(_files(tmp_path))
    stored = stored_assessment(run.kb, "diner", "nl")
    item = {local_name(a.rule.iri): a for a in stored.set_aside}["unfriendly-staff"]
    assert item.kind == "exception"
    assert item.reason.label == "Onbeleefde bediening als product"
    assert {e.metric for e in item.evidence} >= {"friendliness_score"}
    assert "lv-exception-chicago" in {local_name(p.passage) for p in item.passages}
    (fun,) = stored_assessment(run.kb, "accountant").set_aside
    assert fun.kind == "sector"
    assert "### Set aside" in findings_markdown(stored_assessment(run.kb, "accountant"))


def test_caveats_and_basis_reach_the_json_and_explain(tmp_path: Path) -> None:
    (tmp_path / "obs.csv").write_text(
        "business,metric,value\nff,service_time_seconds,240\n", encoding="utf-8"
    )
    (tmp_path / "biz.csv").write_text("business,name,sector\nff,Burgeri,fast-food\n")
    report = run_assessment([tmp_path / "obs.csv", tmp_path / "biz.csv"], lang="nl").report
    (rec,) = report.business("ff").recommendations
    assert "lv-product-quality" in {local_name(c.passage.passage) for c in rec.caveats}
    assert rec.basis is not None
    assert rec.basis.advice == "stated"
    raw = json.loads(json.dumps(report.as_dict()))["businesses"][0]["recommendations"][0]
    assert raw["caveats"][0]["text"]
    assert raw["caveats"][0]["passage"]["quote"]
    assert raw["basis"]["advice"] == "stated"
    text = explain_markdown(report.business("ff"), rec, "nl")
    assert "kanttekening:" in text
    assert "`lv-product-quality`" in text
    assert "grondslag: staat in het artikel" in text
