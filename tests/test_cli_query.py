"""`servicekg query`, `update` and `load`, run in-process: every format read back by a parser
of its own kind, updates only on a named store, and stores that keep what was written."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH
from servicekg.rdf_io import to_rdflib_graph

NEEDS = "SELECT ?n ?label WHERE { skg:SixBasicNeeds skos:member ?n . ?n skos:prefLabel ?label \
FILTER(lang(?label) = 'en') } ORDER BY ?n"
CONSTRUCT = "CONSTRUCT { ?n a skg:BasicNeed ; skos:prefLabel ?l } WHERE { \
skg:SixBasicNeeds skos:member ?n . ?n skos:prefLabel ?l }"
SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"


def _needs(run_cli, fmt: str) -> str:
    result = run_cli("query", NEEDS, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_table_lists_the_six_basic_needs(run_cli) -> None:
    out = _needs(run_cli, "table")
    assert out.splitlines()[0].split() == ["n", "label"]
    assert "https://w3id.org/servicekg/ns#Fairness" in out
    assert len(out.splitlines()) == 2 + 6


def test_csv_and_tsv_read_back(run_cli) -> None:
    rows = list(csv.DictReader(io.StringIO(_needs(run_cli, "csv"))))
    assert len(rows) == 6
    assert {"n": "https://w3id.org/servicekg/ns#Fairness", "label": "Fairness"} in rows
    lines = _needs(run_cli, "tsv").splitlines()
    assert lines[0] == "?n\t?label"
    assert '<https://w3id.org/servicekg/ns#Fairness>\t"Fairness"@en' in lines


def test_sparql_json_and_xml_read_back(run_cli) -> None:
    data = json.loads(_needs(run_cli, "json"))
    assert data["head"]["vars"] == ["n", "label"]
    fairness = [b for b in data["results"]["bindings"] if b["label"]["value"] == "Fairness"]
    assert fairness[0]["label"]["xml:lang"] == "en"
    root = ET.fromstring(_needs(run_cli, "xml"))  # noqa: S314 - our own output
    results = root.findall(f"{SPARQL_RESULTS}results/{SPARQL_RESULTS}result")
    assert len(results) == 6


def test_ask_in_every_solution_format(run_cli) -> None:
    ask = "ASK { skg:JustSayYes a skg:Misconception }"
    assert run_cli("query", ask).stdout.strip() == "true"
    assert json.loads(run_cli("query", ask, "--format", "json").stdout)["boolean"] is True
    root = ET.fromstring(run_cli("query", ask, "--format", "xml").stdout)  # noqa: S314
    assert root.find(f"{SPARQL_RESULTS}boolean").text == "true"


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", None), ("rdfxml", "xml")],
)
def test_graphs_read_back_as_the_same_graph(run_cli, fmt: str, rdflib_format: str | None) -> None:
    expected = rdflib.Graph()
    expected.parse(data=run_cli("query", CONSTRUCT, "--format", "ntriples").stdout, format="nt")
    assert len(expected) == 6 + 6 * 3  # six needs, each a type and labels in 3 languages
    text = run_cli("query", CONSTRUCT, "--format", fmt).stdout
    if rdflib_format is None:  # rdflib's JSON-LD parser warns of its own deprecations
        got = to_rdflib_graph(ox.parse(text, format=ox.RdfFormat.JSON_LD))
    else:
        got = rdflib.Graph().parse(data=text, format=rdflib_format)
    assert isomorphic(got, expected)


def test_a_graph_asked_for_as_a_table_comes_as_turtle(run_cli) -> None:
    out = run_cli("query", CONSTRUCT).stdout
    assert len(list(ox.parse(out, format=ox.RdfFormat.TURTLE))) == 24


def test_a_format_that_does_not_suit_the_query_is_refused(run_cli) -> None:
    result = run_cli("query", NEEDS, "--format", "turtle")
    assert result.exit_code == 2
    assert "table, csv, tsv, json, xml" in result.stderr
    assert run_cli("query", CONSTRUCT, "--format", "csv").exit_code == 2


def test_out_writes_the_file(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "needs.srj"
    assert run_cli("query", NEEDS, "--format", "json", "--out", str(out)).exit_code == 0
    assert len(json.loads(out.read_text())["results"]["bindings"]) == 6


def test_a_syntax_error_names_line_and_column(tmp_path: Path, run_cli) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {\n ?x ?y \n}")
    result = run_cli("query", "-f", str(bad))
    assert result.exit_code == 2
    assert "line 3, column" in result.stderr
    assert "expected" in result.stderr


def test_query_needs_one_query(run_cli, tmp_path: Path) -> None:
    assert run_cli("query").exit_code == 2
    assert "cannot be read" in run_cli("query", "-f", str(tmp_path / "nope.rq")).stderr


def test_update_without_a_named_store_is_refused(run_cli) -> None:
    result = run_cli("update", "INSERT DATA { <http://x/a> <http://x/p> 1 }")
    assert result.exit_code == 2
    assert "--store DIR" in result.stderr


def test_load_update_and_query_a_disk_store(run_cli, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    data = tmp_path / "extra.ttl"
    data.write_text("<http://x/a> <http://x/p> 1 .")
    result = run_cli("load", str(data), "--graph", "http://x/g", "--store", store)
    assert result.exit_code == 0, result.stderr
    update = "INSERT DATA { GRAPH <http://x/g> { <http://x/b> <http://x/p> 2 } }"
    assert run_cli("update", update, "--store", store).exit_code == 0
    count = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    rows = list(
        csv.DictReader(
            io.StringIO(run_cli("query", count, "--store", store, "--format", "csv").stdout)
        )
    )
    sizes = {r["g"]: int(r["n"]) for r in rows}
    assert sizes["http://x/g"] == 2
    assert sizes[str(GRAPH.ontology)] > 3000
    kb = KnowledgeBase.open(store)
    assert kb.graph_sizes()["http://x/g"] == 2
    kb.close()


def test_a_load_with_one_bad_file_loads_nothing(run_cli, tmp_path: Path) -> None:
    store = tmp_path / "store"
    good = tmp_path / "good.ttl"
    good.write_text("<http://x/a> <http://x/p> 1 .")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x/a> <http://x/p> .")
    result = run_cli("load", str(good), str(bad), "--no-ontology", "--store", str(store))
    assert result.exit_code == 2
    assert "bad.ttl:1" in result.stderr
    kb = KnowledgeBase.open(store)
    assert len(kb) == 0
    kb.close()


def test_query_on_a_store_that_does_not_exist_says_how_to_make_one(run_cli, tmp_path) -> None:
    result = run_cli("query", "ASK {}", "--store", str(tmp_path / "none"))
    assert result.exit_code == 2
    assert "servicekg load --store" in result.stderr


def test_a_runaway_query_stops_at_its_time_limit(run_cli) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    result = run_cli("query", runaway, "--timeout", "1")
    assert result.exit_code == 2
    assert "time limit of 1 s" in result.stderr


def test_a_result_over_the_size_limit_is_stopped(run_cli) -> None:
    result = run_cli("query", "SELECT * { ?s ?p ?o }", "--max-bytes", "1000")
    assert result.exit_code == 2
    assert "result size limit of 1,000 bytes" in result.stderr


def test_service_is_refused_from_the_command_line(run_cli) -> None:
    result = run_cli("query", "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert result.exit_code == 2
    assert "SERVICE" in result.stderr


def test_assess_writes_its_graphs_into_the_store(run_cli, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    examples = Path(__file__).resolve().parents[1] / "examples"
    result = run_cli("assess", str(examples), "--format", "json", "--store", store)
    assert result.exit_code == 0, result.stderr
    kb = KnowledgeBase.open(store)
    sizes = kb.graph_sizes()
    kb.close()
    for graph in (GRAPH.ontology, GRAPH.rules, GRAPH.observations, GRAPH.assessments):
        assert sizes[str(graph)] > 0
    ranked = run_cli(
        "query",
        "SELECT (COUNT(?r) AS ?n) WHERE { ?r a skg:Recommendation }",
        "--store",
        store,
        "--format",
        "csv",
    ).stdout
    report = json.loads(result.stdout)
    recommendations = sum(len(b["recommendations"]) for b in report["businesses"])
    assert recommendations > 0
    assert int(ranked.split()[1]) == recommendations
    explained = run_cli("explain", "burgeri-riga", "slow-service-fast-food", "--store", store)
    assert explained.exit_code == 0, explained.stderr
    assert "service_time_seconds = 156" in explained.stdout
    assert "rule: slow-service-fast-food (high)" in explained.stdout
    assert "90 sekundēs vai mazāk" in explained.stdout
    assert "# 1. Fast-food service is slower than the McDonald's example" in explained.stdout
    assert "principles: " in explained.stdout
    # the texts are the fired rule's: any language, whatever the run's
    dutch = run_cli("explain", "burgeri-riga", "1", "--store", store, "--lang", "nl")
    assert dutch.exit_code == 0, dutch.stderr
    assert "# 1. De fastfoodbediening is trager dan het voorbeeld van McDonald's" in dutch.stdout
    assert "Trage bediening wordt gezien als slechte service." in dutch.stdout
    assert "90 sekundēs vai mazāk" in dutch.stdout
    unknown = run_cli("explain", "nobody", "--store", store)
    assert unknown.exit_code == 2
    assert "burgeri-riga" in unknown.stderr
