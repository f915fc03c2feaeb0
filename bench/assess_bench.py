"""Benchmark: end-to-end assessment against raw durable-rules, for N synthetic businesses.

    .venv/bin/python bench/assess_bench.py [N ...] [--workers 2]

For each N (default 1000 10000 100000) a child process generates N businesses with about 20
observations each (CSV), then times `run_assessment` (load and validate the CSV, fire the
rules, rank, find root causes, write observations, rules and assessments into the store) and
reports businesses per second and its peak memory (max RSS). In the same run it measures the
raw durable-rules rate: the same number of facts posted to a bare ruleset of as many
one-condition rules as the rule book has (`raw_rate_benchmark`). Ratios are printed against
that peer. Nothing here is a unit test; run it by hand.
"""

from __future__ import annotations

import argparse
import csv
import json
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
    """Write businesses.csv and observations.csv for ``n`` businesses (about 20 metrics each)."""
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


def child(n: int, workers: int) -> dict[str, float]:
    """Run in a fresh process: generate, then time the assessment and the raw peer."""
    from servicekg.assessment.session import run_assessment
    from servicekg.rules import load_rules
    from servicekg.rules.adapter import raw_rate_benchmark

    with tempfile.TemporaryDirectory() as tmp:
        files = generate(n, Path(tmp))
        base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        run = run_assessment(files, workers=workers)
        seconds = time.perf_counter() - start
        assert len(run.report.businesses) == n
        failed = len(run.report.failed)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rules = len(load_rules())
    raw = raw_rate_benchmark(n, 20, n_rules=rules)
    return {
        "n": n,
        "workers": workers,
        "seconds": round(seconds, 2),
        "businesses_per_second": round(n / seconds, 1),
        "raw_durable_per_second": round(raw, 1),
        "ratio_to_raw": round((n / seconds) / raw, 3),
        "peak_rss_mb": round(peak_mb, 1),
        "rss_before_mb": round(base_rss / 1024, 1),
        "failed": failed,
        "rules": rules,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.sizes[0], args.workers)))
        return
    results = []
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, str(n), "--workers", str(args.workers), "--child"],
            check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
        results.append(json.loads(out))
        print(json.dumps(results[-1]), flush=True)
    smallest = results[0]["peak_rss_mb"]
    for r in results:
        print(f"N={r['n']:>7}: {r['businesses_per_second']:>8} businesses/s "
              f"({r['ratio_to_raw']:.2f} x raw durable {r['raw_durable_per_second']}/s), "
              f"peak {r['peak_rss_mb']} MB ({r['peak_rss_mb'] / smallest:.2f} x N={results[0]['n']})")


if __name__ == "__main__":
    main()
