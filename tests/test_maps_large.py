"""Large maps stay quick (issue 14): above 2,500 nodes force_layout approximates the repulsion
(and stays seeded); a map of over 1,000 records makes its tooltips on hover and draws its
relations right after its records, in real headless Chromium (conftest.py's `browser`)."""
from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pytest
from test_maps import Opened

from stakeholder_graph.graph.errors import Origin
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.loaders.records import EdgeRecord, NodeRecord
from stakeholder_graph.queries.selection import Filters
from stakeholder_graph.viz.layout import EXACT_FORCE_LIMIT, _approximate_repulsion, force_layout


def exact_repulsion(x, y, k):
    dx = x[:, None] - x[None, :]
    dy = y[:, None] - y[None, :]
    w = 1.0 / np.maximum(dx * dx + dy * dy, 1e-6 * k * k)
    np.fill_diagonal(w, 0.0)
    return (w * dx).sum(axis=1) * k * k, (w * dy).sum(axis=1) * k * k


@pytest.mark.parametrize("n, levels", [(600, 4), (1500, 5)])
def test_approximate_repulsion_is_close_to_the_exact_sum(n, levels):
    rng = np.random.RandomState(n)
    x, y = rng.rand(n) ** 3, rng.rand(n)  # dense on one side
    x[:40], y[:40] = 0.5, 0.5  # and a pile of records on one spot
    k = math.sqrt(1.0 / n)
    ax, ay = _approximate_repulsion(np, x, y, k, levels)
    ex, ey = exact_repulsion(x, y, k)
    error = np.hypot(ax - ex, ay - ey) / np.hypot(ex, ey)
    assert np.median(error) < 0.01
    assert np.percentile(error, 95) < 0.05


def random_graph(n: int, edges: int, seed: int = 3) -> nx.Graph:
    rng = random.Random(seed)
    G = nx.Graph()
    G.add_nodes_from(f"n{i}" for i in range(n))
    while G.number_of_edges() < edges:
        u, v = rng.sample(range(n), 2)
        G.add_edge(f"n{u}", f"n{v}")
    return G


def test_large_force_layout_is_seeded_and_spread():
    G = random_graph(EXACT_FORCE_LIMIT + 500, 3 * (EXACT_FORCE_LIMIT + 500))
    pos = force_layout(G, seed=7)
    assert pos == force_layout(G, seed=7)
    assert pos != force_layout(G, seed=8)
    xy = np.array(list(pos.values()))
    assert set(pos) == set(G) and np.abs(xy).max() == 1.0
    assert np.all(np.isfinite(xy))
    # spread as the exact layout spreads this graph (standard deviations 0.221 and 0.215, median
    # distance from the centre 0.272), and no pile of records on one spot
    assert 0.19 < xy[:, 0].std() < 0.25 and 0.19 < xy[:, 1].std() < 0.25
    assert 0.24 < np.median(np.hypot(xy[:, 0], xy[:, 1])) < 0.31
    assert len({(round(x, 3), round(y, 3)) for x, y in xy}) > 0.99 * len(xy)


def test_only_large_layouts_are_approximated(monkeypatch):
    """Up to the limit the layout is the exact spring layout the seed-data maps have always had."""
    from stakeholder_graph.viz import layout

    calls = []
    monkeypatch.setattr(layout, "_approximate_layout", lambda np, pos, *args, **kw: calls.append(len(pos)) or pos)
    force_layout(random_graph(EXACT_FORCE_LIMIT, 2 * EXACT_FORCE_LIMIT))
    assert calls == []
    force_layout(random_graph(EXACT_FORCE_LIMIT + 1, 2 * EXACT_FORCE_LIMIT))
    assert calls == [EXACT_FORCE_LIMIT + 1]


# --- a large map in the browser -------------------------------------------------------------


def large_graph(actors: int = 1100, relations: int = 2500, seed: int = 5) -> StakeholderGraph:
    """Actors in one town, partnering at random (every tenth partnership in 2022 only): a map
    of over 1,000 records, with a timeline."""
    rng = random.Random(seed)
    origin = Origin("test")
    cited = {"sources": ["src"], "sensitivity": "public"}
    nodes = [
        NodeRecord("source", "src", {"name": "A test source", "sensitivity": "public"}, origin),
        NodeRecord("place", "town", {"name": "Town", "level": "municipality", "lat": 44.0, "lon": 20.0, **cited},
                   origin),
    ]
    edges = []
    for i in range(actors):
        nodes.append(NodeRecord("actor", f"actor-{i}", {
            "name": f"Actor number {i}", "sector": rng.choice(["ngo", "government", "international"]),
            "description": f"The description of actor {i}", **cited}, origin))
        edges.append(EdgeRecord("located_in", f"actor-{i}", "town", dict(cited), origin))
    pairs = set()
    while len(pairs) < relations:
        u, v = rng.sample(range(actors), 2)
        pairs.add((u, v))
    for i, (u, v) in enumerate(sorted(pairs)):
        dates = {"start": "2022-01-01", "end": "2022-12-31"} if i % 10 == 0 else {}
        edges.append(EdgeRecord("partners_with", f"actor-{u}", f"actor-{v}",
                                {**cited, "note": f"note {u}-{v}", **dates}, origin))
    return StakeholderGraph.from_records(nodes, edges)


