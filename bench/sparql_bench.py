"""Benchmark: servicekg's SPARQL endpoint against ``oxigraph serve`` on the same data, in one run.

    .venv/bin/python bench/sparql_bench.py [--n 10000] [--repeat 5] [--clients 32]
        [--requests 3200] [--rounds 3] [--skip-rdflib] [--endpoint-store memory|disk]

The data has the real shape: 100 synthetic businesses (20 observations each, the generator of
``bench/assess_bench.py``) are assessed with the rules of ``rules/``, and the N businesses are
copies of them under their own names: each with its observations, its assessment, its ranked
recommendations (about 9-12 each, with their evidence), its unknowns (``skg:Unjudged`` and
their missing metrics), plus the ontology, the rules and the derived graph (~310 quads per
business).

Engines, on the same quads, in one run (medians of ``--repeat`` runs after one warm-up, the
engines taking turns within each repeat; every result is read to the end):

- ``endpoint``: ``servicekg serve`` (a child process on 127.0.0.1), each query POSTed as
  ``application/sparql-query``, SPARQL JSON read in full. By default it serves its in-memory
  store, the data uploaded through the Graph Store Protocol; ``--endpoint-store disk``
  serves an on-disk store (``--store DIR``);
- ``oxigraph-serve``: the peer, ``oxigraph serve --union-default-graph`` (in memory and
  uploaded the same way, or ``--location`` a copy of the same on-disk store), POSTed the same;
- ``kb``: :class:`servicekg.knowledge_base.KnowledgeBase` in this process (in memory);
- ``oxigraph``: bare in-memory ``pyoxigraph.Store``;
- ``rdflib``: rdflib's own SPARQL engine over an in-memory ``Dataset`` (a line of the report,
  not a target; ``--skip-rdflib`` leaves it out).

Then a second process runs ``--clients`` threads of lookups and causal chains of random
businesses (``--requests`` a round) against each server, ``--rounds`` rounds taking turns, and
reports requests per second, p50, p99, errors and the server's CPU per request (its process
and its children, from /proc). Last, ``servicekg serve --query-timeout 2`` is sent a query that
would run for hours, then an ordinary one.

Targets of issue 16 (each line says ``met`` or ``MISSED``): lookups at 32 clients at least
0.8 x oxigraph serve's requests per second with a p99 at most 1.5 x its p99; each aggregate at
most 1.1 x its latency; the runaway query answered 503 within the limit (+2 s) and the next
one 200. The machine may be shared: only the ratios within one run mean much.
Not a unit test; run it by hand.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

BASE = "https://w3id.org/servicekg/"
SKG = BASE + "ns#"
GRAPHS = {"observations": BASE + "graph/observations", "assessments": BASE + "graph/assessments"}
SECTORS = ["fast-food", "restaurant", "retail", "accountancy", "theme-park", "call-centre",
           "manufacturing", "hospitality"]
XSD = "http://www.w3.org/2001/XMLSchema#"
SOSA = "http://www.w3.org/ns/sosa/"
FEATURE = SOSA + "hasFeatureOfInterest"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SCHEMA = "https://schema.org/"

PREFIXES = f"""PREFIX skg: <{SKG}>
PREFIX schema: <{SCHEMA}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <{PROV}>
"""


def business(i: int) -> str:
    """The IRI of the i-th synthetic business."""
    return f"{BASE}business/b{i:06d}"


QUERIES: dict[str, tuple[str, str]] = {
    # name: (kind, query); %(business)s is filled in per run
    "lookup: one business's recommendations": ("lookup", PREFIXES + """
SELECT ?rec ?rank ?label ?score ?rule ?concept WHERE {
  ?rec skg:forBusiness <%(business)s> ; a skg:Recommendation ; skg:rank ?rank ;
       skg:score ?score ; skg:firedRule ?rule ; skg:addresses ?concept .
  ?rule rdfs:label ?label FILTER (LANG(?label) = "en")
} ORDER BY ?rank"""),
    "aggregate: businesses, recommendations, mean score by sector": ("aggregate", PREFIXES + """
SELECT ?sector (COUNT(DISTINCT ?b) AS ?businesses) (COUNT(?rec) AS ?recommendations)
       (AVG(?score) AS ?mean_score) WHERE {
  ?b schema:additionalType ?sector .
  ?rec skg:forBusiness ?b ; skg:score ?score .
} GROUP BY ?sector ORDER BY ?sector"""),
    "aggregate: most frequent recommendation per sector": ("aggregate", PREFIXES + """
