"""The real SPARQL engines the remote-store tests run against, one parameter each: Oxigraph's
server and Virtuoso (marked ``virtuoso``, so that ``make check`` can leave it out).

    from remote_engines import ENGINES, RemoteEndpoint, remote_endpoint

    @pytest.fixture(scope="module", params=ENGINES)
    def remote(request, tmp_path_factory):
        with remote_endpoint(request.param, tmp_path_factory.mktemp(request.param)) as r:
            yield r

A :class:`RemoteEndpoint` opens knowledge bases on its engine, gives the command-line options
and environment that reach it, and empties it between tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from oxigraph_server import oxigraph_server
from servicekg.knowledge_base import KnowledgeBase
from servicekg.stores.profiles import PASSWORD_ENV, USER_ENV
from virtuoso_server import virtuoso_server

__all__ = ["ENGINES", "RemoteEndpoint", "remote_endpoint"]

ENGINES = [
    pytest.param("oxigraph", id="oxigraph"),
    pytest.param("virtuoso", id="virtuoso", marks=pytest.mark.virtuoso),
]
"""The engines, as pytest parameters."""


@dataclass(frozen=True)
class RemoteEndpoint:
    """A running engine: its URLs and credentials as servicekg is given them."""

    engine: str
    query_url: str
    update_url: str
    store_url: str
    user: str | None = None
    password: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def kb(self, union: str | None = None) -> KnowledgeBase:
        """A knowledge base on this endpoint (``union`` overrides the profile's)."""
        return KnowledgeBase.remote(
            self.query_url,
            self.update_url,
            self.store_url,
            engine=self.engine,
            user=self.user,
            password=self.password,
            union=union,
        )

    def options(self) -> list[str]:
        """The command-line options that name this endpoint."""
        return [
            "--endpoint",
            self.query_url,
            "--update-endpoint",
            self.update_url,
            "--store-endpoint",
            self.store_url,
            "--engine",
            self.engine,
        ]

    def env(self) -> dict[str, str]:
        """The environment that carries the credentials."""
        if self.user is None:
            return {}
        return {USER_ENV: self.user, PASSWORD_ENV: self.password or ""}

    def clear(self) -> None:
        """Drop every graph servicekg sees (never an engine's own system graphs)."""
        kb = self.kb()
        for graph in kb.named_graphs():
            kb.drop_graph(graph)
        kb.drop_graph(None)


@contextmanager
def remote_endpoint(engine: str, folder: Path) -> Iterator[RemoteEndpoint]:
    """Start ``engine`` with its data in ``folder``; stop it when the block is left."""
    if engine == "oxigraph":
        with oxigraph_server(folder / "data") as server:
            yield RemoteEndpoint(engine, server.query_url, server.update_url, server.store_url)
    elif engine == "virtuoso":
        with virtuoso_server(folder / "virtuoso") as virtuoso:
            yield RemoteEndpoint(
                engine,
                virtuoso.query_url,
                virtuoso.update_url,
                virtuoso.store_url,
                virtuoso.user,
                virtuoso.password,
            )
    else:
        raise ValueError(f"no test server for engine {engine!r}")
