"""Queries at scale: `who`, `metrics` and memory on generated graphs of 20,000 and 100,000 actors.

    python bench/bench_queries.py                       # 20k and 100k actors, 50 questions each
    python bench/bench_queries.py --sizes 20000 --runs 50 --networkx-at 20000
    python bench/bench_queries.py --sizes 100000 --networkx-at 100000   # networkx's metrics take ~6 min

Each size runs in its own process (bench/generate.py: N actors, 3N services, 300 places at 20k
and 1,500 at 100k), so that its peak memory is that of one graph generated, built, indexed and
queried. Printed side by side in the same run:

- the cost of building the graph and each index `who` uses (names, candidates by place and
  group, by place, group and country), once per graph;
- `who` (children, one municipality, as of 2022-01-01) over `--runs` municipalities: median and
  max, with the same questions answered without the candidate index (every record covering a
  place of the question, as before issue 15) and the seed data's children-in-Niš as baselines;
- `metrics` as the command computes it (igraph, rustworkx) and, at the sizes of
  `--networkx-at`, networkx's own functions on the same actor network, step by step;
- peak memory (ru_maxrss) and its breakdown per node, per edge and per index.

Targets (issue 15): `who` median <= 2 ms at 20k; median <= 5 ms and max <= 20 ms at 100k;
metrics < 10 s at 20k and < 60 s at 100k; peak memory <= 1.2 GB at 100k.
"""
from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
from pathlib import Path

from timing import timed

HERE = Path(__file__).resolve().parent
TARGETS = {20000: {"median_ms": 2.0, "metrics_s": 10.0}, 100000: {"median_ms": 5.0, "max_ms": 20.0, "metrics_s": 60.0,
                                                                    "peak_mb": 1200}}


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def deep_size(obj, seen: set) -> int:
    """Bytes of an object and everything it holds that was not counted before."""
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, dict):
        size += sum(deep_size(k, seen) + deep_size(v, seen) for k, v in obj.items())
    elif isinstance(obj, (list, tuple, set, frozenset)):
        size += sum(deep_size(v, seen) for v in obj)
    return size


def one_size(actors: int, runs: int, networkx: bool) -> dict:
    """Everything measured on one generated graph, in this process."""
    sys.path.insert(0, str(HERE))
    import stakeholder_graph.queries.who as who
    from stakeholder_graph import open_graph
    from stakeholder_graph.queries import metrics

    from generate import generate_graph

    out: dict = {"actors": actors, "rss_start_mb": rss_mb()}
    places = 300 if actors <= 20000 else 1500
    out["generate_and_build_s"], g = timed(lambda: generate_graph(actors=actors, services=3 * actors, places=places))
    out["nodes"], out["edges"] = g.G.number_of_nodes(), g.G.number_of_edges()
    gc.collect()
    out["rss_graph_mb"] = rss_mb()
    municipalities = sorted(n for n in g.ids_of("place") if g.node(n)["level"] == "municipality")[:runs]

    # the indexes `who` builds on its first question, one by one
    out["index_names_s"], _ = timed(lambda: g.index)
    out["index_reaching_s"], _ = timed(lambda: g.reaching("service", "serves"))
    out["index_by_home_s"], _ = timed(lambda: who._reaching_by_home(g, "service", "serves"))
    out["first_question_s"], _ = timed(lambda: who.who_handles(g, population="gen-children", place=municipalities[0]))
    out["rss_indexed_mb"] = rss_mb()

    def ask(place):
        return who.who_handles(g, population="gen-children", place=place, as_of="2022-01-01")

    samples, rows = [], []
    for place in municipalities:
        seconds, result = timed(lambda: ask(place))
        samples.append(seconds)
        rows.append(len(result["results"]))
    out["who_median_ms"] = statistics.median(samples) * 1000
    out["who_max_ms"] = max(samples) * 1000
    out["who_rows_median"] = statistics.median(rows)
    shelter = [timed(lambda: who.who_handles(g, population="gen-children", place=p, service="shelter",
                                             as_of="2022-01-01"))[0] for p in municipalities]
    out["who_shelter_median_ms"] = statistics.median(shelter) * 1000

    # baseline: the same questions without the candidate index (every record covering a place
    # of the question), answers compared
    indexed = who._candidates
    with_index = [ask(p) for p in municipalities[:10]]
    who._candidates = lambda g, scope, kind, edge: sorted(
        {u for p in scope.places() for u, _ in g.in_edges(p, "covers") if g.kind(u) == kind})
    try:
        without = [timed(lambda: ask(p)) for p in municipalities[:10]]
    finally:
        who._candidates = indexed
    out["who_without_index_median_ms"] = statistics.median(s for s, _ in without) * 1000
    out["answers_equal"] = with_index == [answer for _, answer in without]

    seed = open_graph()
    seed_samples = [timed(lambda: who.who_handles(seed, population="children", place="Niš"))[0] for _ in range(runs)]
    out["seed_who_median_ms"] = statistics.median(seed_samples) * 1000

    out["peak_queried_mb"] = peak_mb()  # generated, built, indexed and queried: the measure

    # metrics: as the command computes it, then networkx's functions on the same network
    out["metrics_s"], result = timed(lambda: metrics.network_metrics(g, top=10))
    out["metrics_mode"] = result["mode"]
    steps = {}
    steps["actor network"], N = timed(lambda: metrics.actor_network(g))
    steps["referral network"], R = timed(lambda: metrics.referral_network(g))
    steps["betweenness (igraph)"], _ = timed(lambda: metrics.betweenness(N, k=200, seed=42))
    steps["eigenvector (rustworkx)"], _ = timed(lambda: metrics.eigenvector(N))
    steps["communities (Louvain; igraph above 2,000 actors)"], _ = timed(lambda: metrics.louvain(N))
    steps["cut points and bridges (igraph)"], _ = timed(lambda: metrics.cut_points_and_bridges(R))
    out["metrics_steps"] = steps
    if networkx:
        import networkx as nx

        theirs = {}
        theirs["betweenness (networkx, k=200)"], _ = timed(lambda: nx.betweenness_centrality(N, k=200, seed=42))
        theirs["eigenvector (networkx)"], _ = timed(lambda: nx.eigenvector_centrality(N, max_iter=1000, tol=1e-6))
        theirs["communities (networkx Louvain)"], _ = timed(lambda: nx.community.louvain_communities(N, seed=42))
        theirs["cut points and bridges (networkx)"], _ = timed(
            lambda: (set(nx.articulation_points(R)), list(nx.bridges(R))))
        out["networkx_steps"] = theirs
    out["peak_mb"] = peak_mb()

    # where the memory is: the graph per node and per edge, and each index
    seen: set = set()
    nodes_b = deep_size(g.G._node, seen)
    edges_b = deep_size(g.G._succ, seen) + deep_size(g.G._pred, seen)
    out["bytes_per_node"] = nodes_b / out["nodes"]
    out["bytes_per_edge"] = edges_b / out["edges"]
    out["index_mb"] = {
        "names": deep_size(g.index.__dict__, seen) / 2**20,
        "typed edges (nodes asked about)": (deep_size(g._out, seen) + deep_size(g._in, seen)
                                            + deep_size(g._positions or {}, seen)) / 2**20,
        "candidates (reaching)": deep_size(g._reach, seen) / 2**20,
        "memos (views, evidence, dates)": deep_size(g._memos, seen) / 2**20,
    }
    return out


