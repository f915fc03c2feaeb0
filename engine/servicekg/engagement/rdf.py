"""Visits, groups and follow-ups as RDF (``ontology/engagement-vocabulary.ttl``), and back.

Visits and group memberships go into ``GRAPH.engagement``; follow-ups into
``GRAPH.follow_ups``. IRIs:

>>> visit_iri("burgeru-baze-riga", 2)
'https://w3id.org/servicekg/visit/burgeru-baze-riga/2'
>>> group_iri("Burgeru Bāze")
'https://w3id.org/servicekg/group/Burgeru%20B%C4%81ze'
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import quote

import pyoxigraph as ox

from servicekg.engagement.visits import Visit
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import BASE, GRAPH, SKG
from servicekg.observations import Observation, business_iri, observation_iri
from servicekg.observations.follow_ups import FollowUp
from servicekg.observations.rdf import business_id

__all__ = [
    "FOLLOW_UP",
    "GROUP",
    "STATUS_TERMS",
    "VISIT",
    "follow_up_quads",
    "group_iri",
    "group_quads",
    "read_follow_ups",
    "visit_iri",
    "visit_quads",
]

VISIT = BASE + "visit/"
GROUP = BASE + "group/"
FOLLOW_UP = BASE + "follow-up/"

STATUS_TERMS: dict[str, str] = {
    "accepted": str(SKG.Accepted),
    "in-progress": str(SKG.InProgress),
    "done": str(SKG.Done),
    "declined": str(SKG.Declined),
}
"""Each follow-up status code and its term."""

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
_DATE = ox.NamedNode("http://purl.org/dc/terms/date")
_START = ox.NamedNode("https://schema.org/startDate")
_END = ox.NamedNode("https://schema.org/endDate")
_IDENTIFIER = ox.NamedNode("https://schema.org/identifier")
_SUB_ORG = ox.NamedNode("http://www.w3.org/ns/org#subOrganizationOf")
_GENERATED_AT = ox.NamedNode("http://www.w3.org/ns/prov#generatedAtTime")
_REVISION_OF = ox.NamedNode("http://www.w3.org/ns/prov#wasRevisionOf")
_XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
_XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _n(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def visit_iri(business: str, number: int) -> str:
    """The IRI of a business's visit number ``number`` (1 is the first)."""
    return f"{VISIT}{quote(business, safe='')}/{number}"


def group_iri(group: str) -> str:
    """The IRI of a group (chain, franchise, region) named by its id."""
    return GROUP + quote(group, safe="")


def visit_quads(
    visits: Sequence[Visit],
    observations: Iterable[Observation],
    assessments: Mapping[int, str] | None = None,
) -> list[ox.Quad]:
    """One business's visits, the visit of each observation (``skg:duringVisit``) and of each
    assessment (``assessments``: visit number -> assessment IRI), in ``GRAPH.engagement``."""
    graph = _n(GRAPH.engagement)
    quads: list[ox.Quad] = []
    nodes: dict[int, ox.NamedNode] = {}
    for visit in visits:
        node = nodes[visit.number] = ox.NamedNode(visit_iri(visit.business, visit.number))
        quads += [
            ox.Quad(node, _RDF_TYPE, _n(SKG.Visit), graph),
            ox.Quad(node, _n(SKG.visitOf), ox.NamedNode(business_iri(visit.business)), graph),
            ox.Quad(
                node,
                _n(SKG.visitNumber),
                ox.Literal(str(visit.number), datatype=_XSD_INTEGER),
                graph,
            ),
        ]
        if visit.start and visit.end:
            quads.append(ox.Quad(node, _START, _date(visit.start), graph))
            quads.append(ox.Quad(node, _END, _date(visit.end), graph))
    for obs in observations:
        found = _visit_of(visits, obs)
        if found is not None:
            observed = ox.NamedNode(observation_iri(obs))
            quads.append(ox.Quad(observed, _n(SKG.duringVisit), nodes[found.number], graph))
    for number, assessment in (assessments or {}).items():
        quads.append(ox.Quad(ox.NamedNode(assessment), _n(SKG.atVisit), nodes[number], graph))
    return quads


