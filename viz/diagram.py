"""A static diagram for slides: PNG, SVG and PDF drawn with matplotlib (Agg), PowerPoint with
viz.slides.

`diagram_plan(view, size)` decides everything on the page once, in inches from the top-left
corner: where the title, the legend and the sources go, where each node sits, and where each
label goes so that no two labels overlap and no label covers a node. The renderers only draw
the plan, so a PNG, an SVG and a slide of the same command show one picture. The plan's
format is documented in `diagram_plan`.

Pages are slide and paper sizes (SIZES). Their text is never smaller than a projected slide
or a printed page can show: 16:9 and 4:3 are drawn 1920 px wide, where no text is below
19 px; A4 is drawn at 150 dpi with no text below 9.5 pt. SVG keeps text as text
(`svg.fonttype: none`), so labels and legend can be searched and edited; text is never read
as mathtext. Each label is an SVG group `label-N` and each node `node-N`, so a test (or a
trainer's tool) can find them.
"""
from __future__ import annotations

import dataclasses
import math
from typing import BinaryIO

from stakeholder_graph.graph.errors import ExportError
from stakeholder_graph.viz import require
from stakeholder_graph.viz.geo import clip_ring
from stakeholder_graph.viz.i18n import _, use_language
from stakeholder_graph.viz.map_html import GENERATOR, made_line
from stakeholder_graph.viz.style import ring_radius
from stakeholder_graph.viz.text import xml_text

RC = {
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "text.parse_math": False,
    "font.family": "DejaVu Sans",
    "svg.hashsalt": "stakeholder-graph",
}
FONT = "DejaVu Sans"
MEASURE_DPI = 720


@dataclasses.dataclass(frozen=True)
class PageSize:
    name: str
    width: float  # inches
    height: float
    dpi: int  # a PNG's resolution: 1920 px wide for slides, 150 dpi for paper
    text: float  # points: the smallest text on the page


# the slide sizes of PowerPoint and Impress (13.333 x 7.5 in and 10 x 7.5 in) and A4 landscape;
# 9.5 pt at 144 dpi and 7.2 pt at 192 dpi are 19 px on a 1920 px wide picture
SIZES = {
    "16:9": PageSize("16:9", 40 / 3, 7.5, 144, 9.5),
    "4:3": PageSize("4:3", 10.0, 7.5, 192, 7.2),
    "A4": PageSize("A4", 11.693, 8.268, 150, 9.5),
}
DEFAULT_SIZE = "16:9"
LABEL_ALL_LIMIT = 80  # label every node up to this many; above, the most central ones
LABELS_ABOVE_LIMIT = 40
ARROW_LIMIT = 400  # draw arrowheads up to this many edges; above, plain lines
PATCH_LIMIT = 600  # nodes drawn one patch each (a group in the SVG) up to this many
EDGE_ALPHA = 0.8
LABEL_GAP = 0.03  # inches between a node and its label, and the least room between labels
LEADER_FROM = 0.12  # a label further than this from its node gets a thin line to it
DASHES = {"solid": None, "dot": (1.0, 2.0), "dash": (4.0, 2.5), "dashdot": (4.0, 2.0, 1.0, 2.0),
          "longdash": (7.0, 3.0)}
OUTLINE_FILL, OUTLINE_LINE = "#f3f1ec", "#a59d8f"
LABEL_COLOR, MUTED = "#1a1a1a", "#4a4a4a"



# --- measuring text -------------------------------------------------------------------------


