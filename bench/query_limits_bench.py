"""What the query time limit costs: the same queries through bare pyoxigraph and through
servicekg's QueryRunner (in process, and in a forked worker that the time limit needs).

    .venv/bin/python bench/query_limits_bench.py [TRIPLES] [--repeat N]

Each query's result is serialised as SPARQL JSON in every mode (what an endpoint sends).
Reports the median time per query and mode, and the overhead of the limited modes over bare
pyoxigraph; "after write" is the first query after a write, which forks a fresh worker.
"""

from __future__ import annotations

import argparse
import statistics
import time

import pyoxigraph as ox

from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import PREFIXES
from servicekg.querying.executor import Limits, QueryRunner

QUERIES = {
    "lookup": "SELECT ?p ?o WHERE { <http://x/b77> ?p ?o }",
    "by sector": "SELECT ?sector (COUNT(?b) AS ?n) (AVG(?v) AS ?avg) WHERE { "
    "?b <http://x/sector> ?sector ; <http://x/value> ?v } GROUP BY ?sector",
    "two hops": "SELECT ?b ?c WHERE { ?b <http://x/next> ?m . ?m <http://x/next> ?c } LIMIT 20000",
    "scan": "SELECT ?b ?v WHERE { ?b <http://x/value> ?v } ORDER BY DESC(?v) LIMIT 1000",
}


def _data(businesses: int) -> KnowledgeBase:
    kb = KnowledgeBase()
    p = {name: ox.NamedNode(f"http://x/{name}") for name in ("sector", "value", "next", "label")}

    def quads():  # five triples a business
        for i in range(businesses):
            b = ox.NamedNode(f"http://x/b{i}")
            yield ox.Triple(b, p["sector"], ox.NamedNode(f"http://x/sector{i % 9}"))
            yield ox.Triple(b, p["value"], ox.Literal(i % 1000))
            yield ox.Triple(b, p["next"], ox.NamedNode(f"http://x/b{(i * 7 + 1) % businesses}"))
            yield ox.Triple(b, p["label"], ox.Literal(f"business {i}", language="en"))
            yield ox.Triple(b, p["label"], ox.Literal(f"uzņēmums {i}", language="lv"))

    kb.add_quads(quads(), "http://x/g")
    return kb


def _median(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("triples", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    kb = _data(args.triples // 5)
    store = kb.store.oxigraph  # type: ignore[attr-defined]
    print(f"{len(kb):,} triples; median of {args.repeat} runs; SPARQL JSON results")
    print(f"{'query':<10} {'bare ms':>9} {'in-process':>11} {'worker':>9} {'after write':>12}")
    in_process = QueryRunner(kb, Limits(timeout_s=None, max_result_bytes=None))
    limited = QueryRunner(kb, Limits(timeout_s=60, max_result_bytes=None), workers=1)
    for name, sparql in QUERIES.items():

        def bare(sparql: str = sparql) -> bytes:
            result = store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
            return result.serialize(format=ox.QueryResultsFormat.JSON)

        def after_write(sparql: str = sparql) -> None:
            kb.generation += 1  # as a write does: the next query forks a fresh worker
            limited.run(sparql)

        limited.run(sparql)  # a warm worker for this generation
        base = _median(bare, args.repeat)
        cells = [
            _median(lambda s=sparql, r=runner: r.run(s), args.repeat)
            for runner in (in_process, limited)
        ]
        fresh = _median(after_write, max(3, args.repeat // 2))
        print(
            f"{name:<10} {base * 1000:9.1f} "
            + " ".join(
                f"{t * 1000:6.1f} {100 * (t - base) / base:+4.0f}%".rjust(w)
                for t, w in zip([*cells, fresh], (11, 9, 12), strict=True)
            )
        )
    limited.close()
    in_process.close()


if __name__ == "__main__":
    main()
