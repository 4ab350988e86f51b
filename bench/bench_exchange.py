"""The standards exchange (issue 16): what the seed data becomes in HSDS 3.0 and FollowTheMoney,
and how long export and read-back take, beside the JSON export and load in the same run.

    python bench/bench_exchange.py [--actors 20000 --services 60000 --places 300 --runs 3]

1. The seed data (audience public): rows per HSDS table, entities per FtM schema, and whether
   an HSDS export read back and exported again gives the same bytes.
2. A generated graph: seconds (median of --runs) to export it as HSDS and as FtM, and to read
   the HSDS folder back with full validation, beside `export --to json` and loading that JSON
   (the baseline: our own format, the same records).
"""
from __future__ import annotations

import argparse
import collections
import filecmp
import json
import tempfile
from pathlib import Path

from stakeholder_graph import open_graph
from stakeholder_graph.exports import export
from stakeholder_graph.exports.hsds import hsds_files
from stakeholder_graph.exports.snapshot import snapshot
from stakeholder_graph.loaders import load

from generate import add_size_options, generate_graph
from timing import call_median


def ftm_counts(path: Path) -> collections.Counter:
    return collections.Counter(json.loads(line)["schema"] for line in path.read_text(encoding="utf-8").splitlines())


def seed_figures(out: Path) -> None:
    g = open_graph()
    snap = snapshot(g)
    _, rows = hsds_files(snap)
    print(f"seed data, audience public: {len(snap.graph.G)} records, {snap.graph.G.number_of_edges()} relations, "
          f"{len(snap.sources)} sources")
    print("\nHSDS table                  rows")
    for table, n in rows.items():
        print(f"{table:<24} {n:7}")
    first, second = out / "seed.hsds", out / "again.hsds"
    export(snap, "hsds", first)
    export(snapshot(open_graph([first])), "hsds", second)
    names = sorted(p.name for p in first.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    print(f"\nround trip (export, read back, export): {len(names)} files, "
          f"{'identical' if not mismatch and not errors else f'DIFFERENT: {mismatch + errors}'}")
    export(snap, "ftm", out / "seed.ftm.json")
    counts = ftm_counts(out / "seed.ftm.json")
    print("\nFtM schema                 entities")
    for schema, n in sorted(counts.items()):
        print(f"{schema:<24} {n:7}")
    print(f"{'all':<24} {sum(counts.values()):7}")


def scale_figures(out: Path, actors: int, services: int, places: int, runs: int) -> None:
    g = generate_graph(actors=actors, services=services, places=places)
    snap = snapshot(g)
    print(f"\ngenerated graph: {len(snap.graph.G)} records, {snap.graph.G.number_of_edges()} relations; "
          f"median of {runs} runs")
    paths = {"json": out / "big.json", "hsds": out / "big.hsds", "ftm": out / "big.ftm.json"}
    print("\nexport        seconds")
    for fmt, path in paths.items():
        seconds = call_median(lambda: export(snapshot(g), fmt, path), runs)
        print(f"{fmt:<12} {seconds:8.2f}" + ("   (baseline)" if fmt == "json" else ""))
    print("\nread back     seconds   records + relations")
    for fmt in ("json", "hsds"):
        dataset = load([paths[fmt]], max_file_mb=2000)  # the JSON export of this graph is above 50 MB
        assert not dataset.problems.errors, dataset.problems.errors[:3]
        seconds = call_median(lambda: load([paths[fmt]], max_file_mb=2000), runs)
        print(f"{fmt:<12} {seconds:8.2f}   {len(dataset.nodes) + len(dataset.edges):,}"
              + ("   (baseline)" if fmt == "json" else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_size_options(parser)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seed_figures(Path(tmp))
        scale_figures(Path(tmp), args.actors, args.services, args.places, args.runs)


if __name__ == "__main__":
    main()
