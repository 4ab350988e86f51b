"""Node positions computed in Python, shared by the HTML map, the diagram and the exports.

Every layout is deterministic: the same graph gives the same positions on every run (nodes
are taken in sorted order and any randomness is seeded). Positions are plain floats
{node_id: (x, y)}; y grows downwards (screen convention), so north is up in `geo_layout`.

- `force_layout`: Fruchterman-Reingold spring layout, seeded, scaled into [-1, 1].
- `geo_layout` / `geo_plan`: places at their coordinates over the country outlines (viz.geo),
  actors and services in rings at their places, the rest in a strip grouped by country.
- `pathway_layout`: referral steps as columns, left to right.

numpy is imported inside the functions (it comes with matplotlib, the `maps` extra).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from stakeholder_graph.graph.names import fold
from stakeholder_graph.graph.schema import NODE_KINDS, REFERRAL_STEPS
from stakeholder_graph.viz import require
from stakeholder_graph.viz.geo import inside, outline_of, project, reference_shrink

Positions = dict[str, tuple[float, float]]


def _nx_graph(g):
    return g.G if hasattr(g, "G") else g


# --- force ---------------------------------------------------------------------------------

EXACT_FORCE_LIMIT = 2500  # above this many nodes force_layout approximates the repulsion


def force_layout(g, seed: int = 42) -> Positions:
    """Seeded Fruchterman-Reingold layout of `g` (a StakeholderGraph or a networkx graph),
    edges taken as undirected, scaled so that the largest |coordinate| is 1.

    Up to EXACT_FORCE_LIMIT nodes the repulsion between all pairs is exact, vectorised in
    float32 blocks of 1,000 rows (bounded memory): 2,000 nodes take about 1 s on a small
    machine. Above it the same forces are approximated (`_approximate_repulsion`, within a
    few per mille) in time linear in the nodes, for 50 iterations up to 5,000 nodes and 30
    beyond: 10,000 nodes and 30,000 edges take about 1 s.
    """
    np = require("numpy")

    G = _nx_graph(g)
    nodes = sorted(G, key=str)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {v: i for i, v in enumerate(nodes)}
    pairs = sorted({
        (min(index[u], index[v]), max(index[u], index[v])) for u, v in G.edges() if u != v
    })
    src = np.array([p[0] for p in pairs], dtype=np.int64)
    dst = np.array([p[1] for p in pairs], dtype=np.int64)

    rng = np.random.RandomState(seed)
    pos = rng.rand(n, 2)
    k = math.sqrt(1.0 / n)  # optimal distance between nodes
    gravity = 0.05  # keeps disconnected parts from drifting apart
    if n > EXACT_FORCE_LIMIT:
        pos = _approximate_layout(np, pos, src, dst, k, gravity, iterations=50 if n <= 5000 else 30)
        return _scaled(np, pos, index)
    iterations = 50
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    block = 1000
    rows = np.arange(block)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        x = pos[:, 0].astype(np.float32)
        y = pos[:, 1].astype(np.float32)
        for start in range(0, n, block):  # repulsion k^2/d between every pair, in blocks of rows
            stop = min(start + block, n)
            dx = np.subtract.outer(x[start:stop], x)
            dy = np.subtract.outer(y[start:stop], y)
            w = dx * dx
            w += dy * dy
            np.maximum(w, np.float32(1e-6 * k * k), out=w)
            np.reciprocal(w, out=w)
            w[rows[: stop - start], np.arange(start, stop)] = 0.0
            disp[start:stop, 0] += np.einsum("ij,ij->i", w, dx)
            disp[start:stop, 1] += np.einsum("ij,ij->i", w, dy)
        disp *= k * k
        if len(pairs):  # attraction d^2/k along each edge
            delta = pos[src] - pos[dst]
            dist = np.sqrt((delta * delta).sum(axis=1))
            pull = delta * (dist / k)[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        disp -= gravity * (pos - pos.mean(axis=0)) * n * k
        length = np.sqrt((disp * disp).sum(axis=1))
        length[length < 1e-12] = 1e-12
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return _scaled(np, pos, index)


def _scaled(np, pos, index: dict) -> Positions:
    """Positions centred on (0, 0), the largest |coordinate| 1, rounded."""
    pos -= pos.mean(axis=0)
    scale = np.abs(pos).max()
    if scale > 0:
        pos /= scale
    return {v: (round(float(pos[i, 0]), 6), round(float(pos[i, 1]), 6)) for v, i in index.items()}


def _approximate_layout(np, pos, src, dst, k: float, gravity: float, iterations: int):
    """force_layout's iterations (same forces, temperature and gravity) with the repulsion
    approximated by `_approximate_repulsion`; x and y are kept apart (columns are faster)."""
    n = len(pos)
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    # the finest grid has n to 4n cells: few nodes to a cell even where the layout is dense
    levels = max(2, math.ceil(math.log2(math.sqrt(n))))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    pull_scale = gravity * n * k
    for _ in range(iterations):
        dx, dy = _approximate_repulsion(np, x, y, k, levels)
        if len(src):  # attraction d^2/k along each edge
            ex = x[src] - x[dst]
            ey = y[src] - y[dst]
            stretch = np.sqrt(ex * ex + ey * ey) / k
            ex *= stretch
            ey *= stretch
            dx += np.bincount(dst, ex, n) - np.bincount(src, ex, n)
            dy += np.bincount(dst, ey, n) - np.bincount(src, ey, n)
        dx -= pull_scale * (x - x.mean())
        dy -= pull_scale * (y - y.mean())
        length = np.sqrt(dx * dx + dy * dy)
        np.maximum(length, 1e-12, out=length)
        step = np.minimum(length, temperature) / length
        x += dx * step
        y += dy * step
        temperature -= cooling
    return np.stack([x, y], axis=1)


def _far_cells(np):
    """For a cell at (a, b) within its parent (a, b in 0, 1): the offsets to the 27 cells that
    are children of the parent's 3 x 3 neighbourhood but outside the cell's own."""
    table = np.zeros((4, 27, 2), dtype=np.int64)
    for a in (0, 1):
        for b in (0, 1):
            table[2 * a + b] = [(i - 2 - a, j - 2 - b) for i in range(6) for j in range(6)
                                if max(abs(i - 2 - a), abs(j - 2 - b)) > 1]
    return table


def _near_pairs(np, cell, width: int):
    """The pairs of nodes in the same or adjacent cells of a grid (`cell`: row * width + column,
    no cell on the grid's border), each pair once, as indices into `order` (the nodes sorted
    by cell): (order, i, j)."""
    n = len(cell)
    idx = np.arange(n)
    order = np.argsort(cell, kind="stable")
    cell = cell[order]
    firsts, seconds = [], []
    for offset in (0, 1, width - 1, width, width + 1):  # the cell itself, then half its neighbours
        start = idx + 1 if offset == 0 else np.searchsorted(cell, cell + offset, "left")
        count = np.maximum(np.searchsorted(cell, cell + offset, "right") - start, 0)
        total = int(count.sum())
        if total:
            firsts.append(np.repeat(idx, count))
            seconds.append(np.repeat(start - (np.cumsum(count) - count), count) + np.arange(total))
    if not firsts:
        return order, idx[:0], idx[:0]
    return order, np.concatenate(firsts), np.concatenate(seconds)


def _approximate_repulsion(np, x, y, k: float, levels: int):
    """k^2 (p_i - p_j) / |p_i - p_j|^2 summed over all j != i, as force_layout's exact loop
    does, in time linear in the nodes: a uniform tree code. The bounding square is cut into
    grids of 4, 8, ... 2^levels cells a side; nodes in the same or adjacent cells of the finest
    grid repel exactly, and each farther node is counted once, through the centroid (and
    count) of the coarsest cell that is not adjacent to the node's cell at its level.
    Deterministic; within a few per mille of the exact sum for most nodes."""
    n = len(x)
    x0, y0 = x.min(), y.min()
    side = max(x.max() - x0, y.max() - y0, 1e-12) * (1 + 1e-9)
    top = 1 << levels
    cx = np.minimum(((x - x0) * (top / side)).astype(np.int64), top - 1)
    cy = np.minimum(((y - y0) * (top / side)).astype(np.int64), top - 1)
    xf, yf = x.astype(np.float32), y.astype(np.float32)
    floor = 1e-6 * k * k
    fx = np.zeros(n, dtype=np.float32)
    fy = np.zeros(n, dtype=np.float32)
    far = _far_cells(np)
    for level in range(2, levels + 1):
        width = (1 << level) + 4  # two empty cells on every side: no lookup leaves the grid
        lx, ly = cx >> (levels - level), cy >> (levels - level)
        cell = (lx + 2) * width + ly + 2
        count = np.bincount(cell, minlength=width * width)
        filled = np.maximum(count, 1)
        mass = count.astype(np.float32)
        mx = (np.bincount(cell, x, width * width) / filled).astype(np.float32)
        my = (np.bincount(cell, y, width * width) / filled).astype(np.float32)
        others = cell[:, None] + (far[:, :, 0] * width + far[:, :, 1])[2 * (lx & 1) + (ly & 1)]
        dx = xf[:, None] - mx[others]
        dy = yf[:, None] - my[others]
        w = dx * dx
        w += dy * dy
        np.maximum(w, np.float32(floor), out=w)
        np.divide(mass[others], w, out=w)
        fx += np.einsum("ij,ij->i", w, dx)
        fy += np.einsum("ij,ij->i", w, dy)
    order, i, j = _near_pairs(np, (cx + 1) * (top + 2) + cy + 1, top + 2)
    xs, ys = x[order], y[order]
    dx = xs[i] - xs[j]
    dy = ys[i] - ys[j]
    w = dx * dx + dy * dy
    np.maximum(w, floor, out=w)
    np.reciprocal(w, out=w)
    dx *= w
    dy *= w
    rx, ry = fx.astype(float), fy.astype(float)
    rx[order] += np.bincount(i, dx, n) - np.bincount(j, dx, n)
    ry[order] += np.bincount(i, dy, n) - np.bincount(j, dy, n)
    return rx * (k * k), ry * (k * k)


# --- geo -----------------------------------------------------------------------------------
# Distances in projected degrees (x = longitude * cos(reference latitude), y = -latitude); the
# view draws 650 px to the degree (viz.view.GEO_PX_PER_DEGREE), so 0.1 degree is 65 px.

RING_START = 0.09  # degrees from a place to its first ring of actors and services
RING_STEP = 0.07  # between rings, and between neighbours on a ring
RING_WIDEN = 1.6  # rings are ellipses this much wider than tall: labels are wider than tall
CLUSTER_GAP = 0.12  # between a country's records and a town's (rings and labels), when they move off it
LABEL_BOX = (0.3, 0.055, 0.14)  # a place's label as the fitted map shows it: least width, width a letter, height
ANCHOR_SEARCH = (0.05, 40)  # step and number of steps of the spiral that looks for that room
MAP_MARGIN = 0.35  # around what is drawn on the map
STRIP_GAP = 0.45  # between the map and the strip of records without a place on it
STRIP_CELL = (0.34, 0.13)  # one record in the strip: room for its label (three lines) beside and below it
# rows of other heights: places have one-line names; assessments and publications their label inside a shape
STRIP_ROWS = {"place": 0.1, "publication": 0.15, "assessment": 0.18}
STRIP_COLUMNS = 4
STRIP_HEADING = 0.17  # a group's heading (its country)
STRIP_CAPTION = 0.11  # a kind's caption in a group
STRIP_GROUP_GAP = 0.12
STRIP_MIN_HEIGHT = 3.0  # the strip's columns are as tall as the map, and at least this


@dataclass
class GeoPlan:
    """What `geo_plan` decides: positions in projected degrees and what the view draws around
    them (the map's box, the strip's headings, which countries are filled and named)."""

    positions: Positions
    shrink: float  # cos(reference latitude): x = lon * shrink
    national: set[str] = field(default_factory=set)  # actors based in a country as a whole
    box: tuple[float, float, float, float] | None = None  # the map (x0, y0, x1, y1); None: no map
    groups: list[dict] = field(default_factory=list)  # the strip: headings and captions
    focus: set[str] = field(default_factory=set)  # ISO codes of the countries the data has records of
    named: set[str] = field(default_factory=set)  # ISO codes of countries whose record is on the map
    members: dict[str, list[str]] = field(default_factory=dict)  # a place -> the records ringing it
    landmarks: dict[str, str] = field(default_factory=dict)  # places on the map -> "country" or "place"
    seats: dict[str, tuple[float, float]] = field(default_factory=dict)  # places not drawn that records ring


def _ring(count: int) -> list[tuple[float, float]]:
    """Offsets for `count` satellites on rings around a centre, filled inside out."""
    out: list[tuple[float, float]] = []
    radius = RING_START
    while len(out) < count:
        capacity = max(6, int(2 * math.pi * radius / RING_STEP))
        take = min(capacity, count - len(out))
        for i in range(take):
            angle = -math.pi / 2 + 2 * math.pi * i / take
            out.append((RING_WIDEN * radius * math.cos(angle), radius * math.sin(angle)))
        radius += RING_STEP
    return out


def _ring_radius(count: int) -> float:
    """How far the rings of `count` satellites reach up and down (RING_WIDEN times that sideways)."""
    return max((abs(y) for _, y in _ring(count)), default=0.0)


LEVEL_RANK = {"municipality": 0, "district": 1, "country": 2, "region": 3}  # most local first


def national_bodies(g, reference=None) -> set[str]:
    """The actors of `g` based in a country as a whole: the most local place they are
    `located_in` (in `reference`, default `g`) is a country. Maps mark them with a second ring;
    the geographic layout draws them around their country's centre."""
    G = _nx_graph(g)
    R = _nx_graph(reference) if reference is not None else G
    found = set()
    for n, a in G.nodes(data=True):
        if a.get("kind") != "actor":
            continue
        graph = R if n in R else G
        places = [v for _, v, e in graph.out_edges(n, data=True)
                  if e.get("type") == "located_in" and graph.nodes[v].get("kind") == "place"]
        if places:
            most = min(places, key=lambda p: (LEVEL_RANK.get(graph.nodes[p].get("level"), 4), str(p)))
            if graph.nodes[most].get("level") == "country":
                found.add(n)
    return found


