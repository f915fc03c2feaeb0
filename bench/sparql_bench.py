"""Benchmark: consultants' SPARQL queries through four engines, then 32 concurrent clients.

    .venv/bin/python bench/sparql_bench.py [--n 100000] [--observations 5] [--repeat 5]
        [--clients 32] [--requests 3200] [--skip-rdflib] [--endpoint-store memory|disk]

The data: N assessed businesses, generated directly as the triples ``servicekg assess`` writes
(a ``schema:Organization`` with its sector in the observations graph, its SOSA observations,
an ``skg:Assessment`` with PROV-O links, and three ranked ``skg:Recommendation`` resources per
business, each firing a real rule of ``rules/`` and addressing that rule's concept), plus the
ontology and its derived ``skg:influences`` links. Running the rules for 100,000 businesses
would take far longer than the queries this measures (see ``bench/assess_bench.py``); what the
queries read has the same shape either way.

Engines, on the same quads, in one run (medians of ``--repeat`` runs after one warm-up;
every result is read to the end):

- ``endpoint``: ``servicekg serve`` (uvicorn, a child process on 127.0.0.1), each query
  POSTed as ``application/sparql-query``, SPARQL JSON read in full. By default it serves its
  in-memory store, the data uploaded through the Graph Store Protocol (``--allow-update`` on
  loopback); ``--endpoint-store disk`` serves an on-disk store instead (``--store DIR``);
- ``kb``: :class:`servicekg.knowledge_base.KnowledgeBase` in this process (in memory);
- ``oxigraph``: bare in-memory ``pyoxigraph.Store``;
- ``oxigraph-disk`` (with ``--endpoint-store disk``): bare ``pyoxigraph.Store.read_only(DIR)``
  over the files the endpoint serves;
- ``rdflib``: rdflib's own SPARQL engine over an in-memory ``Dataset`` (``--skip-rdflib`` to
  leave it out: at 100,000 businesses it needs many GB and minutes per aggregate).

All use the union of the graphs as the default graph, as the knowledge base does, and run the
same query text. Printed: the median per query and engine, endpoint / bare pyoxigraph on the
same kind of store for queries over 10 ms (target <= 1.2), rdflib / oxigraph on the aggregates
(target >= 20), each marked ``met`` or ``MISSED``. Then a second process runs ``--clients``
threads against the endpoint, ``--requests`` requests in all (lookups and causal chains of
random businesses), and prints errors, p50, p99 and requests per second (target: no error).
Last, one line per target says whether it is met, with the numbers behind it.
Not a unit test; run it by hand.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
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


def generate(n: int, observations: int, path: Path, seed: int = 11) -> int:
    """Write the benchmark dataset as N-Quads; returns the number of quads."""
    from servicekg.knowledge_base import KnowledgeBase
    from servicekg.rules import load_rules
    from servicekg.rules.rule_graph import rules_to_rdf

    rng = random.Random(seed)
    kb = KnowledgeBase.with_ontology()
    rulebook = load_rules()
    rules = [(r.id, r.addresses) for r in rulebook]
    metrics = [q["m"] for q in kb.select(
        "SELECT ?m WHERE { ?m a skg:Metric }")] or [SKG + "Metric"]
    count = 0
    obs_g, ass_g = _iri(GRAPHS["observations"]), _iri(GRAPHS["assessments"])
    with path.open("w", encoding="utf-8") as out:
        for quad in kb.quads():
            out.write(f"{quad} .\n")
            count += 1
        for quad in rules_to_rdf(rulebook):
            out.write(f"{quad} .\n")
            count += 1
        for i in range(n):
            b = _iri(business(i))
            lines = [
                f"{b} <{RDF_TYPE}> <{SCHEMA}Organization> {obs_g} .",
                f'{b} <{SCHEMA}identifier> "b{i:06d}" {obs_g} .',
                f'{b} <{SCHEMA}name> "Business {i}" {obs_g} .',
                f'{b} <{SCHEMA}additionalType> "{rng.choice(SECTORS)}" {obs_g} .',
            ]
            assessment = _iri(f"{BASE}assessment/b{i:06d}")
            lines += [
                f"{assessment} <{RDF_TYPE}> <{SKG}Assessment> {ass_g} .",
                f"{assessment} <{SKG}assessedBusiness> {b} {ass_g} .",
                f'{assessment} <{PROV}endedAtTime> "2026-11-30T12:00:00Z"^^<{XSD}dateTime> '
                f"{ass_g} .",
            ]
            for k, metric in enumerate(rng.sample(metrics, min(observations, len(metrics)))):
                o = _iri(f"{BASE}observation/b{i:06d}-{k}")
                lines += [
                    f"{o} <{RDF_TYPE}> <{SOSA}Observation> {obs_g} .",
                    f"{o} <{SOSA}hasFeatureOfInterest> {b} {obs_g} .",
                    f"{o} <{SOSA}observedProperty> <{metric}> {obs_g} .",
                    f'{o} <{SOSA}hasSimpleResult> "{rng.uniform(0, 5):.2f}"^^<{XSD}decimal> '
                    f"{obs_g} .",
                    f'{o} <{SOSA}resultTime> "2026-09-12"^^<{XSD}date> {obs_g} .',
                    f"{assessment} <{PROV}used> {o} {ass_g} .",
                ]
            for rank, (rule, concept) in enumerate(rng.sample(rules, 3), 1):
                rec = _iri(f"{BASE}assessment/b{i:06d}/{rule}")
                lines += [
                    f"{rec} <{RDF_TYPE}> <{SKG}Recommendation> {ass_g} .",
                    f"{rec} <{SKG}forBusiness> {b} {ass_g} .",
                    f"{rec} <{SKG}firedRule> <{BASE}rule/{rule}> {ass_g} .",
                    f"{rec} <{SKG}addresses> <{concept}> {ass_g} .",
                    f'{rec} <{SKG}score> "{rng.randint(5, 95)}"^^<{XSD}decimal> {ass_g} .',
                    f'{rec} <{SKG}rank> "{rank}"^^<{XSD}integer> {ass_g} .',
                    f"{rec} <{PROV}wasGeneratedBy> {assessment} {ass_g} .",
                ]
            out.write("\n".join(lines) + "\n")
            count += len(lines)
    return count


# --- engines ----------------------------------------------------------------------------

class Endpoint:
    """``servicekg serve --store DIR`` in a child process; queries over one keep-alive
    connection."""

    def __init__(self, store: Path | None, port: int) -> None:
        self.port = port
        command = [str(Path(sys.executable).with_name("servicekg")), "serve", "--host",
                   "127.0.0.1", "--port", str(port), "--result-limit", "10000000",
                   "--query-timeout", "600", "--max-body", str(400 * 1024 * 1024)]
        command += ["--store", str(store)] if store is not None else ["--allow-update"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        while True:
            try:
                self.query("ASK {}")
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("servicekg serve did not start") from None
                time.sleep(0.2)

    def rows(self, text: str) -> int:
        """How many solutions the endpoint answers (to check the engines agree)."""
        return len(json.loads(self.query(text))["results"]["bindings"])

    def query(self, text: str) -> bytes:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900)
        try:
            connection.request("POST", "/sparql", body=text.encode(), headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json"})
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"endpoint answered {response.status}: {body[:300]!r}")
            return body
        finally:
            connection.close()

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

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


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

def load_client(port: int, clients: int, requests: int, n: int) -> dict[str, float]:
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
                connection.request("POST", "/sparql", body=text.encode(), headers={
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

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="assessed businesses")
    parser.add_argument("--observations", type=int, default=5, help="observations per business")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query and engine")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=3200, help="requests in all")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--endpoint-store", choices=["memory", "disk"], default="memory")
    parser.add_argument("--load-client", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_client:
        print(json.dumps(load_client(args.load_client, args.clients, args.requests, args.n)))
        return

    from servicekg.knowledge_base import KnowledgeBase

    # stopped with SIGTERM, still stop the server (the finally blocks run on SystemExit)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="sparql-bench-") as tmp:
        folder = Path(tmp)
        data, disk = folder / "data.nq", folder / "store"
        start = time.perf_counter()
        quads = generate(args.n, args.observations, data)
        print(f"{args.n} businesses, {quads:,} quads generated in "
              f"{time.perf_counter() - start:.1f} s")

        if args.endpoint_store == "disk":
            start = time.perf_counter()
            store = ox.Store(str(disk))
            store.bulk_load(path=data, format=ox.RdfFormat.N_QUADS)
            store.flush()
            del store
            print(f"on-disk store (bulk load): {time.perf_counter() - start:.1f} s")

        start = time.perf_counter()
        memory = ox.Store()
        memory.bulk_load(path=data, format=ox.RdfFormat.N_QUADS)
        print(f"in-memory pyoxigraph (bulk load): {time.perf_counter() - start:.1f} s")

        start = time.perf_counter()
        kb = KnowledgeBase()
        kb.add_quads(ox.parse(path=data, format=ox.RdfFormat.N_QUADS))
        print(f"knowledge base in memory (add_quads): {time.perf_counter() - start:.1f} s")

        engines: dict[str, Callable[[str], object]] = {}
        port = _free_port()
        start = time.perf_counter()
        on_disk = args.endpoint_store == "disk"
        endpoint = Endpoint(disk if on_disk else None, port)
        print(f"servicekg serve: answering after {time.perf_counter() - start:.1f} s")
        try:
            if not on_disk:
                start = time.perf_counter()
                endpoint.upload(memory)
                print(f"uploaded through the Graph Store: {time.perf_counter() - start:.1f} s")
            engines["endpoint"] = endpoint.query
            engines["kb"] = lambda q: _read_all(kb.query(q))
            engines["oxigraph"] = lambda q: _read_all(
                memory.query(q, use_default_graph_as_union=True))
            if on_disk:
                read_only = ox.Store.read_only(str(disk))
                engines["oxigraph-disk"] = lambda q: _read_all(
                    read_only.query(q, use_default_graph_as_union=True))
            if not args.skip_rdflib:
                import rdflib

                start = time.perf_counter()
                dataset = rdflib.Dataset(default_union=True)
                dataset.parse(data, format="nquads")
                print(f"rdflib Dataset (parse): {time.perf_counter() - start:.1f} s")
                engines["rdflib"] = lambda q: _read_all(dataset.query(q))

            _check_agreement(endpoint, engines, args)
            results = _run_queries(engines, args)
            baseline = "oxigraph-disk" if on_disk else "oxigraph"
            _report(results, baseline)

            print(f"\n{args.clients} concurrent clients from a second process, "
                  f"{args.requests} requests (lookups and causal chains of random businesses):")
            child = subprocess.run(
                [sys.executable, __file__, "--load-client", str(port), "--clients",
                 str(args.clients), "--requests", str(args.requests), "--n", str(args.n)],
                check=True, capture_output=True, text=True)
            print(child.stdout.strip())
            _report_targets(results, baseline, json.loads(child.stdout))
        finally:
            endpoint.stop()


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
            if engine != "endpoint" and run(text) != expected:
                raise RuntimeError(f"{engine} answers {run(text)} rows to '{name}', "
                                   f"the endpoint {expected}")
        print(f"  {name}: {expected} rows from every engine")


def _run_queries(engines: dict[str, Callable[[str], object]],
                 args: argparse.Namespace) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    for name, (_kind, template) in QUERIES.items():
        text = _text(template, args.n)
        results[name] = {}
        for engine, run in engines.items():
            results[name][engine] = _median_ms(lambda run=run, text=text: run(text), args.repeat)
        print(f"  {name}: " + ", ".join(f"{e} {ms:.1f} ms" for e, ms in results[name].items()),
              flush=True)
    return results


ENDPOINT_MAX = 1.2
"""Target: the endpoint adds at most 20% over bare pyoxigraph (queries over 10 ms)."""
RDFLIB_MIN = 20.0
"""Target: pyoxigraph at least 20 times faster than rdflib's engine on the aggregates."""


