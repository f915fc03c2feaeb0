"""The PROV-O write-back (servicekg.assessment.provenance): the N-Quads text is exactly the
quads of an assessment, each node holds what is its own, and what it leaves to its rule (title,
text, principles, passages, in every language) a query still finds through the fired rule."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from servicekg.assessment.pipeline import AssessmentRun, run_assessment
from servicekg.assessment.provenance import ASSESSMENT, business_nquads
from servicekg.assessment.results import BusinessAssessment
from servicekg.namespace import GRAPH, SKG
from servicekg.observations import business_iri

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
WHEN = "2026-11-30T12:00:00+00:00"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def run() -> AssessmentRun:
    """The examples assessed in Dutch: nothing of the write-back may depend on the language."""
    return run_assessment([EXAMPLES], lang="nl")


def _expected(business: BusinessAssessment) -> set[ox.Quad]:
    """The quads of ``business``'s assessment, built here from the vocabulary, object by
    object (the module under test builds text)."""
    g = ox.NamedNode(str(GRAPH.assessments))
    key = ASSESSMENT + _quote(business.business)
    activity, subject = ox.NamedNode(key), ox.NamedNode(business.iri)
    quads = set()

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        quads.add(ox.Quad(s, ox.NamedNode(p), o, g))

    add(activity, RDF_TYPE, ox.NamedNode(str(SKG.Assessment)))
    add(activity, str(SKG.assessedBusiness), subject)
    add(activity, PROV + "endedAtTime", ox.Literal(WHEN, datatype=ox.NamedNode(XSD + "dateTime")))
    for used in business.used_observations:
        add(activity, PROV + "used", ox.NamedNode(used))
    if business.error:
        add(activity, RDFS + "comment", ox.Literal(business.error))
    for rec in business.recommendations:
        node = ox.NamedNode(f"{key}/{_quote(rec.rule.iri.rsplit('/', 1)[-1])}")
        add(node, RDF_TYPE, ox.NamedNode(str(SKG.Recommendation)))
        add(node, PROV + "wasGeneratedBy", activity)
        add(node, str(SKG.forBusiness), subject)
        add(node, str(SKG.firedRule), ox.NamedNode(rec.rule.iri))
        add(node, str(SKG.addresses), ox.NamedNode(rec.addresses.iri))
        add(node, str(SKG.rank), ox.Literal(str(rec.rank), datatype=ox.NamedNode(XSD + "integer")))
        score = ox.Literal(f"{rec.score:.1f}", datatype=ox.NamedNode(XSD + "decimal"))
        add(node, str(SKG.score), score)
        add(node, str(SKG.scoreReason), ox.Literal(rec.reason.text(), language="en"))
        for evidence in rec.evidence:
            add(node, PROV + "wasDerivedFrom", ox.NamedNode(evidence.observation))
        if rec.root_cause is not None:
            add(node, str(SKG.rootCause), ox.NamedNode(rec.root_cause.concept.iri))
    for number, unjudged in enumerate(business.unjudged, start=1):
        node = ox.NamedNode(f"{key}/unjudged-{number}")
        add(node, RDF_TYPE, ox.NamedNode(str(SKG.Unjudged)))
        add(node, PROV + "wasGeneratedBy", activity)
        add(node, str(SKG.aboutRule), ox.NamedNode(unjudged.rule.iri))
        for metric in unjudged.missing_metrics:
            add(node, str(SKG.missingMetric), ox.NamedNode(metric.iri))
    return quads


def _quote(text: str) -> str:
    return quote(text, safe="")


def _parsed(text: str) -> set[ox.Quad]:
    return set(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS))


def _odd(run: AssessmentRun) -> BusinessAssessment:
    """A business whose id, error and score reason need escaping in N-Quads."""
    template = next(b for b in run.report.businesses if b.recommendations and b.unjudged)
    rec = template.recommendations[0]
    odd_reason = replace(rec.reason, severity='hi"gh\\ \n\r{0}')
    name = 'Kafejnīca "Rīts" {1} 100%'
    return replace(
        template,
        business=name,
        iri=business_iri(name),
        error='could not "judge"\nline two',
        recommendations=[replace(rec, reason=odd_reason), *template.recommendations[1:]],
    )


def test_the_nquads_are_exactly_the_quads_of_each_assessment(run: AssessmentRun) -> None:
    businesses = [*run.report.businesses, _odd(run)]
    assert any(b.recommendations and b.unjudged for b in businesses)
    assert any(r.root_cause for b in businesses for r in b.recommendations)
    for business in businesses:
        text = business_nquads(business, WHEN)
        found, expected = _parsed(text), _expected(business)
        assert found == expected, (
            f"{business.business}: extra {sorted(map(str, found - expected))[:5]}, "
            f"missing {sorted(map(str, expected - found))[:5]}"
        )
        assert text.count("\n") == len(expected)  # one line per quad, none twice


RECOMMENDATION_OWN = {
    RDF_TYPE,
    PROV + "wasGeneratedBy",
    PROV + "wasDerivedFrom",
    str(SKG.forBusiness),
    str(SKG.firedRule),
    str(SKG.addresses),
    str(SKG.rank),
    str(SKG.score),
    str(SKG.scoreReason),
    str(SKG.rootCause),
}


def _predicates(run: AssessmentRun, kind: str) -> dict[str, set[str]]:
    rows = run.kb.select(
        "SELECT ?node ?p WHERE { GRAPH ?g { ?node a ?kind ; ?p ?o } }",
        g=ox.NamedNode(str(GRAPH.assessments)),
        kind=ox.NamedNode(kind),
    )
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["node"], set()).add(row["p"])
    return found


def test_a_recommendation_holds_only_what_is_its_own(run: AssessmentRun) -> None:
    found = _predicates(run, str(SKG.Recommendation))
    assert len(found) == sum(len(b.recommendations) for b in run.report.businesses)
    for node, predicates in found.items():
        assert predicates <= RECOMMENDATION_OWN, (node, predicates - RECOMMENDATION_OWN)
        assert RECOMMENDATION_OWN - {str(SKG.rootCause)} <= predicates, node


def test_an_unjudged_rule_reaches_its_business_through_its_assessment(run: AssessmentRun) -> None:
    found = _predicates(run, str(SKG.Unjudged))
    assert found
    own = {RDF_TYPE, PROV + "wasGeneratedBy", str(SKG.aboutRule), str(SKG.missingMetric)}
    assert all(predicates == own for predicates in found.values())
    rows = run.kb.select(
        """SELECT ?id (COUNT(?u) AS ?n) WHERE {
             ?u a skg:Unjudged ; prov:wasGeneratedBy/skg:assessedBusiness ?b .
             ?b schema:identifier ?id } GROUP BY ?id"""
    )
    counted = {row["id"]: int(row["n"]) for row in rows}
    assert counted == {b.business: len(b.unjudged) for b in run.report.businesses if b.unjudged}


@pytest.mark.parametrize("lang", ["en", "nl", "lv"])
def test_through_the_fired_rule_a_query_finds_what_the_report_says(
    run: AssessmentRun, lang: str
) -> None:
    report = run.report if lang == "nl" else run_assessment([EXAMPLES], lang=lang).report
    query = """SELECT ?title ?text WHERE {
                 ?rec skg:firedRule ?rule .
                 ?rule rdfs:label ?title ; skg:recommendationText ?text .
                 FILTER (LANG(?title) = ?lang && LANG(?text) = ?lang) }"""
    for business in report.businesses:
        for rec in business.recommendations:
            node = ox.NamedNode(f"{ASSESSMENT}{_quote(business.business)}/{rec.id.split('/')[-1]}")
            (row,) = run.kb.select(query, rec=node, lang=ox.Literal(lang))
            assert (row["title"], row["text"]) == (rec.title, rec.text)
            principles = run.kb.select(
                "SELECT ?p WHERE { ?rec skg:firedRule/skg:restsOnPrinciple ?p }", rec=node
            )
            assert {r["p"] for r in principles} == {p.iri for p in rec.principles}
            passages = run.kb.select(
                "SELECT ?p WHERE { ?rec skg:firedRule/skg:restsOn ?p }", rec=node
            )
            assert {r["p"] for r in passages} == {s.passage for s in rec.sources}


README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_queries_of_assessments_answer(run: AssessmentRun) -> None:
    blocks = README.read_text(encoding="utf-8").split("```sparql\n")[1:]
    queries = [block.split("```", 1)[0] for block in blocks]
    assert len(queries) == 2
    texts, unjudged = (run.kb.select(q) for q in queries)
    burgers = run.report.business("burgeri-riga")
    assert {(int(r["rank"]), r["title"], r["text"]) for r in texts} == {
        (rec.rank, rec.title, rec.text) for rec in burgers.recommendations
    }
    assert {(r["rule"], r["metric"]) for r in unjudged} == {
        (u.rule.iri, m.iri)
        for b in run.report.businesses
        for u in b.unjudged
        for m in u.missing_metrics
    }
