"""Cold start of the CLI on the seed data, side by side with importing its three libraries.

    python bench/bench_cli.py [--runs 15]

The CLI caches parsed data and the graph built from it between runs (loaders/cache.py); the
first run after a data change parses and builds afresh, which the "cache disabled" line measures.

Targets (issue 15): `stats` and `who --population children --place Niš` at most 1.2x the median
of `python -c "import networkx, yaml, click"`; `--help` imports neither pyvis, neo4j nor matplotlib.
"""
from __future__ import annotations

import argparse
import subprocess

from timing import BASELINE, CLI, PYTHON, ROOT, side_by_side

HEAVY = ("pyvis", "neo4j", "matplotlib", "openpyxl", "playwright")


def heavy_imports_of_help() -> list[str]:
    code = (
        "import sys\nfrom stakeholder_graph.cli import cli\n"
        "try:\n    cli.main(['--help'], prog_name='stakeholder-graph')\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [m for m in out.rsplit("HEAVY:", 1)[1].strip().split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    cli = CLI
    nocache = [PYTHON, "-c", "import os; os.environ['STAKEHOLDER_GRAPH_NO_CACHE'] = '1'; "
               "from stakeholder_graph.cli import main; import sys; sys.argv = ['stakeholder-graph', 'stats']; main()"]
    medians = side_by_side({
        "baseline: import networkx, yaml, click": BASELINE,
        "stakeholder-graph stats": cli + ["stats"],
        "stakeholder-graph who --population children --place Niš": cli + ["who", "--population", "children", "--place", "Niš"],
        "stakeholder-graph --help": cli + ["--help"],
        "stakeholder-graph stats, load cache disabled": nocache,
    }, args.runs)
    base = medians["baseline: import networkx, yaml, click"]
    print(f"cold start, median of {args.runs} interleaved runs")
    for name, seconds in medians.items():
        print(f"  {name:60s} {seconds * 1000:7.0f} ms   {seconds / base:4.2f}x baseline")
    heavy = heavy_imports_of_help()
    print(f"  --help imports heavy libraries: {', '.join(heavy) if heavy else 'none'}")
    worst = max(medians["stakeholder-graph stats"], medians["stakeholder-graph who --population children --place Niš"]) / base
    print(f"target <= 1.20x: {'met' if worst <= 1.2 else 'NOT met'} (worst {worst:.2f}x)")


if __name__ == "__main__":
    main()
