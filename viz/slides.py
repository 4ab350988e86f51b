"""Editable slides: the diagram's plans (viz.diagram.diagram_plan) as a PowerPoint file.

Every piece is a native, separately movable shape a trainer can restyle in PowerPoint or
LibreOffice Impress: country outlines are freeforms, nodes autoshapes (oval, rectangle,
diamond, triangle, hexagon, star, pentagon), edges connectors glued to the nodes they join
(move a node and its edges follow), texts text boxes with the plan's line breaks. Nothing is
grouped and nothing is a picture; each shape is named for the selection pane ("node: Atina",
"label: Atina", "edge: offers"). One slide per plan, then the sources they cite, numbered,
on as many slides as they need, headed in the plans' language.

The plan decides everything (positions in inches from the top-left corner, sizes in points,
colours); this module only draws it. The file is reproducible: no timestamps in the document
properties or the zip entries, so the same plans give the same bytes.
"""
from __future__ import annotations

import io
import math
import re
import textwrap
import zipfile
from typing import BinaryIO

from stakeholder_graph.graph import VERSION
from stakeholder_graph.graph.errors import ExportError, MissingDependency
from stakeholder_graph.viz.i18n import _, use_language
from stakeholder_graph.viz.style import ring_radius

FONT = "DejaVu Sans"  # shipped with LibreOffice and on most Linux machines; PowerPoint substitutes
EMU_PER_INCH = 914400
LOCAL = 10000  # freeform coordinates: 1/10000 inch
TEXT_LANG = {"en": "en-GB", "sr-Latn": "sr-Latn-RS", "sr-Cyrl": "sr-Cyrl-RS"}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest date, for every entry

# plan shape -> (preset name of python-pptx's MSO_SHAPE, box width and height in radii,
# connection sites as fractions of the box from its top-left corner, in the preset's order:
# ECMA-376 presetShapeDefinitions, as PowerPoint and LibreOffice number them)
_RECT_SITES = ((0.5, 0.0), (0.0, 0.5), (0.5, 1.0), (1.0, 0.5))
_D = 0.1464  # 1/2 - cos(45°)/2: the ellipse's diagonal sites
_OVAL_SITES = ((0.5, 0.0), (_D, _D), (0.0, 0.5), (_D, 1 - _D), (0.5, 1.0), (1 - _D, 1 - _D), (1.0, 0.5), (1 - _D, _D))
_TRIANGLE_SITES = ((0.5, 0.0), (0.25, 0.5), (0.0, 1.0), (0.5, 1.0), (1.0, 1.0), (0.75, 0.5))
SHAPES = {
    "circle": ("OVAL", 2.0, 2.0, _OVAL_SITES),
    "dot": ("OVAL", 2.0, 2.0, _OVAL_SITES),
    "ellipse": ("OVAL", 2.6, 1.6, _OVAL_SITES),
    "square": ("RECTANGLE", 2.0, 2.0, _RECT_SITES),
    "diamond": ("DIAMOND", 2.0, 2.0, _RECT_SITES),
    "triangle": ("ISOSCELES_TRIANGLE", 2.0, 1.732, _TRIANGLE_SITES),
    # the same triangle flipped upside down (flipV): its sites flip with it
    "triangle-down": ("ISOSCELES_TRIANGLE", 2.0, 1.732, _TRIANGLE_SITES),
    "hexagon": ("HEXAGON", 2.0, 1.732, ((1.0, 0.5), (0.75, 1.0), (0.25, 1.0), (0.0, 0.5), (0.25, 0.0), (0.75, 0.0))),
    "star": ("STAR_5_POINT", 2.0, 1.902, ((0.5, 0.0), (0.0, 0.382), (0.191, 1.0), (0.809, 1.0), (1.0, 0.382))),
    "pentagon": ("REGULAR_PENTAGON", 2.0, 1.902,
                 ((0.5, 0.0), (0.0, 0.382), (0.191, 1.0), (0.5, 1.0), (0.809, 1.0), (1.0, 0.382))),
}
# LibreOffice 7.4 has no sites of its own for the star: it glues to its box's top, left, bottom
# and right middles instead and leaves a fifth site where the file puts it; the top and the two
# side tips are where both programs draw them (the left one nearly), so only those are used
USABLE_SITES = {"star": (0, 1, 4)}
DASHES = {"solid": "SOLID", "dot": "ROUND_DOT", "dash": "DASH", "dashdot": "DASH_DOT", "longdash": "LONG_DASH"}

