"""Benchmark: what ``servicekg assess --store DIR --stream`` costs beside the store under it.

    .venv/bin/python bench/assess_bench.py [N ...] [--workers-n 10000] [--time-limit 2700]
        [--memory-limit 12000] [--chunk 200]

For each N (default 1,000, 10,000 and 100,000), N synthetic businesses with 20 observations
each are written as two CSV files; then, each in a fresh child process bounded in time and
address space (``--time-limit`` seconds, ``--memory-limit`` MB; the machine is shared):

1. ``servicekg assess FILES --store DIR --stream --format json --out FILE``: its CPU time
   (user + system, with the processes it waited for: ``wait4``), wall time and peak memory
   (max RSS);
2. the store that run wrote is dumped as N-Quads (not measured);
3. the peer: a bare ``pyoxigraph.Store`` bulk-loads those N-Quads into a new on-disk store in
   loads the size of the run's chunks (``--chunk`` businesses' worth of quads, the CLI's chunk
   size): its CPU time and peak memory.

At N = ``--workers-n`` the streamed run is repeated with ``--workers 2``. The targets of issue
16, measured in this one run and each printed ``met`` or ``MISSED``:

- CPU per business of the streamed run <= 1.5 x the peer's, at N = 10,000 and 100,000;
- CPU per business with ``--workers 2`` <= 1.1 x one worker's (the wall-clock speed-up is
  printed, and claimed only where the machine has at least workers + 1 cores);
- (streamed peak - peer peak) at 100,000 <= 1.2 x the same difference at 1,000.

Not a unit test; run it by hand (100,000 businesses take many minutes).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SECTORS = ["fast-food", "restaurant", "retail", "accountancy", "theme-park", "call-centre",
           "manufacturing", "hospitality"]
SERVICEKG = str(Path(sys.executable).with_name("servicekg"))


def generate(n: int, folder: Path, seed: int = 7) -> list[Path]:
    """Write businesses.csv and observations.csv for ``n`` businesses (20 metrics each)."""
    try:
        from servicekg.graph.catalogue import MetricCatalogue
    except ImportError:  # before the package layout of issue 12
        from servicekg.catalogue import MetricCatalogue  # type: ignore[no-redef]
    from servicekg.knowledge_base import KnowledgeBase

    catalogue = MetricCatalogue.from_kb(KnowledgeBase.with_ontology())
    specs = [s for s in catalogue if s.id != "rude_service_is_the_product"]
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not cryptography
    businesses, observations = folder / "businesses.csv", folder / "observations.csv"
    with businesses.open("w", newline="", encoding="utf-8") as b, observations.open(
        "w", newline="", encoding="utf-8"
    ) as o:
        bw, ow = csv.writer(b), csv.writer(o)
        bw.writerow(["business", "name", "sector"])
        ow.writerow(["business", "metric", "value"])
        for i in range(n):
            business = f"b{i:06d}"
            bw.writerow([business, f"Business {i}", rng.choice(SECTORS)])
            for spec in rng.sample(specs, 20):
                if spec.is_boolean:
                    value = rng.choice(["true", "false"])
                else:
                    low = spec.minimum if spec.minimum is not None else 0.0
                    high = spec.maximum if spec.maximum is not None else max(low * 3, 600.0)
                    drawn = rng.uniform(low, high)
                    value = str(round(drawn)) if spec.datatype == "integer" else f"{drawn:.3f}"
                ow.writerow([business, spec.id, value])
    return [businesses, observations]


def measure(command: list[str], seconds: int, megabytes: int) -> dict[str, float | str]:
    """Run ``command`` bounded in time and address space: its CPU seconds (user + system, with
    the processes it waited for), wall seconds and peak RSS in MB, or ``error``."""

    def limit() -> None:
        cap = megabytes * 1024 * 1024
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        cap = cap if hard == resource.RLIM_INFINITY else min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - our own commands
            command, stdout=subprocess.DEVNULL, stderr=errors, preexec_fn=limit
        )
        timer = threading.Timer(seconds, process.kill)
        timer.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        if process.returncode != 0:
            errors.seek(0)
            tail = (errors.read().decode(errors="replace").strip().splitlines() or ["?"])[-1]
            return {"error": f"exit {process.returncode}: {tail}"}
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "wall_s": wall,
            "peak_mb": usage.ru_maxrss / 1024}


def dump_child(store: str, out: str) -> None:
    """Child: the store's quads as N-Quads (every graph)."""
    import pyoxigraph as ox

    ox.Store.read_only(store).dump(out, ox.RdfFormat.N_QUADS)


def peer_child(nquads: str, chunk_quads: int) -> None:
    """Child (the peer): bulk-load ``nquads`` into a new on-disk store, ``chunk_quads`` at a
    time, as the streamed run loads its chunks."""
    import pyoxigraph as ox

    with tempfile.TemporaryDirectory() as tmp, open(nquads, "rb") as lines:
        store = ox.Store(tmp)
        while True:
            chunk = b"".join(line for _, line in zip(range(chunk_quads), lines, strict=False))
            if not chunk:
                break
            store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)
        store.flush()


