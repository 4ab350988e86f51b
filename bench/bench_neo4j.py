"""Benchmark the Neo4j sync against a local Bolt server.

    python bench/bench_neo4j.py                       # starts its own ArcadeDB Bolt server
    python bench/bench_neo4j.py --repeat 3 --actors 20000 --services 60000
    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... python bench/bench_neo4j.py --server env
        (uses databases named sgbench*, which must exist there; they are emptied first)

Measures, on the generated graph (bench/generate.py; 20,000 actors / 60,000 services / 300
places by default, about 80k nodes and 220k relationships):

1. a full push into an empty database (entities per second), then a push with nothing changed;
2. batched push (UNWIND, --batch-size 5000) against one statement and one transaction per
   record (batch size 1), side by side on the same 2,000-record subset (the first 2,000 records
   and the relations among them), each into a database emptied after a first push (so the
   one-time creation of constraints and types is not timed), repeated; the ratio of the
   medians must be at least 20 (after one unmeasured round of each);
3. pull of the full graph back: `open_graph(server)`, read and validated like files (seconds,
   entities per second).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from stakeholder_graph import open_graph
from stakeholder_graph.exports.neo4j import DEFAULT_BATCH_SIZE, push, run_cypher
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.loaders.bolt.connection import ConnectionSettings

from generate import add_size_options, generate_graph
from timing import timed

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))  # the tests' ArcadeDB launcher, tests/bolt_server.py


def entities(g: StakeholderGraph) -> int:
    return g.G.number_of_nodes() + g.G.number_of_edges()


def subset(g: StakeholderGraph, records: int) -> StakeholderGraph:
    """The first `records` records and the relations among them."""
    keep = list(g.G.nodes)[:records]
    return StakeholderGraph(g.G.subgraph(keep).copy())


class Databases:
    """Fresh, empty databases: created on the bench's own ArcadeDB server, or emptied on yours."""

    def __init__(self, server_mode: str, tmp: Path):
        self.server = None
        self.count = 0
        if server_mode == "arcadedb":
            from bolt_server import BoltServer

            self.server = BoltServer(tmp / "arcadedb").start()
            self.base = ConnectionSettings(self.server.uri, "root", self.server.password)
            self.banner = self.server.version()
        else:
            self.base = ConnectionSettings.from_env()
            self.banner = "(your server)"

    def fresh(self) -> ConnectionSettings:
        self.count += 1
        name = f"sgbench{self.count}"
        if self.server:
            self.server.create_database(name)
        settings = ConnectionSettings(self.base.uri, self.base.username, self.base.password, name)
        if not self.server:  # someone else's server: empty the database named sgbenchN
            run_cypher(settings, "MATCH (n) DETACH DELETE n", write=True)
        return settings

    def prepared(self, g: StakeholderGraph) -> ConnectionSettings:
        """A database that has held `g` (so its constraints, labels and relationship types
        exist, as on any server after the first push) but holds no data now."""
        settings = self.fresh()
        push(g, settings, audience="internal")
        run_cypher(settings, "MATCH (n) DETACH DELETE n", write=True)
        assert run_cypher(settings, "MATCH (n) RETURN count(n) AS n")[1] == [{"n": 0}]
        return settings

    def close(self) -> None:
        if self.server:
            self.server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_size_options(parser)
    parser.add_argument("--subset", type=int, default=2000, help="records in the batched-vs-single comparison")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of the subset comparison and the pull")
    parser.add_argument("--full-repeat", type=int, default=1, help="repeats of the full push")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--server", choices=["arcadedb", "env"], default="arcadedb",
                        help="arcadedb: start a local ArcadeDB Bolt server; env: use NEO4J_URI etc.")
    args = parser.parse_args()

    t, g = timed(lambda: generate_graph(actors=args.actors, services=args.services, places=args.places))
    n, m = g.G.number_of_nodes(), g.G.number_of_edges()
    print(f"graph: {n:,} nodes, {m:,} relationships ({n + m:,} entities), generated in {t:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        dbs = Databases(args.server, Path(tmp))
        try:
            print(f"server: {dbs.banner} at {dbs.base.shown_uri}; neo4j driver {_driver_version()}; "
                  f"{os.cpu_count()} CPUs")
            run(args, g, dbs)
        finally:
            dbs.close()


def _driver_version() -> str:
    import neo4j

    return neo4j.__version__


def run(args, g: StakeholderGraph, dbs: Databases) -> None:
    total = entities(g)
    # 1. full push
    full_times, repush_times, settings = [], [], None
    for _ in range(args.full_repeat):
        settings = dbs.fresh()
        t, report = timed(lambda: push(g, settings, audience="internal", batch_size=args.batch_size))
        assert report.nodes_created == g.G.number_of_nodes(), report
        full_times.append(t)
        t, report = timed(lambda: push(g, settings, audience="internal", batch_size=args.batch_size))
        assert report.nodes_created == report.nodes_updated == 0, report
        repush_times.append(t)
    t = statistics.median(full_times)
    print(f"\nfull push (batch size {args.batch_size}, into an empty database): median {t:.1f} s "
          f"of {len(full_times)} -> {total / t:,.0f} entities/s")
    t = statistics.median(repush_times)
    print(f"push again, nothing changed: median {t:.1f} s -> {total / t:,.0f} entities/s")

    # 2. batched vs one statement per record, same subset, side by side
    small = subset(g, args.subset)
    k = entities(small)
    batched, single, batched_writes, single_writes = [], [], [], []
    for size in (args.batch_size, 1):  # one unmeasured round of each: the server's JIT warms up
        push(small, dbs.prepared(small), audience="internal", batch_size=size)
    for _ in range(args.repeat):
        s1, s2 = dbs.prepared(small), dbs.prepared(small)
        t, report = timed(lambda: push(small, s1, audience="internal", batch_size=args.batch_size))
        batched.append(t)
        batched_writes.append(report.write_seconds)
        t, report = timed(lambda: push(small, s2, audience="internal", batch_size=1))
        single.append(t)
        single_writes.append(report.write_seconds)
        assert open_graph(s1).G.number_of_edges() == open_graph(s2).G.number_of_edges() == small.G.number_of_edges()
    b, s = statistics.median(batched), statistics.median(single)
    bw, sw = statistics.median(batched_writes), statistics.median(single_writes)
    print(f"\nsubset: {small.G.number_of_nodes():,} records + {small.G.number_of_edges():,} relationships "
          f"= {k:,} entities, each push into an emptied database (schema in place), "
          f"{args.repeat} runs each, alternating")
    print(f"  batched (UNWIND, {args.batch_size} per transaction): median {b:.2f} s -> {k / b:,.0f} entities/s "
          f"  runs: {', '.join(f'{x:.2f}' for x in batched)}")
    print(f"  one statement + transaction per record:  median {s:.2f} s -> {k / s:,.0f} entities/s "
          f"  runs: {', '.join(f'{x:.2f}' for x in single)}")
    ratio = s / b
    print(f"  whole push command: batched is {ratio:.1f}x faster "
          f"{'(>= 20x: ok)' if ratio >= 20 else '(BELOW the 20x target)'}")
    # the fixed part of a push (connect, constraint check, stale count) is the same for both
    write_ratio = sw / bw
    print(f"  the writes alone (inside the write transactions): batched {bw:.2f} s, per record {sw:.2f} s: "
          f"{write_ratio:.1f}x {'(>= 20x: ok)' if write_ratio >= 20 else '(BELOW the 20x target)'}; "
          f"fixed part of a push {b - bw:.2f} s")

    # 3. pull
    pulls = []
    for _ in range(args.repeat):
        t, pulled = timed(lambda: open_graph(settings))
        assert pulled.G.number_of_nodes() == g.G.number_of_nodes()
        assert pulled.G.number_of_edges() == g.G.number_of_edges()
        pulls.append(t)
    t = statistics.median(pulls)
    print(f"\npull of the full graph: median {t:.1f} s of {len(pulls)} -> {total / t:,.0f} entities/s"
          f"  runs: {', '.join(f'{x:.1f}' for x in pulls)}")


if __name__ == "__main__":
    main()
