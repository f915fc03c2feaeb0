"""Load test of a SPARQL 1.1 server on this machine: concurrent clients mixing reads and
authorised updates for a fixed time, then a check that no acknowledged write was lost.

    .venv/bin/python bench/load_test.py --url http://127.0.0.1:8000 --token "$TOKEN"
    .venv/bin/python bench/load_test.py --url http://127.0.0.1:7878 --query-path /query \\
        --update-path /update --no-json --clients 8 --duration 10      # against `oxigraph serve`

Each of ``--clients`` threads (default 32) keeps one HTTP/1.1 connection and, for
``--duration`` seconds (default 60), sends in random order (seeded): SPARQL queries by GET, by
POST as a form and by POST as ``application/sparql-query``; GETs of the JSON route
(``--json-path``, default ``/api/businesses``; ``--no-json`` when the server has none); and
updates (POST ``update=...`` with ``Authorization: Bearer TOKEN``), each inserting one triple
of its own into a graph of this run. Afterwards every acknowledged insert (2xx) must be
readable; the run's graph is then dropped (``--keep`` keeps it).

Reported: requests per second, p50/p95/p99 latency per kind of request, errors (non-2xx,
unparsable bodies, connection failures), lost updates, and the server's resident memory
sampled every second (``--pid``, or found from the port in /proc on Linux): first, at half
time, last and highest, the growth from the first tenth of the run to the last (which includes
the server warming up) and over the second half. Exit code 0 when there
was no error and no lost update, 1 otherwise, 2 for bad arguments.

Only loopback addresses are accepted (127.0.0.0/8, ::1, localhost): this is not a tool to
load someone else's server. Clients, duration and timeouts are bounded.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import random
import socket
import statistics
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlencode, urlsplit

MAX_CLIENTS = 256
MAX_DURATION = 600.0
READS = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "ASK { ?s ?p ?o }",
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 25",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
)
RESULTS_JSON = "application/sparql-results+json"
WEIGHTS = {"query-get": 30, "query-form": 15, "query-direct": 15, "json": 20, "update": 20}


@dataclass
class Sample:
    kind: str
    seconds: float
    ok: bool
    detail: str = ""


@dataclass
class Client:
    """One simulated client: its connection, what it measured, the writes acknowledged."""

    number: int
    samples: list[Sample] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    unacknowledged: list[str] = field(default_factory=list)


class Target:
    """Where the server is and how to talk to it."""

    def __init__(self, args: argparse.Namespace) -> None:
        url = urlsplit(args.url)
        if url.scheme != "http" or not url.hostname:
            _refuse(f"--url {args.url!r}: give http://HOST:PORT (plain HTTP)")
        _require_loopback(url.hostname)
        self.host: str = url.hostname
        self.port = url.port or 80
        self.query_path = args.query_path
        self.update_path = args.update_path
        self.json_path = None if args.no_json else args.json_path
        self.token = args.token or os.environ.get("SERVICEKG_TOKEN", "")
        self.timeout = args.timeout

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        found = {"Accept": RESULTS_JSON, **(extra or {})}
        if self.token:
            found["Authorization"] = f"Bearer {self.token}"
        return found


def _refuse(message: str) -> NoReturn:
    print(f"load_test.py: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def _require_loopback(host: str) -> None:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as error:
        _refuse(f"--url: cannot resolve {host!r}: {error}")
    for address in addresses:
        if not ipaddress.ip_address(address.split("%", 1)[0]).is_loopback:
            _refuse(f"--url: {host} is {address}, not a loopback address; refused")


def _request(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    body: bytes | None,
    headers: dict[str, str],
) -> tuple[int, bytes]:
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def _one(
    target: Target, connection: http.client.HTTPConnection, kind: str, client: Client,
    sequence: int, graph: str, rng: random.Random,
) -> Sample:  # fmt: skip
    """Send one request of ``kind``; the sample says how long it took and whether it was good."""
    query = rng.choice(READS)
    if kind == "query-get":
        path = f"{target.query_path}?{urlencode({'query': query})}"
        status, body = _request(connection, "GET", path, None, target.headers())
    elif kind == "query-form":
        form = urlencode({"query": query}).encode()
        headers = target.headers({"Content-Type": "application/x-www-form-urlencoded"})
        status, body = _request(connection, "POST", target.query_path, form, headers)
    elif kind == "query-direct":
        headers = target.headers({"Content-Type": "application/sparql-query"})
        status, body = _request(connection, "POST", target.query_path, query.encode(), headers)
    elif kind == "json":
        headers = target.headers({"Accept": "application/json"})
        status, body = _request(connection, "GET", target.json_path or "/", None, headers)
    else:
        subject = f"{graph}/c{client.number}/{sequence}"
        update = f"INSERT DATA {{ GRAPH <{graph}> {{ <{subject}> <{graph}/p> {sequence} }} }}"
        form = urlencode({"update": update}).encode()
        headers = target.headers({"Content-Type": "application/x-www-form-urlencoded"})
        try:
            status, body = _request(connection, "POST", target.update_path, form, headers)
        except (OSError, http.client.HTTPException):
            client.unacknowledged.append(subject)  # it may or may not have been applied
            raise
        if 200 <= status < 300:
            client.acknowledged.append(subject)
        else:
            client.unacknowledged.append(subject)
        return Sample(kind, 0.0, 200 <= status < 300, f"HTTP {status}: {body[:200]!r}")
    if not 200 <= status < 300:
        return Sample(kind, 0.0, False, f"HTTP {status}: {body[:200]!r}")
    try:
        json.loads(body)
    except ValueError:
        return Sample(kind, 0.0, False, f"not JSON: {body[:200]!r}")
    return Sample(kind, 0.0, True)


def _run_client(
    target: Target, client: Client, deadline: float, graph: str, seed: str, kinds: list[str],
    weights: list[int],
) -> None:  # fmt: skip
    rng = random.Random(f"{seed}-{client.number}")  # noqa: S311 (a mix of requests, not a secret)
    connection = target.connect()
    sequence = 0
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        sequence += 1
        started = time.perf_counter()
        try:
            sample = _one(target, connection, kind, client, sequence, graph, rng)
        except (OSError, http.client.HTTPException) as error:
            sample = Sample(kind, 0.0, False, f"{type(error).__name__}: {error}")
            connection.close()
            connection = target.connect()
        sample.seconds = time.perf_counter() - started
        client.samples.append(sample)
    connection.close()


# --- the server's memory ---------------------------------------------------------------------


def _listening_pid(port: int) -> int | None:
    """The process listening on ``port`` (Linux /proc), or ``None`` when it cannot be told."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # LISTEN
                inodes.add(f"socket:[{fields[9]}]")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