# the sources slides
SOURCES_SIZE = 11.0  # pt
SOURCES_HEAD = 24.0
SOURCES_LINE = 1.2  # line height / font size (DejaVu Sans: 1.16), with room to spare
SOURCES_GAP = 0.35  # between sources, in lines
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_pptx(plans: list[dict], out: BinaryIO, *, lang: str | None = None) -> None:
    """Write `plans` (viz.diagram.diagram_plan's dicts, one slide each) and a sources slide to
    `out` as a .pptx file. The page size is the first plan's (every plan must have it); the
    sources slides are headed in `lang` (default: the first plan's language). Needs
    python-pptx (the `maps` extra), else MissingDependency."""
    try:
        from pptx import Presentation  # heavy: imported only here
    except ImportError:
        raise MissingDependency("slides need python-pptx: pip install 'stakeholder-graph[maps]'") from None

    if not plans:
        raise ExportError("no plan to draw")
    width, height = plans[0]["width"], plans[0]["height"]
    if any((p["width"], p["height"]) != (width, height) for p in plans):
        raise ExportError("every slide of a presentation has the same size: draw the plans at one size")
    lang = lang or plans[0].get("lang") or "en"

    prs = Presentation()
    prs.slide_width, prs.slide_height = _emu(width), _emu(height)
    blank = prs.slide_layouts[6]  # "Blank": no placeholders
    for plan in plans:
        _Slide(prs.slides.add_slide(blank), TEXT_LANG.get(plan.get("lang") or lang, "en-GB")).draw(plan)
    with use_language(lang):
        _sources_slides(prs, blank, _sources(plans), width, height, TEXT_LANG.get(lang, "en-GB"))
    _properties(prs, plans[0], lang)
    buffer = io.BytesIO()
    prs.save(buffer)
    out.write(_reproducible(buffer.getvalue()))


# --- drawing one plan ----------------------------------------------------------------------


def _emu(inches: float) -> int:
    return int(round(inches * EMU_PER_INCH))


def _clean(text) -> str:
    """Text XML can hold (control characters dropped)."""
    return _INVALID_XML.sub("", str(text if text is not None else ""))