def geo_layout(g, reference=None) -> Positions:
    """Positions of `geo_plan` (projected degrees): places at their coordinates, north up."""
    return geo_plan(g, reference).positions


def geo_plan(g, reference=None, country_of=None) -> GeoPlan:
    """The geographic layout of `g` over the bundled country outlines (viz.geo).

    - Places with coordinates are at them (x = longitude * cos(mean latitude), y = -latitude).
    - An actor is at its seat: it rings the most local place it is `located_in` that has
      coordinates. One whose most local place is a country (a national body, `national`) rings
      the country's capital: a place the data marks `capital: true` (as its cited sources
      state), with coordinates; it is named on the map even when not drawn itself. Where the
      data records no capital, it rings the country's own record, at the country's anchor (the
      point of its outline farthest from its border) or the nearest spot clear of every town's
      ring and label, its rings inside the country.
    - A service or project rings the one most local place it covers, where that place is on
      the map (a whole country's: its capital, or its record as above); otherwise a service
      rings the place of the actor offering it.
    - A country's record stands at its anchor, naming it.
    - Everything else (groups of people, forms, indicators, assessments, publications, places
      without coordinates, bodies with no seat, records covering several places) stands in a
      strip east of the map, grouped by country (`country_of`, default: the reference graph's
      `country_of` where it has one), regional and international records last; within a group,
      by kind, in a grid with room for labels, under a heading and a caption per kind.

    `reference` (default `g`) is the graph whose places and hierarchy decide seats and
    coverage, so a record is placed the same whether or not its place is drawn. Deterministic.
    """
    G = _nx_graph(g)
    R = _nx_graph(reference) if reference is not None else G
    if country_of is None:
        owner = reference if reference is not None else g
        country_of = owner.country_of if hasattr(owner, "country_of") else (lambda n: None)
    level_rank = LEVEL_RANK
    kind_rank = {k: i for i, k in enumerate(NODE_KINDS)}

    def attrs(n):
        return G.nodes[n] if n in G else R.nodes.get(n, {})

    def name(n) -> str:
        return str(attrs(n).get("name", n))

    def lonlat(n):
        a = attrs(n)
        if a.get("kind") == "place" and a.get("lat") is not None and a.get("lon") is not None:
            return float(a["lon"]), float(a["lat"])
        return None

    def targets(n, etype, reverse=False):
        graph = R if n in R else G
        edges = graph.in_edges(n, data=True) if reverse else graph.out_edges(n, data=True)
        return sorted({(u if reverse else v) for u, v, a in edges if a.get("type") == etype}, key=str)

    def rank(p):
        return level_rank.get(attrs(p).get("level"), 4), str(p)

    outline = {}  # country place -> its outline
    for graph in (R, G):
        for n, a in graph.nodes(data=True):
            if n not in outline and a.get("kind") == "place" and a.get("level") == "country":
                o = outline_of(a)
                if o is not None:
                    outline[n] = o

    def on_map(p) -> bool:
        return lonlat(p) is not None or p in outline

    national = national_bodies(G, R)
    capital: dict[str, str] = {}  # a country -> its capital with coordinates (a place the data marks capital: true)
    for p in sorted(R, key=str):
        if attrs(p).get("kind") == "place" and attrs(p).get("capital") is True and lonlat(p) is not None:
            c = country_of(p)
            if c and c not in capital:
                capital[c] = p
    homes: dict[str, str | None] = {}

    def home(n):
        """The place `n` rings, or None (the strip)."""
        if n in homes:
            return homes[n]
        homes[n] = None  # a provider that offers through itself ends here
        kind = attrs(n).get("kind")
        found = None
        if kind == "actor":
            places = [p for p in targets(n, "located_in") if attrs(p).get("kind") == "place"]
            located = [p for p in places if lonlat(p) is not None]
            if located:
                found = min(located, key=rank)
            elif n in national and min(places, key=rank) in capital:
                found = capital[min(places, key=rank)]
            elif n in national and min(places, key=rank) in outline:
                found = min(places, key=rank)
        elif kind in ("service", "project"):
            places = [p for p in targets(n, "covers") if attrs(p).get("kind") == "place"]
            if places:
                best = min(rank(p)[0] for p in places)
                tier = [p for p in places if rank(p)[0] == best]
                if len(tier) == 1 and on_map(tier[0]):
                    found = capital.get(tier[0], tier[0])  # a whole country's service: at its capital
            if found is None and kind == "service":
                for provider in targets(n, "offers", reverse=True):
                    found = home(provider)
                    if found is not None:
                        break
        homes[n] = found
        return found

    satellites: dict[str, list[str]] = {}
    for n in sorted(G, key=str):
        if attrs(n).get("kind") in ("actor", "service", "project"):
            h = home(n)
            if h is not None:
                satellites.setdefault(h, []).append(n)
    for members in satellites.values():
        members.sort(key=lambda n: (n not in national, kind_rank.get(attrs(n).get("kind"), 99), name(n), str(n)))

    located = sorted({p for p in G if lonlat(p) is not None} | {h for h in satellites if lonlat(h) is not None}, key=str)
    countries = sorted({p for p in G if p in outline} | {h for h in satellites if h in outline}, key=str)
    shrink = reference_shrink([lonlat(p)[1] for p in located] + [outline[c].anchor[1] for c in countries])

    centre: dict[str, tuple[float, float]] = {p: project(*lonlat(p), shrink) for p in located}

    def room(p) -> float:
        return max(_ring_radius(len(satellites.get(p, []))), RING_START / 2)

    def footprint(p, x, y) -> list[tuple[float, float, float, float]]:
        """What a place takes on the map: its ring, and its label above it (as wide as its name)."""
        r = room(p)
        half = max(LABEL_BOX[0], LABEL_BOX[1] * len(name(p))) / 2
        return [(x - RING_WIDEN * r, y - r, x + RING_WIDEN * r, y + r),
                (x - half, y - r - LABEL_BOX[2], x + half, y - r)]

    def clear(a, b) -> bool:
        return (a[2] + CLUSTER_GAP <= b[0] or b[2] + CLUSTER_GAP <= a[0]
                or a[3] + CLUSTER_GAP <= b[1] or b[3] + CLUSTER_GAP <= a[1])

    taken = [box for p, (x, y) in centre.items() for box in footprint(p, x, y)]
    step, steps = ANCHOR_SEARCH
    for c in countries:  # at the anchor, or the nearest spot clear of every place, its rings inside the country
        sx, sy = project(*outline[c].anchor, shrink)
        spot = (sx, sy)
        for k in range(steps):
            d = k * step
            count = 1 if k == 0 else max(8, int(2 * math.pi * d / step))
            found = None
            for i in range(count):
                angle = -math.pi / 2 + 2 * math.pi * i / count
                x, y = sx + d * math.cos(angle), sy + d * math.sin(angle)
                if not all(clear(mine, other) for mine in footprint(c, x, y) for other in taken):
                    continue
                r = room(c)
                rim = [(x + RING_WIDEN * r * math.cos(a * math.pi / 8), y + r * math.sin(a * math.pi / 8))
                       for a in range(16)]
                if all(inside((px / shrink, -py), outline[c].rings) for px, py in [(x, y), *rim]):
                    found = (x, y)  # clear of every place, its rings inside the country
                    break
            if found:
                spot = found
                break
        centre[c] = spot
        taken += footprint(c, *spot)

    pos: dict[str, tuple[float, float]] = {p: xy for p, xy in centre.items() if p in G}
    for h, members in satellites.items():
        cx, cy = centre[h]
        for member, (dx, dy) in zip(members, _ring(len(members))):
            pos[member] = (cx + dx, cy + dy)

    box = None
    if centre:
        xs, ys = [], []
        for h, (x, y) in centre.items():
            r = room(h) if h in satellites else 0.0
            xs += [x - RING_WIDEN * r, x + RING_WIDEN * r]
            ys += [y - r, y + r]
        for c in countries:
            for ring in outline[c].rings:
                for lon, lat in ring:
                    x, y = project(lon, lat, shrink)
                    xs.append(x)
                    ys.append(y)
        box = (min(xs) - MAP_MARGIN, min(ys) - MAP_MARGIN, max(xs) + MAP_MARGIN, max(ys) + MAP_MARGIN)

    # the strip: what is not on the map, by country, then by kind
    def district(n) -> str:
        if attrs(n).get("level") == "district":
            return name(n)
        for p in targets(n, "part_of"):
            if attrs(p).get("level") == "district":
                return name(p)
        return ""

    def order(n):
        if attrs(n).get("kind") == "place":  # each district, then its municipalities
            return fold(district(n)), -rank(n)[0], fold(name(n)), str(n)
        return "", 0, fold(name(n)), str(n)

    grouped: dict[str, dict[str, list[str]]] = {}
    for n in sorted((n for n in G if n not in pos), key=str):
        key = country_of(n) or ""
        grouped.setdefault(key, {}).setdefault(attrs(n).get("kind", ""), []).append(n)
    keys = sorted(grouped, key=lambda k: (k == "", fold(name(k)) if k else "", k))
    cell_w = STRIP_CELL[0]

    def row_height(kind) -> float:
        return STRIP_ROWS.get(kind, STRIP_CELL[1])
    width = STRIP_COLUMNS * cell_w

    def grid(members) -> list[tuple[int, int]]:
        """(row, column) of each member: places of a new district start a new row."""
        cells, row, column, last = [], 0, 0, None
        for n in members:
            here = district(n) if attrs(n).get("kind") == "place" else None
            if column == STRIP_COLUMNS or (column and here != last):
                row, column = row + 1, 0
            cells.append((row, column))
            column, last = column + 1, here
        return cells

    def rows(members) -> int:
        return grid(members)[-1][0] + 1 if members else 0

    def block_height(kinds) -> float:
        return STRIP_HEADING + sum(STRIP_CAPTION + rows(sorted(m, key=order)) * row_height(kind)
                                   for kind, m in kinds.items()) + STRIP_GROUP_GAP

    if box is not None:
        left, top, bottom = box[2] + STRIP_GAP, box[1], box[1] + max(box[3] - box[1], STRIP_MIN_HEIGHT)
    else:
        total = sum(block_height(grouped[k]) for k in keys)
        left, top, bottom = 0.0, 0.0, max(STRIP_MIN_HEIGHT, total / 2)
    x, y = left, top
    groups: list[dict] = []
    for key in keys:
        kinds = grouped[key]
        height = block_height(kinds)
        if y > top and y + height > bottom:
            x, y = x + width + STRIP_GAP, top
        groups.append({"country": key, "count": sum(len(m) for m in kinds.values()), "x": x, "y": y,
                       "width": width, "height": height - STRIP_GROUP_GAP, "level": 1})
        y += STRIP_HEADING
        for kind in sorted(kinds, key=lambda k: kind_rank.get(k, 99)):
            members = sorted(kinds[kind], key=order)
            groups.append({"country": key, "kind": kind, "count": len(members), "x": x, "y": y, "width": width,
                           "level": 2})
            y += STRIP_CAPTION
            for n, (row, column) in zip(members, grid(members)):
                pos[n] = (x + (column + 0.5) * cell_w, y + (row + 0.3) * row_height(kind))
            y += rows(members) * row_height(kind)
        y += STRIP_GROUP_GAP

    return GeoPlan(
        positions={n: (round(px, 6), round(py, 6)) for n, (px, py) in pos.items()},
        shrink=shrink, national=national, box=box, groups=groups,
        focus={o.iso for o in outline.values()}, named={outline[c].iso for c in countries if c in G},
        members=dict(satellites),
        landmarks={p: "country" if p in outline else "place" for p in centre if p in G},
        seats={p: (round(x, 6), round(y, 6)) for p, (x, y) in centre.items() if p not in G},
    )


