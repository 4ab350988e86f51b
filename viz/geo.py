"""Country outlines under the geographic layout: the bundled boundaries, the projection the
layout uses, and the view's map box, outlines and strip headings.

The outlines are Natural Earth's 1:10m countries (public domain) from the npm package
world-atlas 2.0.2 (ISC), cut to the Western Balkans and their neighbours by
tools/boundaries.py; assets/boundaries/NOTICE.md says where they come from and how they were
made. They ship as package data and are read with importlib.resources: nothing is downloaded.

`geo_plan` (viz.layout) works in projected degrees: x = longitude * cos(reference
latitude), y = -latitude (north up). `geo_drawing` scales that to the map's pixels
(viz.view.GEO_PX_PER_DEGREE), centres it as every layout is centred, and projects the outlines
with the same numbers, so a place at its coordinates lies inside its country's outline. This
module imports neither the layout nor the view (they import it).
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources

from stakeholder_graph.graph.names import fold
from stakeholder_graph.viz.i18n import N_, _

BOUNDARIES = "western-balkans.json"
CLIP_PAD = 0.2  # degrees: outlines are cut a little outside the map box (the page clips to the box)
LABEL_AREA = 0.15  # square degrees: a neighbour showing less than this on the map is not named

# the names the map writes on countries that have no record of their own on it
COUNTRY_WORDS = {
    "ALB": N_("Albania"), "AUT": N_("Austria"), "BIH": N_("Bosnia and Herzegovina"), "BGR": N_("Bulgaria"),
    "HRV": N_("Croatia"), "DEU": N_("Germany"), "GRC": N_("Greece"), "HUN": N_("Hungary"), "ITA": N_("Italy"),
    "XKX": N_("Kosovo"), "MNE": N_("Montenegro"), "MKD": N_("North Macedonia"), "ROU": N_("Romania"),
    "SMR": N_("San Marino"), "SRB": N_("Serbia"), "SVN": N_("Slovenia"),
}


@dataclass(frozen=True)
class Outline:
    """One country: its names, ISO 3166-1 alpha-3 code, the anchor (lon, lat) where its name
    and the records based in it as a whole go, and its rings of (lon, lat)."""

    name: str
    natural_earth_name: str
    iso: str
    anchor: tuple[float, float]
    rings: tuple[tuple[tuple[float, float], ...], ...]

    @property
    def word(self) -> str:
        """The country's name in the language of the moment."""
        return _(COUNTRY_WORDS[self.iso]) if self.iso in COUNTRY_WORDS else self.name


@functools.lru_cache(maxsize=1)
def outlines() -> tuple[Outline, ...]:
    """The bundled country outlines (read once)."""
    path = resources.files("stakeholder_graph.viz") / "assets" / "boundaries" / BOUNDARIES
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Outline(c["name"], c["natural_earth_name"], c["iso"], tuple(c["anchor"]),
                tuple(tuple(tuple(p) for p in ring) for ring in c["rings"]))
        for c in data["countries"]
    )


@functools.lru_cache(maxsize=1)
def _by_name() -> dict[str, Outline]:
    found = {}
    for o in outlines():
        for name in (o.name, o.natural_earth_name, o.iso):
            found[fold(name)] = o
    return found


def outline_of(attrs: dict) -> Outline | None:
    """The outline of a place record of level 'country', matched by any of its names
    (name, aliases, names in other scripts and languages), or None."""
    if attrs.get("kind") != "place" or attrs.get("level") != "country":
        return None
    names = [attrs.get("name"), *(attrs.get("aliases") or []), *(attrs.get("names") or {}).values()]
    table = _by_name()
    for name in names:
        if name and fold(str(name)) in table:
            return table[fold(str(name))]
    return None


def inside(point: tuple[float, float], rings) -> bool:
    """Whether `point` is inside `rings` (even-odd rule: holes and islands as drawn)."""
    x, y = point
    result = False
    for ring in rings:
        n = len(ring)
        for i in range(n):
            ax, ay = ring[i - 1]
            bx, by = ring[i]
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                result = not result
    return result


def clip_ring(ring, box) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: `ring` cut to `box` (x0, y0, x1, y1); the cut runs along the box."""
    x0, y0, x1, y1 = box
    out = list(ring)
    for axis, bound, keep_above in ((0, x0, True), (0, x1, False), (1, y0, True), (1, y1, False)):
        points, out = out, []
        if not points:
            break

        def within(p):
            return p[axis] >= bound if keep_above else p[axis] <= bound

        for i, current in enumerate(points):
            previous = points[i - 1]
            if within(current) != within(previous):
                t = (bound - previous[axis]) / (current[axis] - previous[axis])
                cut = [previous[0] + t * (current[0] - previous[0]), previous[1] + t * (current[1] - previous[1])]
                cut[axis] = bound
                out.append((cut[0], cut[1]))
            if within(current):
                out.append(current)
    return out


def reference_shrink(latitudes) -> float:
    """cos(mean latitude): how much a degree of longitude is shorter than one of latitude."""
    latitudes = list(latitudes)
    return math.cos(math.radians(sum(latitudes) / len(latitudes))) if latitudes else 1.0


def project(lon: float, lat: float, shrink: float) -> tuple[float, float]:
    """(lon, lat) in the layout's projected degrees: x = lon * shrink, y = -lat."""
    return lon * shrink, -lat


