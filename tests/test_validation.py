"""SHACL validation of the ontology: the bundled one conforms, broken copies fail by name."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from servicekg.graph.shacl import validate_ontology
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH

SKG = "https://w3id.org/servicekg/ns#"

# (what breaks, a DELETE/INSERT ... WHERE on the ontology graph, the IRI at fault, words said)
METRIC = "https://w3id.org/servicekg/metric/"
MCDONALDS = "https://w3id.org/servicekg/passage/lv-service-time-mcdonalds"
LOYALTY_GROWTH = "the relation Loyalty -> Growth"
IMPLIED = "https://w3id.org/servicekg/relation/supplier-service-service-quality"
BENCHMARK = "https://w3id.org/servicekg/benchmark/fast-food-service-time"
BREAKAGES = [
    (
        "a concept loses its Latvian label",
        "DELETE { skg:Friendliness skos:prefLabel ?l } "
        "WHERE { skg:Friendliness skos:prefLabel ?l FILTER (LANG(?l) = 'lv') }",
        SKG + "Friendliness",
        "missing skos:prefLabel in Latvian",
    ),
    (
        "a concept loses its Dutch definition",
        "DELETE { skg:Loyalty skos:definition ?d } "
        "WHERE { skg:Loyalty skos:definition ?d FILTER (LANG(?d) = 'nl') }",
        SKG + "Loyalty",
        "missing skos:definition in Dutch",
    ),
    (
        "a concept gets a second English label",
        "INSERT { skg:Profit skos:prefLabel 'Earnings'@en } WHERE {}",
        SKG + "Profit",
        "one language-tagged label each",
    ),
    (
        "a concept rests on no passage",
        "DELETE { skg:Greeting skg:restsOn ?p } WHERE { skg:Greeting skg:restsOn ?p }",
        SKG + "Greeting",
        "at least one declared skg:Passage",
    ),
    (
        "a relation rests on no passage",
        "DELETE { ?r skg:restsOn ?p } WHERE { ?r a skg:CausalLink ; skg:fromConcept skg:Loyalty ;"
        " skg:toConcept skg:Growth ; skg:restsOn ?p }",
        LOYALTY_GROWTH,
        "stated or implied basis needs at least one skg:restsOn passage",
    ),
    (
        "a relation loses its basis",
        "DELETE { ?r skg:basis ?b } WHERE { ?r a skg:CausalLink ; skg:fromConcept skg:Loyalty ;"
        " skg:toConcept skg:Growth ; skg:basis ?b }",
        LOYALTY_GROWTH,
        "needs exactly one skg:basis",
    ),
    (
        "an implied relation rests on no passage",
        f"DELETE {{ <{IMPLIED}> skg:restsOn ?p }} WHERE {{ <{IMPLIED}> skg:restsOn ?p }}",
        IMPLIED,
        "stated or implied basis needs at least one skg:restsOn passage",
    ),
    (
        "an implied relation loses the Latvian reading of its passage",
        f"DELETE {{ <{IMPLIED}> skg:basisNote ?n }} WHERE {{ <{IMPLIED}> skg:basisNote ?n "
        "FILTER (LANG(?n) = 'lv') }",
        IMPLIED,
        "skg:basisNote in en, nl and lv",
    ),
    (
        "a benchmark loses its basis",
        f"DELETE {{ <{BENCHMARK}> skg:basis ?b }} WHERE {{ <{BENCHMARK}> skg:basis ?b }}",
        BENCHMARK,
        "needs exactly one skg:basis",
    ),
    (
        "a metric loses how to observe it in Latvian",
        f"DELETE {{ <{METRIC}greeting_rate> skg:howToObserve ?h }} "
        f"WHERE {{ <{METRIC}greeting_rate> skg:howToObserve ?h FILTER (LANG(?h) = 'lv') }}",
        METRIC + "greeting_rate",
        "skg:howToObserve each in en, nl and lv",
    ),
    (
        "a passage loses its Dutch rendering",
        f"DELETE {{ <{MCDONALDS}> skg:rendering ?r }} WHERE {{ <{MCDONALDS}> skg:rendering ?r "
        "FILTER (LANG(?r) = 'nl') }",
        MCDONALDS,
        "missing skg:rendering in Dutch",
    ),
    (
        "a causal link loses its polarity",
        "DELETE { ?r skg:polarity ?p } WHERE { ?r a skg:CausalLink ; skg:fromConcept skg:Loyalty ;"
        " skg:toConcept skg:Growth ; skg:polarity ?p }",
        LOYALTY_GROWTH,
        "skg:polarity",
    ),
    (
        "a relation points at an undeclared concept",
        "DELETE { ?r skg:toConcept skg:Growth } INSERT { ?r skg:toConcept skg:Growht } "
        "WHERE { ?r a skg:CausalLink ; skg:fromConcept skg:Loyalty ; skg:toConcept skg:Growth }",
        LOYALTY_GROWTH,
        "declared concept",
    ),
    (
        "a metric loses its unit",
        "DELETE { ?m skg:unit ?u } WHERE { ?m skg:metricId 'service_time_seconds' ; skg:unit ?u }",
        METRIC + "service_time_seconds",
        "skg:unit",
    ),
    (
        "a metric's range is upside down",
        "DELETE { ?m skg:minInclusive ?a ; skg:maxInclusive ?b } "
        "INSERT { ?m skg:minInclusive 5.0 ; skg:maxInclusive 1.0 } "
        "WHERE { ?m skg:metricId 'customer_satisfaction_score' ;"
        " skg:minInclusive ?a ; skg:maxInclusive ?b }",
        METRIC + "customer_satisfaction_score",
        "greater than",
    ),
    (
        "two metrics share an id",
        "DELETE { ?m skg:metricId 'return_rate' } INSERT { ?m skg:metricId 'defect_rate' } "
        "WHERE { ?m skg:metricId 'return_rate' }",
        METRIC + "return_rate",
        "same skg:metricId",
    ),
    (
        "a passage loses its English rendering",
        f"DELETE {{ <{MCDONALDS}> skg:rendering ?r }} WHERE {{ <{MCDONALDS}> skg:rendering ?r "
        "FILTER (LANG(?r) = 'en') }",
        MCDONALDS,
        "missing skg:rendering in English",
    ),
    (
        "a quote is tagged with the wrong language",
        f"DELETE {{ <{MCDONALDS}> skg:quote ?q }} INSERT {{ <{MCDONALDS}> skg:quote ?wrong }} "
        f"WHERE {{ <{MCDONALDS}> skg:quote ?q BIND (STRLANG(STR(?q), 'nl') AS ?wrong) }}",
        MCDONALDS,
        "language of its article",
    ),
]


def _broken_copy(tmp_path: Path, update: str) -> Path:
    kb = KnowledgeBase.with_ontology()
    kb.update(f"WITH <{GRAPH.ontology}> {update}")
    out = tmp_path / "broken.ttl"
    out.write_bytes(kb.dump(GRAPH.ontology, ox.RdfFormat.TURTLE))
    return out


def test_the_bundled_ontology_conforms() -> None:
    report = validate_ontology()
    assert report.conforms, "\n".join(map(str, report.violations))
    assert report.triples > 1000


@pytest.mark.slow  # pySHACL over a whole copy of the graph per case
@pytest.mark.parametrize(
    ("update", "focus", "words"),
    [b[1:] for b in BREAKAGES],
    ids=[b[0] for b in BREAKAGES],
)
def test_a_broken_copy_fails_naming_the_iri_at_fault(
    tmp_path: Path, update: str, focus: str, words: str
) -> None:
    broken = _broken_copy(tmp_path, update)
    report = validate_ontology([broken])
    assert not report.conforms
    if focus == LOYALTY_GROWTH:
        focus = _relation(broken, "Loyalty", "Growth")
    hits = [v for v in report.violations if v.focus == focus and words in v.message + str(v.path)]
    assert hits, "\n".join(map(str, report.violations))


def _relation(path: Path, source: str, target: str) -> str:
    kb = KnowledgeBase()
    kb.load_files([path], ox.NamedNode(str(GRAPH.ontology)))
    return kb.select(
        f"SELECT ?r WHERE {{ ?r skg:fromConcept skg:{source} ; skg:toConcept ?t "
        f"FILTER (?t IN (skg:{target}, skg:Growht)) }}"
    )[0]["r"]


@pytest.mark.slow
def test_cli_exit_codes_and_iri_in_output(tmp_path: Path, run_cli) -> None:
    assert run_cli("validate").exit_code == 0

    broken = _broken_copy(tmp_path, BREAKAGES[0][1])
    result = run_cli("validate", str(broken))
    assert result.exit_code == 1
    assert "skg:Friendliness" in result.stdout
    assert "missing skos:prefLabel in Latvian" in result.stdout

    as_json = json.loads(run_cli("validate", "--format", "json", str(broken)).stdout)
    assert as_json["conforms"] is False
    assert any(v["focus"] == SKG + "Friendliness" for v in as_json["violations"])


def test_cli_exit_2_on_a_file_that_does_not_parse(tmp_path: Path, run_cli) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix skg: <https://w3id.org/servicekg/ns#> .\n\nskg:a skg:b skg:c ;\n .x\n")
    result = run_cli("validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:4" in result.stderr


def test_cli_exit_2_on_a_missing_file(tmp_path: Path, run_cli) -> None:
    result = run_cli("validate", str(tmp_path / "nope.ttl"))
    assert result.exit_code == 2
    assert "nope.ttl: no such file" in result.stderr


SPARQL_BREAKAGES = [
    b
    for b in BREAKAGES
    if b[0]
    in (
        "a metric's range is upside down",
        "two metrics share an id",
        "a quote is tagged with the wrong language",
    )
]


@pytest.mark.slow  # runs pySHACL in full, for comparison
@pytest.mark.parametrize(
    "update", [b[1] for b in SPARQL_BREAKAGES], ids=[b[0] for b in SPARQL_BREAKAGES]
)
def test_sparql_constraints_run_once_report_what_pyshacl_reports(
    tmp_path: Path, update: str
) -> None:
    """SPARQL-based constraints run once over all focus nodes (not by pySHACL per focus node):
    the same results as pySHACL's own run over every shape, blank-node shape ids aside."""
    import pyshacl

    from servicekg.graph.shacl import _violations, ontology_shapes

    broken = _broken_copy(tmp_path, update)
    kb = KnowledgeBase.with_ontology([broken])
    _conforms, results, _text = pyshacl.validate(
        kb.to_rdflib(GRAPH.ontology),
        shacl_graph=ontology_shapes(),
        inference="none",
        advanced=True,
        allow_warnings=True,
        meta_shacl=False,
    )

    def comparable(violations: list) -> list:
        return sorted((v.focus, v.path, v.message, v.value, v.severity) for v in violations)

    expected = comparable(_violations(results))
    assert expected
    assert comparable(validate_ontology([broken]).violations) == expected
