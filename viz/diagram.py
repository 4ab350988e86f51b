"""A static network diagram for slides (PNG, SVG, PDF), drawn with matplotlib (Agg).

It draws the same view as the HTML map (viz.view.build_view: the same selection, audience,
colours and seeded positions) with a title, a legend, a line naming the sources, and
labels pushed apart until none overlaps another or a node (where the graph is small enough
to label every node; larger graphs label their most central nodes). SVG keeps text as text
(`svg.fonttype: none`) so labels and the legend can be searched and edited; text is never
read as mathtext.
"""
from __future__ import annotations

import textwrap
from typing import BinaryIO

from stakeholder_graph.viz import require
from stakeholder_graph.viz.map_html import GENERATOR, made_line
from stakeholder_graph.viz.text import xml_text

RC = {
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "text.parse_math": False,
    "font.family": "DejaVu Sans",
    "svg.hashsalt": "stakeholder-graph",
}
LABEL_ALL_LIMIT = 80  # label every node up to this many; above, the most central ones
LABELS_ABOVE_LIMIT = 40
ARROW_LIMIT = 400  # draw arrowheads (patches) up to this many edges; above, plain lines
EDGE_ALPHA = 0.75
LABEL_SIZE = 7.5


def _marker_points(size_px: float, large: bool) -> float:
    """Marker diameter in points for a vis-network radius in px (10..36)."""
    d = 6.0 + (size_px - 10.0) * 14.0 / 26.0
    return d * (0.55 if large else 1.0)


def _dashes(dashes: list | None, scale: float = 0.6):
    """A matplotlib line style for a dash pattern in px (None: solid)."""
    if not dashes:
        return "solid"
    return (0, tuple(max(0.5, d * scale) for d in dashes))


def _figure_size(n: int) -> tuple[float, float]:
    if n <= 60:
        return 16.0, 9.0
    if n <= 200:
        return 20.0, 12.0
    return 24.0, 15.0


def _sources_line(view: dict, width: int) -> str:
    sources = view["sources"]
    if not sources:
        return "Sources: none visible to this audience."
    names = [s["title"] + (f" ({s['publisher']})" if s.get("publisher") else "") for s in sources]
    text = f"Sources ({len(sources)}): " + "; ".join(names)
    lines = textwrap.wrap(text, width)
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1][: width - 40].rstrip() + " … (all in `stakeholder-graph sources`)"
    return "\n".join(lines)


