"""Queries on a generated graph of 20,000 actors, 60,000 services and 300 places.

    python bench/bench_queries.py [--actors 20000 --services 60000 --places 300 --runs 50]

Targets: one `who` query at most 20 ms median once the graph is loaded; `metrics` under a
minute. The seed-data query runs side by side as a baseline.
"""
from __future__ import annotations

import argparse
import statistics
import time

from stakeholder_graph import open_graph
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.queries.metrics import network_metrics
from stakeholder_graph.queries.who import who_handles

from generate import generate_graph
from timing import call_median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actors", type=int, default=20000)
    parser.add_argument("--services", type=int, default=60000)
    parser.add_argument("--places", type=int, default=300)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    start = time.perf_counter()
    g = generate_graph(actors=args.actors, services=args.services, places=args.places)
    print(f"generated {g.G.number_of_nodes()} nodes, {g.G.number_of_edges()} edges "
          f"in {time.perf_counter() - start:.1f} s")
    municipalities = sorted(n for n in g.ids_of("place") if g.node(n)["level"] == "municipality")
    who_handles(g, population="gen-children", place=municipalities[0])  # build indexes once
    samples = []
    for i in range(args.runs):
        place = municipalities[i % len(municipalities)]
        t = time.perf_counter()
        result = who_handles(g, population="gen-children", place=place, as_of="2022-01-01")
        samples.append(time.perf_counter() - t)
    print(f"who (children, one municipality): median {statistics.median(samples) * 1000:.1f} ms, "
          f"max {max(samples) * 1000:.1f} ms over {args.runs} places; last answer {len(result['results'])} rows "
          f"(target <= 20 ms median)")
    shelter = call_median(lambda: who_handles(g, population="gen-children", place=municipalities[1], service="shelter"), args.runs)
    print(f"who with --service shelter: median {shelter * 1000:.1f} ms")

    seed = open_graph()
    baseline = call_median(lambda: who_handles(seed, population="children", place="Niš"), args.runs)
    print(f"baseline, seed data who (children, Niš): median {baseline * 1000:.1f} ms")

    # every command's answer starts from its audience's graph (issue 12): with nothing hidden
    # it is the graph itself; with records hidden, a filtered copy, timed next to networkx's
    # own way of making that copy
    for share in (0, 10, 100):
        G = g.G.copy()
        for i, (node, attrs) in enumerate(G.nodes(data=True)):
            attrs["sensitivity"] = "internal" if share and i % share == 0 else "public"
        kept = [n for n, a in G.nodes(data=True) if a["sensitivity"] == "public"]
        ours = call_median(lambda: StakeholderGraph(G).for_audience("public"), 3)
        theirs = call_median(lambda: G.subgraph(kept).copy(), 3)
        what = f"1 in {share} records hidden" if share else "nothing hidden"
        print(f"audience graph, {what}: median {ours:.3f} s; networkx subgraph copy {theirs:.3f} s "
              f"({ours / theirs:.2f}x)")

    t = time.perf_counter()
    m = network_metrics(g, top=10)
    print(f"metrics: {time.perf_counter() - t:.1f} s for {m['actors']} actors, {m['ties']} ties; "
          f"mode: {m['mode']} (target < 60 s)")


if __name__ == "__main__":
    main()
