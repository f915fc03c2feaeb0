"""Start a real SPARQL server on 127.0.0.1 for the conformance and interop tests, and stop it.

``oxigraph_server()`` runs the ``oxigraph serve`` command of the ``oxigraph`` package (in
memory), the reference the harness was built against and the remote store of H5a's tests.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .client import Endpoint, request

__all__ = ["free_port", "oxigraph_server", "wait_until_up"]

_START_TIMEOUT_S = 30.0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    """Poll ``url`` until the server answers, or fail with what it printed."""
    deadline = time.monotonic() + _START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering")
        try:
            request("GET", url)
        except OSError:
            time.sleep(0.05)
            continue
        return
    raise RuntimeError(f"server did not answer at {url} within {_START_TIMEOUT_S} s")


def _oxigraph_command() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the `oxigraph` command is missing: pip install oxigraph")
    return found


@contextmanager
def oxigraph_server() -> Iterator[Endpoint]:
    """An in-memory ``oxigraph serve`` on a free loopback port, stopped on exit."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [_oxigraph_command(), "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base + "/", process)
        yield Endpoint(base + "/query", base + "/update", base + "/store")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
