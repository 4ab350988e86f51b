"""The geographic layout on real country outlines (viz.geo, viz.layout.geo_plan): the bundled
Natural Earth borders load, places lie inside their own country's outline in the view's pixels,
national bodies ring their country's centre with a marker, records with no place on the map
stand in panels by country, and the HTML map of the whole seed data draws the outlines in real
headless Chromium without a request leaving the page."""
from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_maps import Opened

from stakeholder_graph.cli import cli
from stakeholder_graph.queries.selection import Filters, select_drawing
from stakeholder_graph.viz.geo import clip_ring, inside, outline_of, outlines
from stakeholder_graph.viz.layout import geo_layout, geo_plan, national_bodies
from stakeholder_graph.viz.view import build_view

from helpers import MINIMAL_SOURCES, ROOT, graph_of, write_files

WESTERN_BALKANS = {"ALB", "BIH", "XKX", "MNE", "MKD", "SRB"}
NEIGHBOURS = {"HRV", "HUN", "ROU", "BGR", "GRC", "ITA", "SVN"}


@pytest.fixture(scope="module")
def geo_view(seed_graph) -> dict:
    """The geographic view of the whole seed data, as `map --layout geo` draws it."""
    filters = Filters()
    return build_view(select_drawing(seed_graph, filters), layout="geo", filters=filters)


def outline_px(view: dict, iso: str) -> list:
    return next(o["rings"] for o in view["outlines"] if o["iso"] == iso)


def group_box(view: dict, label: str) -> tuple[float, float, float, float]:
    g = next(g for g in view["geo"]["groups"] if g["level"] == 1 and g["label"] == label)
    return g["x"], g["y"], g["x"] + g["width"], g["y"] + g["height"]


def within(node: dict, box) -> bool:
    return box[0] <= node["x"] <= box[2] and box[1] <= node["y"] <= box[3]


# --- the bundled outlines --------------------------------------------------------------------


def test_the_bundled_outlines_load_with_the_region_and_its_neighbours():
    found = {o.iso: o for o in outlines()}
    assert WESTERN_BALKANS | NEIGHBOURS <= set(found)
    assert found["MKD"].name == "North Macedonia" and found["MKD"].natural_earth_name == "Macedonia"
    for o in found.values():
        assert o.rings and all(len(r) >= 3 for r in o.rings)
        assert inside(o.anchor, o.rings), o.name  # a country's anchor lies in it
        for ring in o.rings:
            for lon, lat in ring:
                assert 12.0 <= lon <= 25.0 and 38.5 <= lat <= 47.5
    assert outlines() is outlines()  # read once
    assert sum(len(r) for o in found.values() for r in o.rings) > 3000  # 1:10m detail, not a sketch


def test_the_outlines_ship_small_with_their_source_and_licence():
    folder = ROOT / "viz" / "assets" / "boundaries"
    data = folder / "western-balkans.json"
    assert data.stat().st_size < 150_000
    notice = (folder / "NOTICE.md").read_text(encoding="utf-8")
    for words in ("Natural Earth", "public domain", "world-atlas", "2.0.2", "ISC", "python tools/boundaries.py",
                  "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97", "Serbia's districts"):
        assert words in notice, words
    tool = (ROOT / "tools" / "boundaries.py").read_text(encoding="utf-8")
    assert "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97" in tool
    recorded = json.loads(data.read_text(encoding="utf-8"))
    assert recorded["made_by"] == "tools/boundaries.py" and "public domain" in recorded["source"]


def test_seed_countries_find_their_outline_by_any_name(seed_graph):
    for place, iso in {"serbia": "SRB", "kosovo": "XKX", "north-macedonia": "MKD",
                       "bosnia-and-herzegovina": "BIH", "albania": "ALB", "montenegro": "MNE"}.items():
        assert outline_of(seed_graph.node(place)).iso == iso
    assert outline_of(seed_graph.node("nis")) is None  # a town is no country
    assert outline_of({"kind": "place", "level": "country", "name": "Evilland"}) is None


def test_clipping_keeps_what_is_inside_the_box():
    square = [(0, 0), (10, 0), (10, 10), (0, 10)]
    cut = clip_ring(square, (5, -5, 20, 5))
    assert sorted(set(cut)) == [(5, 0), (5, 5), (10, 0), (10, 5)]
    assert clip_ring(square, (20, 20, 30, 30)) == []


# --- the view: places, national bodies, the panels --------------------------------------------


