"""The engagement reports of a knowledge base: progress, chain, what-if, follow-ups recorded.

:class:`Engagement` reads one business's stored observations (what a run wrote), assesses it at
each visit with one rule context built once, and builds the reports of
:mod:`~servicekg.engagement.progress`, :mod:`~servicekg.engagement.chain` and
:mod:`~servicekg.engagement.what_if`. Nothing here writes, except
:func:`record_follow_up` (into ``GRAPH.follow_ups``) and :func:`write_engagement` (what a run
adds: visits, groups, follow-ups read from files and, with ``all_visits``, the assessment at
each earlier visit).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cached_property

import pyoxigraph as ox

from servicekg.assessment.assessor import assess_business
from servicekg.assessment.graph_facts import AssessmentContext
from servicekg.assessment.pipeline import stored_observations, what_if
from servicekg.assessment.provenance import business_nquads as assessment_nquads
from servicekg.assessment.results import BusinessAssessment
from servicekg.engagement.chain import Branch, ChainReport, chain_report, group_of
from servicekg.engagement.progress import (
    Progress,
    VisitAssessment,
    assess_each_visit,
    progress,
    transition,
)
from servicekg.engagement.rdf import (
    follow_up_iri,
    follow_up_quads,
    group_quads,
    read_follow_ups,
    visit_iri,
    visit_quads,
)
from servicekg.engagement.visits import Visit, find_visit, known_at, observations_until, visits_of
from servicekg.engagement.what_if import BestChange, WhatIfResult, best_changes, compare
from servicekg.errors import InputError, UnknownTermError
from servicekg.graph.catalogue import MetricSpec
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import BASE, GRAPH, SKG
from servicekg.observations import (
    Business,
    Observation,
    ObservationSet,
    business_iri,
)
from servicekg.observations.follow_ups import FollowUp

__all__ = [
    "Engagement",
    "at_visit",
    "record_follow_up",
    "write_engagement",
]

Value = float | bool
_ASSESSMENT = BASE + "assessment/"


class Engagement:
    """Reports over the businesses of one knowledge base, in one language (rules read once)."""

    def __init__(
        self, kb: KnowledgeBase, lang: str = "en", context: AssessmentContext | None = None
    ) -> None:
        self.kb = kb
        self.lang = lang
        self._context = context

    @cached_property
    def context(self) -> AssessmentContext:
        """The rules, metric catalogue and causal graph (built on first use)."""
        return self._context or AssessmentContext.build(self.kb, self.lang)

    @cached_property
    def specs(self) -> dict[str, MetricSpec]:
        """Every metric by id."""
        return {spec.id: spec for spec in self.context.catalogue}

    # --- one business ---------------------------------------------------------------------

    def stored(self, business: str) -> tuple[Business | None, list[Observation]]:
        """One business's description and observations as a run wrote them."""
        found = stored_observations(self.kb, business, self.context.catalogue)
        return found.businesses.get(business), found.by_business().get(business, [])

    def visits(self, business: str) -> list[VisitAssessment]:
        """The business assessed at each of its visits, oldest first."""
        described, rows = self.stored(business)
        return assess_each_visit(
            rows, lambda seen: assess_business(self.context, business, described, seen)
        )

    def progress(self, business: str) -> Progress:
        """The business's progress at its latest visit (follow-ups from the store)."""
        follow_ups = read_follow_ups(self.kb, business)
        return progress(self.visits(business), self.specs, follow_ups, self.lang)

    def what_if(self, business: str, changes: Mapping[str, Value]) -> WhatIfResult:
        """The business assessed as stored and again with ``changes`` (the pipeline's
        :func:`~servicekg.assessment.pipeline.what_if`); nothing is written."""
        before = self._what_if(business, {})
        return compare(before, self._what_if(business, changes), changes)

    def best(self, business: str, top: int | None = None) -> list[BestChange]:
        """The single changes of bad metrics to their targets, best first."""
        described, rows = self.stored(business)
        before = self._what_if(business, {})
        facts = {metric: obs.value for metric, obs in _latest(rows).items()}
        labels = {m: s.labels.get(self.lang) or m for m, s in self.specs.items()}
        sector = (described.sector if described else None) or ""
        return best_changes(
            before,
            facts,
            self.context.book.rules,
            sector,
            lambda changes: self._what_if(business, changes),
            labels,
            top,
        )

    def _what_if(self, business: str, changes: Mapping[str, Value]) -> BusinessAssessment:
        return what_if(self.kb, business, changes, lang=self.lang, context=self.context)

    # --- chains -----------------------------------------------------------------------------

    def groups(self) -> dict[str, list[str]]:
        """Every group of the knowledge base and its businesses' ids."""
        rows = self.kb.select(
            f"""SELECT ?group ?id WHERE {{
                  GRAPH <{GRAPH.engagement}> {{
                    ?b org:subOrganizationOf ?g . ?g schema:identifier ?group }}
                  ?b schema:identifier ?id }} ORDER BY ?group ?id"""
        )
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(str(row["group"]), []).append(str(row["id"]))
        return found

    def chain(self, group: str) -> ChainReport:
        """The chain report of ``group`` (each branch at its latest visit)."""
        groups = self.groups()
        if group not in groups:
            raise UnknownTermError("group", group, sorted(groups))
        branches = []
        for business in groups[group]:
            described, _rows = self.stored(business)
            latest = self.visits(business)[-1]
            branches.append(
                Branch(
                    described or Business(business),
                    latest.assessment,
                    latest.facts,
                    latest.visit.label if latest.visit.start else None,
                )
            )
        return chain_report(group, branches, self.specs, sector_scores(self.kb), self.lang)


