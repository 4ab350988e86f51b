"""The HTML map on generated graphs, side by side: time to write it, where that time goes,
time for headless Chromium to draw it and where that goes, and how its size grows with the graph.

    python bench/bench_maps.py [--graphs 2000x6000,10000x30000 --runs 5 --sizes 250,500,1000,2000,4000]
    python bench/bench_maps.py --quick   # 2 runs each, no size table: about two minutes

Targets (issues 4 and 14): a 2,000-node, 6,000-edge map written in under 5 s and drawn
(first paint of the canvas) within 3 s of opening it; a 10,000-node, 30,000-edge map written
in under 5 s and drawn within 2 s; the size of the file linear in the graph.

Each graph comes from bench/generate.py (places, populations, actors, services), topped up
with partnerships between actors to the exact edge count, every record public so that the
public map draws all of it. "write" is the whole `stakeholder-graph --data DIR map -o FILE`
process (start-up, loading the YAML, filtering, layout, HTML), warm: after a first run that
fills the CLI's load cache; its CPU time (user + system) is shown too, as the figure a busy
machine disturbs least. "render" is the same work in-process on a graph already loaded
(select, layout, view, HTML, atomic write), broken down by step (viz.view's layout and
centrality helpers and map_html.script_json are timed by wrapping them). "first paint" is
performance.now() at vis-network's first `afterDrawing`, i.e. milliseconds since the
navigation started, in a fresh browser context each run, broken down by the performance
marks the page script sets (map:script, map:json, ...); a large map (over 1,000 records)
draws its records first and its relations right after, so "every relation drawn" follows.
Medians over --runs.
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from stakeholder_graph.graph.errors import Origin
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.loaders.records import EdgeRecord
from stakeholder_graph.queries.selection import Filters

from generate import SOURCE, generate_records, write_yaml
from timing import CLI, call_median, run_seconds

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FILTERS = Filters(audience="public")
TARGETS = {2000: (5.0, 3.0), 10000: (5.0, 2.0)}  # nodes -> (write s, first paint s)

# the page's start-up, between its performance marks (ms since navigation start)
PAGE_STEPS = [
    ("HTML parse + vis-network script", None, "map:script"),
    ("JSON.parse of the data", "map:script", "map:json"),
    ("vis DataSets (items, tooltips)", "map:json", "map:datasets"),
    ("new vis.Network", "map:datasets", "map:network"),
    ("network.fit", "map:network", "map:fit"),
    ("side panel (filters, legend)", "map:fit", "map:ready"),
    ("until the first draw is done", "map:ready", "map:drawn"),
    ("then the relations (large maps)", "map:drawn", "map:complete"),
]


def run_times(argv: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one process; CPU (user + system) is what a busy machine
    disturbs least."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run_seconds(argv)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def records(nodes: int, edges: int, seed: int = 1):
    """Loader records for a graph of exactly `nodes` drawn records (besides the one source)
    and `edges` relations, all public."""
    places = max(20, nodes // 20)
    actors = round(nodes * 0.35)
    services = nodes - places - 8 - actors
    node_records, edge_records = generate_records(actors=actors, services=services, places=places, seed=seed)
    for r in node_records:
        r.fields["sensitivity"] = "public"
    actor_ids = [r.id for r in node_records if r.kind == "actor"]
    rng = random.Random(seed)
    origin = Origin("generated")
    while len(edge_records) < edges:
        u, v = rng.sample(actor_ids, 2)
        edge_records.append(EdgeRecord("partners_with", u, v, {"sources": [SOURCE], "sensitivity": "public"}, origin))
    del edge_records[edges:]
    drawn = sum(1 for r in node_records if r.kind != "source")
    assert drawn == nodes, (drawn, nodes)
    return node_records, edge_records


def render(g: StakeholderGraph, path: Path) -> None:
    from stakeholder_graph.exports.files import write_file
    from stakeholder_graph.queries.selection import select_drawing
    from stakeholder_graph.viz.map_html import render_html
    from stakeholder_graph.viz.view import build_view

    html = render_html(build_view(select_drawing(g, FILTERS)))
    write_file(path, lambda out: out.write(html.encode("utf-8")))


def render_steps(g: StakeholderGraph, path: Path) -> dict[str, float]:
    """One render, timed step by step (seconds): viz.view's layout and centrality helpers are
    wrapped for the call, the JSON is serialised once more on its own."""
    from stakeholder_graph.exports.files import write_file
    from stakeholder_graph.queries.selection import select_drawing
    from stakeholder_graph.viz import map_html, view

    spent = {"layout": 0.0, "centrality, sizes": 0.0, "JSON": 0.0}
    wrapped = {(view, "_positions"): "layout", (view, "_centrality"): "centrality, sizes",
               (view, "_sizes"): "centrality, sizes", (map_html, "script_json"): "JSON"}
    originals = {key: getattr(*key) for key in wrapped}

    def timed(key):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return originals[key](*args, **kwargs)
            finally:
                spent[wrapped[key]] += time.perf_counter() - start
        return wrapper

    for key in wrapped:
        setattr(*key, timed(key))
    try:
        t0 = time.perf_counter()
        sel = select_drawing(g, FILTERS)
        t1 = time.perf_counter()
        v = view.build_view(sel)
        t2 = time.perf_counter()
        html = map_html.render_html(v)
        t3 = time.perf_counter()
        write_file(path, lambda out: out.write(html.encode("utf-8")))
        t4 = time.perf_counter()
    finally:
        for key, func in originals.items():
            setattr(*key, func)
    return {
        "selection": t1 - t0,
        "layout": spent["layout"],
        "centrality, sizes": spent["centrality, sizes"],
        "building the view (rest)": (t2 - t1) - spent["layout"] - spent["centrality, sizes"],
        "JSON serialisation": spent["JSON"],
        "HTML (rest of render_html)": (t3 - t2) - spent["JSON"],
        "atomic write": t4 - t3,
    }


def first_paint(paths: list[Path], runs: int) -> list[dict[str, float]]:
    """Per file, medians over `runs` fresh contexts: "paint" (ms from navigation start to the
    first canvas paint), "complete" (to the first paint with every relation: a large map draws
    its records first) and each step of PAGE_STEPS (ms)."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        for path in paths:
            samples: dict[str, list[float]] = {}
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.goto(path.resolve().as_uri())
                page.wait_for_selector("body[data-drawn=yes]", timeout=60000)
                # a page that draws everything at once has no state.complete
                page.wait_for_function("() => window.stakeholderMap.state.complete !== null", timeout=60000)
                marks = page.evaluate("Object.fromEntries(performance.getEntriesByType('mark')"
                                      ".filter(m => m.name.startsWith('map:')).map(m => [m.name, m.startTime]))")
                state = page.evaluate("window.stakeholderMap.state")
                samples.setdefault("paint", []).append(state["firstDraw"])
                samples.setdefault("complete", []).append(state.get("complete") or state["firstDraw"])
                for label, start, stop in PAGE_STEPS:
                    if stop in marks and (start is None or start in marks):
                        samples.setdefault(label, []).append(marks[stop] - (marks[start] if start else 0.0))
                context.close()
            out.append({k: statistics.median(v) for k, v in samples.items()})
        browser.close()
    return out


