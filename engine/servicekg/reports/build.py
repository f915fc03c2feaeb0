"""Build the client report (:class:`~servicekg.reports.document.ClientReport`) from a run.

Values are shown in the unit the consultant entered, with the target and the gap in words;
headings, labels and severities come from ``words.yaml``; renderings of passages in the
report's language where the graph has them (English otherwise, and said so).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from servicekg.assessment.assessor import latest_observations
from servicekg.assessment.pipeline import AssessmentRun
from servicekg.assessment.results import BusinessAssessment, Link, Recommendation
from servicekg.assessment.results import Strength as Found
from servicekg.graph.catalogue import MetricCatalogue, MetricSpec
from servicekg.observations.records import Business, Observation
from servicekg.reports.basis import basis_of, caveats_of
from servicekg.reports.document import (
    Action,
    Bar,
    BusinessSection,
    CaveatView,
    ClientReport,
    Comparison,
    EvidenceLine,
    PassageView,
    RecommendationView,
    ScoreRow,
    SetAsideView,
    Strength,
    ToCheckView,
    UnjudgedRow,
)
from servicekg.reports.graph_texts import GraphTexts
from servicekg.reports.words import Words
from servicekg.rules.conditions import Comparison as Test
from servicekg.rules.conditions import evaluate, iter_comparisons
from servicekg.rules.rule_files import load_rules
from servicekg.rules.rulebook import Rule, RuleBook

__all__ = ["ReportOptions", "build_report"]

_FIRES_TO_TARGET = {
    "above": "at_most",
    "at_least": "below",
    "below": "at_least",
    "at_most": "above",
}
_LOWER_IS_BETTER = {"above", "at_least"}
_SEVERITY_WEIGHT_DIGITS = 2


@dataclass(frozen=True)
class ReportOptions:
    """What the consultant says about the report (``None``: from the businesses file)."""

    client: str | None = None
    consultant: str | None = None
    title: str | None = None
    period: str | None = None
    date: datetime.date | None = None


def build_report(
    run: AssessmentRun, options: ReportOptions | None = None, book: RuleBook | None = None
) -> ClientReport:
    """The report of ``run`` in its language."""
    return _Builder(run, options or ReportOptions(), book).build()


class _Builder:
    def __init__(self, run: AssessmentRun, options: ReportOptions, book: RuleBook | None) -> None:
        self.run, self.options = run, options
        self.lang = run.report.language
        self.w = Words(self.lang)
        self.book = book or load_rules(kb=run.kb)
        self.catalogue = MetricCatalogue.from_kb(run.kb)
        self.graph = GraphTexts(run.kb, self.lang)

    # --- the whole report ---------------------------------------------------------------

    def build(self) -> ClientReport:
        w, report = self.w, self.run.report
        described = self.run.observations.businesses
        assessed = [b for b in report.businesses if b.observations or b.error]
        sections = [self._business(b, described.get(b.business)) for b in assessed]
        names = ", ".join(s.name for s in sections)
        doc = ClientReport(
            lang=self.lang,
            words={key: w[key] for key in _HEADINGS},
            title=self._option("title") or w["report_title"],
            client=self._option("client") or "",
            consultant=self._option("consultant") or "",
            period=self._option("period") or self._period() or "",
            date=w.date(self.options.date or datetime.date.today()),
            scope=w.say("scope_text", names=names),
            businesses=sections,
        )
        doc.actions = self._actions(assessed, {s.id: s.name for s in sections})
        doc.strengths = _round_robin([section.strengths for section in sections], 5)
        if len([s for s in sections if not s.error]) > 1:
            doc.comparison = _compare(sections)
        doc.scores = [
            ScoreRow(
                business=section.name,
                title=rec.title,
                score=w.number(rec.score, 1),
                severity_weight=w.number(rec.reason.severity_weight, _SEVERITY_WEIGHT_DIGITS),
                impact=w.number(rec.reason.impact, 2),
                gap=w.number(rec.reason.gap, 2),
            )
            for business, section in zip(assessed, sections, strict=True)
            for rec in business.recommendations
        ]
        return doc

    def _option(self, name: str) -> str | None:
        given = getattr(self.options, name)
        if given:
            return str(given)
        for business in self.run.observations.businesses.values():
            found = business.extra.get(name) or business.extra.get(f"audit_{name}")
            if found:
                return str(found)
        return None

    def _period(self) -> str | None:
        dates = [
            o.observed_at.date() if isinstance(o.observed_at, datetime.datetime) else o.observed_at
            for o in self.run.observations.observations
            if o.observed_at is not None
        ]
        return self.w.period(min(dates), max(dates)) if dates else None

    def _actions(
        self, assessed: Iterable[BusinessAssessment], names: Mapping[str, str]
    ) -> list[Action]:
        """The three rules that matter most: best score first, one action per rule, with the
        businesses it concerns."""
        by_rule: dict[str, tuple[Recommendation, list[str]]] = {}
        for business in assessed:
            for rec in business.recommendations:
                found = by_rule.get(rec.rule.iri)
                if found is None:
                    by_rule[rec.rule.iri] = (rec, [names[business.business]])
                else:
                    found[1].append(names[business.business])
                    if rec.score > found[0].score:
                        by_rule[rec.rule.iri] = (rec, found[1])
        ranked = sorted(by_rule.values(), key=lambda item: (-item[0].score, -len(item[1])))
        return [Action(rec.title, tuple(where), self._effect(rec)) for rec, where in ranked[:3]]

    def _effect(self, rec: Recommendation) -> str:
        """What acting on ``rec`` moves, from the causal graph, in words."""
        w = self.w
        chains = [c for c in rec.reason.chains if c.sign > 0] or list(rec.reason.chains)
        if not chains:
            return ""
        outcomes = _join([_lower(c.target.label) for c in chains], w["and"])
        strongest = max(chains, key=lambda c: c.strength)
        path = " → ".join(t.label for t in strongest.path)
        impact = rec.reason.impact
        strength = w[
            "effect_strong"
            if impact >= 0.66
            else "effect_moderate"
            if impact >= 0.33
            else "effect_weak"
        ]
        return w.say("effect", outcomes=outcomes, strength=strength, path=path)

    # --- one business -------------------------------------------------------------------

    def _business(
        self, assessed: BusinessAssessment, described: Business | None
    ) -> BusinessSection:
        w = self.w
        sector = assessed.sector or ""
        section = BusinessSection(
            id=assessed.business,
            name=assessed.name or assessed.business,
            sector=self.graph.sectors.get(sector, sector or w["other"]),
            region=described.region if described else None,
            observations=assessed.observations,
        )
        if assessed.error:
            section.error = w.say("error", error=assessed.error)
            return section
        latest = latest_observations(self.run.observations.by_business().get(assessed.business, []))
        checked: set[str] = {item.concept.iri for item in assessed.to_check}
        for cause in assessed.root_causes:
            effects = _join([_lower(t.label) for t in cause.explains], w["and"])
            if not cause.observed:
                # an unobserved cause is never named as the cause: it is to be checked
                if cause.concept.iri not in checked:
                    checked.add(cause.concept.iri)
                    section.to_check.append(
                        ToCheckView(cause.concept.label, effects, "", _paths(cause.links))
                    )
                continue
            text = w.say("root_cause_observed", cause=cause.concept.label, effects=effects)
            path = _paths(cause.links) or "; ".join(
                " → ".join(t.label for t in chain) for chain in cause.chains
            )
            if path:
                text += " " + w.say("root_cause_path", path=path)
            section.root_causes.append(text)
        section.bars = self._measured(latest, sector)
        section.strengths = [self._strength(s, latest, section.name) for s in assessed.strengths]
        section.recommendations = [
            self._recommendation(rec, latest, sector) for rec in assessed.recommendations
        ]
        section.set_aside = self._set_aside(assessed)
        section.to_check = [
            ToCheckView(
                concept=item.concept.label,
                explains=_join([_lower(t.label) for t in item.explains], w["and"]),
                measures=_join([t.label for t in item.metrics], w["or"]),
                path=_paths(item.links),
            )
            for item in assessed.to_check
        ] + section.to_check
        section.data_quality = [
            w.say(
                "data_quality_item",
                check=finding.check.label,
                values="; ".join(f"{e.label} = {_said(w, e.value)}" for e in finding.observations),
                rows=", ".join(_row(e.origin or e.observation) for e in finding.observations),
            )
            for finding in assessed.data_quality
        ]
        section.unjudged = self._unjudged(assessed)
        return section

    def _recommendation(
        self, rec: Recommendation, latest: Mapping[str, Observation], sector: str
    ) -> RecommendationView:
        w = self.w
        rule = self.book.get(rec.rule.iri.rsplit("/", 1)[-1])
        evidence = []
        for item in rec.evidence:
            obs = latest.get(item.metric)
            value = self._value_text(item.metric, obs, item.value, rule, sector)
            evidence.append(
                EvidenceLine(
                    label=item.label,
                    value=value,
                    when=w.date(item.observed_at) if item.observed_at else None,
                    location=obs.location if obs else None,
                    source=item.source,
                    note=obs.note if obs else None,
                )
            )
        basis = basis_of(rule, self.lang, sector)
        lines = []
        if basis.advice:
            lines.append(w.say("basis_advice", basis=w[f"basis_{basis.advice}"]))
        if basis.threshold:
            lines.append(w.say("basis_threshold", basis=w[f"basis_{basis.threshold}"]))
        if basis.note:
            lines.append(basis.note)
        why = " ".join(self.graph.first_sentence(p.iri) or p.label for p in rec.principles[:1])
        return RecommendationView(
            rank=rec.rank,
            title=rec.title,
            priority=w[f"severity_{rec.severity}"],
            severity=rec.severity,
            what=rec.text.strip(),
            why=why,
            evidence=tuple(evidence),
            passages=tuple(self._passage(s) for s in rec.sources),
            basis=tuple(lines),
            caveats=self._caveats(rec, rule),
        )

    def _set_aside(self, assessed: BusinessAssessment) -> list[SetAsideView]:
        """The rules set aside, those with the same reason and passages said once."""
        w = self.w
        grouped: dict[tuple[str, tuple[str, ...]], list] = {}
        for aside in assessed.set_aside:
            key = (aside.reason.iri, tuple(q.passage for q in aside.passages))
            grouped.setdefault(key, []).append(aside)
        found = []
        for asides in grouped.values():
            first = asides[0]
            reason = first.reason.label
            if first.applies_to:
                sectors = _join([t.label for t in first.applies_to], w["and"])
                reason += " (" + w.say("applies_to", sectors=sectors) + ")"
            found.append(
                SetAsideView(
                    title="; ".join(a.title for a in asides),
                    reason=reason,
                    passages=tuple(self._passage(q) for q in first.passages),
                )
            )
        return found

    def _caveats(self, rec: Recommendation, rule: Rule) -> tuple[CaveatView, ...]:
        """The recommendation's caveats with their passages; the rule's own where the
        assessment gives none."""
        if rec.caveats:
            return tuple(CaveatView(c.text, self._passage(c.passage)) for c in rec.caveats)
        return tuple(CaveatView(c.text, None) for c in caveats_of(rule, self.lang))

    def _strength(self, found: Found, latest: Mapping[str, Observation], name: str) -> Strength:
        """A strength the assessment found, with its target in words and why it matters."""
        w, e = self.w, found.evidence
        obs = latest.get(e.metric)
        spec = self.catalogue[e.metric] if e.metric in self.catalogue else None  # noqa: SIM401
        op, target = found.target.get("op"), found.target.get("value")
        if isinstance(e.value, bool) or spec is None:
            shown = w.quantity(e.value, "bool") if isinstance(e.value, bool) else str(e.value)
            if isinstance(target, bool):
                shown += "; " + w.say("target_is", target=w.quantity(target, "bool"))
        else:
            symbol = obs.entered_unit if obs and obs.entered_unit else spec.unit
            shown = w.quantity(self._in_unit(spec, float(e.value), symbol), symbol)
            if op in ("at_least", "at_most", "below", "above") and target is not None:
                goal = w.quantity(self._in_unit(spec, float(target), symbol), symbol)
                shown += "; " + w.say(f"target_{op}", target=goal)
        why = self.graph.definitions.get(found.concept.iri)
        article = None
        if why:
            passage = self.graph.rests_on.get(found.concept.iri)
            article = self.graph.articles.get(passage) if passage else None
        elif found.passages:
            quote = found.passages[0]
            why = self.graph.passage_text(quote.passage, self.lang) or quote.rendering
            why, article = _sentences(why, 2), quote.article
        return Strength(
            business=name,
            label=spec.labels.get(self.lang, e.label) if spec else e.label,
            value=shown,
            why=why,
            article=article,
        )

    def _passage(self, source: object) -> PassageView:
        w = self.w
        quote_lang = source.quote_language  # type: ignore[attr-defined]
        rendering, label = None, w["rendering"]
        if quote_lang != self.lang:
            rendering = self.graph.renderings.get(source.passage)  # type: ignore[attr-defined]
            if rendering is None:
                rendering = source.rendering  # type: ignore[attr-defined]
                label = w["rendering"] if self.lang == "en" else w["rendering_fallback"]
        return PassageView(
            quote=source.quote,  # type: ignore[attr-defined]
            quote_language=quote_lang,
            rendering=rendering,
            rendering_label=label,
            article=source.article,  # type: ignore[attr-defined]
            section=source.section,  # type: ignore[attr-defined]
        )

    def _measured(self, latest: Mapping[str, Observation], sector: str) -> list[Bar]:
        """The needs and factors against their targets (strengths are the assessment's)."""
        worst: dict[str, tuple[float, str]] = {}
        facts = {metric: obs.value for metric, obs in latest.items()}
        for metric, obs in latest.items():
            if metric not in self.catalogue or isinstance(obs.value, bool):
                continue
            found = self._target(metric, sector, facts)
            if found is None:
                continue
            _rule, test, target = found
            percent = _attained(float(obs.value), test.op, target)
            for concept in self.catalogue[metric].concepts:
                kind = self.graph.kinds.get(concept)
                if kind is not None and percent < worst.get(concept, (101.0, ""))[0]:
                    worst[concept] = (percent, kind)
        bars = [
            Bar(self.graph.labels.get(c, c), kind, round(p, 1), p >= 100)
            for c, (p, kind) in worst.items()
        ]
        bars.sort(key=lambda b: (b.kind != "need", b.label))
        return bars

    def _target(
        self, metric: str, sector: str, facts: Mapping[str, float | bool]
    ) -> tuple[Rule, Test, float] | None:
        """The first rule that can fire in ``sector`` and compares ``metric`` with a number;
        a rule whose exception holds sets no target (rude service that is the product)."""
        for rule in self.book:
            if rule.sectors is not None and sector not in rule.sectors:
                continue
            if rule.unless is not None and evaluate(rule.unless, facts, sector) is True:
                continue
            for test in iter_comparisons(rule.when):
                if test.metric == metric and test.op in _FIRES_TO_TARGET and test.threshold:
                    return rule, test, test.threshold.for_sector(sector)
        return None

    def _value_text(
        self, metric: str, obs: Observation | None, value: float | bool, rule: Rule, sector: str
    ) -> str:
        """``7,5 min; doel: hoogstens 3 min; 4,5 min boven het doel``."""
        w = self.w
        if metric not in self.catalogue:
            return str(value)
        spec = self.catalogue[metric]
        if isinstance(value, bool):
            shown = w.quantity(value, "bool")
            tests = [t for t in iter_comparisons(rule.when) if t.metric == metric and t.op == "is"]
            if tests and tests[0].expected is not None:
                return f"{shown}; " + w.say(
                    "target_is", target=w.quantity(not tests[0].expected, "bool")
                )
            return shown
        symbol = obs.entered_unit if obs and obs.entered_unit else spec.unit
        shown = w.quantity(self._in_unit(spec, float(value), symbol), symbol)
        tests = [
            t
            for t in iter_comparisons(rule.when)
            if t.metric == metric and t.op in _FIRES_TO_TARGET and t.threshold
        ]
        if not tests:
            return shown
        test = tests[0]
        target = test.threshold.for_sector(sector)  # type: ignore[union-attr]
        target_text = w.quantity(self._in_unit(spec, target, symbol), symbol)
        parts = [shown, w.say(f"target_{_FIRES_TO_TARGET[test.op]}", target=target_text)]
        gap = abs(float(value) - target)
        bad = (float(value) > target) if test.op in _LOWER_IS_BETTER else (float(value) < target)
        if bad and gap > 0:
            gap_text = w.quantity(self._in_unit(spec, gap, symbol), symbol)
            key = "gap_over" if test.op in _LOWER_IS_BETTER else "gap_under"
            parts.append(w.say(key, gap=gap_text))
        return "; ".join(parts)

    def _in_unit(self, spec: MetricSpec, value: float, symbol: str) -> float:
        """``value`` (in the metric's own unit) in the unit written ``symbol``."""
        if symbol == spec.unit:
            return value
        unit = self.catalogue.unit(symbol)
        return value / unit.multiplier if unit.base == spec.unit else value

    def _unjudged(self, assessed: BusinessAssessment) -> list[UnjudgedRow]:
        rows: dict[str, UnjudgedRow] = {}
        for item in assessed.unjudged:
            rule = self.book.get(item.rule.iri.rsplit("/", 1)[-1])
            for metric in item.missing_metrics:
                metric_id = metric.iri.rsplit("/", 1)[-1]
                if metric_id in rows:
                    continue
                spec = self.catalogue[metric_id] if metric_id in self.catalogue else None  # noqa: SIM401
                groups = [c for c in (spec.concepts if spec else ()) if c in self.graph.kinds]
                group = groups[0] if groups else rule.addresses
                rows[metric_id] = UnjudgedRow(
                    group=self.graph.labels.get(group, self.w["other"]),
                    measure=metric.label,
                    how=self.graph.how_to_observe.get(metric.iri, ""),
                )
        return sorted(rows.values(), key=lambda r: (r.group, r.measure))


def _attained(value: float, fires: str, target: float) -> float:
    """How much of the target ``value`` meets, in percent (100 = met)."""
    if fires in _LOWER_IS_BETTER:
        if value <= target:
            return 100.0
        return 100.0 * target / value if value > 0 else 0.0
    if value >= target:
        return 100.0
    return 100.0 * value / target if target > 0 else 0.0


def _compare(sections: list[BusinessSection]) -> Comparison:
    shown = [s for s in sections if not s.error]
    labels = sorted({(b.kind != "need", b.label) for s in shown for b in s.bars}, key=lambda k: k)
    rows = []
    for _, label in labels:
        cells = []
        for section in shown:
            bar = next((b for b in section.bars if b.label == label), None)
            cells.append(None if bar is None else bar.percent)
        rows.append((label, tuple(cells)))
    overall = tuple(
        (100.0 * sum(b.met for b in s.bars) / len(s.bars)) if s.bars else None for s in shown
    )
    return Comparison(
        businesses=tuple(s.name for s in shown),
        rows=tuple(rows),
        overall=overall,
        recommendations=tuple(len(s.recommendations) for s in shown),
        highest=tuple(
            s.recommendations[0].priority if s.recommendations else "\u2013" for s in shown
        ),
    )


def _sentences(text: str, count: int) -> str:
    """The first ``count`` sentences of ``text`` (all of it when it has no more)."""
    ends = [m.end() for m in re.finditer(r"[.!?][\u201d\"]?\s", text + " ")]
    return text if len(ends) <= count else text[: ends[count - 1]].strip()


def _paths(chains: Iterable[tuple[Link, ...]]) -> str:
    """Each chain of relations as ``A → B → C``, chains separated by ``;``."""
    found = []
    for links in chains:
        if links:
            labels = [links[0].source.label, *(link.target.label for link in links)]
            found.append(" → ".join(labels))
    return "; ".join(dict.fromkeys(found))


def _said(w: Words, value: float | bool) -> str:
    return w.quantity(value, "bool") if isinstance(value, bool) else w.number(value, 2)


def _row(origin: str) -> str:
    """``obs.csv:13`` of a ``file:row`` origin (the folder left out)."""
    return origin.replace("\\", "/").rsplit("/", 1)[-1]


def _round_robin(groups: list[list[Strength]], limit: int) -> list[Strength]:
    """At most ``limit`` items, taking one from each group in turn (every business first)."""
    found: list[Strength] = []
    for i in range(max((len(g) for g in groups), default=0)):
        found += [g[i] for g in groups if i < len(g)]
    return found[:limit]


def _join(items: list[str], and_word: str) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {and_word} " + items[-1]


def _lower(label: str) -> str:
    """A label inside a sentence: first letter small unless it is an acronym (``NPS``)."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


_HEADINGS = (
    "client",
    "consultant",
    "period",
    "report_date",
    "scope",
    "page",
    "executive_summary",
    "top_actions",
    "top_actions_none",
    "strengths",
    "strengths_none",
    "why_it_matters",
    "sector",
    "region",
    "observations_count",
    "chart_title",
    "chart_caption",
    "chart_none",
    "target",
    "need",
    "factor",
    "root_cause",
    "set_aside",
    "set_aside_intro",
    "to_check",
    "to_check_intro",
    "data_quality",
    "data_quality_intro",
    "recommendations",
    "no_recommendations",
    "no_recommendations_but",
    "priority",
    "what_to_do",
    "why",
    "evidence",
    "source",
    "note",
    "in_the_articles_words",
    "basis",
    "caveat",
    "unjudged",
    "unjudged_intro",
    "need_or_factor",
    "measure",
    "how_to_measure",
    "comparison",
    "comparison_caption",
    "comparison_overall",
    "business",
    "highest_priority",
    "appendix",
    "appendix_formula",
    "score",
    "severity_weight",
    "impact",
    "gap",
    "recommendation",
    "charts_omitted",
    "contents",
    "observed_on",
    "at_location",
)
