"""Benchmark: end-to-end assessment against raw durable-rules, for N synthetic businesses.

    .venv/bin/python bench/assess_bench.py [N ...] [--workers-n 10000] [--time-limit 2700]

Each measurement runs in a fresh child process, which generates N businesses with 20
observations each (two CSV files, the observations grouped by business), then times
`run_assessment` end to end: load and validate the CSV, fire the rules, rank, find root causes,
and write rules, observations and PROV-O assessments into the store. It reports businesses per
second and the child's peak memory (max RSS, read before the peer runs).

The peer ("raw durable-rules"), measured in the same child right after: the same businesses'
facts (read back from the same CSV), encoded as the engine encodes them (before the clock
starts), asserted one business per session into a bare copy of the rule book's own ruleset:
the same rules, each with the same compiled condition (sector thresholds, exceptions, the
guard) and the catch-all rule, every action doing nothing; each session is deleted. So the
peer does exactly durable-rules' part of our work, with nothing of ours
(`DurableEngine.bare_rate`). The ratio is ours / peer; the target is at least 0.5.

Each N up to `--memory-max` (default 10,000) is run in memory (`run_assessment`: the default
of `servicekg assess`); every N is also run streamed (`stream_assessment`: what
`servicekg assess --store DIR --stream` does: two passes over the files, a chunk of businesses at a
time, the graphs bulk-loaded into an on-disk store; the JSON report is not written, as the
in-memory run renders none). Peak memory is compared within each kind of run: the memory
target (N=100,000 within 1.2 x N=1,000) is about the streamed run, the only one that can hold
100,000 businesses (in memory they would take about 15 GB).

After the streamed runs, a child per streamed N bulk-loads as many synthetic quads as that run
left in its store into a new on-disk pyoxigraph store, in chunk-sized loads, and reports its
peak memory: the store's own floor (RocksDB keeps the index and filter blocks of its table
files in memory, so this grows with the quads), printed beside the streamed run's peak with how
much each grows from the smallest N to the largest.

Then N = `--workers-n` is assessed in memory with one worker and with `--workers 2` (each in
its own child, back to back) and the speed-up is printed (target: at least 1.7 on two cores).

Every child has a time limit (`--time-limit`, seconds, default 2700) and an address-space
limit (`--memory-limit`, MB, default 12000: the machine is shared); a child that runs out of
either is reported as such, not retried. The machine's load (`os.getloadavg`) is printed
before and after: on a shared machine only the ratios within one run mean much.
Nothing here is a unit test; run it by hand.
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
import time
from pathlib import Path

SECTORS = ["fast-food", "restaurant", "retail", "accountancy", "theme-park", "call-centre",
           "manufacturing", "hospitality"]


def generate(n: int, folder: Path, seed: int = 7) -> list[Path]:
    """Write businesses.csv and observations.csv for ``n`` businesses (20 metrics each)."""
    from servicekg.graph.catalogue import MetricCatalogue
    from servicekg.knowledge_base import KnowledgeBase

    catalogue = MetricCatalogue.from_kb(KnowledgeBase.with_ontology())
    specs = [s for s in catalogue if s.id != "rude_service_is_the_product"]
    rng = random.Random(seed)
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
                    value = f"{rng.uniform(low, high):.3f}"
                ow.writerow([business, spec.id, value])
    return [businesses, observations]


def peer_facts(files: list[Path]) -> list[tuple[dict[str, float | bool], str]]:
    """The generated businesses as the engine takes them: metric -> value, and the sector."""
    sectors = {row["business"]: row["sector"] for row in csv.DictReader(files[0].open())}
    facts: dict[str, dict[str, float | bool]] = {}
    for row in csv.DictReader(files[1].open()):
        value = row["value"]
        facts.setdefault(row["business"], {})[row["metric"]] = (
            value == "true" if value in ("true", "false") else float(value)
        )
    return [(found, sectors[business]) for business, found in facts.items()]


def child(n: int, workers: int, peer: bool, streamed: bool) -> dict[str, object]:
    """Run in a fresh process: generate, time the assessment, then (if asked) the peer."""
    from servicekg.assessment.pipeline import run_assessment
    from servicekg.assessment.pipeline import stream_assessment
    from servicekg.rules import load_rules

    with tempfile.TemporaryDirectory() as tmp:
        files = generate(n, Path(tmp))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        quads = None
        if streamed:
            done = stream_assessment(files, Path(tmp) / "store", workers=workers)
            count, failed = done.businesses, len(done.failed)
            quads = len(done.kb)  # after the peak is read below: counting costs no memory
        else:
            run = run_assessment(files, workers=workers)
            count, failed = len(run.report.businesses), len(run.report.failed)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if count != n or failed:
            raise SystemExit(f"expected {n} assessed businesses, none failed")
        result: dict[str, object] = {
            "n": n,
            "mode": "streamed" if streamed else "memory",
            "workers": workers,
            "seconds": round(seconds, 2),
            "businesses_per_second": round(n / seconds, 1),
            "peak_rss_mb": round(peak, 1),
            "rss_before_mb": round(before, 1),
        }
        if quads is not None:
            result["quads"] = quads
        run = done = None  # type: ignore[assignment]
        if peer:
            book = load_rules()
            result["peer_per_second"] = round(book.engine.bare_rate(peer_facts(files)), 1)
            result["ratio"] = round(n / seconds / result["peer_per_second"], 3)
    return result


def store_child(quads: int) -> dict[str, object]:
    """Run in a fresh process: bulk-load ``quads`` synthetic quads into a new on-disk
    pyoxigraph store, in loads the size of a streamed run's chunks (200 businesses of about 315
    quads, ten quads per subject), and report the peak memory: what the store itself needs to
    hold that many quads, the floor under a streamed run's memory."""
    import pyoxigraph as ox

    graph = "<https://w3id.org/servicekg/graph/assessments>"
    decimal = "<http://www.w3.org/2001/XMLSchema#decimal>"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as tmp:
        store = ox.Store(tmp)
        chunk, done = 200 * 315, 0
        while done < quads:
            lines = [
                f"<https://example.org/s/{q // 10}> <https://example.org/p/{q % 12}> "
                + (f'"{q % 997}.5"^^{decimal}' if q % 3 else f"<https://example.org/o/{q % 5000}>")
                + f" {graph} .\n"
                for q in range(done, min(done + chunk, quads))
            ]
            store.bulk_load("".join(lines).encode(), format=ox.RdfFormat.N_QUADS, lenient=True)
            done += len(lines)
        store.flush()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"quads": quads, "mode": "store alone", "peak_rss_mb": round(peak, 1),
            "rss_before_mb": round(before, 1)}