class TextMeasure:
    """Sizes of text as matplotlib draws it (inches), for placing it before drawing."""

    def __init__(self):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        matplotlib = require("matplotlib")
        self._rc = matplotlib.rc_context(RC)
        self._rc.__enter__()
        # measured at a high resolution, where font hinting no longer widens small text
        fig = Figure(figsize=(4, 4), dpi=MEASURE_DPI)
        self.renderer = FigureCanvasAgg(fig).get_renderer()
        self.text = fig.text(0, 0, "", ha="left", va="top", family=FONT)
        self.cache: dict = {}
        self._fonts: dict = {}
        self._advances: dict = {}
        self._kerning: dict = {}

    def close(self) -> None:
        self._rc.__exit__(None, None, None)

    def size(self, text: str, pt: float, bold: bool = False) -> tuple[float, float]:
        key = (text, pt, bold)
        if key not in self.cache:
            self.text.set_text(text)
            self.text.set_fontsize(pt)
            self.text.set_fontweight("bold" if bold else "normal")
            box = self.text.get_window_extent(self.renderer)
            self.cache[key] = (float(box.width) / MEASURE_DPI, float(box.height) / MEASURE_DPI)
        return self.cache[key]

    def line_width(self, text: str, pt: float, bold: bool = False) -> float:
        """The width of one line (inches) as the sum of its glyphs' advances and kerning: close
        to `size` (within a point or so) and a hundred times quicker, for deciding where lines
        break; the broken text is then measured with `size`."""
        font = self._font(bold)
        total, previous = 0.0, None
        for ch in text:
            glyph = self._advances.get((bold, ch))
            if glyph is None:
                index = font.get_char_index(ord(ch))
                advance = font.load_glyph(index, flags=self._no_hinting).linearHoriAdvance / 65536.0
                glyph = self._advances[bold, ch] = (index, advance)
            if previous is not None:
                pair = (bold, previous, glyph[0])
                if pair not in self._kerning:
                    self._kerning[pair] = font.get_kerning(previous, glyph[0], self._unfitted) / 64.0
                total += self._kerning[pair]
            total += glyph[1]
            previous = glyph[0]
        return total / 100.0 * pt / 72.0  # the font is set at 100 pt, 72 dpi

    def _font(self, bold: bool):
        if bold not in self._fonts:
            from matplotlib import ft2font
            from matplotlib.font_manager import FontProperties, findfont

            font = ft2font.FT2Font(findfont(FontProperties(family=FONT, weight="bold" if bold else "normal")))
            font.set_size(100, 72)
            self._fonts[bold] = font
            # the enums of matplotlib 3.10, the constants before it
            self._no_hinting = getattr(getattr(ft2font, "LoadFlags", None), "NO_HINTING", None)
            if self._no_hinting is None:
                self._no_hinting = ft2font.LOAD_NO_HINTING
            self._unfitted = getattr(getattr(ft2font, "Kerning", None), "UNFITTED", None)
            if self._unfitted is None:
                self._unfitted = ft2font.KERNING_UNFITTED
        return self._fonts[bold]

    def wrap(self, text: str, pt: float, width: float, bold: bool = False, max_lines: int = 0,
             overflow: float = 1.5) -> str:
        """`text` broken at spaces into lines no wider than `width` inches (a word `overflow`
        times as wide is broken too); with `max_lines`, the last line ends in '…'."""
        out: list[str] = []
        space = self.line_width(" ", pt, bold)
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split(" "):
                grown = used + space + self.line_width(word, pt, bold) if line else self.line_width(word, pt, bold)
                if not line or grown <= width:
                    line, used = (f"{line} {word}" if line else word), grown
                else:
                    out.append(line)
                    line, used = word, self.line_width(word, pt, bold)
                # a word much wider than the line is broken (a word a little wider stays whole)
                while used > overflow * width and len(line) > 1:
                    cut = len(line) - 1
                    while cut > 1 and self.line_width(line[:cut] + "-", pt, bold) > width:
                        cut -= 1
                    out.append(line[:cut] + "-")
                    line = line[cut:]
                    used = self.line_width(line, pt, bold)
            out.append(line)
        if max_lines and len(out) > max_lines:
            out = out[:max_lines]
            last = out[-1]
            while last and self.line_width(last + "…", pt, bold) > width:
                last = last[:-1]
            out[-1] = last.rstrip() + "…"
        return "\n".join(out)


# --- the plan -------------------------------------------------------------------------------


def diagram_plan(view: dict, size: str = DEFAULT_SIZE, *, measure: TextMeasure | None = None) -> dict:
    """Everything one page shows, placed: a JSON-able dict in inches from the top-left corner
    (font sizes and line widths in points, colours '#rrggbb'):

    - `size`, `width`, `height`, `title`, `subtitle`, `lang`;
    - `outlines`: background shapes (country borders) [{points, fill, line, width}];
    - `lines`: [{role: edge|leader|legend, points, color, width, alpha, dash, arrow, from, to, type}],
      `type` an edge's relation;
      `dash` one of solid, dot, dash, dashdot, longdash; `arrow` a head at the last point;
    - `nodes`: [{role: node|legend, id, x, y, r, shape, fill, line, alpha, national}];
    - `texts`: [{role: title|subtitle|label|step|geo|legend|legend-head|note|sources, text, x, y,
      w, h, size, bold, color, align, fill, node}], (x, y) the top-left of the box the text fills;
    - `sources`: the sources the drawn facts cite [{id, title, publisher, url}];
    - `unlabelled`: how many nodes have no label (too many to label them all).

    Labels never overlap one another and never cover a node, a step header or the legend.
    """
    if size not in SIZES:
        raise ExportError(f"unknown page size {size!r}: {', '.join(SIZES)}")
    page = SIZES[size]
    own = measure is None
    measure = measure or TextMeasure()
    try:
        return _Planner(view, page, measure).plan()
    finally:
        if own:
            measure.close()


