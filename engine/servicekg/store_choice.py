"""Opening the store a knowledge base lives in, from the store settings: the one factory the
command line (``--store``, ``--endpoint``, ...) and the server (``serve --store``, ...) share.

``store`` (an on-disk store), ``endpoint`` (a remote SPARQL 1.1 endpoint, with
``update_endpoint`` and ``store_endpoint`` where its update and Graph Store URLs differ,
``union`` for how it answers over the union of its graphs and ``token`` sent as a bearer
token), or neither: a fresh in-memory knowledge base.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from servicekg.errors import InputError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH

__all__ = ["StoreChoice", "open_store"]


@dataclass(frozen=True)
class StoreChoice:
    """Where a knowledge base lives, as the user named it (command-line options or server
    settings)."""

    store: Path | None = None
    endpoint: str | None = None
    update_endpoint: str | None = None
    store_endpoint: str | None = None
    union: str = "dataset"
    token: str | None = None
    """The bearer token sent to a remote endpoint."""

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
    An endpoint: the remote endpoint, as it is, with its token and union mode.

    >>> open_store(StoreChoice(), ontology=False).describe()
    'memory'
    """
    if choice.store is not None and choice.endpoint is not None:
        raise InputError("give either --store DIR or --endpoint URL, not both")
    if choice.endpoint is None and (choice.update_endpoint or choice.store_endpoint):
        raise InputError("--update-endpoint and --store-endpoint need --endpoint URL")
    if choice.endpoint is not None:
        return KnowledgeBase.remote(
            choice.endpoint,
            choice.update_endpoint,
            choice.store_endpoint,
            token=choice.token,
            union=choice.union,
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
