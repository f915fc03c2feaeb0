"""The stores a knowledge base can live in: embedded pyoxigraph (memory, disk) or a remote
SPARQL 1.1 endpoint, behind one small interface (:class:`Store`)."""

from servicekg.errors import GraphNotFound, StoreError
from servicekg.stores.base import GraphName, QueryResult, Store
from servicekg.stores.embedded import EmbeddedStore
from servicekg.stores.remote import RemoteStore

__all__ = [
    "EmbeddedStore",
    "GraphName",
    "GraphNotFound",
    "QueryResult",
    "RemoteStore",
    "Store",
    "StoreError",
]