def _endpoint_ratio(row: dict[str, float], baseline: str) -> float | None:
    """endpoint / bare pyoxigraph, for a query over 10 ms (the target says nothing of others)."""
    return row["endpoint"] / row[baseline] if row[baseline] > 10 else None


def _rdflib_speedup(query: str, row: dict[str, float]) -> float | None:
    """rdflib / pyoxigraph, for an aggregate measured on both."""
    if "rdflib" not in row or QUERIES[query][0] != "aggregate":
        return None
    return row["rdflib"] / row["oxigraph"]


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def _report(results: dict[str, dict[str, float]], baseline: str) -> None:
    """The table: medians per query and engine, each ratio marked against its target."""
    engines = list(next(iter(results.values())))
    width = max(len(q) for q in results)
    print("\nmedian ms".ljust(width + 1) + "".join(f"{e:>15}" for e in engines)
          + f"{'endpoint/' + baseline + ' <= 1.2':>32}{'rdflib/oxigraph >= 20x':>26}")
    for query, row in results.items():
        ratio = _endpoint_ratio(row, baseline)
        speedup = _rdflib_speedup(query, row)
        shown = "(<10 ms)" if ratio is None else f"{ratio:.2f} {_verdict(ratio <= ENDPOINT_MAX)}"
        fast = "" if speedup is None else f"{speedup:.1f}x {_verdict(speedup >= RDFLIB_MIN)}"
        print(query.ljust(width) + "".join(f"{row[e]:>15.1f}" for e in engines)
              + f"{shown:>32}{fast:>26}")