def growth(sizes: list[int], runs: int, work: Path) -> None:
    """How the file grows with the graph (3 edges per node)."""
    rows = []
    paths = []
    for n in sizes:
        g = StakeholderGraph.from_records(*records(n, 3 * n))
        path = work / f"map-{n}.html"
        seconds = call_median(lambda: render(g, path), 1)
        rows.append((n, 3 * n, path.stat().st_size, seconds))
        paths.append(path)
    paints = [p["paint"] for p in first_paint(paths, max(1, runs // 2))]
    xs = [r[0] for r in rows]
    ys = [r[2] for r in rows]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    fixed = my - slope * mx
    ss_res = sum((y - (fixed + slope * x)) ** 2 for x, y in zip(xs, ys))
    ss_tot = sum((y - my) ** 2 for y in ys)
    print("\nHTML size by graph size (3 edges per node):")
    print(f"  {'nodes':>6} {'edges':>6} {'bytes':>11} {'bytes/node':>10} {'(bytes-fixed)/node':>18}"
          f" {'render s':>8} {'paint s':>7}")
    for (n, e, size, seconds), ms in zip(rows, paints):
        print(f"  {n:>6} {e:>6} {size:>11,} {size / n:>10.0f} {(size - fixed) / n:>18.0f}"
              f" {seconds:>8.2f} {ms / 1000:>7.2f}")
    print(f"  least squares: {fixed:,.0f} bytes fixed (vis-network, page script) + "
          f"{slope:.0f} bytes per node; R² = {1 - ss_res / ss_tot:.5f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graphs", default="2000x6000,10000x30000",
                        help="the graphs side by side, NODESxEDGES, comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="250,500,1000,2000,4000",
                        help="node counts (3 edges per node) for the size-growth table ('' for none)")
    parser.add_argument("--quick", action="store_true", help="2 runs of each, no size-growth table")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.sizes = min(args.runs, 2), ""
    graphs = [tuple(int(x) for x in spec.split("x")) for spec in args.graphs.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-maps-"))
    try:
        results = []
        for nodes, edges in graphs:
            node_records, edge_records = records(nodes, edges)
            data = work / f"data-{nodes}"
            write_yaml(data, node_records, edge_records)
            out = work / f"map-{nodes}x{edges}.html"
            argv = [*CLI, "--data", str(data), "map", "-o", str(out)]
            cold = run_seconds(argv)  # the first run also fills the CLI's load cache
            times = [run_times(argv) for _ in range(args.runs)]
            write = statistics.median(t[0] for t in times)
            cpu = statistics.median(t[1] for t in times)
            g = StakeholderGraph.from_records(node_records, edge_records)
            steps = [render_steps(g, work / "inproc.html") for _ in range(args.runs)]
            in_process = call_median(lambda: render(g, work / "inproc.html"), args.runs)
            results.append({"graph": (nodes, edges), "bytes": out.stat().st_size, "cold": cold, "write": write,
                            "cpu": cpu,
                            "render": in_process,
                            "steps": {k: statistics.median(s[k] for s in steps) for k in steps[0]},
                            "path": out})
        pages = first_paint([r["path"] for r in results], args.runs)

        width = 34
        heads = [f"{n:,} nodes / {e:,} edges" for n, e in (r["graph"] for r in results)]
        cols = max(24, *(len(h) for h in heads)) + 2

        def row(label, values, note=""):
            print(f"  {label:<{width}}" + "".join(f"{v:>{cols}}" for v in values) + (f"   {note}" if note else ""))

        print(f"HTML map, medians of {args.runs} runs")
        row("", heads)
        row("file size", [f"{r['bytes']:,} B" for r in results])
        targets = [TARGETS.get(r["graph"][0]) for r in results]
        row("write, whole CLI process (warm)", [f"{r['write']:.2f} s" for r in results],
            "targets: " + ", ".join(f"< {t[0]:.0f} s" if t else "-" for t in targets))
        row("  CPU time of it (user + system)", [f"{r['cpu']:.2f} s" for r in results])
        row("  (first, uncached run)", [f"{r['cold']:.2f} s" for r in results])
        row("render in-process", [f"{r['render']:.2f} s" for r in results])
        for step in results[0]["steps"]:
            row(f"  {step}", [f"{r['steps'][step]:.3f} s" for r in results])
        row("first paint in Chromium", [f"{p['paint'] / 1000:.2f} s" for p in pages],
            "targets: " + ", ".join(f"< {t[1]:.0f} s" if t else "-" for t in targets))
        for label, _start, _stop in PAGE_STEPS:
            row(f"  {label}", [f"{p[label]:.0f} ms" if label in p else "-" for p in pages])
        row("every relation drawn too", [f"{p['complete'] / 1000:.2f} s" for p in pages])

        if args.sizes:
            growth([int(s) for s in args.sizes.split(",")], args.runs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
