"""The slide diagram as drawn: labels measured in the SVG itself never overlap one another or
cover a node, text stays legible at every page size, the legend lists only what is drawn, the
pathway keeps each actor under a step it serves.

The SVG is read as a viewer would: each label is a group `label-N` of <text> lines and each
node a group `node-N` of paths. A line's box comes from its position, anchor and font size in
the file and the width of its text measured in DejaVu Sans (matplotlib's TextToPath, not the
renderer that placed it); a node's box from its path's points.
"""
from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from stakeholder_graph.queries.selection import Filters
from stakeholder_graph.viz.diagram import SIZES, diagram_plan, render_diagram
from stakeholder_graph.viz.view import drawn_view

SVG = "{http://www.w3.org/2000/svg}"
PICTURES = {
    "children in Niš": (Filters(population="children", place="Niš"), {}),
    "pathway, children in Niš": (Filters(population="children", place="Niš"), {"pathway": True}),
    "pathway, unaccompanied children in Subotica": (
        Filters(population="unaccompanied children", place="Subotica"), {"pathway": True}),
    "around Atina": (Filters(around="Atina"), {}),
    "geo, the whole seed data": (Filters(), {"layout": "geo"}),
}


@pytest.fixture(scope="module")
def views(seed_graph):
    return {name: drawn_view(seed_graph, filters, **options) for name, (filters, options) in PICTURES.items()}


@pytest.fixture(scope="module")
def drawn(views):
    """{(picture, size): the SVG's root} for every picture at every page size."""
    out = {}
    for name, view in views.items():
        for size in SIZES:
            buffer = io.BytesIO()
            render_diagram(view, buffer, "svg", size=size)
            out[name, size] = ET.fromstring(buffer.getvalue())
    return out


_measure = None


def text_width(text: str, size: float) -> tuple[float, float, float]:
    """(width, height, descent) of `text` in DejaVu Sans at `size` points."""
    global _measure
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    _measure = _measure or TextToPath()
    return _measure.get_text_width_height_descent(text, FontProperties(family="DejaVu Sans", size=size),
                                                  ismath=False)


def text_box(element) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1, in the SVG's points) one <text> line covers."""
    style = dict(part.split(":", 1) for part in element.get("style").replace(" ", "").split(";") if part)
    size = float(style["font-size"].rstrip("px"))
    if element.get("x") is not None:
        x, y = float(element.get("x")), float(element.get("y"))
    else:
        x, y = map(float, re.match(r"translate\(([-\d.e]+)[ ,]([-\d.e]+)\)", element.get("transform")).groups())
    text = "".join(element.itertext())
    width, height, descent = text_width(text, size)
    if style.get("text-anchor") == "middle":
        x -= width / 2
    elif style.get("text-anchor") == "end":
        x -= width
    return x, y - (height - descent), x + width, y + descent