class _Planner:
    def __init__(self, view: dict, page: PageSize, measure: TextMeasure):
        self.view = view
        self.page = page
        self.m = measure
        self.t = page.text
        self.margin = 0.3 if page.name != "A4" else 0.45
        self.texts: list[dict] = []
        self.lines: list[dict] = []
        self.nodes: list[dict] = []
        self.outlines: list[dict] = []

    def text(self, role, text, x, y, pt, *, bold=False, color=LABEL_COLOR, align="left", w=None, h=None,
             fill=None, node=None) -> dict:
        tw, th = self.m.size(text, pt, bold)
        item = {"role": role, "text": text, "x": round(x, 4), "y": round(y, 4), "w": round(w or tw, 4),
                "h": round(h or th, 4), "size": pt, "bold": bold, "color": color, "align": align, "fill": fill,
                "node": node}
        self.texts.append(item)
        return item

    def plan(self) -> dict:
        view, page, t = self.view, self.page, self.t
        W, H, m = page.width, page.height, self.margin
        # title and subtitle
        title = self.m.wrap(view["title"], t * 2.0, W - 2 * m, bold=True, max_lines=2)
        box = self.text("title", title, m, m, t * 2.0, bold=True)
        subtitle = f"{view['subtitle']} · " + _("made {date} with {generator}").format(
            date=made_line()[:10], generator=GENERATOR)
        subtitle = self.m.wrap(subtitle, t, W - 2 * m)
        box = self.text("subtitle", subtitle, m, box["y"] + box["h"] + 0.05, t, color=MUTED)
        top = box["y"] + box["h"] + 0.18
        # sources at the foot of the page, wrapped over its width
        sources = self._sources_text(W - 2 * m)
        sh = self.m.size(sources, t)[1]
        self.text("sources", sources, m, H - m - sh, t, color=MUTED)
        bottom = H - m - sh - 0.15
        # the legend on the right, as wide as its widest entry
        left_of_legend = self._legend(W - m, top, bottom)
        area = (m, top, left_of_legend - 0.25, bottom)
        self._drawing(area)
        if self.unlabelled:  # say so, under the legend (a trainer should not think a node is unnamed)
            note = _("{count} records have no label here, to keep labels apart; the HTML map (`map`) names "
                     "every record.").format(count=self.unlabelled)
            x, y, width = self._legend_end
            note = self.m.wrap(note, t, width)
            if y + self.m.size(note, t)[1] <= bottom:
                self.text("note", note, x, y, t, color=MUTED)
        return {
            "size": page.name, "width": W, "height": H, "title": view["title"], "subtitle": view["subtitle"],
            "lang": view.get("lang", "en"), "outlines": self.outlines, "lines": self.lines,
            "nodes": self.nodes, "texts": self.texts, "sources": [
                {"id": s.get("id", ""), "title": s.get("title", ""), "publisher": s.get("publisher", ""),
                 "url": s.get("url", "")} for s in view["sources"]],
            "unlabelled": self.unlabelled,
        }

    def _sources_text(self, width: float) -> str:
        sources = self.view["sources"]
        if not sources:
            return _("Sources: none visible to this audience.")
        names = [s["title"] + (f" ({s['publisher']})" if s.get("publisher") else "") for s in sources]
        text = _("Sources ({count}):").format(count=len(sources)) + " " + "; ".join(names)
        limit = 4 if self.page.name != "A4" else 5
        wrapped = self.m.wrap(text, self.t, width)
        if wrapped.count("\n") < limit:
            return wrapped
        # too many to list in full: the most whole names that fit (found by halving), then where the rest are
        def listed(keep: int) -> str:
            more = _("… and {count} more, all listed by `stakeholder-graph sources`").format(count=len(names) - keep)
            text = _("Sources ({count}):").format(count=len(sources)) + " " + "; ".join(names[:keep]) + " " + more
            return self.m.wrap(text, self.t, width)

        low, high = 0, len(names) - 1  # listed(low) fits (or low is 0)
        while low < high:
            middle = (low + high + 1) // 2
            if listed(middle).count("\n") < limit:
                low = middle
            else:
                high = middle - 1
        return listed(low)

    # --- legend ---------------------------------------------------------------------------

    def _legend(self, right: float, top: float, bottom: float) -> float:
        """Lay the legend out in columns ending at `right`; returns its left edge."""
        view, t = self.view, self.t
        legend = view["legend"]
        titles = {"sector": _("Colour: sector (actors), kind (others)"), "kind": _("Colour: kind"),
                  "country": _("Colour: country")}
        entries: list[tuple[str, dict | None, str]] = []  # (role, swatch, text)
        shapes = {k["key"]: _SHAPES.get(k["shape"], "circle") for k in legend["kinds"]}
        if view["color_by"] == "country":  # colours and shapes say different things: two lists
            entries.append(("legend-head", None, titles["country"]))
            for item in legend["colors"]:
                entries.append(("legend", {"kind": "node", "shape": "circle", "fill": item["color"]}, item["label"]))
            entries.append(("legend-head", None, _("Shape: kind")))
            for item in legend["kinds"]:
                entries.append(("legend", {"kind": "node", "shape": shapes[item["key"]], "fill": "#ffffff"},
                                item["label"]))
        else:  # a colour stands for a sector (an actor's) or a kind: one list, each in its shape
            entries.append(("legend-head", None, {"kind": _("Colour and shape: kind")}.get(
                view["color_by"], _("Colour and shape: sector (actors), kind (others)"))))
            for item in legend["colors"]:
                shape = shapes.get(item["key"], shapes.get("actor", "circle"))
                entries.append(("legend", {"kind": "node", "shape": shape, "fill": item["color"]}, item["label"]))
        if any(n.get("national") for n in view["nodes"]):
            entries.append(("legend", {"kind": "node", "shape": "circle", "fill": "#ffffff", "national": True},
                            _("national body, at the capital") if view["layout"] == "geo" else _("national body")))
        if legend["edges"]:
            entries.append(("legend-head", None, _("Line colour: relation")))
            for item in legend["edges"]:
                # a family of many relations by its name alone (the map's details name each relation)
                text = item["label"] if len(item.get("types", ())) <= 3 else item.get("name", item["label"])
                entries.append(("legend", {"kind": "line", "color": item["color"], "width": item["width"],
                                           "dash": "solid"}, text))
            bases = {b["key"] for b in legend.get("bases", [])}
            if "inferred" in bases:  # the only dashed style: every other line is solid
                entries.append(("legend", {"kind": "line", "color": "#555555", "width": 1.6, "dash": "dot"},
                                _("dotted: inferred by a rule")))
        size_note = {"degree": _("Size: degree centrality."), "betweenness": _("Size: betweenness centrality.")}
        entries.append(("note", None, size_note.get(view["size_by"], "")))
        if view.get("outlines"):
            entries.append(("note", None, _("Borders: Natural Earth (public domain).")))

        swatch = t * 2.6 / 72.0
        max_width = self.page.width * 0.24
        column_width = min(max_width, max(
            (self.m.size(text, t, role == "legend-head")[0] + (swatch + 0.08 if sw else 0.0)
             for role, sw, text in entries if text), default=1.0))
        laid: list[tuple[str, dict | None, str, float]] = []
        for role, sw, text in entries:
            if not text:
                continue
            room = column_width - (swatch + 0.08 if sw else 0.0)
            wrapped = self.m.wrap(text, t, room, bold=role == "legend-head")
            laid.append((role, sw, wrapped, self.m.size(wrapped, t, role == "legend-head")[1]))
        gap = t * 0.45 / 72.0
        columns: list[list] = [[]]
        y = top
        for entry in laid:
            extra = gap * 1.6 if entry[0] == "legend-head" and columns[-1] else 0.0
            if columns[-1] and y + extra + entry[3] > bottom:
                columns.append([])
                y, extra = top, 0.0
            columns[-1].append((entry, y + extra))
            y += extra + entry[3] + gap
        left = right - len(columns) * column_width - (len(columns) - 1) * 0.2
        for i, column in enumerate(columns):
            x = left + i * (column_width + 0.2)
            for (role, sw, text, height), y in column:
                tx = x
                if sw:
                    cy = y + min(height, self.m.size("Ag", t)[1]) / 2
                    if sw["kind"] == "node":
                        self.nodes.append({"role": "legend", "id": None, "x": round(x + swatch / 2, 4),
                                           "y": round(cy, 4), "r": round(swatch * 0.3, 4), "shape": sw["shape"],
                                           "fill": sw["fill"], "line": "#37474f", "alpha": 1.0,
                                           "national": bool(sw.get("national"))})
                    else:
                        self.lines.append({"role": "legend", "points": [[round(x, 4), round(cy, 4)],
                                                                        [round(x + swatch, 4), round(cy, 4)]],
                                           "color": sw["color"], "width": max(1.2, sw["width"]), "alpha": 1.0,
                                           "dash": sw["dash"], "arrow": False, "from": None, "to": None})
                    tx = x + swatch + 0.08
                self.text(role, text, tx, y, t, bold=role == "legend-head",
                          color=MUTED if role == "note" else LABEL_COLOR)
        last = max((c[-1][1] + c[-1][0][3] for c in columns[-1:] if c), default=top)
        self._legend_end = (left + (len(columns) - 1) * (column_width + 0.2), last + gap, column_width)
        return left

    # --- the drawing ----------------------------------------------------------------------

    def _drawing(self, area: tuple[float, float, float, float]) -> None:
        view, t = self.view, self.t
        x0, y0, x1, y1 = area
        steps = [n for n in view["nodes"] if n["kind"] == "step"]
        nodes = [n for n in view["nodes"] if n["kind"] != "step"]
        large = len(nodes) > 300
        scale_r = self.page.width / 13.333 * (0.6 if large else 1.0)
        radius = {n["id"]: (0.045 + (n["size"] - 10.0) / 26.0 * 0.085) * scale_r for n in nodes}
        if view["layout"] == "pathway":
            label_width = None  # set by the columns
        else:
            label_width = 1.7 * self.page.width / 13.333

        geo = view.get("geo") or {}
        box = geo.get("box")
        # on a geographic map, the records in the panels beside it (no place of their own)
        panel = {n["id"] for n in nodes if box and n["x"] > box[2] + 1.0}

        # which nodes get a label, and its text
        if len(nodes) <= LABEL_ALL_LIMIT:
            labelled = list(nodes)
        else:  # on a map its places and national bodies, then the most central; panels have headings
            first = [n for n in nodes if n["id"] not in panel and (n.get("landmark") or n.get("national"))]
            rest = sorted((n for n in nodes if n not in first and n["id"] not in panel),
                          key=lambda n: (-n["size"], n["id"]))
            labelled = first + rest[: max(0, LABELS_ABOVE_LIMIT - len(first))]

        xs = [n["x"] for n in view["nodes"]]
        ys = [n["y"] for n in nodes] or [0.0]
        header_bottom = y0
        if steps:  # pathway: step headers in a row at the top, one column each
            columns = sorted({round(s["x"], 1) for s in steps})
            pitch_px = columns[1] - columns[0] if len(columns) > 1 else 270.0
            span = (max(xs) - min(xs)) or pitch_px
            pitch = (x1 - x0) / (span / pitch_px + 1)
            sx = pitch / pitch_px
            ox = x0 + pitch / 2 - min(xs) * sx
            label_width = pitch - 0.1
            titles = {s["id"]: "\n".join(s["header"]) if s.get("gap") else s["header"][0]
                      for s in steps} if all(s.get("header") for s in steps) else {s["id"]: s["label"] for s in steps}
            words = [w for text in titles.values() for w in text.split()]
            header_pt = t * 1.1  # the smallest text where the longest word fits the column
            while header_pt > t and max(self.m.line_width(w, header_pt, True) for w in words) > pitch - 0.16:
                header_pt = max(t, header_pt - 0.25)
            wrapped = {s["id"]: self.m.wrap(titles[s["id"]], header_pt, pitch - 0.16, bold=True, overflow=1.0)
                       for s in steps}
            header_h = max(self.m.size(w, header_pt, True)[1] for w in wrapped.values()) + 0.12
            for s in steps:
                cx = ox + s["x"] * sx
                self.text("step", wrapped[s["id"]], cx - (pitch - 0.08) / 2, y0, header_pt, bold=True,
                          color="#ffffff", align="center", w=pitch - 0.08, h=header_h, fill=s["color"],
                          node=s["id"])
            header_bottom = y0 + header_h + 0.12
        label_text = {n["id"]: self.m.wrap(n.get("name") or n["label"].replace("\n", " "), t, label_width,
                                           max_lines=4 if steps else 3) for n in labelled}
        half_label = max((self.m.size(s, t)[0] for s in label_text.values()), default=0.5) / 2
        label_h = max((self.m.size(s, t)[1] for s in label_text.values()), default=0.2)

        # nodes: from view pixels to inches, leaving room for labels at the edges
        inset_x = min(half_label, (x1 - x0) * 0.12)
        top, bottom = header_bottom + 0.08, y1 - min(label_h + 0.08, (y1 - y0) * 0.15)
        if box:
            where = self._geo_where(nodes, panel, box, (x0, top, x1, bottom))
        elif not steps:
            left, right = x0 + inset_x, x1 - inset_x
            span_x = (max(xs) - min(xs)) or 1.0
            span_y = (max(ys) - min(ys)) or 1.0
            sx = (right - left) / span_x
            sy = (bottom - top) / span_y
            if view["layout"] == "geo":  # a map keeps its proportions
                sx = sy = min(sx, sy)
            else:  # a spring layout may stretch a little to use the page
                sx, sy = min(sx, 1.6 * sy), min(sy, 1.6 * sx)
            ox = (left + right) / 2 - (max(xs) + min(xs)) / 2 * sx
        else:
            span_y = (max(ys) - min(ys)) or 1.0
            sy = min((bottom - top) / span_y, 1.5 * sx)  # a short pathway is not stretched down the page
        if not box:
            oy = (top + bottom) / 2 - (max(ys) + min(ys)) / 2 * sy
            if steps:
                oy = top - min(ys) * sy  # rows from just under the headers
            where = {n["id"]: (ox + n["x"] * sx, oy + n["y"] * sy) for n in nodes}

        # edges, trimmed to the nodes' rims
        arrows = len(view["edges"]) <= ARROW_LIMIT
        for e in view["edges"]:
            if e["from"] not in where or e["to"] not in where:
                continue
            style = view["edge_styles"][e["type"]]
            (ax, ay), (bx, by) = where[e["from"]], where[e["to"]]
            length = math.hypot(bx - ax, by - ay)
            if length < 1e-6:
                continue
            ra, rb = radius[e["from"]] + 0.01, radius[e["to"]] + 0.02
            points = [[ax, ay], [bx, by]]
            if e.get("curve"):  # a second relation between the same pair bends away from the first
                bend = 0.15 * e["curve"] * length
                mx, my = (ax + bx) / 2 - (by - ay) / length * bend, (ay + by) / 2 + (bx - ax) / length * bend
                points = [[ax, ay], [mx, my], [bx, by]]
            points = _trim(points, ra, rb)
            to_panel = e["from"] in panel or e["to"] in panel  # faint, as on the map: the map stays legible
            self.lines.append({
                "role": "edge", "points": [[round(x, 4), round(y, 4)] for x, y in points],
                "color": style["color"], "width": round(style["width"] * (0.5 if large else 0.9), 2),
                "alpha": 0.12 if to_panel else 0.55 if large else EDGE_ALPHA,
                "dash": "dot" if e.get("basis") == "inferred" else "solid",
                "arrow": bool(style["arrow"] and arrows), "from": e["from"], "to": e["to"], "type": e["type"],
            })
        for n in nodes:
            x, y = where[n["id"]]
            self.nodes.append({
                "role": "node", "id": n["id"], "x": round(x, 4), "y": round(y, 4), "r": round(radius[n["id"]], 4),
                "shape": _SHAPES.get(n["shape"], "circle"), "fill": n["color"], "line": "#37474f",
                "alpha": 0.45 if n.get("dim") else 1.0, "national": bool(n.get("national")),
            })
        self._country_names()
        self._labels(labelled, label_text, where, radius, (x0, header_bottom, x1, y1))

    def _geo_where(self, nodes, panel, box, area) -> dict:
        """Positions (inches) on a geographic view: the map (view["geo"]["box"]) as large as the
        area's height allows, north up and in proportion, under its country borders; the panels
        of records without a place squeezed into the width left beside it, each panel's records
        under a heading with its country and count. Country names wait for the nodes
        (`_country_names`), so that none covers one."""
        view, t = self.view, self.t
        x0, top, x1, bottom = area
        bx0, by0, bx1, by1 = box
        groups = sorted((g for g in view["geo"].get("groups", []) if g.get("level") == 1 and "height" in g),
                        key=lambda g: (g["x"], g["y"]))
        share = 0.62 if panel else 1.0
        s = min((bottom - top) / (by1 - by0), share * (x1 - x0) / (bx1 - bx0))
        rect = (x0, top, x0 + (bx1 - bx0) * s, top + (by1 - by0) * s)

        def on_map(x, y):
            return x0 + (x - bx0) * s, top + (y - by0) * s

        for outline in view.get("outlines") or []:
            for ring in outline.get("rings", []):
                clipped = clip_ring([on_map(x, y) for x, y in ring], rect)
                if len(clipped) >= 3:
                    self.outlines.append({"points": [[round(x, 4), round(y, 4)] for x, y in clipped],
                                          "fill": OUTLINE_FILL, "line": OUTLINE_LINE, "width": 0.8,
                                          "name": outline.get("name", "")})
        self.outlines.append({"points": [[rect[0], rect[1]], [rect[2], rect[1]], [rect[2], rect[3]],
                                         [rect[0], rect[3]]], "fill": None, "line": OUTLINE_LINE, "width": 0.8,
                              "name": ""})
        self._names = [(label["text"], *on_map(label["x"], label["y"]), rect)
                       for label in view["geo"].get("labels", [])]
        where = {n["id"]: on_map(n["x"], n["y"]) for n in nodes if n["id"] not in panel}
        if not (panel and groups):
            return where
        left = rect[2] + 0.3
        px0 = min(g["x"] for g in groups)
        px1 = max(g["x"] + g["width"] for g in groups)
        sx = (x1 - left) / max(px1 - px0, 1.0)
        headings = {id(g): self.m.wrap(f"{g['label']} ({g['count']})", t, max((g["width"]) * sx - 0.06, 0.5),
                                       bold=True) for g in groups}
        heights = {id(g): self.m.size(headings[id(g)], t, True)[1] + 0.06 for g in groups}
        # panels stand in columns (the same x), each under its heading: one vertical scale for all
        columns: dict[float, list] = {}
        for g in groups:
            columns.setdefault(g["x"], []).append(g)
        sy = min((bottom - top - sum(heights[id(g)] + 0.08 for g in column)) / max(sum(g["height"] for g in column), 1.0)
                 for column in columns.values())
        sy = max(sy, 0.0)
        placed = []  # (group, its heading's top, where its records start)
        for column in columns.values():
            y = top
            for g in column:
                placed.append((g, y, y + heights[id(g)]))
                y += heights[id(g)] + g["height"] * sy + 0.08
        for g, head_top, body_top in placed:
            gx0 = left + (g["x"] - px0) * sx
            gx1 = gx0 + g["width"] * sx
            self.outlines.append({"points": [[gx0, head_top], [gx1, head_top], [gx1, body_top + g["height"] * sy],
                                             [gx0, body_top + g["height"] * sy]],
                                  "fill": "#f5f6f8", "line": "#b0b6bf", "width": 0.6, "name": g["label"]})
            self.text("geo", headings[id(g)], gx0 + 0.03, head_top + 0.03, t, bold=True)
        for n in nodes:
            if n["id"] not in panel:
                continue
            inside = [(g, body) for g, _head, body in placed
                      if g["x"] <= n["x"] <= g["x"] + g["width"] and g["y"] <= n["y"] <= g["y"] + g["height"]]
            g, body = inside[0] if inside else (placed[-1][0], placed[-1][2])
            where[n["id"]] = (left + (n["x"] - px0) * sx, body + (min(max(n["y"], g["y"]), g["y"] + g["height"]) - g["y"]) * sy)
        return where

    def _country_names(self) -> None:
        """The names of the countries with no record drawn, where they cover no node."""
        boxes = [(n["x"] - _extent(n), n["y"] - _extent(n), n["x"] + _extent(n), n["y"] + _extent(n))
                 for n in self.nodes if n["role"] == "node"]
        for text, x, y, rect in getattr(self, "_names", []):
            w, h = self.m.size(text, self.t)
            box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            if not (rect[0] <= box[0] and box[2] <= rect[2] and rect[1] <= box[1] and box[3] <= rect[3]):
                continue
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
                continue
            self.text("geo", text, box[0], box[1], self.t, color="#8a8273")

    def _labels(self, labelled, label_text, where, radius, bounds) -> None:
        np = require("numpy")

        t = self.t
        node_boxes = np.array([[n["x"] - _extent(n), n["y"] - _extent(n), n["x"] + _extent(n), n["y"] + _extent(n)]
                               for n in self.nodes if n["role"] == "node"]).reshape(-1, 4)
        fixed = [[b["x"], b["y"], b["x"] + b["w"], b["y"] + b["h"]] for b in self.texts if b["role"] in ("step", "geo")]
        obstacles = np.concatenate([node_boxes, np.array(fixed).reshape(-1, 4)])
        placed = np.zeros((0, 4))
        bx0, by0, bx1, by1 = bounds
        order = sorted(labelled, key=lambda n: (-n["size"], n["id"]))
        self.unlabelled = len([n for n in self.nodes if n["role"] == "node"]) - len(labelled)
        pad = LABEL_GAP / 2
        for n in order:
            text = label_text[n["id"]]
            w, h = self.m.size(text, t)
            cx, cy = where[n["id"]]
            r = radius[n["id"]]
            boxes = _candidates(np, cx, cy, r, w, h)
            inside = (boxes[:, 0] >= bx0) & (boxes[:, 2] <= bx1) & (boxes[:, 1] >= by0) & (boxes[:, 3] <= by1)
            free = inside & ~_hits(np, boxes, obstacles, pad) & ~_hits(np, boxes, placed, pad)
            if not free.any():  # crowded: the nearest free spot anywhere in the drawing
                # on a large picture within 3 inches (quick, and further nobody would know which node
                # it names); on a small one anywhere, so that every node keeps its label
                reach = 3.0 if len(obstacles) > LABEL_ALL_LIMIT else 99.0
                wx0, wx1 = max(bx0, cx - reach), min(bx1, cx + reach)
                wy0, wy1 = max(by0, cy - reach), min(by1, cy + reach)
                gx, gy = np.meshgrid(np.arange(wx0, wx1 - w, 0.05), np.arange(wy0, wy1 - h, 0.05))
                boxes = np.column_stack([gx.ravel(), gy.ravel(), gx.ravel() + w, gy.ravel() + h])
                order_by = np.hypot(boxes[:, 0] + w / 2 - cx, boxes[:, 1] + h / 2 - cy)
                boxes = boxes[np.argsort(order_by, kind="stable")]
                free = ~_hits(np, boxes, obstacles, pad) & ~_hits(np, boxes, placed, pad)
            if not free.any():
                self.unlabelled += 1
                continue
            x, y, xe, ye = (float(v) for v in boxes[int(np.argmax(free))])
            placed = np.vstack([placed, [x, y, xe, ye]])
            self.text("label", text, x, y, t, align="center", node=n["id"])
            # the nearest point of the box to the node: a thin line to it when the label moved away
            nx, ny = min(max(cx, x), xe), min(max(cy, y), ye)
            distance = math.hypot(nx - cx, ny - cy)
            if distance > r + LEADER_FROM:
                ux, uy = (nx - cx) / distance, (ny - cy) / distance
                self.lines.append({"role": "leader", "points": [[round(cx + ux * r, 4), round(cy + uy * r, 4)],
                                                                [round(nx, 4), round(ny, 4)]],
                                   "color": "#777777", "width": 0.5, "alpha": 1.0, "dash": "solid",
                                   "arrow": False, "from": n["id"], "to": None})


