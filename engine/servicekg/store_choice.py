"""Opening the store a knowledge base lives in, from the store settings: the one factory the
command line (``--store``, ``--endpoint``, ...) and the server (``serve --store``, ...) share.

``store`` (an on-disk store), ``endpoint`` (a remote SPARQL 1.1 endpoint on ``engine``, whose
profile says where its update and Graph Store URLs are unless ``update_endpoint`` and
``store_endpoint`` say, how it authenticates and how it answers over the union of its graphs
unless ``union`` says), or neither: a fresh in-memory knowledge base.

The endpoint's credentials are the endpoint's own: ``endpoint_token`` (a bearer token),
``endpoint_user`` and ``endpoint_password``, read from ``SERVICEKG_ENDPOINT_TOKEN``,
``SERVICEKG_ENDPOINT_USER`` and ``SERVICEKG_ENDPOINT_PASSWORD`` by the command line and the
server alike. (``serve --token`` is the server's own token, which updates sent to *it* must
carry; it is never sent on.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from servicekg.errors import InputError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH
from servicekg.stores.profiles import ENGINES
from servicekg.stores.remote import UPDATE_TIMEOUT_S

__all__ = ["StoreChoice", "open_store"]


@dataclass(frozen=True)
class StoreChoice:
    """Where a knowledge base lives, as the user named it (command-line options or server
    settings)."""

    store: Path | None = None
    endpoint: str | None = None
    update_endpoint: str | None = None
    store_endpoint: str | None = None
    engine: str = "generic"
    """The endpoint's engine: a profile of :mod:`servicekg.stores.profiles`."""
    union: str | None = None
    """How the endpoint answers over the union of its graphs (None: as its profile says)."""
    endpoint_token: str | None = None
    """The bearer token sent to a remote endpoint."""
    endpoint_user: str | None = None
    endpoint_password: str | None = None
    """The user and password sent to a remote endpoint, as its engine wants (basic, digest)."""
    update_timeout: float = UPDATE_TIMEOUT_S
    """Seconds an update or Graph Store write may wait for a remote endpoint."""

    @property
    def named(self) -> bool:
        """Whether the user named a store (on disk or remote) rather than the default."""
        return self.store is not None or self.endpoint is not None

    def describe(self) -> str:
        """The store as the user named it, for messages."""
        return str(self.store) if self.store is not None else self.endpoint or "memory"


def open_store(
    choice: StoreChoice, *, ontology: bool = True, must_exist: bool = True
) -> KnowledgeBase:
    """The knowledge base ``choice`` names.

    Neither a store nor an endpoint: a new in-memory knowledge base, with the ontology when
    ``ontology``. A store folder: that store (an error when the folder does not exist and
    ``must_exist``); the ontology is loaded into it when ``ontology`` and it has none yet.
    An endpoint: the remote endpoint, as it is, on its engine, with its credentials and union
    mode.

    >>> open_store(StoreChoice(), ontology=False).describe()
    'memory'
    """
    if choice.store is not None and choice.endpoint is not None:
        raise InputError("give either --store DIR or --endpoint URL, not both")
    if choice.endpoint is None and (choice.update_endpoint or choice.store_endpoint):
        raise InputError("--update-endpoint and --store-endpoint need --endpoint URL")
    if choice.update_timeout <= 0:
        raise InputError(f"--update-timeout {choice.update_timeout:g}: give a number above 0")
    if choice.engine not in ENGINES:
        raise InputError(f"--engine {choice.engine}: give one of {', '.join(ENGINES)}")
    if choice.endpoint is not None:
        return KnowledgeBase.remote(
            choice.endpoint,
            choice.update_endpoint,
            choice.store_endpoint,
            engine=choice.engine,
            token=choice.endpoint_token,
            user=choice.endpoint_user,
            password=choice.endpoint_password,
            union=choice.union,
            update_timeout=choice.update_timeout,
        )
    if choice.store is None:
        return KnowledgeBase.with_ontology() if ontology else KnowledgeBase()
    if must_exist and not choice.store.is_dir():
        raise InputError(
            f"--store {choice.store}: no such folder; make a store with "
            f"`servicekg load --store {choice.store}`"
        )
    kb = KnowledgeBase.open(choice.store)
    if ontology and not kb.has_graph(GRAPH.ontology):
        kb.load_ontology()
    return kb