def draw(view: dict):
    """(figure, label texts). Call inside `matplotlib.rc_context(RC)`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    nodes = [n for n in view["nodes"] if n["kind"] != "step"]
    steps = [n for n in view["nodes"] if n["kind"] == "step"]
    large = len(nodes) > 300
    width, height = _figure_size(len(nodes))
    fig = Figure(figsize=(width, height))
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.10, 0.77, 0.80))
    ax.set_axis_off()
    legend_ax = fig.add_axes((0.79, 0.10, 0.20, 0.80))
    legend_ax.set_axis_off()

    # vis-network's y grows downwards: flip it so the picture matches the map
    xy = {n["id"]: (n["x"], -n["y"]) for n in view["nodes"]}
    xs = [p[0] for p in xy.values()]
    ys = [p[1] for p in xy.values()]
    pad_x = max(90.0, (max(xs) - min(xs)) * 0.06)
    pad_y = max(70.0, (max(ys) - min(ys)) * 0.08)
    x0, x1 = min(xs) - pad_x, max(xs) + pad_x
    y0, y1 = min(ys) - pad_y * 1.5, max(ys) + pad_y  # room for the labels below the nodes
    # equal scale on both axes: widen whichever range is short for the axes' shape
    box_w, box_h = 0.77 * width, 0.80 * height
    if (x1 - x0) / box_w > (y1 - y0) / box_h:
        extra = (x1 - x0) / box_w * box_h - (y1 - y0)
        y0, y1 = y0 - extra / 2, y1 + extra / 2
    else:
        extra = (y1 - y0) / box_h * box_w - (x1 - x0)
        x0, x1 = x0 - extra / 2, x1 + extra / 2
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)

    marker = {n["id"]: _marker_points(n["size"], large) for n in nodes}

    # edges
    patches = len(view["edges"]) <= ARROW_LIMIT
    segments: dict[str, list] = {}
    for e in view["edges"]:
        style = view["edge_styles"][e["type"]]
        if patches:
            ax.add_patch(FancyArrowPatch(
                xy[e["from"]], xy[e["to"]],
                arrowstyle="-|>" if style["arrow"] else "-", mutation_scale=7,
                connectionstyle=f"arc3,rad={0.18 * e['curve']}" if e.get("curve") else "arc3",
                shrinkA=marker.get(e["from"], 6) / 2, shrinkB=marker.get(e["to"], 6) / 2 + 1,
                color=style["color"], linewidth=style["width"] * 0.7, linestyle=_dashes(e.get("dashes")),
                alpha=EDGE_ALPHA, zorder=1,
            ))
        else:
            segments.setdefault((e["type"], tuple(e.get("dashes") or ())), []).append([xy[e["from"]], xy[e["to"]]])
    if segments:
        from matplotlib.collections import LineCollection

        for (etype, dashes), segs in sorted(segments.items()):
            style = view["edge_styles"][etype]
            ax.add_collection(LineCollection(
                segs, colors=style["color"], linewidths=style["width"] * 0.4,
                linestyles=_dashes(list(dashes), 0.4), alpha=0.5, zorder=1,
            ))

    # nodes, one scatter per (kind, dimmed)
    markers = {k["key"]: k["marker"] for k in view["legend"]["kinds"]}
    groups: dict[tuple[str, bool], list] = {}
    for n in nodes:
        groups.setdefault((n["kind"], bool(n.get("dim"))), []).append(n)
    for (kind, dim), members in sorted(groups.items()):
        ax.scatter(
            [xy[n["id"]][0] for n in members], [xy[n["id"]][1] for n in members],
            s=[marker[n["id"]] ** 2 for n in members], c=[n["color"] for n in members],
            marker=markers[kind], edgecolors="#37474f", linewidths=0.6,
            alpha=0.45 if dim else 1.0, zorder=2,
        )

    # pathway step headers
    fixed = []
    for s in steps:
        fixed.append(ax.text(
            *xy[s["id"]], s["label"], ha="center", va="center", fontsize=9, color="white",
            weight="bold", zorder=4,
            bbox={"boxstyle": "round,pad=0.4", "fc": s["color"], "ec": "none"},
        ))

    # labels: every node when small, else the most central
    if len(nodes) <= LABEL_ALL_LIMIT:
        labelled = nodes
    else:
        labelled = sorted(nodes, key=lambda n: (-n["size"], n["id"]))[:LABELS_ABOVE_LIMIT]
    labelled = sorted(labelled, key=lambda n: n["id"])
    offsets = [(0.0, -(marker[n["id"]] / 2 + 2)) for n in labelled]
    texts = [
        ax.annotate(n["label"], xy[n["id"]], xytext=off, textcoords="offset points",
                    ha="center", va="top", fontsize=LABEL_SIZE, zorder=3, annotation_clip=False)
        for n, off in zip(labelled, offsets)
    ]
    renderer = canvas.get_renderer()
    if texts:
        moved = _separate_labels(fig, ax, renderer, texts, labelled, nodes, xy, marker, fixed)
        for t, n, (dx, dy) in zip(texts, labelled, moved):
            t.xyann = (dx, dy)
            if abs(dx) > 14 or abs(dy + marker[n["id"]] / 2 + 2) > 14:
                ax.annotate(
                    "", xy[n["id"]], xytext=(dx, dy), textcoords="offset points", zorder=2.5,
                    arrowprops={"arrowstyle": "-", "lw": 0.4, "color": "#777777",
                                "shrinkA": 0, "shrinkB": marker[n["id"]] / 2},
                    annotation_clip=False,
                )

    # title, legend, sources
    fig.text(0.01, 0.975, view["title"], fontsize=18, weight="bold", va="top")
    fig.text(0.01, 0.935, f"{view['subtitle']} · made {made_line()[:10]} with {GENERATOR}",
             fontsize=9.5, color="#444444", va="top")
    fig.text(0.01, 0.012, _sources_line(view, int(width * 13)), fontsize=7.5, color="#333333",
             va="bottom", linespacing=1.3)
    _legend(legend_ax, view, Line2D)
    return fig, texts


def _legend(ax, view: dict, Line2D) -> None:
    titles = {"sector": "Colour: sector (actors), kind (others)", "kind": "Colour: kind",
              "country": "Colour: country"}
    handles, labels, headers = [], [], []

    def header(text):
        headers.append(len(labels))
        handles.append(Line2D([], [], linestyle="none"))
        labels.append(text)

    header(titles[view["color_by"]])
    for item in view["legend"]["colors"]:
        handles.append(Line2D([], [], marker="o", linestyle="none", markersize=8,
                              markerfacecolor=item["color"], markeredgecolor="#37474f"))
        labels.append(item["label"])
    header("Shape: kind")
    for item in view["legend"]["kinds"]:
        handles.append(Line2D([], [], marker=item["marker"], linestyle="none", markersize=8,
                              markerfacecolor="white", markeredgecolor="#37474f"))
        labels.append(item["label"])
    if view["legend"]["edges"]:
        header("Line colour: relation")
    for item in view["legend"]["edges"]:
        handles.append(Line2D([], [], color=item["color"], linewidth=item["width"] + 0.3))
        labels.append(item["label"])
    if view["legend"].get("bases"):
        header("Line style: basis")
    for item in view["legend"].get("bases", []):
        handles.append(Line2D([], [], color="#37474f", linewidth=1.6, linestyle=_dashes(item["dashes"])))
        labels.append(item["label"])
    header(f"Size: {view['size_by']} centrality")
    size = 8.5 if len(labels) <= 36 else 7
    legend = ax.legend(handles, labels, loc="upper left", frameon=False, fontsize=size,
                       handlelength=2.6, borderaxespad=0.0, labelspacing=0.45)
    for i in headers:
        legend.get_texts()[i].set_weight("bold")


def _separate_labels(fig, ax, renderer, texts, labelled, nodes, xy, marker, fixed) -> list:
    """Move labels (in points, relative to their node) until no two overlap and none covers
    a node or a fixed box; returns the final offsets. Deterministic."""
    np = require("numpy")

    px_per_pt = fig.dpi / 72.0
    boxes = np.array([[*t.get_window_extent(renderer).bounds] for t in texts])  # x, y, w, h (px)
    offsets = np.array([t.xyann for t in texts], dtype=float) * px_per_pt
    base = boxes[:, :2] - offsets  # box corner when the offset is zero
    w, h = boxes[:, 2] + 3, boxes[:, 3] + 1
    centres = ax.transData.transform(np.array([xy[n["id"]] for n in nodes]))
    radii = np.array([marker[n["id"]] / 2 * px_per_pt + 2 for n in nodes])
    own = {n["id"]: i for i, n in enumerate(nodes)}
    own_index = np.array([own[n["id"]] for n in labelled])
    obstacles = np.array([[*f.get_window_extent(renderer).bounds] for f in fixed]).reshape(-1, 4)
    L = len(texts)
    for _ in range(400):
        x0 = base[:, 0] + offsets[:, 0]
        y0 = base[:, 1] + offsets[:, 1]
        push = np.zeros((L, 2))
        # label against label
        ox = np.minimum(x0[:, None] + w[:, None], x0[None, :] + w[None, :]) - np.maximum(x0[:, None], x0[None, :])
        oy = np.minimum(y0[:, None] + h[:, None], y0[None, :] + h[None, :]) - np.maximum(y0[:, None], y0[None, :])
        np.fill_diagonal(ox, 0)
        hit = (ox > 0) & (oy > 0)
        if hit.any():
            cy = (y0 + h / 2)[:, None] - (y0 + h / 2)[None, :]
            cx = (x0 + w / 2)[:, None] - (x0 + w / 2)[None, :]
            order = np.sign(np.arange(L)[:, None] - np.arange(L)[None, :])  # ties: by index
            along_y = oy <= ox * 1.5
            sy = np.where(cy != 0, np.sign(cy), order)
            sx = np.where(cx != 0, np.sign(cx), order)
            push[:, 1] += np.where(hit & along_y, sy * (oy / 2 + 0.5), 0).sum(axis=1)
            push[:, 0] += np.where(hit & ~along_y, sx * (ox / 2 + 0.5), 0).sum(axis=1)
        # label against node markers (not its own) and fixed boxes
        nx0 = centres[:, 0] - radii
        ny0 = centres[:, 1] - radii
        ox = np.minimum(x0[:, None] + w[:, None], nx0[None, :] + 2 * radii[None, :]) - np.maximum(x0[:, None], nx0[None, :])
        oy = np.minimum(y0[:, None] + h[:, None], ny0[None, :] + 2 * radii[None, :]) - np.maximum(y0[:, None], ny0[None, :])
        node_hit = (ox > 0) & (oy > 0)
        node_hit[np.arange(L), own_index] = False
        if len(obstacles):
            fx = np.minimum(x0[:, None] + w[:, None], obstacles[None, :, 0] + obstacles[None, :, 2]) - np.maximum(x0[:, None], obstacles[None, :, 0])
            fy = np.minimum(y0[:, None] + h[:, None], obstacles[None, :, 1] + obstacles[None, :, 3]) - np.maximum(y0[:, None], obstacles[None, :, 1])
            fixed_hit = (fx > 0) & (fy > 0)
            cy = (y0 + h / 2)[:, None] - (obstacles[None, :, 1] + obstacles[None, :, 3] / 2)
            push[:, 1] += np.where(fixed_hit, np.where(cy >= 0, 1, -1) * (fy + 1), 0).sum(axis=1)
        if node_hit.any():
            cy = (y0 + h / 2)[:, None] - centres[None, :, 1]
            push[:, 1] += np.where(node_hit, np.where(cy >= 0, 1, -1) * (oy + 1), 0).sum(axis=1)
        if not hit.any() and not node_hit.any() and not (len(obstacles) and fixed_hit.any()):
            break
        offsets += np.clip(push, -20, 20)
    return [tuple(o) for o in offsets / px_per_pt]


def inert_view(value):
    """A copy of a view with every text as XML may hold it (viz.text.xml_text): an SVG with a
    control character in a label would not parse, and a PNG would draw it as a box."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {(xml_text(k) if isinstance(k, str) else k): inert_view(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(inert_view(v) for v in value)
    return value


def render_diagram(view: dict, out: BinaryIO, fmt: str, *, dpi: int = 200) -> None:
    """Draw `view` as png, svg or pdf into a binary stream; text from the data is drawn with
    control characters as visible escapes (inert_view)."""
    matplotlib = require("matplotlib")

    view = inert_view(view)

    metadata = {
        "png": {"Title": view["title"], "Software": GENERATOR},
        "svg": {"Title": view["title"], "Date": None, "Creator": GENERATOR},
        "pdf": {"Title": view["title"], "Creator": GENERATOR, "CreationDate": None},
    }[fmt]
    with matplotlib.rc_context(RC):
        fig, _ = draw(view)
        fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