SELECT ?sector ?rule (COUNT(?rec) AS ?times) WHERE {
  ?b schema:additionalType ?sector .
  ?rec skg:forBusiness ?b ; skg:firedRule ?rule ; skg:rank 1 .
} GROUP BY ?sector ?rule ORDER BY ?sector DESC(?times) LIMIT 40"""),
    "causal: one business's problems on a chain to profit": ("lookup", PREFIXES + """
SELECT DISTINCT ?concept ?via WHERE {
  ?rec skg:forBusiness <%(business)s> ; skg:addresses ?concept .
  ?concept skg:influences+ ?via . ?via skg:influences+ skg:Profit .
}"""),
    "causal: businesses per sector with a problem that reaches profit": ("aggregate", PREFIXES + """
SELECT ?sector (COUNT(DISTINCT ?b) AS ?businesses) WHERE {
  ?b schema:additionalType ?sector .
  ?rec skg:forBusiness ?b ; skg:rank 1 ; skg:addresses ?concept .
  ?concept skg:influences+ skg:Profit .
} GROUP BY ?sector ORDER BY ?sector"""),
}


# --- data -------------------------------------------------------------------------------

def _iri(value: str) -> str:
    return f"<{value}>"


TEMPLATE = 100
"""Businesses really assessed; the others are copies of them under new names."""
_ID = re.compile(r"b(\d{6})")
_OBSERVATION = re.compile(r"(/observation/[0-9a-f]+)>")


def generate(n: int, path: Path) -> int:
    """Write the benchmark dataset as N-Quads; returns the number of quads.

    :data:`TEMPLATE` synthetic businesses (20 observations each, ``bench/assess_bench.py``'s
    generator) are assessed for real with the rules of ``rules/``; the N businesses are copies
    of them with their own identifiers and observation IRIs, so the data has exactly the shape
    ``servicekg assess`` writes (its recommendations, unknowns, evidence and provenance)."""
    from assess_bench import generate as generate_csv

    try:
        from servicekg.assessment.pipeline import run_assessment
    except ImportError:  # before the package layout of issue 12
        from servicekg.assessment.session import run_assessment  # type: ignore[no-redef]
    from servicekg.knowledge_base import KnowledgeBase
    from servicekg.namespace import GRAPH

    with tempfile.TemporaryDirectory(prefix="sparql-bench-template-") as tmp:
        files = generate_csv(TEMPLATE, Path(tmp))
        kb = KnowledgeBase.with_ontology()
        run_assessment(files, kb=kb)
    graphs = {str(GRAPH.observations), str(GRAPH.assessments)}
    quads = list(kb.quads())
    owner: dict[str, int] = {}  # subject -> the business it belongs to
    for quad in quads:
        if quad.graph_name.value not in graphs:
            continue
        found = _ID.search(str(quad.subject)) or (
            _ID.search(str(quad.object)) if quad.predicate.value == FEATURE else None
        )
        if found:
            owner[str(quad.subject)] = int(found[1])
    per_business: dict[int, list[str]] = {}
    shared: list[str] = []
    for quad in quads:
        mine = owner.get(str(quad.subject)) if quad.graph_name.value in graphs else None
        (shared if mine is None else per_business.setdefault(mine, [])).append(f"{quad} .\n")
    count = len(shared)
    with path.open("w", encoding="utf-8") as out:
        out.writelines(shared)
        for i in range(n):
            template = per_business[i % TEMPLATE]
            copy = i // TEMPLATE
            text = "".join(template).replace(f"b{i % TEMPLATE:06d}", f"b{i:06d}")
            if copy:
                text = _OBSERVATION.sub(rf"\1-{copy}>", text)
            out.write(text)
            count += len(template)
    return count


# --- engines ----------------------------------------------------------------------------

class Server:
    """An HTTP SPARQL server in a child process: queries POSTed as
    ``application/sparql-query``, SPARQL JSON read in full."""

    name = "server"
    query_path = "/sparql"

    def __init__(self, command: list[str], port: int) -> None:
        self.port = port
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        while True:
            try:
                self.query("ASK {}")
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} did not start") from None
                time.sleep(0.2)

    def rows(self, text: str) -> int:
        """How many solutions the server answers (to check the engines agree)."""
        return len(json.loads(self.query(text))["results"]["bindings"])

    def request(self, text: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
        try:
            connection.request("POST", self.query_path, body=text.encode(), headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json"})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def query(self, text: str) -> bytes:
        status, body = self.request(text)
        if status != 200:
            raise RuntimeError(f"{self.name} answered {status}: {body[:300]!r}")
        return body

    def upload(self, store: ox.Store, batch: int = 250_000) -> None:
        """POST every named graph of ``store`` to the Graph Store, in batches of triples."""
        for graph in store.named_graphs():
            lines: list[str] = []
            for quad in store.quads_for_pattern(None, None, None, graph):
                lines.append(f"{ox.Triple(quad.subject, quad.predicate, quad.object)} .")
                if len(lines) >= batch:
                    self._post(graph.value, lines)
                    lines = []
            if lines:
                self._post(graph.value, lines)

    def _post(self, graph: str, lines: list[str]) -> None:
        from urllib.parse import quote

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
        try:
            connection.request("POST", "/store?graph=" + quote(graph, safe=""),
                               body="\n".join(lines).encode(),
                               headers={"Content-Type": "application/n-triples"})
            response = connection.getresponse()
            body = response.read()
            if response.status >= 300:
                raise RuntimeError(f"upload answered {response.status}: {body[:300]!r}")
        finally:
            connection.close()

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and its children so far (Linux /proc)."""
        return _cpu(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Endpoint(Server):
    """``servicekg serve`` (in memory, uploaded through the Graph Store, or ``--store DIR``)."""

    name = "servicekg serve"

    def __init__(self, store: Path | None, port: int, timeout_s: float = 600) -> None:
        command = [str(Path(sys.executable).with_name("servicekg")), "serve", "--host",
                   "127.0.0.1", "--port", str(port), "--result-limit", "10000000",
                   "--query-timeout", str(timeout_s), "--max-body", str(400 * 1024 * 1024)]
        command += ["--store", str(store)] if store is not None else ["--allow-update"]
        super().__init__(command, port)


class OxigraphServe(Server):
    """The peer: ``oxigraph serve`` on the same data (in memory, uploaded through its Graph
    Store, or ``--location DIR``), the union of the graphs as its default graph."""

    name = "oxigraph serve"
    query_path = "/query"

    def __init__(self, location: Path | None, port: int) -> None:
        command = [str(Path(sys.executable).with_name("oxigraph")), "serve", "--bind",
                   f"127.0.0.1:{port}", "--union-default-graph"]
        command += ["--location", str(location)] if location is not None else []
        super().__init__(command, port)


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and of every live child of it."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _read_all(result: Any) -> int:
    """Read a pyoxigraph or rdflib result to its end, touching every value."""
    rows = 0
    for row in result:
        for _ in row:
            pass
        rows += 1
    return rows


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# --- concurrency (the second process) ---------------------------------------------------

def load_client(port: int, path: str, clients: int, requests: int, n: int) -> dict[str, float]:
    """Run ``clients`` threads sending ``requests`` lookups in all; latency percentiles."""
    lookups = [q for kind, q in QUERIES.values() if kind == "lookup"]
    per_client = requests // clients
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine, failed = [], 0
        for _ in range(per_client):
            text = rng.choice(lookups) % {"business": business(rng.randrange(n))}
            start = time.perf_counter()
            try:
                connection.request("POST", path, body=text.encode(), headers={
                    "Content-Type": "application/sparql-query",
                    "Accept": "application/sparql-results+json"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            mine.append((time.perf_counter() - start) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    latencies.sort()
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": errors[0],
        "p50_ms": round(latencies[len(latencies) // 2], 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1),
        "requests_per_s": round(len(latencies) / seconds, 1),
    }


# --- main -------------------------------------------------------------------------------

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="assessed businesses")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query and engine")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=3200,
                        help="requests in all, per round and server")
    parser.add_argument("--rounds", type=int, default=3,
                        help="load rounds per server, interleaved (medians reported)")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--endpoint-store", choices=["memory", "disk"], default="memory")
    parser.add_argument("--load-client", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--path", default="/sparql", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_client:
        print(json.dumps(load_client(args.load_client, args.path, args.clients, args.requests,
                                     args.n)))
        return

    from servicekg.knowledge_base import KnowledgeBase

    # stopped with SIGTERM, still stop the servers (the finally blocks run on SystemExit)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
          "(shared: only ratios within this run mean much)")
    with tempfile.TemporaryDirectory(prefix="sparql-bench-") as tmp:
        folder = Path(tmp)
        data, disk, peer_disk = folder / "data.nq", folder / "store", folder / "peer-store"
        start = time.perf_counter()
        quads = generate(args.n, data)
        print(f"{args.n} businesses, {quads:,} quads ({quads / args.n:.0f} per business) "
              f"generated in {time.perf_counter() - start:.1f} s")

        on_disk = args.endpoint_store == "disk"
        if on_disk:
            start = time.perf_counter()
            for location in (disk, peer_disk):
                store = ox.Store(str(location))
                store.bulk_load(path=data, format=ox.RdfFormat.N_QUADS)
                store.flush()
                del store
            print(f"two on-disk stores (bulk load): {time.perf_counter() - start:.1f} s")

        start = time.perf_counter()
        memory = ox.Store()
        memory.bulk_load(path=data, format=ox.RdfFormat.N_QUADS)
        print(f"in-memory pyoxigraph (bulk load): {time.perf_counter() - start:.1f} s")

        start = time.perf_counter()
        kb = KnowledgeBase()
        kb.add_quads(ox.parse(path=data, format=ox.RdfFormat.N_QUADS))
        print(f"knowledge base in memory (add_quads): {time.perf_counter() - start:.1f} s")

        engines: dict[str, Callable[[str], object]] = {}
        start = time.perf_counter()
        endpoint = Endpoint(disk if on_disk else None, _free_port())
        peer = OxigraphServe(peer_disk if on_disk else None, _free_port())
        print(f"servicekg serve and oxigraph serve answering after "
              f"{time.perf_counter() - start:.1f} s")
        try:
            if not on_disk:
                start = time.perf_counter()
                endpoint.upload(memory)
                peer.upload(memory)
                print(f"uploaded to both through the Graph Store: "
                      f"{time.perf_counter() - start:.1f} s")
            engines["endpoint"] = endpoint.query
            engines["oxigraph-serve"] = peer.query
            engines["kb"] = lambda q: _read_all(kb.query(q))
            engines["oxigraph"] = lambda q: _read_all(
                memory.query(q, use_default_graph_as_union=True))
            if not args.skip_rdflib:
                import rdflib

                start = time.perf_counter()
                dataset = rdflib.Dataset(default_union=True)
                dataset.parse(data, format="nquads")
                print(f"rdflib Dataset (parse): {time.perf_counter() - start:.1f} s")
                engines["rdflib"] = lambda q: _read_all(dataset.query(q))

            _check_agreement(endpoint, engines, args)
            results = _run_queries(engines, args)
            _report(results)

            print(f"\n{args.clients} concurrent clients from a second process, "
                  f"{args.requests} requests a round (lookups and causal chains of random "
                  f"businesses), {args.rounds} rounds per server, interleaved:")
            load = {endpoint.name: [], peer.name: []}
            for _ in range(args.rounds):
                for server in (endpoint, peer):
                    load[server.name].append(_load_round(server, args))
                    print(f"  {server.name}: {json.dumps(load[server.name][-1])}", flush=True)
        finally:
            endpoint.stop()
            peer.stop()
        runaway = _runaway_check(folder)
        _report_targets(results, load, runaway)


def _load_round(server: Server, args: argparse.Namespace) -> dict[str, float]:
    """One round of the load client against ``server``, with the server's CPU per request."""
    before = server.cpu_seconds()
    child = subprocess.run(
        [sys.executable, __file__, "--load-client", str(server.port), "--path",
         server.query_path, "--clients", str(args.clients), "--requests", str(args.requests),
         "--n", str(args.n)],
        check=True, capture_output=True, text=True)
    found = json.loads(child.stdout)
    found["server_cpu_ms_per_request"] = round(
        (server.cpu_seconds() - before) * 1000 / max(1, found["requests"]), 2)
    return found


def _runaway_check(folder: Path, limit_s: float = 2.0) -> dict[str, float | bool]:
    """``servicekg serve --query-timeout 2`` (its own in-memory store): a query that would run
    for hours is answered 503 near the limit, and the next query is answered."""
    endpoint = Endpoint(None, _free_port(), timeout_s=limit_s)
    try:
        start = time.perf_counter()
        status, _body = endpoint.request(RUNAWAY)
        stopped_after = time.perf_counter() - start
        start = time.perf_counter()
        next_status, _ = endpoint.request("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        next_after = time.perf_counter() - start
    finally:
        endpoint.stop()
    return {"limit_s": limit_s, "status": status, "stopped_after_s": round(stopped_after, 2),
            "next_status": next_status, "next_after_s": round(next_after, 3)}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _text(template: str, n: int) -> str:
    return template % {"business": business(n // 2)} if "%(" in template else template


def _check_agreement(endpoint: Endpoint, engines: dict[str, Callable[[str], object]],
                     args: argparse.Namespace) -> None:
    """Every engine answers every query with as many rows as the endpoint (else stop)."""
    for name, (_kind, template) in QUERIES.items():
        text = _text(template, args.n)
        expected = endpoint.rows(text)
        for engine, run in engines.items():
            if engine in ("endpoint", "oxigraph-serve"):
                rows = len(json.loads(run(text))["results"]["bindings"])  # type: ignore[arg-type]
            else:
                rows = run(text)
            if rows != expected:
                raise RuntimeError(f"{engine} answers {rows} rows to '{name}', "
                                   f"the endpoint {expected}")
        print(f"  {name}: {expected} rows from every engine")


def _run_queries(engines: dict[str, Callable[[str], object]],
                 args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Medians per query and engine; the engines take turns within each repeat."""
    results: dict[str, dict[str, float]] = {}
    for name, (_kind, template) in QUERIES.items():
        text = _text(template, args.n)
        for run in engines.values():
            run(text)  # warm-up
        times: dict[str, list[float]] = {engine: [] for engine in engines}
        for _ in range(args.repeat):
            for engine, run in engines.items():
                start = time.perf_counter()
                run(text)
                times[engine].append((time.perf_counter() - start) * 1000)
        results[name] = {engine: statistics.median(t) for engine, t in times.items()}
        print(f"  {name}: " + ", ".join(f"{e} {ms:.1f} ms" for e, ms in results[name].items()),
              flush=True)
    return results


AGGREGATE_MAX = 1.1
"""Target: an aggregate through servicekg serve takes at most 1.1 x oxigraph serve's time."""
THROUGHPUT_MIN = 0.8
"""Target: lookups at 32 clients, servicekg serve at least 0.8 x oxigraph serve's requests/s."""
P99_MAX = 1.5
"""Target: and a p99 latency at most 1.5 x oxigraph serve's."""


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def _report(results: dict[str, dict[str, float]]) -> None:
    """The table: medians per query and engine, endpoint / oxigraph serve per query."""
    engines = list(next(iter(results.values())))
    width = max(len(q) for q in results)
    print("\nmedian ms".ljust(width + 1) + "".join(f"{e:>15}" for e in engines)
          + f"{'endpoint/oxigraph-serve':>25}"
          + (f"{'rdflib/oxigraph':>17}" if "rdflib" in engines else ""))
    for query, row in results.items():
        ratio = row["endpoint"] / row["oxigraph-serve"]
        line = query.ljust(width) + "".join(f"{row[e]:>15.1f}" for e in engines)
        line += f"{ratio:>25.2f}"
        if "rdflib" in row:
            line += f"{row['rdflib'] / row['oxigraph']:>16.1f}x"
        print(line)


def _report_targets(results: dict[str, dict[str, float]],
                    load: dict[str, list[dict[str, float]]],
                    runaway: dict[str, float | bool]) -> None:
    """One line per target of issue 16: met or MISSED, with the numbers behind it."""
    print("\ntargets (ratios within this run):")
    for query, row in results.items():
        if QUERIES[query][0] != "aggregate":
            continue
        ratio = row["endpoint"] / row["oxigraph-serve"]
        print(f"  aggregate '{query}': servicekg / oxigraph serve latency {ratio:.2f} "
              f"(<= {AGGREGATE_MAX}) {_verdict(ratio <= AGGREGATE_MAX)}")
    ours, theirs = load["servicekg serve"], load["oxigraph serve"]

    def median(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    rps = median(ours, "requests_per_s") / median(theirs, "requests_per_s")
    p99 = median(ours, "p99_ms") / median(theirs, "p99_ms")
    cpu = median(ours, "server_cpu_ms_per_request") / median(theirs, "server_cpu_ms_per_request")
    errors = sum(r["errors"] for r in ours + theirs)
    print(f"  lookups at {ours[0]['clients']} clients: requests/s "
          f"{median(ours, 'requests_per_s'):.0f} / {median(theirs, 'requests_per_s'):.0f} = "
          f"{rps:.2f} (>= {THROUGHPUT_MIN}) {_verdict(rps >= THROUGHPUT_MIN)}")
    print(f"  lookups at {ours[0]['clients']} clients: p99 {median(ours, 'p99_ms'):.1f} / "
          f"{median(theirs, 'p99_ms'):.1f} ms = {p99:.2f} (<= {P99_MAX}) "
          f"{_verdict(p99 <= P99_MAX)}")
    print(f"  server CPU per lookup (not a target): "
          f"{median(ours, 'server_cpu_ms_per_request'):.2f} / "
          f"{median(theirs, 'server_cpu_ms_per_request'):.2f} ms = {cpu:.2f}; errors: {errors}")
    stopped = runaway["status"] == 503 and runaway["next_status"] == 200 and (
        float(runaway["stopped_after_s"]) < float(runaway["limit_s"]) + 2)
    print(f"  a runaway query stopped at the limit, the next one served: {_verdict(stopped)} "
          f"({json.dumps(runaway)})")


if __name__ == "__main__":
    main()
