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
    from servicekg.catalogue import MetricCatalogue
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
    from servicekg.assessment.session import run_assessment
    from servicekg.assessment.stream import stream_assessment
    from servicekg.rules import load_rules

    with tempfile.TemporaryDirectory() as tmp:
        files = generate(n, Path(tmp))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        if streamed:
            done = stream_assessment(files, Path(tmp) / "store", workers=workers)
            count, failed = done.businesses, len(done.failed)
        else:
            run = run_assessment(files, workers=workers)
            count, failed = len(run.report.businesses), len(run.report.failed)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if count != n or failed:
            raise SystemExit(f"expected {n} assessed businesses, none failed")
        run = done = None  # type: ignore[assignment]
        result: dict[str, object] = {
            "n": n,
            "mode": "streamed" if streamed else "memory",
            "workers": workers,
            "seconds": round(seconds, 2),
            "businesses_per_second": round(n / seconds, 1),
            "peak_rss_mb": round(peak, 1),
            "rss_before_mb": round(before, 1),
        }
        if peer:
            book = load_rules()
            result["peer_per_second"] = round(book.engine.bare_rate(peer_facts(files)), 1)
            result["ratio"] = round(n / seconds / result["peer_per_second"], 3)
    return result


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

    def limit() -> None:
        cap = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds, preexec_fn=limit, check=False
        )
    except subprocess.TimeoutExpired:
        return {"n": n, "mode": mode, "workers": workers, "error": f"over {seconds} s"}
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"n": n, "mode": mode, "workers": workers, "error": f"exit {done.returncode}: {tail}"}
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
    args = parser.parse_args()
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
    if len(pair) == 2 and all("error" not in r for r in pair):
        speedup = pair[1]["businesses_per_second"] / pair[0]["businesses_per_second"]
        print(f"\n--workers 2 at N={args.workers_n:,}: {speedup:.2f} x one worker")


if __name__ == "__main__":
    main()
