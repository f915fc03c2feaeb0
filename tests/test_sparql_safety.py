"""No query reaches the network unless allowed: a listener on 127.0.0.1 must see no connection
from SERVICE, LOAD, FROM or FROM NAMED (and does see SERVICE once it is allowed, so that the
listener is known to work)."""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Iterator

import pytest
import rdflib

from servicekg.errors import QueryRefused
from servicekg.knowledge_base import KnowledgeBase
from servicekg.querying.executor import Limits, run_query
from servicekg.sparql.safety import check_query, check_update, keywords, query_form


class Listener:
    """A TCP listener on a free loopback port that counts the connections it accepts."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/data"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def seen(self) -> int:
        time.sleep(0.2)  # let a connection attempt arrive
        return self.connections

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture
def kb() -> KnowledgeBase:
    store = KnowledgeBase()
    store.update("INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/p> 1 } }")
    return store


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ ?x ?y ?z .service <{url}> {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_and_nothing_connects(kb, listener, template: str) -> None:
    query = template.format(url=listener.url)
    with pytest.raises(QueryRefused, match="SERVICE"):
        kb.query(query)
    with pytest.raises(QueryRefused):
        run_query(kb, query, limits=Limits(timeout_s=5))
    assert listener.seen() == 0


@pytest.mark.parametrize(
    "template", ["LOAD <{url}>", "LOAD SILENT <{url}> INTO GRAPH <http://x/h>"]
)
def test_load_is_refused_and_nothing_connects(kb, listener, template: str) -> None:
    with pytest.raises(QueryRefused, match="LOAD"):
        kb.update(template.format(url=listener.url))
    assert listener.seen() == 0
    assert kb.named_graphs() == ["http://x/g"]


def test_from_and_from_named_select_graphs_of_the_store_only(kb, listener) -> None:
    from_one = f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}"  # noqa: S608
    assert kb.select(from_one) == []
    named = f"SELECT * FROM NAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"  # noqa: S608
    assert kb.select(named) == []
    assert kb.select("SELECT ?s FROM <http://x/g> WHERE { ?s ?p ?o }") == [{"s": "http://x/a"}]
    run_query(kb, from_one, limits=Limits(timeout_s=5))
    assert listener.seen() == 0


def test_rdflib_never_fetches_from(listener) -> None:
    # servicekg.sparql.safety turns rdflib's loading of FROM graphs off on import.
    query = f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}"  # noqa: S608
    with warnings.catch_warnings():  # rdflib warns of its own deprecated Dataset internals
        warnings.simplefilter("ignore", DeprecationWarning)
        assert list(rdflib.Dataset().query(query)) == []
    assert listener.seen() == 0


def test_service_reaches_the_network_when_allowed(kb, listener) -> None:
    query = f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}"
    list(kb.query(query, allow_remote=True))
    assert listener.seen() >= 1


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?service WHERE { ?s ex:service "SERVICE" } # SERVICE',
        "SELECT * WHERE { ?s <http://x/SERVICE#LOAD> ?o }",
        "SELECT * WHERE { ?s :load ?o . ?o load:x ?z }",
        "SELECT * WHERE { ?s ?p '''SERVICE <http://x> {}''' }",
    ],
)
def test_the_words_inside_names_strings_iris_and_comments_are_not_keywords(text: str) -> None:
    check_query(text)
    check_update(f"INSERT {{ ?s ?p 1 }} WHERE {{ {text.split('{', 1)[1]}")
    assert not {"SERVICE", "LOAD"} & keywords(text)


def test_query_form_is_the_first_form_keyword() -> None:
    assert query_form("PREFIX a: <http://x/ASK> # CONSTRUCT\nSELECT * { ?s ?p ?o }") == "SELECT"
    assert query_form("describe <http://x>") == "DESCRIBE"
    assert query_form("INSERT DATA {}") is None