def sector_scores(kb: KnowledgeBase) -> dict[str, list[float]]:
    """Each sector's businesses' scores (the sum of their recommendations' scores at their
    latest visit), as stored."""
    rows = kb.select(
        f"""SELECT ?b ?sector (SUM(?points) AS ?score) WHERE {{
              GRAPH <{GRAPH.assessments}> {{ ?a a skg:Assessment ; skg:assessedBusiness ?b }}
              GRAPH <{GRAPH.observations}> {{ ?b schema:additionalType ?sector }}
              OPTIONAL {{ GRAPH <{GRAPH.assessments}> {{
                ?r prov:wasGeneratedBy ?a ; skg:score ?s }} }}
              BIND (COALESCE(?s, 0) AS ?points)
            }} GROUP BY ?b ?sector"""
    )
    found: dict[str, list[float]] = {}
    for row in rows:
        found.setdefault(str(row["sector"]), []).append(round(float(row["score"]), 1))
    return found


def record_follow_up(
    kb: KnowledgeBase,
    follow_up: FollowUp,
    rules: Iterable[str],
    now: datetime.datetime | None = None,
) -> str:
    """Store a follow-up of one recommendation (it supersedes the one before); returns its
    IRI. The business must be in ``kb`` and the rule one of ``rules``; a missing date is
    today's. :class:`~servicekg.errors.UnknownTermError` names the known ones otherwise."""
    known_rules = sorted(rules)
    if follow_up.rule not in known_rules:
        raise UnknownTermError("rule", follow_up.rule, known_rules)
    iri = business_iri(follow_up.business)
    if not kb.query(f"ASK {{ GRAPH <{GRAPH.observations}> {{ <{iri}> ?p ?o }} }}"):
        ids = kb.select(
            f"SELECT ?id WHERE {{ GRAPH <{GRAPH.observations}> {{ ?b schema:identifier ?id }} }}"
        )
        raise UnknownTermError("business", follow_up.business, sorted(str(r["id"]) for r in ids))
    moment = now or datetime.datetime.now(datetime.UTC)
    if follow_up.date is None:
        follow_up = replace(follow_up, date=moment.date())
    elif follow_up.date > moment.date():
        raise InputError(f"{follow_up.date.isoformat()}: a follow-up's date is not in the future")
    held = kb.select(
        f"""SELECT (COUNT(?f) AS ?n) WHERE {{ GRAPH <{GRAPH.follow_ups}> {{
              ?f a skg:FollowUp ; skg:forBusiness <{iri}> ; skg:aboutRule ?rule }}
              FILTER (?rule = <{BASE}rule/{follow_up.rule}>) }}"""
    )
    number = int(held[0]["n"]) + 1 if held else 1
    previous = follow_up_iri(follow_up.business, follow_up.rule, number - 1) if number > 1 else None
    kb.add_quads(follow_up_quads(follow_up, number, moment, previous))
    return follow_up_iri(follow_up.business, follow_up.rule, number)


def at_visit(observations: ObservationSet, wanted: str) -> tuple[ObservationSet, list[str]]:
    """The observations as known at one visit of each business (``wanted``: a visit number,
    a day within a visit, or ``latest``); businesses that have no such visit are left out,
    and their ids returned."""
    kept: list[Observation] = []
    left_out = []
    for business, rows in observations.by_business().items():
        visits = visits_of(rows) if rows else []
        try:
            visit = find_visit(visits, wanted)
        except LookupError:
            left_out.append(business)
            continue
        kept += observations_until(rows, visit)
    businesses = {b: d for b, d in observations.businesses.items() if b not in left_out}
    return ObservationSet(businesses, kept, list(observations.follow_ups)), left_out


