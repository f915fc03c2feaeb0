"""Which businesses a filter by group, sector and visit keeps (the server's ``/api`` and
portfolio view): read from the observations and engagement graphs.

* ``group``: the businesses of that group (an unknown group is an
  :class:`~servicekg.errors.UnknownTermError` naming the known ones);
* ``sector``: the businesses described with that sector code;
* ``visit``: the businesses that have that visit: a number (their N-th), a day (a visit begun
  by then) or ``latest`` (all that have a visit).
"""

from __future__ import annotations

import datetime

from servicekg.engagement.visits import Visit, find_visit
from servicekg.errors import UnknownTermError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH

__all__ = ["matching_businesses"]


def matching_businesses(
    kb: KnowledgeBase,
    *,
    group: str | None = None,
    sector: str | None = None,
    visit: str | None = None,
) -> set[str] | None:
    """The ids of the businesses every given filter keeps; ``None`` when none is given."""
    if group is None and sector is None and visit is None:
        return None
    rows = kb.select(
        f"""SELECT ?id ?sector ?group WHERE {{
              GRAPH <{GRAPH.observations}> {{
                ?b a schema:Organization ; schema:identifier ?id .
                OPTIONAL {{ ?b schema:additionalType ?sector }} }}
              OPTIONAL {{ GRAPH <{GRAPH.engagement}> {{
                ?b org:subOrganizationOf ?g . ?g schema:identifier ?group }} }}
            }}"""
    )
    kept = {str(r["id"]) for r in rows}
    if group is not None:
        groups = {str(r["group"]) for r in rows if r.get("group") is not None}
        if group not in groups:
            raise UnknownTermError("group", group, sorted(groups))
        kept &= {str(r["id"]) for r in rows if r.get("group") == group}
    if sector is not None:
        kept &= {str(r["id"]) for r in rows if r.get("sector") == sector}
    if visit is not None:
        kept &= _visited(kb, visit)
    return kept


def _visited(kb: KnowledgeBase, wanted: str) -> set[str]:
    rows = kb.select(
        f"""SELECT ?id ?n ?start ?end WHERE {{
              GRAPH <{GRAPH.engagement}> {{
                ?v skg:visitOf ?b ; skg:visitNumber ?n .
                OPTIONAL {{ ?v schema:startDate ?start ; schema:endDate ?end }} }}
              GRAPH <{GRAPH.observations}> {{ ?b schema:identifier ?id }}
            }} ORDER BY ?id ?n"""
    )
    visits: dict[str, list[Visit]] = {}
    for row in rows:
        business = str(row["id"])
        visits.setdefault(business, []).append(
            Visit(business, int(row["n"]), _day(row.get("start")), _day(row.get("end")))
        )
    found = set()
    for business, theirs in visits.items():
        try:
            find_visit(theirs, wanted)
        except LookupError:
            continue
        found.add(business)
    return found


def _day(value: object) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    return None if value is None else datetime.date.fromisoformat(str(value)[:10])