def one_size(n: int, args: argparse.Namespace, workers: tuple[int, ...]) -> list[dict]:
    """The streamed run(s) at ``n`` and the peer on what the first one wrote."""
    bounds = (args.time_limit, args.memory_limit)
    rows = []
    with tempfile.TemporaryDirectory(prefix="assess-bench-") as tmp:
        folder = Path(tmp)
        files = generate(n, folder)
        for count in workers:
            store = folder / f"store-{count}"
            command = [SERVICEKG, "assess", *map(str, files), "--store", str(store), "--stream",
                       "--format", "json", "--out", str(folder / f"report-{count}.json"),
                       "--workers", str(count)]
            found = {"n": n, "run": "assess --stream", "workers": count,
                     **measure(command, *bounds)}
            rows.append(found)
            print(json.dumps(found), flush=True)
        first = folder / f"store-{workers[0]}"
        if "error" in rows[0]:
            return rows
        nquads = folder / "written.nq"
        subprocess.run([sys.executable, __file__, "--dump", str(first), str(nquads)],  # noqa: S603
                       check=True)
        quads = sum(1 for _ in nquads.open("rb"))
        rows[0]["quads"] = quads
        chunk_quads = max(1, quads * args.chunk // n)
        command = [sys.executable, __file__, "--peer", str(nquads), str(chunk_quads)]
        peer = {"n": n, "run": "Store.bulk_load (peer)", "workers": 1, "quads": quads,
                **measure(command, *bounds)}
        rows.append(peer)
        print(json.dumps(peer), flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--workers-n", type=int, default=10000, help="N for --workers 2")
    parser.add_argument("--time-limit", type=int, default=2700, help="seconds per child")
    parser.add_argument("--memory-limit", type=int, default=12000, help="MB per child")
    parser.add_argument("--chunk", type=int, default=200, help="businesses per chunk")
    parser.add_argument("--dump", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--peer", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:
        dump_child(*args.dump)
        return 0
    if args.peer:
        peer_child(args.peer[0], int(args.peer[1]))
        return 0
    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores, load average {os.getloadavg()[0]:.1f} (shared: only the "
          "ratios within this run mean much)", flush=True)
    rows: list[dict] = []
    for n in args.sizes:
        rows += one_size(n, args, (1, 2) if n == args.workers_n else (1,))
    print(f"load average after: {os.getloadavg()[0]:.1f}\n")
    return report(rows, args, cores)


def report(rows: list[dict], args: argparse.Namespace, cores: int) -> int:
    """The table and one line per target."""
    print("| N | run | workers | CPU s | CPU ms/business | wall s | peak MB |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        if "error" in r:
            print(f"| {r['n']:,} | {r['run']} | {r['workers']} | {r['error']} | | | |")
            continue
        print(f"| {r['n']:,} | {r['run']} | {r['workers']} | {r['cpu_s']:.1f} "
              f"| {r['cpu_s'] * 1000 / r['n']:.2f} | {r['wall_s']:.1f} | {r['peak_mb']:,.0f} |")

    def find(n: int, run: str, workers: int = 1) -> dict | None:
        return next((r for r in rows if r["n"] == n and r["run"].startswith(run)
                     and r["workers"] == workers and "error" not in r), None)

    missed = 0

    def verdict(ok: bool) -> str:
        nonlocal missed
        missed += not ok
        return "met" if ok else "MISSED"

    print("\ntargets (ratios within this run):")
    for n in (10_000, 100_000):
        ours, peer = find(n, "assess"), find(n, "Store")
        if ours and peer:
            ratio = ours["cpu_s"] / peer["cpu_s"]
            print(f"  N={n:,}: CPU per business, assess --stream / bulk_load of its quads = "
                  f"{ours['cpu_s']:.1f} / {peer['cpu_s']:.1f} s = {ratio:.2f} (<= 1.5) "
                  f"{verdict(ratio <= 1.5)}")
        else:
            print(f"  N={n:,}: not measured")
    one, two = find(args.workers_n, "assess", 1), find(args.workers_n, "assess", 2)
    if one and two:
        ratio = two["cpu_s"] / one["cpu_s"]
        speedup = one["wall_s"] / two["wall_s"]
        claim = "" if cores >= 3 else f" (not claimed: {cores} cores < workers + 1)"
        print(f"  N={args.workers_n:,}: CPU per business, --workers 2 / one worker = "
              f"{ratio:.2f} (<= 1.1) {verdict(ratio <= 1.1)}; wall-clock speed-up "
              f"{speedup:.2f}{claim}")
    small, large = (find(1_000, "assess"), find(1_000, "Store")), (
        find(100_000, "assess"), find(100_000, "Store"))
    if all(small) and all(large):
        low = small[0]["peak_mb"] - small[1]["peak_mb"]
        high = large[0]["peak_mb"] - large[1]["peak_mb"]
        ratio = high / low if low > 0 else float("inf")
        print(f"  streamed peak - peer peak: N=100,000 {high:,.0f} MB, N=1,000 {low:,.0f} MB, "
              f"ratio {ratio:.2f} (<= 1.2) {verdict(ratio <= 1.2)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