def _one_line(text: str, limit: int = 60) -> str:
    words = " ".join(_clean(text).split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


class _Slide:
    """Draws one plan on one slide: outlines, lines, nodes, texts, in that order (back to front)."""

    def __init__(self, slide, text_lang: str):
        self.slide = slide
        self.shapes = slide.shapes
        self.text_lang = text_lang
        self.nodes: dict[str, tuple[object, dict]] = {}  # node id -> (shape, plan node), as drawn
        self.planned: dict[str, dict] = {}  # node id -> plan node

    def draw(self, plan: dict) -> None:
        self.planned = {n["id"]: n for n in plan.get("nodes", ()) if n.get("id") is not None}
        names = {t["node"]: _one_line(t["text"]) for t in plan.get("texts", ()) if t.get("node") and t.get("text")}
        legend_words = [t for t in plan.get("texts", ()) if t.get("role") == "legend"]
        for i, outline in enumerate(plan.get("outlines", ()), 1):
            self.outline(outline, f"outline {i}")
        glue = []  # (connector, begin node id or None, begin site, end node id or None, end site)
        for i, line in enumerate(plan.get("lines", ()), 1):
            glue.append(self.line(line, i, names, legend_words))
        for i, node in enumerate(plan.get("nodes", ()), 1):
            self.node(node, self._node_name(node, i, names, legend_words))
        for connector, begin, begin_site, end, end_site in filter(None, glue):
            xml = connector._element.nvCxnSpPr.cNvCxnSpPr
            if begin in self.nodes:
                cxn = xml.get_or_add_stCxn()
                cxn.id, cxn.idx = self.nodes[begin][0].shape_id, begin_site
            if end in self.nodes:
                cxn = xml.get_or_add_endCxn()
                cxn.id, cxn.idx = self.nodes[end][0].shape_id, end_site
        for text in plan.get("texts", ()):
            self.text(text)

    @staticmethod
    def _node_name(node: dict, i: int, names: dict, legend_words: list[dict]) -> str:
        if node.get("id") is not None and node.get("role") != "legend":
            return f"node: {names.get(node['id']) or _one_line(node['id'])}"
        word = _legend_word(node["x"], node["y"], legend_words)
        return f"legend: {node.get('shape', 'circle')} {word}".rstrip() if word else f"legend: {node.get('shape')} {i}"

    # outlines -------------------------------------------------------------------------------

    def outline(self, outline: dict, name: str) -> None:
        points = [(x * LOCAL, y * LOCAL) for x, y in outline["points"]]
        if len(points) < 2:
            return
        builder = self.shapes.build_freeform(points[0][0], points[0][1], scale=EMU_PER_INCH / LOCAL)
        builder.add_line_segments(points[1:], close=bool(outline.get("fill")))
        shape = builder.convert_to_shape()
        shape.name = name
        _plain(shape)
        _fill(shape, outline.get("fill"), 1.0)
        _line(shape.line, outline.get("line"), outline.get("width", 0.75), 1.0)

    # lines ----------------------------------------------------------------------------------

    def line(self, line: dict, i: int, names: dict, legend_words: list[dict]):
        """Draw one line; (connector, begin node, site, end node, site) to glue once the nodes
        are drawn, or None."""
        from pptx.enum.shapes import MSO_CONNECTOR

        points = [tuple(p) for p in line.get("points", ())]
        if len(points) < 2:
            return None
        role = line.get("role", "edge")
        nodes = self.planned
        begin = line.get("from") if line.get("from") in nodes else None
        end = line.get("to") if line.get("to") in nodes else None
        if begin is not None and begin == end and len(points) > 2:  # a loop: no straight line draws it
            begin = end = None
        if role == "edge" and (begin or end):
            joins = f"{names.get(begin, begin or '?')} → {names.get(end, end or '?')}"
            name = f"edge: {_one_line(line['type'], 30)} ({joins})" if line.get("type") else f"edge: {joins}"
        elif role == "legend":
            name = f"legend: line {_legend_word(points[-1][0], points[-1][1], legend_words) or i}"
        else:
            name = f"{role}: {names.get(end) or names.get(begin) or i}"
        begin_site = end_site = None
        if len(points) > 2 and not (begin or end):  # a free polyline: an open freeform
            builder = self.shapes.build_freeform(points[0][0] * LOCAL, points[0][1] * LOCAL,
                                                 scale=EMU_PER_INCH / LOCAL)
            builder.add_line_segments([(x * LOCAL, y * LOCAL) for x, y in points[1:]], close=False)
            shape = builder.convert_to_shape()
            _plain(shape)
            shape.fill.background()
            ln = shape.line
        else:  # a connector, glued to the nodes it joins at the sites facing along the line
            start, stop = points[0], points[-1]
            if begin is not None:
                begin_site, start = _site(nodes[begin], points[1])
            if end is not None:
                end_site, stop = _site(nodes[end], points[-2])
            shape = self.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, _emu(start[0]), _emu(start[1]),
                                              _emu(stop[0]), _emu(stop[1]))
            _plain(shape)
            ln = shape.line
        shape.name = name
        _line(ln, line.get("color"), line.get("width", 1.0), line.get("alpha", 1.0), line.get("dash", "solid"),
              bool(line.get("arrow")))
        return (shape, begin, begin_site, end, end_site) if begin_site is not None or end_site is not None else None

    # nodes ----------------------------------------------------------------------------------

    def node(self, node: dict, name: str) -> None:
        alpha = node.get("alpha", 1.0)
        if node.get("national"):  # a second ring: the node's outline again, a little outside it
            r = node["r"]
            ring = self._autoshape(node, ring_radius(r))
            ring.name = f"ring: {name.split(': ', 1)[-1]} (national)"
            _fill(ring, None, 1.0)
            _line(ring.line, node.get("line") or node.get("fill"), 1.25, alpha)
        shape = self._autoshape(node, node["r"])
        shape.name = name
        _fill(shape, node.get("fill"), alpha)
        _line(shape.line, node.get("line"), 0.75, alpha)
        if node.get("id") is not None:
            self.nodes[node["id"]] = (shape, node)

    def _autoshape(self, node: dict, r: float):
        from pptx.enum.shapes import MSO_SHAPE

        preset, kw, kh, _sites = SHAPES.get(node.get("shape"), SHAPES["circle"])
        w, h = kw * r, kh * r
        shape = self.shapes.add_shape(getattr(MSO_SHAPE, preset), _emu(node["x"] - w / 2), _emu(node["y"] - h / 2),
                                      _emu(w), _emu(h))
        if node.get("shape") == "triangle-down":
            shape._element.spPr.get_or_add_xfrm().set("flipV", "1")
        _plain(shape)
        return shape

    # texts ----------------------------------------------------------------------------------

    def text(self, text: dict) -> None:
        from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN

        box = self.shapes.add_textbox(_emu(text["x"]), _emu(text["y"]), _emu(text["w"]), _emu(text["h"]))
        role = text.get("role", "text")
        box.name = f"{role}: {_one_line(text.get('text', ''))}"
        frame = box.text_frame
        frame.word_wrap = False  # the plan broke the lines
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE if text.get("fill") else MSO_ANCHOR.TOP
        if text.get("fill"):
            _fill(box, text["fill"], 1.0)
        align = PP_ALIGN.CENTER if text.get("align") == "center" else PP_ALIGN.LEFT
        for k, line in enumerate(_clean(text.get("text", "")).split("\n")):
            paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
            paragraph.alignment = align
            _run(paragraph, line, text.get("size", 10), bool(text.get("bold")), text.get("color") or "#000000",
                 self.text_lang)