def path_box(group) -> tuple[float, float, float, float]:
    numbers = [float(v) for path in group.iter(f"{SVG}path") for v in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def labels_and_nodes(root):
    labels, nodes = {}, {}
    for group in root.iter(f"{SVG}g"):
        gid = group.get("id") or ""
        if re.fullmatch(r"label-\d+", gid):
            labels[gid] = [(text_box(t), "".join(t.itertext())) for t in group.iter(f"{SVG}text")]
        elif re.fullmatch(r"node-\d+(-national)?", gid):
            nodes[gid] = path_box(group)
    return labels, nodes


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("picture", list(PICTURES))
def test_no_label_overlaps_another_or_covers_a_node(drawn, views, picture, size):
    labels, nodes = labels_and_nodes(drawn[picture, size])
    drawn_nodes = [n for n in views[picture]["nodes"] if n["kind"] != "step"]
    assert len(nodes) >= len(drawn_nodes)
    if len(drawn_nodes) <= 80:  # a small picture labels every node
        assert len(labels) == len(drawn_nodes)
    else:
        assert len(labels) >= 30
    lines = [(gid, box, text) for gid, boxes in labels.items() for box, text in boxes]
    collisions = [(a[2], b[2]) for i, a in enumerate(lines) for b in lines[i + 1:]
                  if a[0] != b[0] and overlap(a[1], b[1])]
    assert collisions == []
    covered = [(text, gid) for _label, box, text in lines for gid, node in nodes.items() if overlap(box, node)]
    assert covered == []


@pytest.mark.parametrize("size", list(SIZES))
def test_text_stays_legible_when_projected_or_printed(drawn, size):
    page = SIZES[size]
    smallest = min(float(re.search(r"font-size: ?([\d.]+)px", t.get("style")).group(1))
                   for (_picture, s), root in drawn.items() if s == size for t in root.iter(f"{SVG}text"))
    if size == "A4":  # printed: points
        assert smallest >= 9
    else:  # projected from a picture 1920 px wide: pixels of that picture
        assert smallest * 1920 / (page.width * 72) >= 18


def test_png_is_1920_pixels_wide_for_slides_and_150_dpi_for_a4(views):
    from PIL import Image

    for size, width in (("16:9", 1920), ("4:3", 1920), ("A4", round(11.693 * 150))):
        buffer = io.BytesIO()
        render_diagram(views["around Atina"], buffer, "png", size=size)
        with Image.open(io.BytesIO(buffer.getvalue())) as image:
            assert abs(image.size[0] - width) <= 1, (size, image.size)


def test_legend_lists_only_what_is_drawn_in_at_most_seven_line_styles(views):
    for name, view in views.items():
        plan = diagram_plan(view, "16:9")
        styles = [(line["color"], line["dash"]) for line in plan["lines"] if line["role"] == "legend"]
        assert len(styles) <= 7, name
        assert len(set(styles)) == len(styles), name  # each one distinguishable
        drawn_styles = {(line["color"], line["dash"]) for line in plan["lines"] if line["role"] == "edge"}
        families = {view["edge_styles"][e["type"]]["family"] for e in view["edges"]}
        assert len([s for s in styles if s[1] == "solid"]) == len(families), name
        assert {c for c, d in drawn_styles} <= {c for c, d in styles}, name
        assert ("dot" in {d for _c, d in drawn_styles}) == ("dot" in {d for _c, d in styles}), name
        legend_text = " ".join(t["text"] for t in plan["texts"] if t["role"].startswith("legend"))
        kinds = {n["kind"] for n in view["nodes"] if n["kind"] != "step"}
        if "project" not in kinds:
            assert "project" not in legend_text, name


def test_pathway_actors_stand_under_a_step_they_serve(views):
    for name in ("pathway, children in Niš", "pathway, unaccompanied children in Subotica"):
        view = views[name]
        headers = {n["x"] for n in view["nodes"] if n["kind"] == "step"}
        by_id = {n["id"]: n for n in view["nodes"]}
        services = {n["id"] for n in view["nodes"] if n["kind"] == "service"}
        for actor in (n for n in view["nodes"] if n["kind"] == "actor"):
            columns = {by_id[e["to"]]["x"] for e in view["edges"] if e["from"] == actor["id"] and e["to"] in services}
            assert actor["x"] in headers, (name, actor["id"])
            if columns:
                assert actor["x"] in columns, (name, actor["id"])
            below = max(by_id[s]["y"] for s in services)
            assert actor["y"] > below  # under the services, not among them


def test_sources_wrap_and_nothing_is_cut_mid_word(views):
    plan = diagram_plan(views["children in Niš"], "16:9")
    sources = next(t for t in plan["texts"] if t["role"] == "sources")
    assert "\n" in sources["text"]
    assert sources["x"] + sources["w"] <= plan["width"] - 0.2
    names = [s["title"] for s in views["children in Niš"]["sources"]]
    flat = sources["text"].replace("\n", " ")
    listed = [n for n in names if n in flat]
    assert listed and listed == names[: len(listed)]  # whole names, in order
    if len(listed) < len(names):
        assert f"and {len(names) - len(listed)} more" in flat


def test_every_text_sits_on_the_page(views):
    for name, view in views.items():
        for size in SIZES:
            plan = diagram_plan(view, size)
            for t in plan["texts"]:
                assert 0 <= t["x"] and t["x"] + t["w"] <= plan["width"] + 1e-6, (name, size, t["text"])
                assert 0 <= t["y"] and t["y"] + t["h"] <= plan["height"] + 1e-6, (name, size, t["text"])


# --- as a browser draws it ---------------------------------------------------------------------

BOXES_IN_BROWSER = """() => {
    const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const labels = Array.from(document.querySelectorAll('g[id^="label-"]'), (g) =>
        Array.from(g.querySelectorAll('text'), (t) => [box(t), t.textContent]));
    const nodes = Array.from(document.querySelectorAll('g[id^="node-"]'), (g) => box(g.querySelector('path')));
    return {labels, nodes};
}"""


def test_the_16_9_pathway_diagram_in_chromium(views, browser, tmp_path):
    """The SVG opened in Chromium: it loads nothing, its picture is not blank, and the labels'
    boxes as the browser lays their text out overlap neither one another nor a node."""
    from PIL import Image

    path = tmp_path / "pathway.svg"
    with path.open("wb") as out:
        render_diagram(views["pathway, children in Niš"], out, "svg", size="16:9")
    context = browser.new_context(viewport={"width": 1280, "height": 720})  # the SVG: 960 x 540 pt
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_timeout(200)
        assert requests == [path.as_uri()]
        png = page.screenshot()
        if os.environ.get("SCREENSHOTS"):  # kept, to be looked at
            Path(os.environ["SCREENSHOTS"], "diagram-pathway-16x9.png").write_bytes(png)
        shot = Image.open(io.BytesIO(png)).convert("RGB")
        colours = shot.getcolors(maxcolors=1 << 24)
        background = max(colours)[0]
        assert shot.width * shot.height - background > shot.width * shot.height * 0.03, "blank"
        boxes = page.evaluate(BOXES_IN_BROWSER)
    finally:
        context.close()
    assert len(boxes["labels"]) == len([n for n in views["pathway, children in Niš"]["nodes"] if n["kind"] != "step"])
    lines = [(i, box, text) for i, label in enumerate(boxes["labels"]) for box, text in label]
    assert [(a[2], b[2]) for k, a in enumerate(lines) for b in lines[k + 1:] if a[0] != b[0] and overlap(a[1], b[1])] == []
    assert [text for _i, box, text in lines for node in boxes["nodes"] if overlap(box, node)] == []


def test_no_text_in_the_drawing_covers_a_node(views):
    """Labels, step headers, panel headings and country names, as planned: none over a node
    (or a national body's ring)."""
    from stakeholder_graph.viz.diagram import _extent

    for name, view in views.items():
        for size in SIZES:
            plan = diagram_plan(view, size)
            nodes = [(n["x"] - _extent(n), n["y"] - _extent(n), n["x"] + _extent(n), n["y"] + _extent(n), n["id"])
                     for n in plan["nodes"] if n["role"] == "node"]
            covered = [(t["text"], n[4]) for t in plan["texts"] if t["role"] in ("label", "step", "geo")
                       for n in nodes if overlap((t["x"], t["y"], t["x"] + t["w"], t["y"] + t["h"]), n)]
            assert covered == [], (name, size)
            assert plan["unlabelled"] == 0 or len(view["nodes"]) > 80, (name, size)