def test_places_lie_inside_their_own_country_on_the_map(geo_view, seed_graph):
    nodes = {n["id"]: n for n in geo_view["nodes"]}
    iso = {c: outline_of(seed_graph.node(c)).iso for c in ("serbia", "kosovo", "north-macedonia",
                                                          "bosnia-and-herzegovina", "albania", "montenegro")}
    located = [n for n, a in seed_graph.G.nodes(data=True) if a.get("kind") == "place" and a.get("lat") is not None]
    assert len(located) >= 13
    for place in located:
        country = seed_graph.country_of(place)
        point = (nodes[place]["x"], nodes[place]["y"])
        assert inside(point, outline_px(geo_view, iso[country])), place
        for other in iso.values():  # and in no other country
            assert other == iso[country] or not inside(point, outline_px(geo_view, other)), (place, other)
    nis = (nodes["nis"]["x"], nodes["nis"]["y"])
    assert inside(nis, outline_px(geo_view, "SRB")) and not inside(nis, outline_px(geo_view, "BGR"))
    box = geo_view["geo"]["box"]
    assert all(within(nodes[p], box) for p in located)


def test_actors_ring_their_seat(geo_view):
    nodes = {n["id"]: n for n in geo_view["nodes"]}

    def distance(a, b):
        return math.hypot(nodes[a]["x"] - nodes[b]["x"], nodes[a]["y"] - nodes[b]["y"])

    for actor, seat in (("astra", "belgrade"), ("local-network-nis", "nis"), ("pvpt", "pristina"),
                        ("vasa-prava", "sarajevo")):
        assert distance(actor, seat) < 0.3 * 650, actor  # within its seat's rings
        assert not nodes[actor].get("national")
    assert distance("astra", "belgrade") < distance("astra", "nis")


def test_national_bodies_ring_their_capital_with_a_marker(geo_view, seed_graph):
    nodes = {n["id"]: n for n in geo_view["nodes"]}
    national = {n for n, a in nodes.items() if a.get("national")}
    expected = set()
    for n, a in seed_graph.G.nodes(data=True):  # actors whose most local place is a country
        if a.get("kind") == "actor":
            places = [p for p, _ in seed_graph.out_edges(n, "located_in")]
            if places and all(seed_graph.node(p).get("level") == "country" for p in places):
                expected.add(n)
    assert national == expected and {"ministry-of-interior", "ombudsman", "albania-referral-mechanism"} <= national
    # the data marks each country's capital (capital: true, cited): national bodies ring it, each
    # nearer its own capital than any other town on the map
    capitals = {seed_graph.country_of(p): p for p, a in seed_graph.G.nodes(data=True) if a.get("capital")}
    assert capitals["serbia"] == "belgrade" and capitals["albania"] == "tirana"
    towns = [n for n, a in nodes.items() if a.get("landmark") == "place"]
    for body in national:
        country = next(p for p, _ in seed_graph.out_edges(body, "located_in"))
        here = (nodes[body]["x"], nodes[body]["y"])
        seat = (nodes[capitals[country]]["x"], nodes[capitals[country]]["y"])
        assert math.dist(here, seat) < nodes[capitals[country]]["ring"] * 2 + 1, body
        assert all(math.dist(here, (nodes[t]["x"], nodes[t]["y"])) >= math.dist(here, seat) for t in towns), body
        assert inside(here, outline_px(geo_view, outline_of(seed_graph.node(country)).iso)), body
    # a whole country's services are at its capital too; the country's record names it at its centre
    assert math.dist((nodes["centre-shelter"]["x"], nodes["centre-shelter"]["y"]),
                     (nodes["belgrade"]["x"], nodes["belgrade"]["y"])) < 0.6 * 650
    serbia = (nodes["serbia"]["x"], nodes["serbia"]["y"])
    assert nodes["serbia"]["landmark"] == "country" and inside(serbia, outline_px(geo_view, "SRB"))


def test_national_bodies_are_marked_on_every_layout(seed_graph):
    filters = Filters(population="children", place="Niš")
    for layout in ("force", "pathway", "geo"):
        view = build_view(select_drawing(seed_graph, filters, pathway=layout == "pathway"), layout=layout,
                          filters=filters)
        marked = {n["id"] for n in view["nodes"] if n.get("national")}
        assert "public-prosecutors" in marked and "centre-for-protection-of-victims" not in marked, layout
        assert marked == national_bodies(select_drawing(seed_graph, filters, pathway=layout == "pathway").graph,
                                         seed_graph), layout


