"""Hostile input is refused within seconds and bounded memory (issue 12).

    python bench/bench_hostile.py [--runs 5]

Times `validate` in a fresh process on each input, interleaved, and reports its
median wall time and peak memory (maximum resident set size) next to the baseline, `validate`
of the packaged seed data:

- a YAML alias bomb of under 600 bytes ("billion laughs", 9^9 items once expanded);
- the same bomb with NEL before each anchor (which YAML reads as a line break);
- a 1 MB workbook that inflates to 1 GiB (a zip bomb);
- a 0.6 MB workbook of 400 parts of 1 MB inflated, each below the size from which a part's own ratio counts.

Targets: each bomb exits 1 within 10 s, with memory no larger than the baseline's order.
The bombs are the ones tests/test_hostile_input.py builds.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import ENV, ROOT, compile_package

TARGET_SECONDS = 10


def _hostile_module():
    """tests/test_hostile_input.py, for its bombs (one builder for the tests and the bench)."""
    sys.path.insert(0, str(ROOT / "tests"))
    spec = importlib.util.spec_from_file_location("hostile_input", ROOT / "tests" / "test_hostile_input.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_once(argv: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, peak resident memory in MiB, exit code) of one fresh process."""
    start = time.perf_counter()
    env = {**ENV, "STAKEHOLDER_GRAPH_NO_CACHE": "1"}  # the bombs are never cached; nor is the baseline
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    hostile = _hostile_module()
    cli = [sys.executable, "-m", "stakeholder_graph"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        alias = work / "alias"
        alias.mkdir()
        (alias / "sources.yaml").write_text(hostile.MINIMAL_SOURCES, encoding="utf-8")
        (alias / "actors.yaml").write_text(hostile.ALIAS_BOMB, encoding="utf-8")
        nel = work / "nel"
        nel.mkdir()
        (nel / "sources.yaml").write_text(hostile.MINIMAL_SOURCES, encoding="utf-8")
        (nel / "actors.yaml").write_text(hostile.NEL_BOMB, encoding="utf-8")
        bomb = work / "records.xlsx"
        hostile.zip_bomb_workbook(bomb)
        many = work / "many.xlsx"
        hostile.many_parts_bomb(many)
        cases = {
            "baseline: validate the seed data": (cli + ["validate"], ROOT, 0),
            f"alias bomb ({len(hostile.ALIAS_BOMB.encode())} bytes)": (cli + ["--data", str(alias), "validate"], work, 1),
            f"alias bomb after NEL ({len(hostile.NEL_BOMB.encode())} bytes)":
                (cli + ["--data", str(nel), "validate"], work, 1),
            f"zip bomb ({bomb.stat().st_size / 1e6:.1f} MB, 1 GiB inflated)":
                (cli + ["--data", str(bomb), "validate"], work, 1),
            f"zip bomb of 400 parts ({many.stat().st_size / 1e6:.1f} MB, 400 MB inflated)":
                (cli + ["--data", str(many), "validate"], work, 1),
        }
        compile_package()
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, (argv, cwd, expected) in cases.items():
                seconds, mib, code = run_once(argv, cwd)
                if code != expected:
                    raise SystemExit(f"{name}: exit {code}, expected {expected}")
                results[name].append((seconds, mib))
    base_seconds = statistics.median(s for s, _ in results["baseline: validate the seed data"])
    base_mib = statistics.median(m for _, m in results["baseline: validate the seed data"])
    print(f"validate in a fresh process, median of {args.runs} interleaved runs")
    worst = 0.0
    for name, rows in results.items():
        seconds = statistics.median(s for s, _ in rows)
        mib = statistics.median(m for _, m in rows)
        if not name.startswith("baseline"):
            worst = max(worst, max(s for s, _ in rows))
        print(f"  {name:<56} {seconds:6.2f} s ({seconds / base_seconds:4.2f}x)   "
              f"peak {mib:6.0f} MiB ({mib / base_mib:4.2f}x)   exit {cases[name][2]}")
    print(f"target: each bomb refused within {TARGET_SECONDS} s: "
          f"{'met' if worst < TARGET_SECONDS else 'NOT met'} (slowest run {worst:.2f} s)")


if __name__ == "__main__":
    main()
