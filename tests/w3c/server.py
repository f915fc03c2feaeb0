"""The server the conformance and interop tests talk to: a real ``servicekg serve`` on
127.0.0.1 (through ``tests/live_server.py``), over an empty on-disk store, with updates
allowed (a loopback server with no token accepts them) and the standard's dataset semantics
(``--no-union-default-graph``: the default graph is the store's own, as the W3C tests assume).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from live_server import live_server

from .client import Endpoint

__all__ = ["conformance_server"]


@contextmanager
def conformance_server() -> Iterator[Endpoint]:
    """``servicekg serve`` over an empty store, as an :class:`Endpoint`; stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="servicekg-w3c-") as folder:
        store = Path(folder) / "store"
        with live_server(
            "--store",
            str(store),
            "--allow-update",
            "--no-union-default-graph",
            log_dir=Path(folder),
        ) as server:
            yield Endpoint(server.sparql_url, server.sparql_url, server.store_url)
