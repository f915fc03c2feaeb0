"""Benchmark: servicekg in front of real SPARQL engines (``--endpoint``), against the engines.

    prlimit --as=12000000000 -- .venv/bin/python bench/remote_bench.py [--n 2000] [--repeat 5]
        [--engines oxigraph,virtuoso] [--batch 10000]

The data are those of ``bench/sparql_bench.py`` (N assessed businesses, the ontology). For each
engine (Oxigraph's server, ``oxigraph serve``; a throwaway Virtuoso as the tests start it),
in one run:

1. load rate: every quad written by servicekg's remote store in batches of ``--batch`` quads,
   once by SPARQL Update (``INSERT DATA``) and once through the Graph Store Protocol (``POST``
   of each batch: N-Quads to Oxigraph's dataset, N-Triples per graph to Virtuoso), the store
   emptied in between; quads per second;
2. the consultant queries of ``sparql_bench.py`` sent to the engine directly (its own union of
   the graphs: Oxigraph's ``union-default-graph``, Virtuoso's ``default-graph-uri`` listing
   servicekg's graphs) and through ``servicekg serve --endpoint URL --engine NAME``, SPARQL
   JSON read in full; medians of ``--repeat`` runs after a warm-up, and the ratio (target:
   servicekg adds at most 20% for queries over 10 ms);
3. the engines side by side.

Not a unit test; run it by hand. Virtuoso needs ``virtuoso-t`` (``make virtuoso``).
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from sparql_bench import QUERIES, _median_ms, _text, generate  # noqa: E402

from servicekg.stores.profiles import PASSWORD_ENV, USER_ENV  # noqa: E402
from servicekg.stores.remote import RemoteStore  # noqa: E402

TARGET = 1.2


@dataclasses.dataclass
class Engine:
    name: str
    query_url: str
    update_url: str
    store_url: str
    user: str | None = None
    password: str | None = None

    def store(self, *, graph_store: bool) -> RemoteStore:
        store = RemoteStore(self.query_url, self.update_url, self.store_url, engine=self.name,
                            user=self.user, password=self.password, update_timeout_s=900)
        store.profile = dataclasses.replace(store.profile, graph_store_writes=graph_store)
        return store

    def env(self) -> dict[str, str]:
        return {USER_ENV: self.user, PASSWORD_ENV: self.password or ""} if self.user else {}


@contextmanager
def started(name: str, folder: Path) -> Iterator[Engine]:
    if name == "oxigraph":
        from oxigraph_server import oxigraph_server

        with oxigraph_server(folder / "data") as server:
            yield Engine(name, server.query_url, server.update_url, server.store_url)
    else:
        from virtuoso_server import virtuoso_server

        with virtuoso_server(folder / "virtuoso") as server:
            yield Engine(name, server.query_url, server.update_url, server.store_url,
                         server.user, server.password)


def load(engine: Engine, data: Path, batch: int, *, graph_store: bool) -> float:
    """Write every quad of ``data`` in batches; quads per second."""
    store = engine.store(graph_store=graph_store)
    for graph in store.named_graphs():
        store.drop_graph(graph)
    quads = ox.parse(path=data, format=ox.RdfFormat.N_QUADS)
    total = 0
    start = time.perf_counter()
    while chunk := list(islice(quads, batch)):
        chunk.sort(key=lambda q: str(q.graph_name))
        if not graph_store and not store.profile.blank_nodes_in_data:
            # Virtuoso takes blank nodes only in INSERT { } WHERE { }, capped at some
            # hundreds of triples: the quads with blank nodes go in small requests of their own
            blank = [q for q in chunk if _blank(q)]
            for first in range(0, len(blank), 200):
                total += store.extend(blank[first : first + 200])
            chunk = [q for q in chunk if not _blank(q)]
        total += store.extend(chunk)
    elapsed = time.perf_counter() - start
    if store.count() != total:
        raise RuntimeError(f"{engine.name}: {store.count()} quads stored, {total} written")
    return total / elapsed


def _blank(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


class Serve:
    """``servicekg serve --endpoint`` in a child process."""

    def __init__(self, engine: Engine, port: int, log: Path) -> None:
        self.port = port
        command = [str(Path(sys.executable).with_name("servicekg")), "serve", "--host",
                   "127.0.0.1", "--port", str(port), "--endpoint", engine.query_url,
                   "--update-endpoint", engine.update_url, "--store-endpoint",
                   engine.store_url, "--engine", engine.name, "--query-timeout", "600",
                   "--result-limit", "100000000"]
        with log.open("wb") as sink:
            self.process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT,
                                            env={**os.environ, **engine.env()})
        deadline = time.monotonic() + 120
        while True:
            try:
                post(f"http://127.0.0.1:{port}/sparql", [("query", "ASK {}")])
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"servicekg serve did not start: {log.read_text()}")
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def post(url: str, fields: list[tuple[str, str]]) -> bytes:
    split = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=900)
    try:
        connection.request("POST", split.path, body=urllib.parse.urlencode(fields).encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded",
                                    "Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}: {body[:300]!r}")
        return body
    finally:
        connection.close()


def direct_fields(engine: Engine, graphs: list[str]) -> list[tuple[str, str]]:
    """The engine's own way to query the union of servicekg's graphs."""
    if engine.name == "oxigraph":
        return [("union-default-graph", "")]
    return [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]


def rows(body: bytes) -> int:
    return len(json.loads(body)["results"]["bindings"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="assessed businesses")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=10_000, help="quads per write")
    parser.add_argument("--virtuoso-update-batch", type=int, default=2_000,
                        help="quads per INSERT DATA on Virtuoso (its compiler runs out of memory"
                        " near 5,000 lines)")
    parser.add_argument("--engines", default="oxigraph,virtuoso")
    args = parser.parse_args()

    from live_server import free_port

    with tempfile.TemporaryDirectory(prefix="remote-bench-") as tmp:
        folder = Path(tmp)
        data = folder / "data.nq"
        quads = generate(args.n, data)  # the real shape: copies of assessed businesses
        print(f"{args.n} businesses, {quads:,} quads; batches of {args.batch:,} quads")
        results: dict[str, dict[str, tuple[float, float]]] = {}
        for name in args.engines.split(","):
            (folder / name).mkdir()
            with started(name, folder / name) as engine:
                small = args.virtuoso_update_batch if name == "virtuoso" else args.batch
                update = load(engine, data, small, graph_store=False)
                graph_store = load(engine, data, args.batch, graph_store=True)
                print(f"{name}: load by SPARQL Update ({small:,} quads a request) {update:,.0f} "
                      "quads/s, "
                      f"through the Graph Store ({args.batch:,}) {graph_store:,.0f} quads/s")
                graphs = [g.value for g in engine.store(graph_store=True).named_graphs()]
                serve = Serve(engine, free_port(), folder / f"serve-{name}.log")
                try:
                    results[name] = {}
                    through = f"http://127.0.0.1:{serve.port}/sparql"
                    for query, (_kind, template) in QUERIES.items():
                        text = _text(template, args.n)
                        direct = [("query", text), *direct_fields(engine, graphs)]
                        mine = [("query", text)]
                        a, b = rows(post(engine.query_url, direct)), rows(post(through, mine))
                        if a != b:
                            raise RuntimeError(f"{name} '{query}': {a} rows direct, {b} via us")
                        ms_direct = _median_ms(lambda f=direct: post(engine.query_url, f),
                                               args.repeat)
                        ms_serve = _median_ms(lambda f=mine: post(through, f), args.repeat)
                        results[name][query] = (ms_direct, ms_serve)
                        print(f"  {query} ({a} rows): {name} {ms_direct:.1f} ms, "
                              f"through servicekg {ms_serve:.1f} ms", flush=True)
                finally:
                    serve.stop()
        report(results)


def report(results: dict[str, dict[str, tuple[float, float]]]) -> None:
    engines = list(results)
    print("\n| query | " + " | ".join(
        f"{e} direct | via servicekg | ratio" for e in engines) + " |")
    print("|---" * (1 + 3 * len(engines)) + "|")
    for query in QUERIES:
        cells = []
        for engine in engines:
            direct, mine = results[engine][query]
            ratio = mine / direct
            mark = ("met" if ratio <= TARGET else "MISSED") if direct > 10 else "n/a (<10 ms)"
            cells += [f"{direct:.1f} ms", f"{mine:.1f} ms", f"{ratio:.2f} {mark}"]
        print(f"| {query} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
