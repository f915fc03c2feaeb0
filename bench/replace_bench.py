"""Benchmark: what replacing a graph in an in-memory knowledge base costs the queries after it.

    .venv/bin/python bench/replace_bench.py [--n 20000] [--replacements 3] [--repeat 9]

Builds the data of ``bench/sparql_bench.py`` (N assessed businesses) twice: one in-memory
knowledge base loaded once ("fresh"), and one whose assessments graph is then replaced
``--replacements`` times by the same text through ``KnowledgeBase.replace_graphs_nquads``, the
path a new assessment's write-back takes. Both hold the same quads. After each replacement it
prints the process's resident memory and the two aggregates by sector of ``sparql_bench``, run
on both knowledge bases in turn (minimum and median of ``--repeat`` runs each).

Why: pyoxigraph's in-memory store keeps, for each term, a linked list of the quads that use it,
and a query walks the list of a bound term; a removed quad is only marked removed and stays in
those lists (its ``MemoryStorage`` has no garbage collection), so each replacement leaves the
replaced quads for every later query to step over, and their memory. The knowledge base
therefore rebuilds an in-memory store without them once the removed quads it carries outnumber
the live ones (``REBUILD_AFTER`` in ``servicekg.stores.embedded``); each replacement prints how
many it carries. An on-disk store (``--store DIR``) is not affected: RocksDB drops removed keys
itself.
Not a unit test; run it by hand.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH

sys.path.insert(0, str(Path(__file__).parent))
from sparql_bench import QUERIES, generate

AGGREGATES = [name for name in QUERIES if name.startswith("aggregate:")]


def _rss_mb() -> float:
    """This process's resident memory in MB (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def _load(data: Path) -> KnowledgeBase:
    kb = KnowledgeBase()
    kb.add_quads(ox.parse(path=data, format=ox.RdfFormat.N_QUADS))
    return kb


def _times(kbs: dict[str, KnowledgeBase], repeat: int) -> dict[tuple[str, str], list[float]]:
    """Each aggregate on each knowledge base, the bases taking turns (same machine load)."""
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(repeat):
        for query in AGGREGATES:
            for name, kb in kbs.items():
                start = time.perf_counter()
                rows = sum(1 for _ in kb.query(QUERIES[query][1]))
                times.setdefault((query, name), []).append((time.perf_counter() - start) * 1000)
                if not rows:
                    raise RuntimeError(f"no rows from '{query}' on the {name} knowledge base")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="assessed businesses")
    parser.add_argument("--replacements", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per query and base")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="replace-bench-") as tmp:
        data = Path(tmp) / "data.nq"
        quads = generate(args.n, 5, data)
        assessments = f" <{GRAPH.assessments}> .\n".encode()
        lines = [line for line in data.open("rb") if line.endswith(assessments)]
        chunks = [b"".join(lines[i : i + 50_000]) for i in range(0, len(lines), 50_000)]
        before = _rss_mb()
        fresh = _load(data)
        print(
            f"{args.n} businesses, {quads:,} quads ({len(lines):,} of them in the "
            f"assessments graph); a fresh knowledge base: {_rss_mb() - before:,.0f} MB"
        )
        replaced = _load(data)
        kbs = {"fresh": fresh, "replaced": replaced}
        for step in range(args.replacements + 1):
            if step:
                before = _rss_mb()
                start = time.perf_counter()
                replaced.replace_graphs_nquads([GRAPH.assessments], iter(chunks))
                print(
                    f"\nreplacement {step}: {time.perf_counter() - start:.1f} s, "
                    f"+{_rss_mb() - before:,.0f} MB resident, "
                    f"{len(replaced):,} quads (fresh: {len(fresh):,}), "
                    f"{replaced.store.removed:,} removed quads carried"
                )
            else:
                print("\nbefore any replacement:")
            for (query, name), ms in _times(kbs, args.repeat).items():
                print(
                    f"  {query[11:]:<55} {name:>9}: min {min(ms):7.1f} ms, "
                    f"median {statistics.median(ms):7.1f} ms"
                )


if __name__ == "__main__":
    main()
