"""Timing helpers shared by the benchmarks: medians of repeated runs, interleaved with a baseline."""
from __future__ import annotations

import compileall
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# cold starts are timed as an installed package runs: with its bytecode compiled (pip compiles
# a wheel's modules when it installs them), whatever PYTHONDONTWRITEBYTECODE says here
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_package() -> None:
    """Write the package's bytecode, as `pip install` of the wheel does."""
    compileall.compile_dir(ROOT, quiet=1, rx=re.compile(r"[/\\](\.venv|tests|bench|build|dist|\.git)[/\\]"))


def run_seconds(argv: list[str], ok_codes: tuple[int, ...] = (0,)) -> float:
    """Wall time of one cold process; fails loudly if it exits with another code."""
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    if done.returncode not in ok_codes:
        raise subprocess.CalledProcessError(done.returncode, argv)
    return time.perf_counter() - start


def side_by_side(commands: dict[str, list[str]], runs: int, ok_codes: tuple[int, ...] = (0,)) -> dict[str, float]:
    """Median wall time of each command, the package's bytecode compiled first; runs are
    interleaved so machine noise hits all alike, after one warm-up run of each."""
    compile_package()
    for argv in commands.values():
        run_seconds(argv, ok_codes)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(run_seconds(argv, ok_codes))
    return {name: statistics.median(t) for name, t in times.items()}


def timed(func) -> tuple[float, object]:
    """(seconds, result) of calling func() once in this process."""
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


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
