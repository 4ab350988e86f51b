"""Node positions computed in Python, shared by the HTML map, the diagram and the exports.

Every layout is deterministic: the same graph gives the same positions on every run (nodes
are taken in sorted order and any randomness is seeded). Positions are plain floats
{node_id: (x, y)}; y grows downwards (screen convention), so north is up in `geo_layout`.

- `force_layout`: Fruchterman-Reingold spring layout, seeded, scaled into [-1, 1].
- `geo_layout`: places at their coordinates, actors and services in rings beside their places.
- `pathway_layout`: referral steps as columns, left to right.

numpy is imported inside the functions (it comes with matplotlib, the `maps` extra).
"""
from __future__ import annotations

import math

from stakeholder_graph.graph.schema import REFERRAL_STEPS
from stakeholder_graph.viz import require

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

RING_START = 0.09  # degrees from a place to its first ring of actors and services
RING_STEP = 0.07  # between rings, and between neighbours on a ring
COLUMN_GAP = 0.35  # between the columns beside the map: room for a label


def _ring(count: int) -> list[tuple[float, float]]:
    """Offsets for `count` satellites on rings around a centre, filled inside out."""
    out: list[tuple[float, float]] = []
    radius = RING_START
    while len(out) < count:
        capacity = max(6, int(2 * math.pi * radius / RING_STEP))
        take = min(capacity, count - len(out))
        for i in range(take):
            angle = -math.pi / 2 + 2 * math.pi * i / take
            out.append((radius * math.cos(angle), radius * math.sin(angle)))
        radius += RING_STEP
    return out


def _ring_radius(count: int) -> float:
    return max((math.hypot(x, y) for x, y in _ring(count)), default=0.0)


def geo_layout(g, reference=None) -> Positions:
    """Places at their coordinates (x from longitude, scaled by the cosine of the mean
    latitude; y = -latitude, so north is up), in degrees.

    Actors ring their most local `located_in` place, services the most local place they
    cover (or, failing that, their provider). Places without coordinates (countries, regions,
    districts) stack in columns west of the map with their own rings; what belongs to no
    place (populations, projects, forms, ...) stacks in columns east of it, by kind.
    `reference` (default `g`) is the graph whose place hierarchy decides "most local".
    """
    G = _nx_graph(g)
    R = _nx_graph(reference) if reference is not None else G
    level_rank = {"municipality": 0, "district": 1, "country": 2, "region": 3}

    def attrs(n):
        return G.nodes[n] if n in G else R.nodes.get(n, {})

    coords = {
        n: (float(a["lon"]), float(a["lat"])) for n, a in G.nodes(data=True)
        if a.get("kind") == "place" and a.get("lat") is not None and a.get("lon") is not None
    }
    mean_lat = sum(lat for _, lat in coords.values()) / len(coords) if coords else 0.0
    shrink = math.cos(math.radians(mean_lat))
    pos: dict[str, tuple[float, float]] = {
        n: (lon * shrink, -lat) for n, (lon, lat) in coords.items()
    }

    def out_targets(n, etype):
        return sorted({v for _, v, a in G.out_edges(n, data=True) if a.get("type") == etype})

    def most_local(places):
        places = [p for p in places if attrs(p).get("kind") == "place"]
        if not places:
            return None
        return min(places, key=lambda p: (p not in coords, level_rank.get(attrs(p).get("level"), 4), str(p)))

    anchor: dict[str, str] = {}  # satellite -> the node it rings
    for n in sorted(G, key=str):
        kind = G.nodes[n].get("kind")
        if kind == "actor":
            home = most_local(out_targets(n, "located_in"))
        elif kind == "service":
            home = most_local(out_targets(n, "covers"))
            if home is None:
                providers = sorted(u for u, _, a in G.in_edges(n, data=True) if a.get("type") == "offers")
                home = providers[0] if providers else None
        else:
            continue
        if home is not None:
            anchor[n] = home
    # a service ringing an actor that itself rings a place moves to that place
    for n, home in list(anchor.items()):
        if home in anchor:
            anchor[n] = anchor[home]

    satellites: dict[str, list[str]] = {}
    for n, home in sorted(anchor.items(), key=lambda item: (G.nodes[item[0]].get("kind"), str(item[0]))):
        satellites.setdefault(home, []).append(n)

    xs = [x for x, _ in pos.values()] or [0.0]
    ys = [y for _, y in pos.values()] or [0.0]
    top = min(ys)
    height = max(max(ys) - top, 3.0)

    def columns(column_nodes, x0, outward):
        """Stack nodes (each as wide as its ring) in columns of at most `height`, the first
        column at x0, further ones outward (-1 west, +1 east)."""
        x, y, width = x0, top, 0.0
        for n in column_nodes:
            r = _ring_radius(len(satellites.get(n, [])))
            if y > top and y + 2 * r > top + height:
                x += outward * (width + COLUMN_GAP)
                y, width = top, 0.0
            pos[n] = (x + outward * r, y + r)
            y += 2 * r + RING_STEP * 2
            width = max(width, 2 * r)

    # places without coordinates, broadest first, west of the map
    columns(sorted(
        (n for n, a in G.nodes(data=True) if a.get("kind") == "place" and n not in pos),
        key=lambda n: (-level_rank.get(G.nodes[n].get("level"), 4), str(G.nodes[n].get("name", n)), str(n)),
    ), min(xs) - 1.0, -1)
    # what rings no place (populations, projects, ...), by kind, east of the map
    columns(sorted(
        (n for n in G if n not in pos and n not in anchor),
        key=lambda n: (str(G.nodes[n].get("kind")), str(G.nodes[n].get("name", n)), str(n)),
    ), max(xs) + 1.0, 1)

    for home, members in satellites.items():
        if home not in pos:
            continue
        cx, cy = pos[home]
        for member, (dx, dy) in zip(members, _ring(len(members))):
            pos[member] = (cx + dx, cy + dy)
    columns(sorted((n for n in G if n not in pos), key=str), max(xs) + 1.0 + height, 1)  # none expected
    return {n: (round(x, 6), round(y, 6)) for n, (x, y) in pos.items()}


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
