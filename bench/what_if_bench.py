"""Benchmark: what-if latency on a knowledge base of N synthetic businesses.

    prlimit --as=12000000000 -- .venv/bin/python bench/what_if_bench.py [N] [--what-ifs 100]

Generates N businesses as bench/assess_bench.py does (20 observations each, seed 7), assesses
them into an in-memory knowledge base (`run_assessment`, what `servicekg assess` does), then
times what-ifs on businesses picked at random among those with recommendations: each sets
the metric of the business's first recommendation to its target (so something moves) and
re-assesses, writing nothing (what `servicekg what-if` and the server's what-if route do).
The rules are read once for all what-ifs, as the server does.

It prints one JSON line: the assessment time of the whole base per business, the median and
95th percentile what-if latency, and the check that the store is unchanged. A what-if should
cost about one business's assessment, not a reload of the knowledge base. Nothing here is a
unit test; run it by hand.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from assess_bench import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--what-ifs", type=int, default=100)
    args = parser.parse_args()

    from servicekg.assessment.pipeline import run_assessment
    from servicekg.engagement.from_kb import Engagement
    from servicekg.engagement.what_if import bad_metrics, targets

    with tempfile.TemporaryDirectory() as tmp:
        files = generate(args.n, Path(tmp))
        start = time.perf_counter()
        run = run_assessment(files)
        assessed = time.perf_counter() - start
    kb = run.kb
    quads_before = len(kb)
    engagement = Engagement(kb)
    rules = engagement.context.book.rules
    rng = random.Random(11)  # noqa: S311 (a benchmark sample, not a secret)
    candidates = [b for b in run.report.businesses if b.recommendations]
    chosen = rng.sample(candidates, min(args.what_ifs, len(candidates)))
    engagement.what_if(chosen[0].business, {})  # the rules are read once, before the clock
    latencies = []
    moved = 0
    for business in chosen:
        metric = bad_metrics(business)[0]
        change = targets([metric], rules, business.sector or "")
        start = time.perf_counter()
        result = engagement.what_if(business.business, change)
        latencies.append(time.perf_counter() - start)
        moved += bool(result.disappear)
    latencies.sort()
    print(
        json.dumps(
            {
                "businesses": args.n,
                "what_ifs": len(latencies),
                "assessment_seconds": round(assessed, 2),
                "assessment_ms_per_business": round(1000 * assessed / args.n, 3),
                "what_if_median_ms": round(1000 * statistics.median(latencies), 2),
                "what_if_p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 2),
                "what_ifs_that_moved_something": moved,
                "store_unchanged": len(kb) == quads_before,
            }
        )
    )


if __name__ == "__main__":
    main()