# vis-network shapes (style.KIND_SHAPES) as the plan names them
_SHAPES = {"dot": "circle", "square": "square", "star": "star", "diamond": "diamond", "triangle": "triangle",
           "triangleDown": "triangle-down", "hexagon": "hexagon", "ellipse": "ellipse", "box": "pentagon"}
# where a label may go around its node, in order of preference (a unit direction; 0 is centred)
_AROUND = ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1))
_DISTANCES = (0.0, 0.05, 0.1, 0.18, 0.28, 0.4, 0.55, 0.75, 1.0, 1.3, 1.7, 2.2, 2.8)


def _candidates(np, cx, cy, r, w, h):
    """Label boxes (x0, y0, x1, y1) around a node, nearest first: below, above, right, left,
    then the corners, each also slid sideways."""
    out = []
    for d in _DISTANCES:
        gap = r + LABEL_GAP + d
        for dx, dy in _AROUND:
            if dx == 0:  # below or above, centred, then slid left and right
                y = cy + gap if dy > 0 else cy - gap - h
                for slide in (0.0, -w / 3, w / 3):
                    out.append((cx - w / 2 + slide, y))
            elif dy == 0:
                x = cx + gap if dx > 0 else cx - gap - w
                for slide in (0.0, -h, h):
                    out.append((x, cy - h / 2 + slide))
            else:
                corner = gap * 0.75
                out.append((cx + corner if dx > 0 else cx - corner - w, cy + corner if dy > 0 else cy - corner - h))
    boxes = np.array(out)
    return np.column_stack([boxes[:, 0], boxes[:, 1], boxes[:, 0] + w, boxes[:, 1] + h])


