"""What servicekg must know of each SPARQL engine it can run on (``--engine``), as data.

A remote store speaks the SPARQL 1.1 Protocol and, where there is one, the Graph Store
Protocol; engines differ in the details, and each difference is one field of
:class:`EngineProfile` rather than a special case in :mod:`servicekg.stores.remote`:

============== ========== =========== ============== ====== ======================== ========
engine         union      default     Graph Store    auth   update / store path      tested
                          graph       writes                (beside the query URL)
============== ========== =========== ============== ====== ======================== ========
``oxigraph``   parameter  its own     PUT/POST/DEL,  bearer ``/update``, ``/store``  yes
                                      N-Quads POST
``virtuoso``   dataset    stand-in    PUT/POST/DEL   digest ``/sparql-auth``,        yes
                          graph                             ``/sparql-graph-crud-auth``
``fuseki``     dataset    its own     PUT/POST/DEL,  basic  ``/update``, ``/data``   no
                                      N-Quads POST
``graphdb``    dataset    its own     PUT/POST/DEL   basic  ``/statements``,         no
                                                            ``/rdf-graphs/service``
``generic``    dataset    its own     none (Update)  bearer as given                 yes
============== ========== =========== ============== ====== ======================== ========

*union*: how queries get the union of the named graphs as their default graph: Oxigraph
server's ``union-default-graph`` parameter, or (everywhere else) the protocol's
``default-graph-uri`` and ``named-graph-uri`` listing the store's graphs. Virtuoso's own default
graph is already a union, but of *every* graph including its ~2,500 system triples, so it is
never relied on. *default graph*: Virtuoso has no default graph of its own to write into
(``INSERT DATA`` without ``GRAPH`` is refused and its Graph Store has no ``?default``), so the
store's default graph is a named graph kept for it, :data:`DEFAULT_STAND_IN`.

Fuseki and GraphDB are described from their documentation and are not run by the tests: treat
them as a starting point. Fuseki (jena.apache.org, "Fuseki Data Service Configuration Syntax"):
``/ds/query``, ``/ds/update``, ``/ds/data`` for the Graph Store with ``?graph=``/``?default``,
quads ``POST`` to the dataset, basic authentication when configured. GraphDB (the RDF4J server
REST API): ``/repositories/ID`` for queries, ``/repositories/ID/statements`` for updates,
``/repositories/ID/rdf-graphs/service?graph=`` for graphs; its default graph is the union of
all graphs unless asked otherwise, basic authentication when security is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "DEFAULT_STAND_IN",
    "ENDPOINT_TOKEN_ENV",
    "ENGINES",
    "PASSWORD_ENV",
    "USER_ENV",
    "Credentials",
    "EngineProfile",
    "profile",
]

DEFAULT_STAND_IN = "urn:x-servicekg:default-graph"
"""The named graph that holds "the default graph" on an engine that has none to write into."""

USER_ENV = "SERVICEKG_ENDPOINT_USER"
ENDPOINT_TOKEN_ENV = "SERVICEKG_ENDPOINT_TOKEN"  # noqa: S105 - a variable's name
"""The bearer token sent to the remote endpoint, by every command and ``servicekg serve`` (whose
own token, ``--token`` / ``SERVICEKG_TOKEN``, protects its updates and is never sent on)."""
PASSWORD_ENV = "SERVICEKG_ENDPOINT_PASSWORD"  # noqa: S105 - a variable's name, not a password

Union = Literal["dataset", "oxigraph", "virtuoso"]
Auth = Literal["bearer", "basic", "digest"]


@dataclass(frozen=True)
class EngineProfile:
    """One engine's habits, as far as servicekg depends on them."""

    name: str
    union: Union
    """``"oxigraph"``: Oxigraph server's ``union-default-graph`` parameter; ``"dataset"``: list
    the named graphs as ``default-graph-uri`` and ``named-graph-uri``. (``"virtuoso"``,
    Virtuoso's own union less its system graphs by ``DEFINE input:default-graph-exclude``,
    saves the listing but meets evaluation bugs of Virtuoso 7.2.5 that the listed dataset
    does not: ``--union virtuoso`` only.)"""
    auth: Auth
    """How credentials travel: a bearer token, or a user and password (basic or digest)."""
    update_path: str | None
    """The update URL's last path segment(s), replacing the query URL's last segment when no
    update URL is given (None: the query URL itself)."""
    store_path: str | None
    """Likewise for the Graph Store Protocol URL (None: no Graph Store unless given)."""
    graph_param: str = "graph"
    """The Graph Store's query parameter naming a graph (Virtuoso also takes ``graph-uri``)."""
    graph_store_writes: bool = True
    """Whether whole graphs are written with Graph Store ``PUT``/``POST`` (else SPARQL Update)."""
    dataset_post: bool = False
    """Whether ``POST`` of N-Quads to the Graph Store URL (no graph named) adds every quad."""
    default_stand_in: str | None = None
    """A named graph standing for the default graph, when the engine has none to write into."""
    system_graphs: tuple[str, ...] = ()
    """IRIs of graphs that belong to the engine, never shown as the knowledge base's."""
    ask_as_rows: bool = False
    """Whether ASK is answered as a one-column result set (one row for true) instead of a
    boolean."""
    empty_graph_ask: bool = True
    """Whether ``ASK { GRAPH <g> {} }`` says whether ``g`` exists (Virtuoso: always true)."""
    query_timeout_param: tuple[str, float] | None = None
    """The request parameter that bounds a query's time on the engine side and its unit in
    seconds (Fuseki ``timeout`` in s), when the engine stops the query with an error rather
    than answering a partial result."""
    blank_nodes_in_data: bool = True
    """Whether ``INSERT DATA`` may hold blank nodes (Virtuoso: "not allowed in a constant
    clause"; it takes ``INSERT { ... } WHERE { }``)."""
    bnode_prefix: bytes | None = None
    """What the engine puts before a blank node's label in JSON results (Virtuoso:
    ``nodeID://``), to be taken off: such a label is not a valid blank node identifier."""
    error_line: str | None = None
    """A regular expression whose first group is the line of a syntax error in the engine's
    400 answer, when it is not Oxigraph's ``error at LINE:COLUMN``."""
    tested: bool = False
    """Whether the test suite runs against this engine."""


