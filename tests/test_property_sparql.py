"""Generated malformed SPARQL queries and updates through the knowledge base (what the CLI's
``query`` and the server run): each gives a result or a
:class:`~servicekg.knowledge_base.QuerySyntaxError` with a line, never another exception, and a
refused update changes nothing.

Queries are the example queries of ``ontology/queries`` with bytes cut, inserted or replaced,
and random text. Nothing generated names the network (no ``SERVICE``, ``LOAD`` or ``FROM``):
that is the server's side of issue 7.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fuzz import SETTINGS, examples
from servicekg.errors import ServiceKGError
from servicekg.knowledge_base import KnowledgeBase, QuerySyntaxError
from servicekg.resources import queries_dir

pytestmark = pytest.mark.fuzz

QUERIES = [
    "\n".join(line for line in path.read_text("utf-8").splitlines() if not line.startswith("#"))
    for path in sorted(queries_dir().glob("*.rq"))
]
UPDATES = [
    'INSERT DATA { GRAPH <urn:x-test:g> { skg:A rdfs:label "Rīgas maiznīca"@lv } }',
    "DELETE { ?s rdfs:label ?l } INSERT { ?s skos:prefLabel ?l } WHERE { GRAPH <urn:x-test:g> "
    "{ ?s rdfs:label ?l } }",
    "CLEAR SILENT GRAPH <urn:x-test:g> ; DROP SILENT GRAPH <urn:x-test:h>",
    'WITH <urn:x-test:g> INSERT { ?c skg:note "x" } WHERE { ?c a skg:BasicNeed }',
]
NETWORK = re.compile(r"\b(service|load|from)\b", re.IGNORECASE)
TOKENS = (
    *("{", "}", "(", ")", ".", ";", "?", "$", "<", ">", '"', "'", "\\", "#", "@", "^^"),
    *("FILTER", "OPTIONAL", "UNION", "GRAPH", "VALUES", "BIND", "GROUP BY", "ORDER BY"),
    *("LIMIT -1", "OFFSET 99999999999999999999", 'REGEX(?x, "[")', "1e999", "\x00"),
    *("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "INSERT", "DELETE", "*", "+", "|", "/"),
)


@st.composite
def mutated(draw: st.DrawFn, originals: list[str]) -> str:
    text = draw(st.sampled_from(originals))
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        action = draw(st.sampled_from(("cut", "insert", "insert", "replace")))
        if action == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif action == "insert":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
        else:
            text = text[:at] + draw(st.characters()) + text[at + 1 :]
    return text


def _sparql(originals: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(mutated(originals), st.text(max_size=80)).filter(
        lambda text: not NETWORK.search(text)
    )


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:  # a knowledge base of its own: updates change it
    return KnowledgeBase.with_ontology()


@pytest.mark.slow
def test_a_malformed_query_gives_a_syntax_error_with_its_place(kb: KnowledgeBase) -> None:
    @settings(SETTINGS, max_examples=examples(400))
    @given(query=_sparql(QUERIES))
    def check(query: str) -> None:
        failure: ServiceKGError | None = None
        try:
            result = kb.query(query)
            if not isinstance(result, bool):
                list(result)  # evaluation errors surface while iterating
        except QuerySyntaxError as error:
            failure = error
        if failure is not None:
            assert str(failure).startswith("SPARQL syntax error")

    check()


@pytest.mark.slow
def test_a_malformed_update_changes_nothing(kb: KnowledgeBase) -> None:
    @settings(SETTINGS, max_examples=examples(300))
    @given(update=_sparql(UPDATES))
    def check(update: str) -> None:
        assume(update.strip())
        before = set(kb.quads())
        refused = False
        try:
            kb.update(update)
        except QuerySyntaxError:
            refused = True
        if refused:
            assert set(kb.quads()) == before

    check()