def _area(ring) -> float:
    return sum(ring[i - 1][0] * p[1] - p[0] * ring[i - 1][1] for i, p in enumerate(ring)) / 2


def _label_spot(o: Outline, shown, box, shrink) -> tuple[float, float] | None:
    """Where the map writes a country's name (projected degrees): at its anchor when that is on
    the map, else at the middle of the largest part of it on the map when that part is large
    enough and its middle inside it; None: not named."""
    x, y = project(*o.anchor, shrink)
    if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
        return x, y
    parts = [r for r in shown if len(r) >= 3 and abs(_area(r)) >= LABEL_AREA]
    if not parts:
        return None
    ring = max(parts, key=lambda r: abs(_area(r)))
    a = _area(ring)
    cx = sum((ring[i - 1][0] + p[0]) * (ring[i - 1][0] * p[1] - p[0] * ring[i - 1][1]) for i, p in enumerate(ring)) / (6 * a)
    cy = sum((ring[i - 1][1] + p[1]) * (ring[i - 1][0] * p[1] - p[0] * ring[i - 1][1]) for i, p in enumerate(ring)) / (6 * a)
    return (cx, cy) if inside((cx, cy), [ring]) else None


def geo_drawing(plan, px: float):
    """(positions in px, the view's geo part) of a viz.layout.GeoPlan drawn at `px` pixels to
    the degree: positions centred on (0, 0) as every layout is, and in the same pixels the
    map's box, the country outlines cut to it, the names of countries with no record on the
    map, the strip's headings, and for each place on the map how far its ring reaches up."""
    raw = {n: (x * px, y * px) for n, (x, y) in plan.positions.items()}
    if raw:
        xs = [x for x, _ in raw.values()]
        ys = [y for _, y in raw.values()]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    else:
        cx = cy = 0.0

    def to_px(x: float, y: float) -> tuple[float, float]:
        return round(x * px - cx, 1), round(y * px - cy, 1)

    positions = {n: (round(x - cx, 1), round(y - cy, 1)) for n, (x, y) in raw.items()}
    rings = {}  # a place on the map -> how far (px) the records ringing it reach up: its label goes above them
    for place, members in plan.members.items():
        if place in positions:
            rings[place] = round(max([0.0, *(positions[place][1] - positions[m][1] for m in members)]), 1)
    seats = []  # places not drawn that drawn records ring (the reference graph's): a dot and a name
    for place, (x, y) in sorted(plan.seats.items()):
        sx, sy = to_px(x, y)
        seats.append({"id": place, "x": sx, "y": sy,
                      "ring": round(max([0.0, *(sy - positions[m][1] for m in plan.members.get(place, []))]), 1)})
    geo: dict = {"outlines": [], "box": None, "labels": [], "groups": [], "rings": rings,
                 "landmarks": plan.landmarks, "seats": seats}
    if plan.box is not None:
        x0, y0, x1, y1 = plan.box
        geo["box"] = [*to_px(x0, y0), *to_px(x1, y1)]
        pad = CLIP_PAD
        cut_box = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
        for o in outlines():
            drawn, shown = [], []  # its rings in px, cut a little outside the box; in degrees, cut to it
            for ring in o.rings:
                cut = clip_ring([project(lon, lat, plan.shrink) for lon, lat in ring], cut_box)
                if len(cut) >= 3:
                    points = []
                    for x, y in cut:
                        p = list(to_px(x, y))
                        if not points or p != points[-1]:
                            points.append(p)
                    if len(points) >= 3:
                        drawn.append(points)
                        shown.append(clip_ring(cut, plan.box))
            if not drawn:
                continue
            geo["outlines"].append({"name": o.word, "iso": o.iso, "focus": o.iso in plan.focus, "rings": drawn})
            if o.iso in plan.named:  # its record on the map names it
                continue
            spot = _label_spot(o, shown, plan.box, plan.shrink)
            if spot is not None:
                geo["labels"].append({"text": o.word, "x": to_px(*spot)[0], "y": to_px(*spot)[1],
                                      "focus": o.iso in plan.focus})
    for group in plan.groups:
        g = dict(group)
        g["x"], g["y"] = to_px(group["x"], group["y"])
        g["width"] = round(group["width"] * px, 1)
        if "height" in group:
            g["height"] = round(group["height"] * px, 1)
        geo["groups"].append(g)
    return positions, geo