def _rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _sample_memory(pid: int, stop: threading.Event, readings: list[tuple[float, int]]) -> None:
    start = time.monotonic()
    while not stop.is_set():
        rss = _rss_kb(pid)
        if rss is not None:
            readings.append((time.monotonic() - start, rss))
        stop.wait(1.0)


# --- after the run ---------------------------------------------------------------------------


def _written(target: Target, graph: str) -> set[str]:
    """Every subject of the run's graph, read back from the server."""
    query = f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    connection = target.connect()
    try:
        form = urlencode({"query": query}).encode()
        headers = target.headers({"Content-Type": "application/x-www-form-urlencoded"})
        status, body = _request(connection, "POST", target.query_path, form, headers)
    finally:
        connection.close()
    if status != 200:
        raise SystemExit(f"reading the writes back failed: HTTP {status}: {body[:300]!r}")
    return {row["s"]["value"] for row in json.loads(body)["results"]["bindings"]}


def _drop(target: Target, graph: str) -> None:
    connection = target.connect()
    try:
        form = urlencode({"update": f"DROP SILENT GRAPH <{graph}>"}).encode()
        headers = target.headers({"Content-Type": "application/x-www-form-urlencoded"})
        _request(connection, "POST", target.update_path, form, headers)
    finally:
        connection.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summarise(
    clients: list[Client], seconds: float, found: set[str], memory: list[tuple[float, int]]
) -> dict[str, object]:
    """What the run measured, as one JSON-ready mapping."""
    samples = [s for c in clients for s in c.samples]
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    acknowledged = {s for c in clients for s in c.acknowledged}
    errors = [s for s in samples if not s.ok]
    kinds = {}
    for kind, group in sorted(by_kind.items()):
        times = [s.seconds * 1000 for s in group]
        kinds[kind] = {
            "requests": len(group),
            "errors": sum(not s.ok for s in group),
            "p50_ms": round(_percentile(times, 0.50), 2),
            "p95_ms": round(_percentile(times, 0.95), 2),
            "p99_ms": round(_percentile(times, 0.99), 2),
            "max_ms": round(max(times), 2),
        }
    all_times = [s.seconds * 1000 for s in samples]
    result: dict[str, object] = {
        "clients": len(clients),
        "seconds": round(seconds, 1),
        "requests": len(samples),
        "requests_per_second": round(len(samples) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(_percentile(all_times, 0.50), 2),
        "p99_ms": round(_percentile(all_times, 0.99), 2),
        "errors": len(errors),
        "first_errors": sorted({f"{s.kind}: {s.detail}" for s in errors})[:10],
        "updates_acknowledged": len(acknowledged),
        "updates_lost": len(acknowledged - found),
        "lost_examples": sorted(acknowledged - found)[:10],
        "kinds": kinds,
    }
    if memory:
        tenth = max(1, len(memory) // 10)
        early = statistics.mean(r for _, r in memory[:tenth])
        late = statistics.mean(r for _, r in memory[-tenth:])
        half = memory[len(memory) // 2][1]
        result["server_rss_mb"] = {
            "first": round(memory[0][1] / 1024, 1),
            "half": round(half / 1024, 1),
            "last": round(memory[-1][1] / 1024, 1),
            "max": round(max(r for _, r in memory) / 1024, 1),
            "growth_first_to_last_tenth_percent": round(100 * (late - early) / early, 1),
            "growth_second_half_percent": round(100 * (memory[-1][1] - half) / half, 1),
            "samples": len(memory),
        }
    return result


def _print(result: dict[str, object]) -> None:
    print(
        f"{result['clients']} clients, {result['seconds']} s: {result['requests']} requests, "
        f"{result['requests_per_second']} req/s, p50 {result['p50_ms']} ms, "
        f"p99 {result['p99_ms']} ms, {result['errors']} errors"
    )
    print(f"{'kind':<14}{'requests':>10}{'errors':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for kind, row in result["kinds"].items():  # type: ignore[attr-defined]
        print(
            f"{kind:<14}{row['requests']:>10}{row['errors']:>8}{row['p50_ms']:>10}"
            f"{row['p95_ms']:>10}{row['p99_ms']:>10}"
        )
    print(f"updates acknowledged {result['updates_acknowledged']}, lost {result['updates_lost']}")
    if "server_rss_mb" in result:
        print(f"server RSS (MB): {result['server_rss_mb']}")
    for line in result["first_errors"]:  # type: ignore[attr-defined]
        print(f"error: {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="http://127.0.0.1:PORT of the server")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--token", help="bearer token for updates (or $SERVICEKG_TOKEN)")
    parser.add_argument("--query-path", default="/sparql")
    parser.add_argument("--update-path", default="/sparql")
    parser.add_argument("--json-path", default="/api/businesses")
    parser.add_argument("--no-json", action="store_true", help="the server has no JSON route")
    parser.add_argument("--no-updates", action="store_true", help="reads only")
    parser.add_argument("--pid", type=int, help="the server's process (default: from the port)")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--seed", default="servicekg")
    parser.add_argument("--keep", action="store_true", help="keep the run's graph afterwards")
    parser.add_argument("--report", type=Path, help="also write the results here as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS:
        parser.error(f"--clients: 1 to {MAX_CLIENTS}")
    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration: more than 0, at most {MAX_DURATION:g} seconds")
    if not 0 < args.timeout <= 120:
        parser.error("--timeout: more than 0, at most 120 seconds")
    target = Target(args)
    weights = dict(WEIGHTS)
    if target.json_path is None:
        del weights["json"]
    if args.no_updates:
        del weights["update"]
    graph = f"urn:x-servicekg-load:{uuid.uuid4().hex}"
    pid = args.pid or _listening_pid(target.port)
    memory: list[tuple[float, int]] = []
    stop = threading.Event()
    sampler = None
    if pid is not None:
        sampler = threading.Thread(target=_sample_memory, args=(pid, stop, memory), daemon=True)
        sampler.start()
    clients = [Client(n) for n in range(args.clients)]
    deadline = time.monotonic() + args.duration
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=_run_client,
            args=(target, c, deadline, graph, args.seed, list(weights), list(weights.values())),
        )
        for c in clients
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    stop.set()
    if sampler is not None:
        sampler.join()
    found = _written(target, graph) if not args.no_updates else set()
    if not args.keep and not args.no_updates:
        _drop(target, graph)
    result = summarise(clients, seconds, found, memory)
    result["server_pid"] = pid
    _print(result)
    if args.report:
        args.report.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0 if not result["errors"] and not result["updates_lost"] else 1


if __name__ == "__main__":
    sys.exit(main())
