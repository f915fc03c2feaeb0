"""A real Oxigraph server (the ``oxigraph`` package's CLI) on 127.0.0.1, for remote-store tests.

    from oxigraph_server import oxigraph_server   # tests/ is on sys.path under pytest

    with oxigraph_server(tmp_path / "data") as server:
        KnowledgeBase.remote(server.query_url, server.update_url, server.store_url)

It listens on a free loopback port with its data in the given folder, answers before the block
is entered, and is stopped when the block is left.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from live_server import free_port, running

__all__ = ["OxigraphServer", "oxigraph_binary", "oxigraph_server"]

_START_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class OxigraphServer:
    """A running Oxigraph server and its URLs."""

    base: str
    process: subprocess.Popen[bytes]

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def update_url(self) -> str:
        return self.base + "/update"

    @property
    def store_url(self) -> str:
        return self.base + "/store"


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable beside this Python (the test extra installs it)."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is not installed: pip install -e '.[test]'")
    return found


@contextmanager
def oxigraph_server(location: Path, *extra: str) -> Iterator[OxigraphServer]:
    """Start ``oxigraph serve`` with its data in ``location``; stop it afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        oxigraph_binary(),
        "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        *extra,
    ]
    log = location.with_name(location.name + ".log")
    ready = partial(_answers, base)
    with running(command, log, ready, "oxigraph server", _START_TIMEOUT_S) as process:
        yield OxigraphServer(base, process)


def _answers(base: str) -> bool:
    ask = base + "/query?query=ASK%7B%7D"
    try:
        with urllib.request.urlopen(ask, timeout=2) as answer:  # noqa: S310 - loopback
            return bool(answer.status == 200)
    except OSError:
        return False
