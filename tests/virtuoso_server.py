"""A real OpenLink Virtuoso server (Debian's ``virtuoso-opensource``) on 127.0.0.1, for
remote-store tests.

    from virtuoso_server import virtuoso_server   # tests/ is on sys.path under pytest

    with virtuoso_server(tmp_path / "virtuoso") as server:
        KnowledgeBase.remote(server.query_url, server.update_url, server.store_url,
                             engine="virtuoso", user="dba", password="dba")

The package's own service does not start in a container, so each server is a throwaway one:
a minimal ``virtuoso.ini`` and the database files in the given folder, an SQL and an HTTP port
free on the loopback interface, ``virtuoso-t +foreground``; it answers ``/sparql`` before the
block is entered and is stopped (SIGTERM) when the block is left. A fresh database's
administrator is ``dba``/``dba``: updates and the Graph Store go through its ``-auth`` paths
with HTTP digest authentication.
"""

from __future__ import annotations

import shutil
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from live_server import free_port, running

__all__ = ["VirtuosoServer", "virtuoso_binary", "virtuoso_server"]

_START_TIMEOUT_S = 60.0
USER = "dba"
PASSWORD = "dba"  # noqa: S105 - a fresh throwaway database's administrator

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableTcpSocket = 0
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMemory = 200M
DirsAllowed = ., {dir}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
DefaultQuery = ASK {{}}
"""


@dataclass(frozen=True)
class VirtuosoServer:
    """A running Virtuoso server and its URLs (``update_url`` and ``store_url`` want digest
    authentication as :data:`USER` / :data:`PASSWORD`)."""

    base: str
    folder: Path

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    @property
    def update_url(self) -> str:
        return self.base + "/sparql-auth"

    @property
    def store_url(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    user: str = USER
    password: str = PASSWORD


def virtuoso_binary() -> str | None:
    """The ``virtuoso-t`` executable, or None when Virtuoso is not installed."""
    return shutil.which("virtuoso-t")


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[VirtuosoServer]:
    """Start a throwaway Virtuoso with its database in ``folder``; stop it afterwards.

    Skips the calling test when ``virtuoso-t`` is missing (``make test`` installs it)."""
    binary = virtuoso_binary()
    if binary is None:
        pytest.skip("Virtuoso is not installed: `make virtuoso` (Debian virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        _INI.format(dir=folder.resolve(), sql_port=free_port(), http_port=http_port),
        encoding="utf-8",
    )
    base = f"http://127.0.0.1:{http_port}"
    command = [binary, "+foreground", "+configfile", str(ini)]
    ready = partial(_answers, base)
    with running(command, folder / "stdout.log", ready, "virtuoso", _START_TIMEOUT_S):
        yield VirtuosoServer(base, folder)


def _answers(base: str) -> bool:
    ask = base + "/sparql?query=ASK%7B%7D"
    try:
        with urllib.request.urlopen(ask, timeout=2) as answer:  # noqa: S310 - loopback
            return bool(answer.status == 200)
    except OSError:
        return False