# --- pathway -------------------------------------------------------------------------------


def pathway_layout(g, step_of: dict[str, str] | None = None, steps=REFERRAL_STEPS) -> Positions:
    """Referral steps as columns left to right (x = the step's index in `steps`), the nodes of
    a step stacked down its column (y = 1, 2, ...).

    `step_of` maps node -> step (default: each service's `referral_step`). A node with no step
    but tied to stepped nodes (an actor offering services) goes under one of its own columns,
    the one nearest the middle of its stepped neighbours, below the tallest column: so each
    actor stands under a step it serves, and its lines stay short. Within a column, services
    come in the order of their providers' columns, so lines to the left start on the left.
    The rest stack in a column at x = -1, left of the first step.
    """
    G = _nx_graph(g)
    if step_of is None:
        step_of = {n: a["referral_step"] for n, a in G.nodes(data=True) if a.get("referral_step") in steps}
    column = {s: i for i, s in enumerate(steps)}

    def name(n):
        return str(G.nodes[n].get("name", n))

    stepped = {n: column[step_of[n]] for n in step_of if n in G and step_of[n] in column}
    home: dict[str, int] = {}  # an unstepped node -> the column it stands under
    loose: list[str] = []
    for n in sorted((n for n in G if n not in stepped), key=lambda n: (name(n), str(n))):
        cols = sorted(stepped[m] for m in set(G.predecessors(n)) | set(G.successors(n)) if m in stepped)
        if cols:
            middle = sum(cols) / len(cols)
            home[n] = min(set(cols), key=lambda c: (abs(c - middle), c))
        else:
            loose.append(n)

    def provider_column(n):
        cols = [home[m] for m in set(G.predecessors(n)) | set(G.successors(n)) if m in home]
        return sum(cols) / len(cols) if cols else stepped[n]

    pos: dict[str, tuple[float, float]] = {}
    heights = [0] * len(steps)
    for n in sorted(stepped, key=lambda n: (stepped[n], provider_column(n), name(n), str(n))):
        c = stepped[n]
        heights[c] += 1
        pos[n] = (float(c), float(heights[c]))
    band_top = max(heights, default=0) + 0.5
    rows: dict[int, int] = {}
    for n in sorted(home, key=lambda n: (home[n], name(n), str(n))):
        rows[home[n]] = rows.get(home[n], 0) + 1
        pos[n] = (float(home[n]), float(band_top + rows[home[n]]))
    for i, n in enumerate(loose, 1):
        pos[n] = (-1.0, float(i))
    return pos