def test_a_large_map_draws_its_records_then_its_relations(browser, tmp_path):
    from stakeholder_graph.queries.selection import select_drawing
    from stakeholder_graph.viz.map_html import render_html
    from stakeholder_graph.viz.view import build_view

    view = build_view(select_drawing(large_graph(), Filters(audience="public")))
    assert view["large"] and len(view["nodes"]) > 1000
    path = tmp_path / "large.html"
    path.write_text(render_html(view), encoding="utf-8")

    opened = Opened(browser, path, timeout=30000)
    try:
        page, requests, errors = opened.page, opened.requests, opened.errors
        page.wait_for_selector("body[data-complete=yes]", timeout=30000)
        state = page.evaluate("window.stakeholderMap.state")
        assert 0 < state["firstDraw"] <= state["complete"]
        # every record and every relation is in the network once the relations are drawn
        counts = page.evaluate("""() => { const net = window.stakeholderMap.network;
            return [net.body.data.nodes.length, net.body.data.edges.length,
                    Object.keys(net.body.edges).length]; }""")
        assert counts == [len(view["nodes"]), len(view["edges"]), len(view["edges"])]
        # added in the colours of the timeline's day, and following it
        dated = next(e["id"] for e in view["edges"] if e["type"] == "partners_with" and
                     any(f[1] == "2022-01-01" for f in e["fields"]))
        undated = next(e["id"] for e in view["edges"] if e["type"] == "partners_with" and e["id"] != dated and
                       not any(f[1] == "2022-01-01" for f in e["fields"]))
        opacity = "(id) => window.stakeholderMap.edges.get(id).color.opacity"
        assert [page.evaluate(opacity, dated), page.evaluate(opacity, undated)] == [0.2, 0.85]  # ended by today
        assert page.evaluate("window.stakeholderMap.timeline.setDate('2022-06-01')")
        assert [page.evaluate(opacity, dated), page.evaluate(opacity, undated)] == [0.85, 0.85]
        assert page.evaluate("window.stakeholderMap.timeline.setDate('2026-01-01')")

        # a tooltip is made when the pointer first comes over its record or relation: none yet
        titled = """() => [window.stakeholderMap.nodes.get({ filter: (n) => n.title !== undefined }).length,
                           window.stakeholderMap.edges.get({ filter: (e) => e.title !== undefined }).length]"""
        assert page.evaluate(titled) == [0, 0]
        node = view["nodes"][0]
        x, y = page.evaluate("""(id) => { const net = window.stakeholderMap.network;
            net.focus(id, { scale: 2, animation: false });
            const d = net.canvasToDOM(net.getPositions([id])[id]);
            const r = document.querySelector('#network canvas').getBoundingClientRect();
            return [r.left + d.x, r.top + d.y]; }""", node["id"])
        page.mouse.move(x - 40, y - 40)
        page.mouse.move(x, y, steps=5)
        page.wait_for_function(
            """(name) => { const t = document.querySelector('div.vis-tooltip');
                return t && t.style.visibility === 'visible' && t.textContent.includes(name); }""",
            arg=node["name"], timeout=5000)
        assert page.evaluate("document.querySelector('div.vis-tooltip .tip-text').textContent") == \
            "The description of actor 0"
        assert page.evaluate("(id) => window.stakeholderMap.nodes.get(id).title instanceof Element", node["id"])
        # and a relation's when the pointer first comes over it
        x, y, edge = page.evaluate("""() => { const net = window.stakeholderMap.network;
            const r = document.querySelector('#network canvas').getBoundingClientRect();
            for (const id of window.stakeholderMap.edges.getIds()) {
                const e = window.stakeholderMap.edges.get(id);
                const p = net.getPositions([e.from, e.to]);
                const mid = { x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2 };
                net.moveTo({ position: mid, scale: 2, animation: false });
                const d = net.canvasToDOM(mid);
                if (net.getNodeAt(d) === undefined && net.getEdgeAt(d) === id) return [r.left + d.x, r.top + d.y, id];
            }
            return null; }""")
        page.mouse.move(x, y - 40)
        page.mouse.move(x, y, steps=5)
        page.wait_for_function(  # vis-network shows the last of the lines within reach
            """() => { const t = document.querySelector('div.vis-tooltip');
                return t && t.style.visibility === 'visible' && t.textContent.includes(' → '); }""", timeout=5000)
        assert page.evaluate("(id) => window.stakeholderMap.edges.get(id).title instanceof Element", edge)
        made = page.evaluate(titled)
        assert made[0] < 10 and 0 < made[1] < 20  # those the pointer came over, no more
        x, y = page.evaluate("""(id) => { const net = window.stakeholderMap.network;
            net.focus(id, { scale: 2, animation: false });
            const d = net.canvasToDOM(net.getPositions([id])[id]);
            const r = document.querySelector('#network canvas').getBoundingClientRect();
            return [r.left + d.x, r.top + d.y]; }""", node["id"])
        # the side panel lists the relations as before
        page.mouse.click(x, y)
        assert page.locator("#details h2").text_content() == node["name"]
        assert page.locator("#details ul.relations li").count() == sum(
            1 for e in view["edges"] if node["id"] in (e["from"], e["to"]))
        assert requests == [page.url] and errors == []
    finally:
        opened.context.close()