def write_engagement(
    kb: KnowledgeBase,
    observations: ObservationSet,
    report_businesses: Iterable[BusinessAssessment],
    *,
    context: AssessmentContext | None = None,
    all_visits: bool = False,
    generated_at: str | None = None,
) -> int:
    """What a run adds beside its assessments: each business's visits (its current assessment
    ``skg:atVisit`` the latest), its group, the follow-ups read with the observations (those
    not stored yet) and, with ``all_visits``, the assessment at each earlier visit (as
    ``.../assessment/BUSINESS/visit/N``) with how each recommendation
    changed since the visit before. Earlier visits' assessments go into ``GRAPH.history`` (so
    that ``GRAPH.assessments`` keeps one, current, assessment per business). Replaces
    ``GRAPH.engagement`` and ``GRAPH.history``; returns the quads written."""
    when = generated_at or datetime.datetime.now(datetime.UTC).isoformat()
    current = {a.business: a for a in report_businesses}
    engagement: list[ox.Quad] = []
    earlier: list[str] = []
    for business, rows in observations.by_business().items():
        if business not in current:
            continue
        visits = visits_of(rows)
        described = observations.businesses.get(business)
        group = group_of(described)
        if group:
            engagement += group_quads(business, group)
        names = {visits[-1].number: _ASSESSMENT + _quote(business)}
        chain: list[BusinessAssessment] = []
        if all_visits and len(visits) > 1:
            ctx = context or AssessmentContext.build(kb)
            context = ctx
            for visit in visits[:-1]:
                found = assess_business(ctx, business, described, observations_until(rows, visit))
                name = f"{_quote(business)}/visit/{visit.number}"
                names[visit.number] = _ASSESSMENT + name
                earlier.append(assessment_nquads(found, when, name))
                chain.append(found)
            chain.append(current[business])
            engagement += _changes(chain, visits, names)
        engagement += visit_quads(visits, rows, names)
    history = "".join(earlier).replace(f"<{GRAPH.assessments}>", f"<{GRAPH.history}>")
    written = kb.replace_graphs(
        {
            GRAPH.engagement: engagement,
            GRAPH.history: ox.parse(history.encode(), format=ox.RdfFormat.N_QUADS),
        }
    )
    written += _add_new_follow_ups(kb, observations.follow_ups, when)
    return written


def _changes(
    chain: Sequence[BusinessAssessment], visits: Sequence[Visit], names: Mapping[int, str]
) -> list[ox.Quad]:
    """skg:changeSinceLastVisit of each recommendation and skg:resolvedAt of each resolved."""
    graph = ox.NamedNode(str(GRAPH.engagement))
    terms = {
        "new": SKG.NewRecommendation,
        "persisting": SKG.Persisting,
        "worse": SKG.Worse,
    }
    quads = []
    for i in range(1, len(chain)):
        before = {_rule(r.rule.iri): r for r in chain[i - 1].recommendations}
        after = {_rule(r.rule.iri): r for r in chain[i].recommendations}
        unjudged = {_rule(u.rule.iri) for u in chain[i].unjudged}
        for rule, rec in after.items():
            change = transition(before.get(rule), rec)
            node = ox.NamedNode(f"{names[visits[i].number]}/{rule}")
            quads.append(
                ox.Quad(node, _n(SKG.changeSinceLastVisit), _n(terms[change or "new"]), graph)
            )
        for rule in before.keys() - after.keys():
            if transition(before[rule], None, judged=rule not in unjudged) == "resolved":
                node = ox.NamedNode(f"{names[visits[i - 1].number]}/{rule}")
                visit = ox.NamedNode(visit_iri(visits[i].business, visits[i].number))
                quads.append(ox.Quad(node, _n(SKG.resolvedAt), visit, graph))
    return quads


def _add_new_follow_ups(kb: KnowledgeBase, follow_ups: Iterable[FollowUp], when: str) -> int:
    """Store the follow-ups read from files that are not stored already (same business, rule,
    status and date), each superseding the one before."""
    wanted = list(follow_ups)
    if not wanted:
        return 0
    held = {(f.business, f.rule, f.status, f.date) for f in read_follow_ups(kb)}
    counts: dict[tuple[str, str], int] = {}
    for row in kb.select(
        f"""SELECT ?b ?rule (COUNT(?f) AS ?n) WHERE {{ GRAPH <{GRAPH.follow_ups}> {{
              ?f a skg:FollowUp ; skg:forBusiness ?b ; skg:aboutRule ?rule }} }}
            GROUP BY ?b ?rule"""
    ):
        key = (str(row["b"]), str(row["rule"]).rsplit("/", 1)[-1])
        counts[key] = int(row["n"])
    moment = datetime.datetime.fromisoformat(when)
    quads: list[ox.Quad] = []
    for follow_up in sorted(wanted, key=lambda f: (f.date or datetime.date.min, f.rule)):
        if (follow_up.business, follow_up.rule, follow_up.status, follow_up.date) in held:
            continue
        key = (business_iri(follow_up.business), follow_up.rule)
        number = counts.get(key, 0) + 1
        counts[key] = number
        previous = (
            follow_up_iri(follow_up.business, follow_up.rule, number - 1) if number > 1 else None
        )
        quads += follow_up_quads(follow_up, number, moment, previous)
    return kb.add_quads(quads) if quads else 0


def _latest(rows: Iterable[Observation]) -> dict[str, Observation]:
    visits = visits_of(list(rows))
    return known_at(rows, visits[-1])


def _quote(business: str) -> str:
    from urllib.parse import quote

    return quote(business, safe="")


def _rule(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _n(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))