def _report_targets(results: dict[str, dict[str, float]], baseline: str,
                    clients: dict[str, float]) -> None:
    """One line per target of issue 5: met or MISSED, with the numbers behind it."""
    ratios = [r for row in results.values() if (r := _endpoint_ratio(row, baseline)) is not None]
    speedups = [s for q, row in results.items() if (s := _rdflib_speedup(q, row)) is not None]
    print("\ntargets:")
    if ratios:
        print(f"  endpoint adds at most 20% over bare {baseline} (queries over 10 ms): "
              f"{_verdict(max(ratios) <= ENDPOINT_MAX)} (worst {max(ratios):.2f})")
    if speedups:
        missed = sum(s < RDFLIB_MIN for s in speedups)
        print(f"  pyoxigraph at least 20x faster than rdflib on the aggregates: "
              f"{_verdict(not missed)} ("
              + ", ".join(f"{s:.1f}x" for s in speedups)
              + (f"; {missed} of {len(speedups)} under 20x)" if missed else ")"))
    else:
        print("  pyoxigraph at least 20x faster than rdflib on the aggregates: "
              "not measured (--skip-rdflib)")
    print(f"  {clients['clients']} concurrent clients, no error: "
          f"{_verdict(clients['errors'] == 0)} ({clients['errors']} errors in "
          f"{clients['requests']} requests; p50 {clients['p50_ms']} ms, "
          f"p99 {clients['p99_ms']} ms)")

if __name__ == "__main__":
    main()
