"""A real ``servicekg serve`` (uvicorn, started by the CLI) on 127.0.0.1, for tests.

Shared by the server tests (``tests/test_server*.py``) and the conformance and interop tests
(H5c: ``tests/test_w3c_*.py``, ``tests/test_interop*.py``)::

    from live_server import live_server   # tests/ is on sys.path under pytest

    with live_server("--store", str(tmp_path / "store"), "--allow-update") as server:
        server.url("/sparql")            # http://127.0.0.1:PORT/sparql
        server.sparql_url, server.store_url

Each server runs in a child process on a free loopback port, answers before the block is
entered, and is stopped (SIGTERM, then SIGKILL) when it is left. With no ``--store`` it serves
the sample knowledge base (ontology, rules, assessed examples); ``--store EMPTY_DIR`` gives an
empty store, and ``--no-union-default-graph`` the standard's dataset semantics.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

__all__ = ["LiveServer", "free_port", "live_server", "running"]

_START_TIMEOUT_S = 90.0


@dataclass(frozen=True)
class LiveServer:
    """A running server: its base URL (no trailing slash) and its process."""

    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base + path

    @property
    def sparql_url(self) -> str:
        """The SPARQL 1.1 Protocol endpoint (queries and updates)."""
        return self.base + "/sparql"

    @property
    def store_url(self) -> str:
        """The Graph Store HTTP Protocol endpoint."""
        return self.base + "/store"

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self.base.rsplit(":", 1)[1])

    def alive(self) -> bool:
        """True while the server process runs."""
        return self.process.poll() is None

    def output(self) -> str:
        """What the server has logged so far (stdout and stderr)."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _command() -> list[str]:
    script = Path(sys.executable).with_name("servicekg")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from servicekg.cli import main; main()"]


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/sparql")
        connection.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        connection.close()


@contextmanager
def live_server(
    *args: str, env: Mapping[str, str] | None = None, log_dir: Path | None = None
) -> Iterator[LiveServer]:
    """``servicekg serve --host 127.0.0.1 --port FREE ARGS...``, running until the block ends.

    ``env`` adds to (or, with a value of ``""``, removes from) the environment; the
    ``SERVICEKG_TOKEN`` of the test run itself is never passed on.
    """
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k != "SERVICEKG_TOKEN"}
    for key, value in (env or {}).items():
        if value == "":
            environment.pop(key, None)
        else:
            environment[key] = value
    folder = log_dir or Path(tempfile.gettempdir())
    log = folder / f"servicekg-serve-{port}.log"
    command = [*_command(), "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    try:
        ready = partial(_answers, port)
        with running(command, log, ready, "servicekg serve", _START_TIMEOUT_S, environment) as (
            process
        ):
            yield LiveServer(f"http://127.0.0.1:{port}", process, log)
    finally:
        log.unlink(missing_ok=True)


@contextmanager
def running(
    command: list[str],
    log: Path,
    answers: Callable[[], bool],
    name: str,
    timeout_s: float,
    env: Mapping[str, str] | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command`` (its output to ``log``), wait until ``answers()`` is true, and stop it
    (SIGTERM, then SIGKILL) when the block is left; ``name`` names it in errors."""
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + timeout_s
        while not answers():
            if process.poll() is not None:
                output = log.read_text(encoding="utf-8", errors="replace")
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{output}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer in {timeout_s:g} s")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