def test_records_without_a_place_stand_in_panels_by_country(geo_view):
    nodes = {n["id"]: n for n in geo_view["nodes"]}
    headings = [g["label"] for g in geo_view["geo"]["groups"] if g["level"] == 1]
    assert headings == ["Albania", "Serbia", "no country (regional or unknown)"]  # by name, regional last
    box = geo_view["geo"]["box"]
    albania, serbia, regional = (group_box(geo_view, h) for h in headings)
    assert within(nodes["aleksinac"], serbia)  # a municipality without coordinates
    assert within(nodes["nisava-district"], serbia)
    assert within(nodes["from-harm-to-safety"], serbia)  # a project over seven Serbian towns
    assert within(nodes["vatra"], albania) and within(nodes["vlore"], albania)  # seat without coordinates
    for n in ("children", "iom", "greta", "western-balkans", "sexual-exploitation"):
        assert within(nodes[n], regional), n
    strip = [n for n in nodes.values() if not within(n, box)]
    assert strip and all(n["x"] > box[2] for n in strip)  # the panels stand east of the map
    assert not any(n.get("landmark") for n in strip)
    captions = {(g["country"], g["label"]): g["count"] for g in geo_view["geo"]["groups"] if g["level"] == 2}
    assert captions[("", "population")] == sum(1 for n in nodes.values() if n["kind"] == "population")
    # a district first, then its municipalities, each district on rows of its own
    districts = [n for n in nodes.values() if n["id"].endswith("-district") and within(n, serbia)]
    assert len(districts) > 20 and len({n["x"] for n in districts}) == 1
    assert (nodes["nisava-district"]["y"], nodes["nisava-district"]["x"]) < (nodes["aleksinac"]["y"], nodes["aleksinac"]["x"])


def test_a_seat_not_drawn_is_named_where_its_records_ring(seed_graph):
    filters = Filters(place="Niš", population="children")
    view = build_view(select_drawing(seed_graph, filters), layout="geo", filters=filters, lang="sr-Cyrl")
    nodes = {n["id"]: n for n in view["nodes"]}
    assert "belgrade" not in nodes and "centre-for-protection-of-victims" in nodes
    seat = next(s for s in view["geo"]["seats"] if s["text"] == "Београд")  # named in the map's language
    centre = nodes["centre-for-protection-of-victims"]
    assert math.hypot(centre["x"] - seat["x"], centre["y"] - seat["y"]) < 0.3 * 650
    assert inside((nodes["nis"]["x"], nodes["nis"]["y"]), outline_px(view, "SRB"))


def test_outlines_are_cut_to_the_map_and_named_once(geo_view):
    x0, y0, x1, y1 = geo_view["geo"]["box"]
    pad = 0.25 * 650
    for o in geo_view["outlines"]:
        for ring in o["rings"]:
            assert all(x0 - pad <= x <= x1 + pad and y0 - pad <= y <= y1 + pad for x, y in ring)
    assert {o["iso"] for o in geo_view["outlines"] if o["focus"]} == WESTERN_BALKANS
    named = {label["text"] for label in geo_view["geo"]["labels"]}
    assert {"Croatia", "Hungary", "Romania", "Bulgaria", "Greece"} <= named
    assert not named & {"Serbia", "Kosovo", "Albania"}  # their records on the map name them


def test_a_small_dataset_places_its_national_body_at_the_country(tmp_path):
    data = write_files(tmp_path / "data", {
        "sources.yaml": MINIMAL_SOURCES,
        "places.yaml": """\
- {id: serbia, name: Serbia, level: country, sources: [src]}
- {id: nis, name: Niš, level: municipality, parent: serbia, lat: 43.3208, lon: 21.8958, sources: [src]}
- {id: nowhere-land, name: Nowhere Land, level: country, sources: [src]}
""",
        "actors.yaml": """\
- {id: ministry, name: A ministry, sector: government, located_in: [serbia], sources: [src]}
- {id: local-ngo, name: A local NGO, sector: ngo, located_in: [nis], sources: [src]}
- {id: far-ngo, name: A far NGO, sector: ngo, located_in: [nowhere-land], sources: [src]}
- {id: global-body, name: A global body, sector: international, sources: [src]}
""",
    })
    g = graph_of(data)
    plan = geo_plan(g)  # the data records no capital: the ministry rings the country's record, at its centre
    assert plan.positions == geo_layout(g)
    assert plan.national == {"ministry", "far-ngo"}  # based in a country as a whole, with or without an outline
    shrink = plan.shrink
    assert plan.positions["nis"] == (round(21.8958 * shrink, 6), -43.3208)
    serbia = next(o for o in outlines() if o.iso == "SRB")
    sx, sy = plan.positions["serbia"]
    assert inside((sx / shrink, -sy), serbia.rings)
    assert math.dist(plan.positions["ministry"], plan.positions["serbia"]) < 0.2
    assert math.dist(plan.positions["local-ngo"], plan.positions["nis"]) < 0.2
    # a country without an outline and what is based there stand in the panels, by country
    x1 = plan.box[2]
    assert all(plan.positions[n][0] > x1 for n in ("nowhere-land", "far-ngo", "global-body"))
    heads = [(grp["country"], grp.get("kind")) for grp in plan.groups]
    assert heads == [("nowhere-land", None), ("nowhere-land", "actor"), ("nowhere-land", "place"),
                     ("", None), ("", "actor"), ("", "source")]
    assert plan == geo_plan(g)  # deterministic
    # where the data marks a capital, national bodies ring it (named on the map if not drawn)
    (tmp_path / "data" / "places.yaml").write_text((tmp_path / "data" / "places.yaml").read_text(encoding="utf-8")
                                                   .replace("lat: 43.3208", "capital: true, lat: 43.3208"),
                                                   encoding="utf-8")
    plan = geo_plan(graph_of(data))
    assert math.dist(plan.positions["ministry"], plan.positions["nis"]) < 0.2
    assert plan.members["nis"][0] == "ministry"  # national bodies in the innermost ring