ENGINES: dict[str, EngineProfile] = {
    p.name: p
    for p in (
        EngineProfile(
            "oxigraph",
            union="oxigraph",
            auth="bearer",
            update_path="update",
            store_path="store",
            dataset_post=True,
            tested=True,
        ),
        EngineProfile(
            "virtuoso",
            union="dataset",
            auth="digest",
            update_path="sparql-auth",
            store_path="sparql-graph-crud-auth",
            graph_param="graph-uri",
            default_stand_in=DEFAULT_STAND_IN,
            system_graphs=(
                "http://www.openlinksw.com/schemas/virtrdf#",
                "http://www.w3.org/ns/ldp#",
                "http://localuriqaserver/sparql",
                "http://www.w3.org/2002/07/owl#",
            ),
            ask_as_rows=True,
            empty_graph_ask=False,
            blank_nodes_in_data=False,
            bnode_prefix=b"nodeID://",
            error_line=r"SPARQL compiler, line (\d+):",
            tested=True,
        ),
        EngineProfile(
            "fuseki",
            union="dataset",
            auth="basic",
            update_path="update",
            store_path="data",
            dataset_post=True,
            query_timeout_param=("timeout", 1.0),
        ),
        EngineProfile(
            "graphdb",
            union="dataset",
            auth="basic",
            update_path="/statements",
            store_path="/rdf-graphs/service",
        ),
        EngineProfile(
            "generic",
            union="dataset",
            auth="bearer",
            update_path=None,
            store_path=None,
            graph_store_writes=False,
            tested=True,
        ),
    )
}
"""The engines ``--engine`` names, by name."""


def profile(name: str) -> EngineProfile:
    """The profile of ``name``; a ``ValueError`` naming the known engines otherwise.

    >>> profile("virtuoso").auth
    'digest'
    """
    try:
        return ENGINES[name]
    except KeyError:
        known = ", ".join(ENGINES)
        raise ValueError(f"unknown engine {name!r}: give one of {known}") from None


@dataclass(frozen=True)
class Credentials:
    """What a remote endpoint is sent to authenticate: a bearer token, or a user and password
    (sent as the engine's profile says: basic or digest)."""

    token: str | None = None
    user: str | None = None
    password: str | None = None
