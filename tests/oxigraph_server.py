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
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from live_server import free_port

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
    log = location.with_name(location.name + ".log")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                oxigraph_binary(),
                "serve",
                "--location",
                str(location),
                "--bind",
                f"127.0.0.1:{port}",
                *extra,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = OxigraphServer(f"http://127.0.0.1:{port}", process)
    try:
        _wait_until_ready(server, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(server: OxigraphServer, log: Path) -> None:
    deadline = time.monotonic() + _START_TIMEOUT_S
    request = server.query_url + "?query=ASK%7B%7D"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"oxigraph server exited: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(request, timeout=2) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"oxigraph server did not answer in {_START_TIMEOUT_S:g} s")