def group_quads(business: str, group: str) -> list[ox.Quad]:
    """A business's membership of its group, and the group itself, in ``GRAPH.engagement``."""
    graph = _n(GRAPH.engagement)
    node = ox.NamedNode(group_iri(group))
    return [
        ox.Quad(node, _RDF_TYPE, _n(SKG.Group), graph),
        ox.Quad(node, _IDENTIFIER, ox.Literal(group), graph),
        ox.Quad(ox.NamedNode(business_iri(business)), _SUB_ORG, node, graph),
    ]


def follow_up_quads(
    follow_up: FollowUp,
    number: int,
    recorded_at: datetime.datetime | None = None,
    previous: str | None = None,
) -> list[ox.Quad]:
    """One follow-up (the ``number``-th of its recommendation) in ``GRAPH.follow_ups``;
    ``previous`` is the IRI of the follow-up it supersedes."""
    graph = _n(GRAPH.follow_ups)
    node = ox.NamedNode(follow_up_iri(follow_up.business, follow_up.rule, number))
    quads = [
        ox.Quad(node, _RDF_TYPE, _n(SKG.FollowUp), graph),
        ox.Quad(node, _n(SKG.forBusiness), ox.NamedNode(business_iri(follow_up.business)), graph),
        ox.Quad(node, _n(SKG.aboutRule), ox.NamedNode(BASE + "rule/" + follow_up.rule), graph),
        ox.Quad(node, _n(SKG.followUpStatus), ox.NamedNode(STATUS_TERMS[follow_up.status]), graph),
    ]
    if follow_up.date is not None:
        quads.append(ox.Quad(node, _DATE, _date(follow_up.date), graph))
    if follow_up.note:
        quads.append(ox.Quad(node, _COMMENT, ox.Literal(follow_up.note), graph))
    if recorded_at is not None:
        stamp = ox.Literal(recorded_at.isoformat(), datatype=_XSD_DATETIME)
        quads.append(ox.Quad(node, _GENERATED_AT, stamp, graph))
    if previous is not None:
        quads.append(ox.Quad(node, _REVISION_OF, ox.NamedNode(previous), graph))
    return quads


def follow_up_iri(business: str, rule: str, number: int) -> str:
    """The IRI of the ``number``-th follow-up of a business's recommendation of ``rule``."""
    return f"{FOLLOW_UP}{quote(business, safe='')}/{quote(rule, safe='')}/{number}"


def read_follow_ups(kb: KnowledgeBase, business: str | None = None) -> list[FollowUp]:
    """The follow-ups stored in ``kb`` (of one business, or all), oldest first: by date, then
    by the order they were recorded in."""
    where = "" if business is None else "FILTER (?b = ?wanted)"
    rows = kb.select(
        f"""SELECT ?f ?b ?rule ?code ?date ?note WHERE {{
              GRAPH <{GRAPH.follow_ups}> {{
                ?f a skg:FollowUp ; skg:forBusiness ?b ; skg:aboutRule ?rule ;
                   skg:followUpStatus ?status .
                OPTIONAL {{ ?f dcterms:date ?date }}
                OPTIONAL {{ ?f rdfs:comment ?note }}
              }}
              ?status skg:statusCode ?code .
              {where}
            }}""",
        **({} if business is None else {"wanted": ox.NamedNode(business_iri(business))}),
    )
    found = []
    for row in rows:
        iri = str(row["f"])
        number = int(iri.rsplit("/", 1)[-1])
        date = row.get("date")
        found.append(
            (
                number,
                FollowUp(
                    business=business_id(str(row["b"])) or str(row["b"]),
                    rule=str(row["rule"]).rsplit("/", 1)[-1],
                    status=str(row["code"]),
                    date=_as_date(date),
                    note=str(row["note"]) if row.get("note") is not None else None,
                ),
            )
        )
    found.sort(key=lambda item: (item[1].date or datetime.date.min, item[1].rule, item[0]))
    return [f for _, f in found]


def _as_date(value: object) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _date(day: datetime.date) -> ox.Literal:
    return ox.Literal(day.isoformat(), datatype=_XSD_DATE)


def _visit_of(visits: Sequence[Visit], obs: Observation) -> Visit | None:
    moment = obs.observed_at
    if moment is None:
        return visits[0] if visits else None
    day = moment.date() if isinstance(moment, datetime.datetime) else moment
    for visit in visits:
        if visit.start is None or visit.end is None:
            return visit
        if visit.start <= day <= visit.end:
            return visit
    return None
