"""The HTML map on generated graphs: time to write it, time for headless Chromium to draw it,
and how its size grows with the graph.

    python bench/bench_maps.py [--nodes 2000 --edges 6000 --runs 5 --sizes 250,500,1000,2000,4000]

Targets (issue 4): a 2,000-node, 6,000-edge map written in under 5 s, and drawn (first paint
of the canvas) within 3 s of opening it; the size of the file linear in the graph.

The graph comes from bench/generate.py (places, populations, actors, services), topped up
with partnerships between actors to the exact edge count, every record public so that the
public map draws all of it. "write" is the whole `stakeholder-graph --data DIR map -o FILE`
process (start-up, loading the YAML, filtering, layout, HTML); "render" is the same work
in-process on a graph already loaded (select, layout, view, HTML, atomic write). "first
paint" is performance.now() at vis-network's first `afterDrawing`, i.e. milliseconds since
the navigation started, in a fresh browser context each run. Medians over --runs.
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
from pathlib import Path

from stakeholder_graph.graph.errors import Origin
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.loaders.records import EdgeRecord
from stakeholder_graph.queries.selection import Filters

from generate import SOURCE, generate_records, write_yaml
from timing import CLI, call_median, run_seconds

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FILTERS = Filters(audience="public")


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


def first_paint(paths: list[Path], runs: int) -> list[float]:
    """Median ms from navigation start to the first canvas paint, per file."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        for path in paths:
            samples = []
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.goto(path.resolve().as_uri())
                page.wait_for_selector("body[data-drawn=yes]", timeout=60000)
                samples.append(page.evaluate("window.stakeholderMap.state.firstDraw"))
                context.close()
            out.append(statistics.median(samples))
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="250,500,1000,2000,4000",
                        help="node counts (3 edges per node) for the size-growth table")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-maps-"))
    try:
        # the target graph, end to end through the CLI
        nodes, edges = records(args.nodes, args.edges)
        data = work / "data"
        write_yaml(data, nodes, edges)
        out = work / "map.html"
        argv = [*CLI, "--data", str(data), "map", "-o", str(out)]
        cold = run_seconds(argv)  # the first run also fills the CLI's load cache
        write = statistics.median(run_seconds(argv) for _ in range(args.runs))
        g = StakeholderGraph.from_records(nodes, edges)
        in_process = call_median(lambda: render(g, work / "inproc.html"), args.runs)
        paint = first_paint([out], args.runs)[0]
        print(f"map of {args.nodes} nodes, {args.edges} edges ({out.stat().st_size:,} bytes):")
        print(f"  write, whole CLI process: {write:.2f} s median of {args.runs} (first, uncached: {cold:.2f} s)"
              f"   target < 5 s")
        print(f"  render in-process:        {in_process:.2f} s median of {args.runs}")
        print(f"  first paint in Chromium:  {paint / 1000:.2f} s after navigation start, median of {args.runs}"
              f"   target < 3 s")

        # growth of the file with the graph
        sizes = [int(s) for s in args.sizes.split(",")]
        rows = []
        paths = []
        for n in sizes:
            g = StakeholderGraph.from_records(*records(n, 3 * n))
            path = work / f"map-{n}.html"
            seconds = call_median(lambda: render(g, path), 1)
            rows.append((n, 3 * n, path.stat().st_size, seconds))
            paths.append(path)
        paints = first_paint(paths, max(1, args.runs // 2))
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
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