def run_child(
    n: int, workers: int, peer: bool, streamed: bool, seconds: int, megabytes: int
) -> dict[str, object]:
    """One measurement in a child process, bounded in time and address space."""
    command = [sys.executable, __file__, str(n), "--workers", str(workers), "--child"]
    if peer:
        command.append("--peer")
    if streamed:
        command.append("--streamed")
    mode = "streamed" if streamed else "memory"
    return _bounded(command, {"n": n, "mode": mode, "workers": workers}, seconds, megabytes)


def _bounded(
    command: list[str], label: dict[str, object], seconds: int, megabytes: int
) -> dict[str, object]:
    """Run ``command`` bounded in time and address space; its last line of JSON, or ``label``
    with the error."""

    def limit() -> None:
        cap = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds, preexec_fn=limit, check=False
        )
    except subprocess.TimeoutExpired:
        return {**label, "error": f"over {seconds} s"}
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {**label, "error": f"exit {done.returncode}: {tail}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--memory-max", type=int, default=10000, help="largest N run in memory")
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--workers-n", type=int, default=10000, help="N for the workers test")
    parser.add_argument("--time-limit", type=int, default=2700, help="seconds per child")
    parser.add_argument("--memory-limit", type=int, default=12000, help="MB per child")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--peer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--streamed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--store-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.store_child is not None:
        print(json.dumps(store_child(args.store_child)))
        return
    if args.child:
        print(json.dumps(child(args.sizes[0], args.workers, args.peer, args.streamed)))
        return
    print(f"load average before: {os.getloadavg()}", flush=True)
    limits = (args.time_limit, args.memory_limit)
    results = []
    for n in args.sizes:
        if n <= args.memory_max:
            results.append(run_child(n, 1, True, False, *limits))
            print(json.dumps(results[-1]), flush=True)
    pair = []
    if args.workers_n:
        for workers in (1, 2):
            pair.append(run_child(args.workers_n, workers, False, False, *limits))
            print(json.dumps(pair[-1]), flush=True)
    for n in args.sizes:
        results.append(run_child(n, 1, True, True, *limits))
        print(json.dumps(results[-1]), flush=True)
    floors = {}
    for r in results:
        if r.get("mode") == "streamed" and "quads" in r:
            command = [sys.executable, __file__, "--store-child", str(r["quads"])]
            floors[r["n"]] = _bounded(command, {"quads": r["quads"]}, *limits)
            print(json.dumps(floors[r["n"]]), flush=True)
    print(f"load average after: {os.getloadavg()}\n")
    print("| N | run | workers | businesses/s | peer (bare durable-rules)/s | ratio | peak memory |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for r in [*results, *pair]:
        if "error" in r:
            print(f"| {r['n']:,} | {r['mode']} | {r['workers']} | {r['error']} | | | |")
            continue
        peer = f"{r['peer_per_second']:,.0f}" if "peer_per_second" in r else "-"
        ratio = f"{r['ratio']:.2f}" if "ratio" in r else "-"
        memory = f"{r['peak_rss_mb']:,.0f} MB"
        base = next(
            (b for b in results if b.get("mode") == r["mode"] and "error" not in b), None
        )
        if base is not None and r in results:
            memory += f" ({r['peak_rss_mb'] / base['peak_rss_mb']:.2f} x N={base['n']:,})"
        print(f"| {r['n']:,} | {r['mode']} | {r['workers']} | {r['businesses_per_second']:,.0f} "
              f"| {peer} | {ratio} | {memory} |")
    _print_floors(results, floors)
    if len(pair) == 2 and all("error" not in r for r in pair):
        speedup = pair[1]["businesses_per_second"] / pair[0]["businesses_per_second"]
        print(f"\n--workers 2 at N={args.workers_n:,}: {speedup:.2f} x one worker")


def _print_floors(
    results: list[dict[str, object]], floors: dict[object, dict[str, object]]
) -> None:
    """The streamed runs' peak memory beside the store's own for the same number of quads."""
    rows = [(r, floors[r["n"]]) for r in results
            if r.get("mode") == "streamed" and "error" not in floors.get(r["n"], {"error": 1})]
    if not rows:
        return
    print("\n| N | quads in the store | streamed run: peak | the store alone: peak |")
    print("|---:|---:|---:|---:|")
    for run, floor in rows:
        print(f"| {run['n']:,} | {run['quads']:,} | {run['peak_rss_mb']:,.0f} MB "
              f"| {floor['peak_rss_mb']:,.0f} MB |")
    (first, low), (last, high) = rows[0], rows[-1]
    grown = last["peak_rss_mb"] - first["peak_rss_mb"]
    store = high["peak_rss_mb"] - low["peak_rss_mb"]
    print(f"\nfrom N={first['n']:,} to N={last['n']:,} the streamed run's peak grows "
          f"{grown:,.0f} MB; the store alone, loading as many quads, grows {store:,.0f} MB")


if __name__ == "__main__":
    main()
