"""Benchmark: how long a person waits for a ``servicekg`` command, cold, against a bare process.

    .venv/bin/python bench/cli_bench.py [--runs 10] [--examples examples/]

Each command is started as a fresh process ``--runs`` times (default 10), interleaved with the
same number of runs of the peer, ``python -c "import pyoxigraph, click"`` (the least any
command of ours can cost: the interpreter, the store engine and the CLI library). Round k runs
the peer, then every command once, so that a slow moment of a shared machine hits all of them
alike. One untimed round comes first, with Python allowed to write its bytecode caches
(``PYTHONDONTWRITEBYTECODE`` is removed from the commands' environment), so that every process
starts as it would on a user's machine after the first run: the peer's libraries have theirs
from pip, and compiling our modules again in every run would measure the compiler. Printed:
the median wall time of each, its ratio to the peer's median, the target of issue 16 and
``met`` or ``MISSED``; exit code 0 when every target is met, 1 otherwise.

Targets (median ratio to the peer): ``servicekg --version`` <= 2x; ``query 'ASK {}'`` and
``rules list`` <= 4x; ``assess examples/`` <= 6x. Output goes to /dev/null; a command that
fails stops the run (exit code 2). Not a unit test; run it by hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER = "bare: python -c 'import pyoxigraph, click'"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The commands' environment: bytecode caches written, as by default."""


def commands(examples: Path) -> dict[str, tuple[list[str], float | None]]:
    """Name -> (argv, target ratio to the peer); the peer's target is None."""
    python = sys.executable
    servicekg = str(Path(python).with_name("servicekg"))
    return {
        PEER: ([python, "-c", "import pyoxigraph, click"], None),
        "servicekg --version": ([servicekg, "--version"], 2.0),
        "servicekg query 'ASK {}'": ([servicekg, "query", "ASK {}"], 4.0),
        "servicekg rules list": ([servicekg, "rules", "list"], 4.0),
        f"servicekg assess {examples.name}/": ([servicekg, "assess", str(examples)], 6.0),
    }


def run_once(argv: list[str]) -> float:
    """Seconds of wall time for one run; stops the benchmark if the command fails."""
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own commands
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=ENV
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(f"{' '.join(argv)} failed ({done.returncode}):\n")
        sys.stderr.write(done.stderr.decode(errors="replace")[-2000:])
        sys.exit(2)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="cold runs of each (median)")
    parser.add_argument("--examples", type=Path, default=ROOT / "examples")
    args = parser.parse_args()
    table = commands(args.examples)
    times: dict[str, list[float]] = {name: [] for name in table}
    for argv, _target in table.values():  # untimed: bytecode caches written
        run_once(argv)
    for _ in range(args.runs):
        for name, (argv, _target) in table.items():
            times[name].append(run_once(argv))
    peer = statistics.median(times[PEER])
    width = max(len(name) for name in table)
    print(f"cold start, median of {args.runs} interleaved runs (wall time)")
    print(f"{'command'.ljust(width)} {'median s':>9} {'x peer':>7} {'target':>7}")
    missed = 0
    for name, (_argv, target) in table.items():
        median = statistics.median(times[name])
        ratio = median / peer
        verdict = ""
        if target is not None:
            ok = ratio <= target
            missed += not ok
            verdict = f"<= {target:g}x {'met' if ok else 'MISSED'}"
        print(f"{name.ljust(width)} {median:9.3f} {ratio:7.2f} {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