def _hits(np, boxes, others, pad):
    """For each box, whether it overlaps any of `others` (boxes grown by `pad` each side)."""
    if len(others) == 0:
        return np.zeros(len(boxes), dtype=bool)
    return ((boxes[:, None, 0] < others[None, :, 2] + pad) & (boxes[:, None, 2] > others[None, :, 0] - pad)
            & (boxes[:, None, 1] < others[None, :, 3] + pad) & (boxes[:, None, 3] > others[None, :, 1] - pad)
            ).any(axis=1)


def _trim(points: list, start: float, end: float) -> list:
    """A polyline shortened by `start` at its first point and `end` at its last (to the rims)."""
    (ax, ay), (bx, by) = points[0], points[1]
    d = math.hypot(bx - ax, by - ay) or 1.0
    first = [ax + (bx - ax) / d * min(start, d / 2), ay + (by - ay) / d * min(start, d / 2)]
    (cx, cy), (dx, dy) = points[-2], points[-1]
    d = math.hypot(dx - cx, dy - cy) or 1.0
    last = [dx - (dx - cx) / d * min(end, d / 2), dy - (dy - cy) / d * min(end, d / 2)]
    return [first, *points[1:-1], last]


def _extent(node: dict) -> float:
    """How far a drawn node reaches from its centre (inches): its shape's half-width, its ring."""
    r = node["r"] * (1.3 if node["shape"] == "ellipse" else 1.0)
    return ring_radius(r) if node.get("national") else r


