"""Timing helpers shared by the benchmarks: medians of repeated runs, interleaved with a baseline."""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_seconds(argv: list[str]) -> float:
    """Wall time of one cold process; fails loudly if it fails."""
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def side_by_side(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command; runs are interleaved so machine noise hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(run_seconds(argv))
    return {name: statistics.median(t) for name, t in times.items()}


def call_median(func, runs: int) -> float:
    """Median seconds of calling func() in this process."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


PYTHON = sys.executable
BASELINE = [PYTHON, "-c", "import networkx, yaml, click"]
CLI = [PYTHON, "-m", "stakeholder_graph"]  # the installed package, as `stakeholder-graph`