def _legend_word(x: float, y: float, legend_words: list[dict]) -> str:
    """The legend text beside a legend marker (the nearest on its right, on its line)."""
    beside = [t for t in legend_words if t["y"] - 0.05 <= y <= t["y"] + t["h"] + 0.05 and t["x"] >= x - 0.05]
    if not beside:
        return ""
    return _one_line(min(beside, key=lambda t: t["x"] - x)["text"], 40)


def _site(node: dict, toward: tuple[float, float]) -> tuple[int, tuple[float, float]]:
    """(index, position) of the connection site of `node`'s shape that faces `toward` best:
    the site whose direction from the centre is closest to the direction of `toward`."""
    _preset, kw, kh, sites = SHAPES.get(node.get("shape"), SHAPES["circle"])
    w, h = kw * node["r"], kh * node["r"]
    flip = node.get("shape") == "triangle-down"
    left, top = node["x"] - w / 2, node["y"] - h / 2
    placed = [(left + fx * w, top + ((1 - fy) if flip else fy) * h) for fx, fy in sites]
    aim = math.atan2(toward[1] - node["y"], toward[0] - node["x"])

    def off(p):
        angle = math.atan2(p[1] - node["y"], p[0] - node["x"])
        return abs((angle - aim + math.pi) % (2 * math.pi) - math.pi)

    index = min(USABLE_SITES.get(node.get("shape"), range(len(placed))), key=lambda i: (off(placed[i]), i))
    return index, placed[index]


# --- styles --------------------------------------------------------------------------------


def _plain(shape) -> None:
    """No theme style: python-pptx gives new shapes the theme's style (accent colours, and a
    shadow LibreOffice draws even under an empty effect list); every look here is explicit."""
    from pptx.oxml.ns import qn

    for style in shape._element.findall(qn("p:style")):
        shape._element.remove(style)


def _points(pt: float) -> int:
    return int(round(pt * 12700))


def _rgb(colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour.lstrip("#")[:6])


def _alpha(colour_format, alpha: float) -> None:
    """Transparency: an <a:alpha> inside the colour element (python-pptx has no property)."""
    if alpha is None or alpha >= 1:
        return
    from pptx.oxml.ns import qn

    clr = colour_format._xFill.find(qn("a:srgbClr"))  # the solidFill the colour was just set in
    if clr is None:
        return
    for old in clr.findall(qn("a:alpha")):
        clr.remove(old)
    element = clr.makeelement(qn("a:alpha"), {"val": str(int(round(max(0.0, alpha) * 100000)))})
    clr.append(element)


def _fill(shape, colour: str | None, alpha: float) -> None:
    if not colour:
        shape.fill.background()
        return
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(colour)
    _alpha(shape.fill.fore_color, alpha)


def _line(ln, colour: str | None, width: float, alpha: float, dash: str = "solid", arrow: bool = False) -> None:
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.oxml.ns import qn

    if not colour:
        ln.fill.background()
        return
    ln.color.rgb = _rgb(colour)
    ln.width = _points(width or 0.75)
    _alpha(ln.color, alpha)
    if dash and dash != "solid":
        ln.dash_style = getattr(MSO_LINE_DASH_STYLE, DASHES.get(dash, "SOLID"))
    if arrow:  # an arrowhead where the line ends (the tail, in DrawingML's words)
        xml = ln._get_or_add_ln()
        tail = xml.makeelement(qn("a:tailEnd"), {"type": "triangle", "w": "med", "len": "med"})
        xml.insert_element_before(tail, "a:extLst")