def report(m: dict) -> None:
    t = TARGETS.get(m["actors"], {})

    def verdict(value, key):
        return "" if key not in t else f"  (target {t[key]}: {'met' if value <= t[key] else 'NOT met'})"

    print(f"\n== {m['actors']:,} actors: {m['nodes']:,} nodes, {m['edges']:,} edges ==")
    print(f"generate and build the graph   {m['generate_and_build_s']:7.1f} s    RSS {m['rss_graph_mb']:.0f} MB")
    print("indexes, once per graph:")
    print(f"  names (every record's names folded)   {m['index_names_s']:6.2f} s")
    print(f"  candidates by place and group          {m['index_reaching_s']:6.2f} s")
    print(f"  ... split by the providers' country    {m['index_by_home_s']:6.2f} s")
    print(f"  first question (the rest)              {m['first_question_s']:6.2f} s    RSS {m['rss_indexed_mb']:.0f} MB")
    print(f"who (children, one municipality), {m['who_rows_median']:.0f} rows (median):")
    print(f"  median {m['who_median_ms']:6.2f} ms{verdict(m['who_median_ms'], 'median_ms')}")
    print(f"  max    {m['who_max_ms']:6.2f} ms{verdict(m['who_max_ms'], 'max_ms')}")
    print(f"  with --service shelter: median {m['who_shelter_median_ms']:.2f} ms")
    print(f"  baseline, without the candidate index: median {m['who_without_index_median_ms']:.2f} ms "
          f"({m['who_without_index_median_ms'] / m['who_median_ms']:.1f}x); same answer: {m['answers_equal']}")
    print(f"  baseline, seed data (children, Niš): median {m['seed_who_median_ms']:.2f} ms")
    print(f"metrics {m['metrics_s']:.1f} s{verdict(m['metrics_s'], 'metrics_s')}; mode: {m['metrics_mode']}")
    for step, seconds in m["metrics_steps"].items():
        print(f"  {step:36s} {seconds:7.2f} s")
    for step, seconds in m.get("networkx_steps", {}).items():
        print(f"  baseline: {step:26s} {seconds:7.2f} s")
    print(f"peak memory, generated, built, indexed and queried: {m['peak_queried_mb']:.0f} MB"
          f"{verdict(m['peak_queried_mb'], 'peak_mb')} (process start {m['rss_start_mb']:.0f} MB); "
          f"after metrics and networkx's too: {m['peak_mb']:.0f} MB")
    print(f"  graph: {m['bytes_per_node']:.0f} bytes per node with its attributes, "
          f"{m['bytes_per_edge']:.0f} bytes per edge (adjacency and attributes)")
    for name, mb in m["index_mb"].items():
        print(f"  index {name:34s} {mb:7.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20000,100000", help="actors per graph, comma-separated")
    parser.add_argument("--runs", type=int, default=50, help="municipalities asked about")
    parser.add_argument("--networkx-at", default="20000", help="sizes at which networkx's metrics run too")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args()
    networkx_at = {int(s) for s in args.networkx_at.split(",") if s}
    if args.one:
        print(json.dumps(one_size(args.one, args.runs, args.one in networkx_at)))
        return
    for size in (int(s) for s in args.sizes.split(",")):
        done = subprocess.run([sys.executable, __file__, "--one", str(size), "--runs", str(args.runs),
                               "--networkx-at", args.networkx_at], capture_output=True, text=True, check=True)
        report(json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
