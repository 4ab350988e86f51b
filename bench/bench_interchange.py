"""Export and load speed on a generated graph of 20,000 actors, 60,000 services and 300 places.

    python bench/bench_interchange.py [--actors 20000 --services 60000 --places 300 --runs 3]

Export: the whole graph (audience public, as `export` does by default) to each format,
seconds (median of --runs) and size in MB. Load: the same records from YAML (PyYAML's C
loader), CSV and XLSX (the xlsx export, which loads back), through loaders.load with full
validation; records per second (records = nodes plus relation rows), median of --runs.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from stakeholder_graph.exports import FORMATS, export
from stakeholder_graph.exports.gephi import positions
from stakeholder_graph.exports.snapshot import snapshot
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.loaders import load
from stakeholder_graph.queries.selection import Filters

from generate import add_size_options, generate_records, write_csv, write_yaml
from timing import call_median


def size_mb(path: Path) -> float:
    files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
    return sum(p.stat().st_size for p in files) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_size_options(parser)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    nodes, edges = generate_records(args.actors, args.services, args.places)
    g = StakeholderGraph.from_records(nodes, edges)
    print(f"generated {len(g.G)} nodes, {g.G.number_of_edges()} edges; median of {args.runs} runs")

    start = time.perf_counter()
    snap = snapshot(g)  # audience public, as `export` by default
    print(f"snapshot (audience public): {len(snap.graph.G)} records, "
          f"{snap.graph.G.number_of_edges()} relations in {time.perf_counter() - start:.2f} s")
    layout = call_median(lambda: positions(snap.graph), args.runs)
    print(f"layout for GEXF (geographic above {len(snap.graph.G)} nodes): {layout:.2f} s")

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        print("\nexport      seconds      MB")
        for fmt in FORMATS:
            path = out / (f"export.{fmt}" if fmt != "csv" else "export-csv")
            seconds = call_median(lambda: export(snapshot(g), fmt, path), args.runs)
            print(f"{fmt:<10} {seconds:8.2f} {size_mb(path):8.1f}")

        write_yaml(out / "yaml", nodes, edges)
        write_csv(out / "csv", nodes, edges)
        export(snapshot(g, Filters(audience="internal")), "xlsx", out / "records.xlsx")  # every record, loads back
        rows = len(nodes) + len(edges)
        print(f"\nload ({len(nodes)} records + {len(edges)} relation rows, validated)")
        print("format      seconds   records/s")
        for name, path in (("yaml", out / "yaml"), ("csv", out / "csv"), ("xlsx", out / "records.xlsx")):
            dataset = load([path])
            assert not dataset.problems.errors, dataset.problems.errors[:3]
            seconds = call_median(lambda: load([path]), args.runs)
            print(f"{name:<10} {seconds:8.2f} {rows / seconds:11,.0f}")


if __name__ == "__main__":
    main()