def _run(paragraph, text: str, size: float, bold: bool, colour: str, text_lang: str):
    run = paragraph.add_run()
    run.text = text
    font = run.font
    font.name = FONT
    font.size = _points(size)
    font.bold = bold
    font.color.rgb = _rgb(colour)
    run._r.get_or_add_rPr().set("lang", text_lang)
    return run


# --- the sources slides ----------------------------------------------------------------------


def _sources(plans: list[dict]) -> list[dict]:
    """The sources the plans cite, each once, in the order they first appear."""
    seen, out = set(), []
    for plan in plans:
        for source in plan.get("sources", ()):
            key = source.get("id") or (source.get("title"), source.get("url"))
            if key not in seen:
                seen.add(key)
                out.append(source)
    return out


def _source_lines(number: int, source: dict, chars: int) -> tuple[str, str, int]:
    """(first line, URL, lines it takes at `chars` characters a line)."""
    head = f"{number}. {_clean(source.get('title') or source.get('id') or '')}"
    if source.get("publisher"):
        head += f" — {_clean(source['publisher'])}"
    url = _clean(source.get("url") or "")
    lines = len(textwrap.wrap(head, chars) or [""]) + (len(textwrap.wrap(url, chars, break_on_hyphens=False)) if url else 0)
    return head, url, lines


def _sources_slides(prs, layout, sources: list[dict], width: float, height: float, text_lang: str) -> None:
    """One or more slides listing `sources`, numbered; each slide holds what fits."""
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE

    margin, top = 0.5, 1.25
    box_w = width - 2 * margin
    chars = int(box_w * 72 / (SOURCES_SIZE * 0.56))  # DejaVu Sans: 0.50-0.53 em a character in these lines
    per_slide = (height - top - 0.4) * 72 / (SOURCES_SIZE * SOURCES_LINE)
    pages: list[list[tuple[str, str]]] = [[]]
    used = 0.0
    for number, source in enumerate(sources, 1):
        head, url, lines = _source_lines(number, source, chars)
        if pages[-1] and used + lines > per_slide:
            pages.append([])
            used = 0.0
        pages[-1].append((head, url))
        used += lines + SOURCES_GAP
    heading = _("Sources")
    for k, page in enumerate(pages, 1):
        slide = prs.slides.add_slide(layout)
        title = slide.shapes.add_textbox(_emu(margin), _emu(0.45), _emu(box_w), _emu(0.6))
        title.name = "sources: heading"
        frame = title.text_frame
        frame.word_wrap = False
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        _run(frame.paragraphs[0], heading if len(pages) == 1 else f"{heading} ({k}/{len(pages)})",
             SOURCES_HEAD, True, "#222222", text_lang)
        box = slide.shapes.add_textbox(_emu(margin), _emu(top), _emu(box_w), _emu(height - top - 0.4))
        box.name = "sources: list"
        frame = box.text_frame
        frame.word_wrap = True  # a trainer who edits a source gets the lines reflowed
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        for j, (head, url) in enumerate(page):
            paragraph = frame.paragraphs[0] if j == 0 else frame.add_paragraph()
            paragraph.space_after = _points(SOURCES_SIZE * SOURCES_GAP)
            _run(paragraph, head, SOURCES_SIZE, False, "#222222", text_lang)
            if url:
                paragraph.add_line_break()
                run = _run(paragraph, url, SOURCES_SIZE, False, "#1a5fa8", text_lang)
                if re.match(r"https?://", url, re.IGNORECASE):  # only web addresses become links
                    run.hyperlink.address = url


# --- the file --------------------------------------------------------------------------------


def _properties(prs, plan: dict, lang: str) -> None:
    """Title, author and language; no dates, no revision history (reproducible output)."""
    from pptx.oxml.ns import qn

    props = prs.core_properties
    props.title = _clean(plan.get("title", ""))[:255]
    props.subject = _clean(plan.get("subtitle", ""))[:255]
    props.author = props.last_modified_by = "stakeholder-graph"
    props.comments = f"made with stakeholder-graph {VERSION}"
    props.language = lang
    props.revision = 1
    props.keywords = ""
    element = props._element
    for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        for old in element.findall(qn(tag)):
            element.remove(old)


def _reproducible(data: bytes) -> bytes:
    """The zip again with one fixed date on every entry (python-pptx stamps the time of day)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


__all__ = ["render_pptx"]
