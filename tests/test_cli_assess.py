"""assess, explain, demo and rules, run in-process as a consultant would."""

import json
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest

from servicekg.knowledge_base import KnowledgeBase

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_assess_the_examples_as_json(run_cli) -> None:
    result = run_cli("assess", str(EXAMPLES), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    by_id = {b["business"]: b for b in data["businesses"]}
    assert len(by_id) == 8
    assert by_id["viesnica-kapas"]["recommendations"] == []
    diner = [
        r["rule"]["iri"].rsplit("/", 1)[-1] for r in by_id["mouthy-mikes-diner"]["recommendations"]
    ]
    assert "unfriendly-staff" not in diner
    # defective products explain the complaints, returns and their cost; the suppliers are a
    # finding of their own (no passage says supplier service makes products better)
    factory = by_id["ventspils-metals"]["root_causes"][0]["concept"]["iri"]
    assert factory.endswith("ProductQuality")


@pytest.mark.parametrize("lang", ["nl", "lv"])
def test_assess_writes_markdown_in_the_chosen_language(tmp_path: Path, run_cli, lang) -> None:
    out = tmp_path / "report.md"
    result = run_cli(
        "assess", str(EXAMPLES), "--format", "markdown", "--lang", lang, "--out", str(out)
    )
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert {"nl": "Aanbevelingen", "lv": "Ieteikumi"}[lang] in text


def test_assess_html_escapes_business_names(tmp_path: Path, run_cli) -> None:
    (tmp_path / "b.csv").write_text(
        "business,name,sector\nx1,<script>alert(1)</script>,fast-food\n", encoding="utf-8"
    )
    (tmp_path / "o.csv").write_text(
        "business,metric,value\nx1,service_time_seconds,400\n", encoding="utf-8"
    )
    result = run_cli("assess", str(tmp_path), "--format", "html")
    assert result.exit_code == 0
    assert "<script>" not in result.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.stdout
    HTMLParser().feed(result.stdout)


def test_assess_turtle_holds_the_provenance(run_cli) -> None:
    observed = str(EXAMPLES / "observations" / "burgeri-riga.csv")
    result = run_cli("assess", observed, "--format", "turtle")
    assert result.exit_code == 0
    assert "wasGeneratedBy" in result.stdout
    store = ox.Store()
    store.load(result.stdout.encode(), format=ox.RdfFormat.TRIG)
    titles = store.query(
        """SELECT ?rank ?title WHERE {
             ?rec <https://w3id.org/servicekg/ns#rank> ?rank ;
                  <https://w3id.org/servicekg/ns#firedRule> ?rule .
             ?rule <http://www.w3.org/2000/01/rdf-schema#label> ?title .
             FILTER (LANG(?title) = "en") } ORDER BY ?rank"""
    )
    (business,) = json.loads(run_cli("assess", observed, "--format", "json").stdout)["businesses"]
    expected = [r["title"] for r in business["recommendations"]]
    assert expected
    assert [t["title"].value for t in titles] == expected  # the rules' titles come along


def test_assess_bad_input_exits_2_naming_file_and_row(tmp_path: Path, run_cli) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("business,metric,value\nx,greting_rate,0.5\n", encoding="utf-8")
    result = run_cli("assess", str(bad))
    assert result.exit_code == 2
    assert "bad.csv:row 2" in result.stderr
    assert "greeting_rate" in result.stderr


def test_explain_walks_from_facts_to_quote(run_cli) -> None:
    result = run_cli("explain", "burgeri-riga", "slow-service-fast-food")
    assert result.exit_code == 0
    assert "service_time_seconds = 156" in result.stdout
    assert "McDonald's" in result.stdout
    assert "sources:" in result.stdout


def test_explain_an_unknown_business_suggests_one(run_cli) -> None:
    result = run_cli("explain", "burgeri-rig")
    assert result.exit_code == 2
    assert "did you mean 'burgeri-riga'" in result.stderr


def test_rules_list_show_and_check(run_cli, tmp_path: Path) -> None:
    assert "slow-service" in run_cli("rules", "list").stdout
    shown = run_cli("rules", "show", "slow-service", "--lang", "lv").stdout
    assert "service_time_seconds" in shown
    assert run_cli("rules", "check").exit_code == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules:\n  - id: x\n    title: {en: X}\n", encoding="utf-8")
    result = run_cli("rules", "check", str(broken))
    assert result.exit_code == 2
    assert "broken.yaml" in result.stderr


@pytest.mark.slow
def test_demo_writes_the_reports(tmp_path: Path, run_cli) -> None:
    result = run_cli("demo", "--out", str(tmp_path))
    assert result.exit_code == 0
    assert "conforms" in result.stdout
    assert {p.name for p in tmp_path.iterdir()} == {
        "report.md",
        "report.html",
        "report.json",
        "views",
    }
    pages = {p.name for p in (tmp_path / "views").iterdir()}
    assert {"principles.html", "value-chain.html", "customer-chain.html", "portfolio.html"} <= pages
    assert "assessment-burgeri-riga.html" in pages
    assert len(pages) == 4 + 8  # one assessment page per example business
    portfolio = (tmp_path / "views" / "portfolio.html").read_text(encoding="utf-8")
    assert "assessment-burgeri-riga.html" in portfolio  # a business opens its own page


def test_assess_streamed_into_a_store_writes_the_same_json(tmp_path: Path, run_cli) -> None:
    out = tmp_path / "report.json"
    result = run_cli(
        "assess", str(EXAMPLES), "--format", "json", "--store", str(tmp_path / "kb"),
        "--stream", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "assessed 8 businesses (0 failed)" in result.stderr
    streamed = json.loads(out.read_text(encoding="utf-8"))
    memory = json.loads(run_cli("assess", str(EXAMPLES), "--format", "json").stdout)
    assert sorted(streamed["businesses"], key=lambda b: b["business"]) == sorted(
        memory["businesses"], key=lambda b: b["business"]
    )
    recommendations = sum(len(b["recommendations"]) for b in memory["businesses"])
    kb = KnowledgeBase.open(tmp_path / "kb")
    found = kb.select("SELECT (COUNT(*) AS ?n) WHERE { ?r a skg:Recommendation }")
    assert found == [{"n": recommendations}]


def test_a_streamed_run_refuses_formats_it_cannot_stream(tmp_path: Path, run_cli) -> None:
    result = run_cli(
        "assess", str(EXAMPLES), "--format", "markdown", "--store", str(tmp_path), "--stream"
    )
    assert result.exit_code == 2
    assert "--format json" in result.stderr


def test_a_streamed_run_needs_an_on_disk_store(run_cli) -> None:
    result = run_cli("assess", str(EXAMPLES), "--stream")
    assert result.exit_code == 2
    assert "--store DIR" in result.stderr


@pytest.mark.parametrize(("cores", "warned"), [(2, True), (8, False)])
def test_assess_says_when_workers_leave_no_core_for_the_store_writer(
    run_cli, monkeypatch: pytest.MonkeyPatch, cores: int, warned: bool
) -> None:
    """Measured on two cores, --workers 2 ran slower than one process (which already writes
    the store on the second core): the user is told, and the run still completes."""
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    result = run_cli("assess", "examples", "--workers", "2", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["businesses"]) == 8
    assert ("--workers 2 on 2 cores is likely slower" in result.stderr) is warned


def test_assess_trig_keeps_each_graph_under_its_name(run_cli) -> None:
    """Loaded into another store, the TriG output puts rules, observations and assessments
    into the named graphs a servicekg store uses, so the documented queries work there."""
    observed = str(EXAMPLES / "observations" / "burgeri-riga.csv")
    result = run_cli("assess", observed, "--format", "trig")
    assert result.exit_code == 0
    assert "@prefix prov:" in result.stdout  # readable: the project's prefixes
    store = ox.Store()
    store.load(result.stdout.encode(), format=ox.RdfFormat.TRIG)
    graphs = {g.value for g in store.named_graphs()}
    base = "https://w3id.org/servicekg/graph/"
    assert graphs == {base + "rules", base + "observations", base + "assessments"}
    assert not list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    ranks = store.query(
        f"""SELECT ?rank WHERE {{ GRAPH <{base}assessments> {{
              ?rec <https://w3id.org/servicekg/ns#rank> ?rank }} }} ORDER BY ?rank"""
    )
    (business,) = json.loads(run_cli("assess", observed, "--format", "json").stdout)["businesses"]
    assert [int(r["rank"].value) for r in ranks] == [r["rank"] for r in business["recommendations"]]