def shape_points(shape: str, cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    """The corners of a polygonal node shape (y downwards), for renderers without the shape."""
    def ring(count, start, radius=r):
        return [(cx + radius * math.cos(start + 2 * math.pi * i / count),
                 cy + radius * math.sin(start + 2 * math.pi * i / count)) for i in range(count)]

    if shape == "square":
        return [(cx - r, cy - r), (cx + r, cy - r), (cx + r, cy + r), (cx - r, cy + r)]
    if shape == "diamond":
        return ring(4, -math.pi / 2)
    if shape == "triangle":  # 2r wide, 1.732r tall, as viz.slides draws it
        h = r * 0.866
        return [(cx, cy - h), (cx + r, cy + h), (cx - r, cy + h)]
    if shape == "triangle-down":
        h = r * 0.866
        return [(cx - r, cy - h), (cx + r, cy - h), (cx, cy + h)]
    if shape == "hexagon":
        return ring(6, 0)
    if shape == "pentagon":
        return ring(5, -math.pi / 2)
    if shape == "star":
        outer, inner = ring(5, -math.pi / 2), ring(5, -math.pi / 2 + math.pi / 5, r * 0.45)
        return [p for pair in zip(outer, inner) for p in pair]
    return []


# --- drawing the plan with matplotlib ----------------------------------------------------------


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


def draw_plan(plan: dict):
    """A matplotlib Figure of the plan (call inside `matplotlib.rc_context(RC)`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, Polygon, Rectangle

    W, H = plan["width"], plan["height"]
    fig = Figure(figsize=(W, H))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, W)
    ax.set_ylim(H, 0)  # inches from the top-left, as the plan
    ax.set_axis_off()

    for outline in plan["outlines"]:
        ax.add_patch(Polygon(outline["points"], closed=True, fc=outline["fill"] or "none", ec=outline["line"],
                             lw=outline["width"], zorder=0))
    plain: dict[tuple, list] = {}
    for line in plan["lines"]:
        dash = DASHES[line["dash"]]
        style = (0, dash) if dash else "solid"
        zorder = 1 if line["role"] == "edge" else 2.5
        if line["role"] == "edge" and not line["arrow"] and len(line["points"]) == 2 and len(plan["lines"]) > ARROW_LIMIT:
            plain.setdefault((line["color"], line["width"], line["alpha"], line["dash"]), []).append(line["points"])
            continue
        if line["arrow"] or len(line["points"]) == 3:
            (ax_, ay_), (bx, by) = line["points"][0], line["points"][-1]
            rad = 0.0
            if len(line["points"]) == 3:  # a bent edge: the arc through the middle point
                mx, my = line["points"][1]
                chord = math.hypot(bx - ax_, by - ay_) or 1.0
                offset = ((mx - (ax_ + bx) / 2) * (by - ay_) - (my - (ay_ + by) / 2) * (bx - ax_)) / chord
                rad = -2 * offset / chord
            ax.add_patch(FancyArrowPatch(
                (ax_, ay_), (bx, by), arrowstyle="-|>" if line["arrow"] else "-",
                mutation_scale=4 + line["width"] * 2.2, connectionstyle=f"arc3,rad={rad:.4f}",
                shrinkA=0, shrinkB=0, color=line["color"], linewidth=line["width"], linestyle=style,
                alpha=line["alpha"], zorder=zorder, joinstyle="miter"))
        else:
            xs, ys = zip(*line["points"])
            ax.plot(xs, ys, color=line["color"], linewidth=line["width"], linestyle=style, alpha=line["alpha"],
                    zorder=zorder, solid_capstyle="butt")
    for (color, width, alpha, dash), segments in sorted(plain.items()):
        ax.add_collection(LineCollection(segments, colors=color, linewidths=width, alpha=alpha, zorder=1,
                                         linestyles=(0, DASHES[dash]) if DASHES[dash] else "solid"))

    patches = sum(1 for n in plan["nodes"] if n["role"] == "node") <= PATCH_LIMIT
    index = 0
    for n in plan["nodes"]:
        x, y, r = n["x"], n["y"], n["r"]
        common = {"fc": n["fill"], "ec": n["line"], "lw": 0.8, "alpha": n["alpha"], "zorder": 2}
        if n["shape"] in ("circle", "dot"):
            patch = Circle((x, y), r, **common)
        elif n["shape"] == "ellipse":
            patch = Ellipse((x, y), 2.6 * r, 1.6 * r, **common)
        else:
            patch = Polygon(shape_points(n["shape"], x, y, r), closed=True, **common)
        if n["role"] == "node":
            if patches:
                patch.set_gid(f"node-{index}")
            index += 1
        ax.add_patch(patch)
        if n.get("national"):  # a second ring: a body of the whole country
            ax.add_patch(Circle((x, y), ring_radius(r), fc="none", ec="#37474f", lw=1.3, zorder=2))

    labels = 0
    for text in plan["texts"]:
        if text["fill"]:
            ax.add_patch(Rectangle((text["x"], text["y"]), text["w"], text["h"], fc=text["fill"], ec="none",
                                   zorder=3))
        x = text["x"] + text["w"] / 2 if text["align"] == "center" else text["x"]
        y = text["y"] + (text["h"] - _height(fig, text)) / 2 if text["fill"] else text["y"]
        artist = ax.text(x, y, text["text"], ha="center" if text["align"] == "center" else "left", va="top",
                         multialignment=text["align"], fontsize=text["size"], color=text["color"],
                         weight="bold" if text["bold"] else "normal", zorder=4, family=FONT)
        if text["role"] == "label":
            artist.set_gid(f"label-{labels}")
            # a light backing keeps the label readable over the lines that cross it
            artist.set_bbox({"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.8})
            labels += 1
    return fig


def _height(fig, text) -> float:
    """The height of a text as drawn, in inches (for centring it in a filled box)."""
    box = fig.text(0, 0, text["text"], fontsize=text["size"], weight="bold" if text["bold"] else "normal",
                   family=FONT)
    height = box.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi
    box.remove()
    return height


def render_diagram(view: dict, out: BinaryIO, fmt: str, *, size: str = DEFAULT_SIZE, dpi: int | None = None,
                   lang: str | None = None) -> None:
    """Draw `view` on a page of `size` as png, svg, pdf or pptx into a binary stream; text from the
    data is drawn with control characters as visible escapes (inert_view). A PNG is 1920 px wide
    for slides and 150 dpi for A4 unless `dpi` says otherwise."""
    matplotlib = require("matplotlib")

    if fmt not in ("png", "svg", "pdf", "pptx"):
        raise ExportError(f"a diagram is drawn as png, svg, pdf or pptx, not {fmt!r}")
    view = inert_view(view)
    with use_language(lang):
        plan = diagram_plan(view, size)
    if fmt == "pptx":
        from stakeholder_graph.viz.slides import render_pptx

        render_pptx([plan], out, lang=lang or "en")
        return
    metadata = {
        "png": {"Title": view["title"], "Software": GENERATOR},
        "svg": {"Title": view["title"], "Date": None, "Creator": GENERATOR},
        "pdf": {"Title": view["title"], "Creator": GENERATOR, "CreationDate": None},
    }[fmt]
    with matplotlib.rc_context(RC):
        fig = draw_plan(plan)
        fig.savefig(out, format=fmt, dpi=dpi or SIZES[size].dpi, metadata=metadata, facecolor="white")