# --- the HTML map in real Chromium ------------------------------------------------------------


def test_the_geo_map_of_the_seed_data_draws_its_outlines_offline(browser, tmp_path):
    from PIL import Image

    out = tmp_path / "region.html"
    result = CliRunner().invoke(cli, ["map", "--layout", "geo", "--color-by", "country", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    view = json.loads(re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S).group(1))
    assert view["outlines"] and view["geo"]["box"]
    opened = Opened(browser, out)
    try:
        page, requests, errors, url = opened.page, opened.requests, opened.errors, opened.url
        page.wait_for_timeout(400)
        assert requests == [url], requests
        assert errors == []
        shot = Image.open(io.BytesIO(page.locator("#network").screenshot())).convert("RGB")
        colours = dict((c, n) for n, c in shot.getcolors(maxcolors=1 << 24))
        area = shot.width * shot.height
        sea, land = colours.get((0xE4, 0xEE, 0xF5), 0), colours.get((0xFB, 0xFA, 0xF6), 0)
        assert sea > area * 0.03 and land > area * 0.08, (sea, land, area)  # the outlines are drawn
        greys = sum(n for (r, g, b), n in colours.items() if abs(r - g) < 12 and abs(g - b) < 12 and 110 < r < 190)
        assert greys > area * 0.002  # and their borders
        fitted = page.evaluate("""() => {
            const m = window.stakeholderMap, s = m.network.getScale();
            const box = JSON.parse(document.getElementById('map-data').textContent).geo.box;
            const a = m.network.canvasToDOM({x: box[0], y: box[1]}), b = m.network.canvasToDOM({x: box[2], y: box[3]});
            const r = document.querySelector('#network canvas').getBoundingClientRect();
            const labels = Object.fromEntries(m.state.geoLabels.map((l) => [l.id, l.px]));
            return {labels: labels, scale: s, node: m.nodes.get('astra').size * s,
                    inside: a.x >= -1 && a.y >= -1 && b.x <= r.width + 1 && b.y <= r.height + 1};
        }""")
        assert fitted["inside"]  # the whole map fits on load
        assert fitted["scale"] < 0.3  # the seed data's map is large: fitted, it is far zoomed out
        # and yet every place on the map is named, 13 px (countries 16 px) on screen, and nodes visible
        located = {n["id"] for n in view["nodes"] if n.get("landmark")}
        assert {"nis", "belgrade", "serbia", "kosovo", "tirana"} <= located == set(fitted["labels"])
        assert fitted["labels"]["nis"] == 13 and fitted["labels"]["serbia"] == 16
        assert fitted["node"] >= 2.5
        legend = page.locator("#legend").text_content()
        assert "Natural Earth" in legend and "based in a country as a whole" in legend
    finally:
        opened.context.close()


def test_map_words_of_the_geo_layout_are_in_the_catalogue():
    from stakeholder_graph.viz.geo import COUNTRY_WORDS
    from stakeholder_graph.viz.i18n import _, use_language

    with use_language("sr-Latn"):
        assert _(COUNTRY_WORDS["HUN"]) == "Mađarska" and _(COUNTRY_WORDS["SRB"]) == "Srbija"
    with use_language("sr-Cyrl"):
        assert _(COUNTRY_WORDS["HRV"]) == "Хрватска"
    assert Path(ROOT / "viz" / "geo.py").read_text(encoding="utf-8").count("N_(") >= len(COUNTRY_WORDS)
