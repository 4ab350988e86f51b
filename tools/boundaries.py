"""Make the country outlines the geographic map draws (viz/assets/boundaries/western-balkans.json).

    python tools/boundaries.py                       # runs `npm pack world-atlas@2.0.2` in a temporary folder
    python tools/boundaries.py world-atlas-2.0.2.tgz # or reads a tarball you have

The source is the npm package world-atlas 2.0.2 (ISC licence; Natural Earth's 1:10m Admin 0
countries, version 4.1.0, public domain) as TopoJSON. This tool takes the countries that reach
into the Western Balkans and their neighbours (longitude 12..25, latitude 38.5..47.5),
simplifies each shared border once (Douglas-Peucker on the TopoJSON arcs, so neighbours keep
exactly the same line), assembles the rings, clips them to that box and rounds to 0.001 degree.
For each country it also finds an anchor: the point of its largest part inside the box
farthest from its border (where the map writes its name and draws records based in the country as a whole).

Pure Python; the same tarball gives the same bytes. The tarball's SHA-256 is checked against
the one recorded below (and in NOTICE.md beside the output), so a changed package is noticed.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "viz" / "assets" / "boundaries" / "western-balkans.json"
PACKAGE = "world-atlas@2.0.2"
TARBALL_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
MEMBER = "package/countries-10m.json"
BOX = (12.0, 38.5, 25.0, 47.5)  # west, south, east, north (degrees)
TOLERANCE = 0.005  # degrees (about 500 m): Douglas-Peucker tolerance on each arc
DIGITS = 3
ANCHOR_STEP = 0.02  # degrees: the grid the anchor is searched on

# Natural Earth 4.1.0 short names -> the English short names the seed data uses, and ISO 3166-1
# alpha-3 codes (Kosovo: XKX, the code the EU and others use; Natural Earth has its own polygon
# and no ISO numeric id). Only the countries inside BOX are listed; any other is an error.
COUNTRIES = {
    "Albania": ("Albania", "ALB"), "Austria": ("Austria", "AUT"),
    "Bosnia and Herz.": ("Bosnia and Herzegovina", "BIH"), "Bulgaria": ("Bulgaria", "BGR"),
    "Croatia": ("Croatia", "HRV"), "Germany": ("Germany", "DEU"), "Greece": ("Greece", "GRC"), "Hungary": ("Hungary", "HUN"),
    "Italy": ("Italy", "ITA"), "Kosovo": ("Kosovo", "XKX"), "Macedonia": ("North Macedonia", "MKD"),
    "Montenegro": ("Montenegro", "MNE"), "Romania": ("Romania", "ROU"), "San Marino": ("San Marino", "SMR"),
    "Serbia": ("Serbia", "SRB"), "Slovenia": ("Slovenia", "SVN"),
}


def tarball_bytes(path: str | None) -> bytes:
    if path:
        return Path(path).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, capture_output=True)
        return next(Path(tmp).glob("*.tgz")).read_bytes()


def read_topology(data: bytes) -> dict:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return json.load(tar.extractfile(MEMBER))


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs in degrees (TopoJSON quantised arcs are delta-encoded)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative; the ends stay."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        best, index = -1.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / length if length else math.hypot(px - ax, py - ay)
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep) if k]


def ring_points(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A ring from its arcs (a negative index ~i is arc i reversed); shared ends once."""
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def clip(ring: list[tuple[float, float]], box=BOX) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: the ring cut to the box (edges along the box where it was cut)."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    )
    out = list(ring)
    for inside, cross in edges:
        points, out = out, []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(cross(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cross(previous, current))
        if not out:
            break
    return out


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def area(ring) -> float:
    return sum(ring[i - 1][0] * p[1] - p[0] * ring[i - 1][1] for i, p in enumerate(ring)) / 2


def inside(point, rings) -> bool:
    """Even-odd rule over all rings (holes subtract)."""
    x, y = point
    result = False
    for ring in rings:
        for i, (bx, by) in enumerate(ring):
            ax, ay = ring[i - 1]
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                result = not result
    return result


def border_distance(point, rings) -> float:
    x, y = point
    best = math.inf
    for ring in rings:
        for i, (bx, by) in enumerate(ring):
            ax, ay = ring[i - 1]
            dx, dy = bx - ax, by - ay
            t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
            best = min(best, math.hypot(x - ax - t * dx, y - ay - t * dy))
    return best


def anchor(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """The point inside `rings` (even-odd) farthest from their edges, distances in degrees
    with longitude shrunk by the cosine of the latitude: searched on a grid of ANCHOR_STEP * 5,
    then of ANCHOR_STEP around the best point."""
    points = [p for ring in rings for p in ring]
    shrink = math.cos(math.radians(sum(y for _, y in points) / len(points)))
    squashed = [[(x * shrink, y) for x, y in ring] for ring in rings]

    def best_on(x0, y0, x1, y1, step):
        best, found = -1.0, None
        for j in range(int((y1 - y0) / step) + 1):
            for i in range(int((x1 - x0) / step) + 1):
                lon, lat = x0 + i * step, y0 + j * step
                if inside((lon, lat), rings):
                    d = border_distance((lon * shrink, lat), squashed)
                    if d > best:
                        best, found = d, (lon, lat)
        return found

    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    coarse = best_on(min(xs), min(ys), max(xs), max(ys), ANCHOR_STEP * 5) or points[0]
    reach = ANCHOR_STEP * 5
    return best_on(coarse[0] - reach, coarse[1] - reach, coarse[0] + reach, coarse[1] + reach, ANCHOR_STEP) or coarse


def rounded(ring) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        p = [round(x, DIGITS), round(y, DIGITS)]
        if not out or p != out[-1]:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def build(topology: dict) -> dict:
    arcs = [simplify(a, TOLERANCE) for a in decode_arcs(topology)]
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        polygons = [[ring_points(ring, arcs) for ring in polygon] for polygon in polygons]
        rings = []
        for polygon in polygons:
            for ring in polygon:
                cut = rounded(clip(ring))
                if len(cut) >= 3 and abs(area(cut)) > 1e-6:
                    rings.append(cut)
        if not rings:  # nothing of it inside the box
            continue
        ne_name = geometry["properties"]["name"]
        if ne_name not in COUNTRIES:
            raise SystemExit(f"{ne_name!r} reaches into the box: add it to COUNTRIES")
        name, iso = COUNTRIES[ne_name]
        lon, lat = anchor([max(rings, key=lambda r: abs(area(r)))])  # in its largest part inside the box
        countries.append({
            "name": name, "natural_earth_name": ne_name, "iso": iso, "iso_numeric": geometry.get("id"),
            "anchor": [round(lon, DIGITS), round(lat, DIGITS)], "rings": rings,
        })
    countries.sort(key=lambda c: c["name"])
    return {
        "source": "Natural Earth 1:10m Admin 0 countries, version 4.1.0 (public domain), "
                  "as TopoJSON in the npm package world-atlas 2.0.2 (ISC licence)",
        "made_by": "tools/boundaries.py",
        "box": list(BOX),
        "tolerance": TOLERANCE,
        "countries": countries,
    }


def main(argv: list[str]) -> int:
    data = tarball_bytes(argv[1] if len(argv) > 1 else None)
    digest = hashlib.sha256(data).hexdigest()
    if digest != TARBALL_SHA256:
        print(f"warning: the tarball's SHA-256 is {digest}, not the recorded {TARBALL_SHA256}", file=sys.stderr)
    text = json.dumps(build(read_topology(data)), ensure_ascii=False, separators=(",", ":")) + "\n"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text.encode()) // 1024} KB, tarball sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
