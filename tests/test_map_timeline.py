"""The HTML map's timeline, its fit on load, the pathway's step headers, and the output file
`map` and `diagram` accept.

The timeline's statuses are computed in Python (queries/timeline.py) and embedded; these tests
check them against the rules of --as-of (queries.matching.status, queries.pathway's gaps) day
by day in Python, and on the real page in headless Chromium (conftest.py's `browser`) for
dates around the seed data's starts and ends: what the page shows is what the CLI says.
"""
from __future__ import annotations

import datetime as dt
import doctest
import re

import pytest
from click.testing import CliRunner
from conftest import TESTS_TODAY
from test_maps import Opened, make, map_data

from stakeholder_graph.cli import cli
from stakeholder_graph.graph.dates import first_day
from stakeholder_graph.queries import timeline as tl
from stakeholder_graph.queries.matching import AVAILABLE, months_before, status
from stakeholder_graph.queries.pathway import referral_pathway
from stakeholder_graph.queries.selection import Filters
from stakeholder_graph.viz.timeline import codes_of, status_in
from stakeholder_graph.viz.view import drawn_view

from helpers import MINIMAL_SOURCES, write_files

NIS = ("--population", "children", "--place", "Niš")
SUBOTICA = ("--pathway", "--population", "unaccompanied children", "--place", "Subotica")
# days around the seed data's starts and ends: the Centre's services start 2012-07-02, the
# Centre's shelter 2019-02, From Harm to Safety runs 2018-02 to 2020-07 (ended from 2020-08-01),
# the police teams start 2018-03, the ASTRA hotline 2002-02; a source leaves the freshness
# window on 2021-01-02; and the tests' today
DAYS = ("2001-06-15", "2002-01-31", "2002-02-01", "2012-07-01", "2012-07-02", "2018-01-31", "2018-02-01",
        "2018-03-01", "2019-01-31", "2019-02-01", "2020-07-31", "2020-08-01", "2021-01-01", "2021-01-02",
        TESTS_TODAY.isoformat())


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture(scope="session")
def timeline_maps(tmp_path_factory):
    out = tmp_path_factory.mktemp("timeline-maps")
    built = {}
    for name, args in {"nis": NIS, "subotica": SUBOTICA, "geo": ("--layout", "geo"),
                       "nis-2019": (*NIS, "--as-of", "2019-05")}.items():
        path = out / f"{name}.html"
        code, err = make("map", *args, "-o", path)
        assert code == 0, err
        built[name] = path
    return built


@pytest.fixture
def opened(browser):
    pages = []

    def opener(path, width=1400, height=900) -> Opened:
        o = Opened(browser, path, width, height)
        pages.append(o)
        return o

    yield opener
    for o in pages:
        o.context.close()


# --- the output file: one check for map and diagram ----------------------------------------


def test_map_refuses_a_file_that_is_not_html_and_leaves_it_as_it_was(tmp_path):
    picture = tmp_path / "nis.png"
    picture.write_bytes(b"\x89PNG an earlier diagram")
    result = CliRunner().invoke(cli, ["map", *NIS, "-o", str(picture)])
    assert result.exit_code == 2
    assert f"-o {picture}: the file name must end in .html or .htm" in result.stderr
    assert "`diagram`" in result.stderr and "Traceback" not in result.stderr
    assert picture.read_bytes() == b"\x89PNG an earlier diagram"
    for name in ("nis", "nis.svg", "nis.html.txt"):
        assert make("map", "-o", tmp_path / name)[0] == 2, name
    assert make("diagram", "-o", tmp_path / "nis.html")[0] == 2  # and diagram refuses HTML, by the same check
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nis.png"]  # nothing written, no temporary file
    assert make("map", *NIS, "-o", tmp_path / "nis.HTM")[0] == 0  # .htm, in any case, is HTML too
    result = CliRunner().invoke(cli, ["map", *NIS, "-o", "-"])
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>")


def test_one_function_checks_the_output_of_both_commands():
    import click

    from stakeholder_graph.commands.maps import DIAGRAM_FORMATS, MAP_FORMATS, output_format

    assert output_format("a/Nis.HTML", MAP_FORMATS) == "html"
    assert output_format("-", MAP_FORMATS, stdout=True) is None
    assert output_format("slide.SVG", DIAGRAM_FORMATS) == "svg"
    with pytest.raises(click.UsageError, match=r"-o -: the file name must end in \.png, \.svg, \.pdf or \.pptx"):
        output_format("-", DIAGRAM_FORMATS)
    with pytest.raises(click.UsageError, match=r"-o x\.gif: the file name must end in \.png, \.svg, \.pdf or \.pptx"):
        output_format("x.gif", DIAGRAM_FORMATS)


# --- the timeline in Python: the rules of --as-of, as periods ------------------------------


def test_freshness_boundary_is_exact():
    for first in (dt.date(2019, 1, 31), dt.date(2020, 2, 29), dt.date(2018, 3, 1), dt.date(2024, 12, 31)):
        for months in (0, 1, 12, 24):
            last = tl.last_day_within(first, months)
            assert months_before(last, months) <= first < months_before(last + dt.timedelta(days=1), months)


def test_every_status_period_is_what_status_says_day_by_day(seed_graph):
    """For every service and project, on every 9th day from 1995 to past today and on each day
    around a change: the status the periods give is status() on that day."""
    g = seed_graph.for_audience("public")
    checked = 0
    for n in sorted(g.ids_of("service")) + sorted(g.ids_of("project")):
        changes = tl.status_changes(g, n)
        days = {dt.date(1995, 1, 1) + dt.timedelta(days=9 * i) for i in range(1400)}
        for d in tl.change_days(g, n) | {c for c, _ in changes[1:]}:
            days |= {d + dt.timedelta(days=k) for k in (-2, -1, 0, 1)}
        for d in sorted(days):
            assert tl.status_on(changes, d) == status(g, n, d), (n, d, changes)
            checked += 1
    assert checked > 50_000
    # the seed data's dates, as the CLI gives them
    assert tl.status_changes(g, "fhs-client-centred-care") == [
        (None, "planned"), (day("2018-02-01"), "active"), (day("2020-08-01"), "ended")]
    assert tl.status_changes(g, "centre-shelter")[:2] == [(None, "planned"), (day("2019-02-01"), "active")]


def test_the_module_example_runs(seed_graph):
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(tl, "queries.timeline", globs={**vars(tl), "g": seed_graph.for_audience("public")}):
        runner.run(test)
    assert runner.tries >= 1 and runner.failures == 0


@pytest.mark.parametrize("pathway", [False, True])
def test_the_embedded_timeline_decodes_to_the_cli_statuses(seed_graph, pathway):
    filters = Filters(population="unaccompanied children" if pathway else "children",
                      place="Subotica" if pathway else "Niš")
    view = drawn_view(seed_graph, filters, pathway=pathway)
    t = view["timeline"]
    codes = codes_of(view, "nodes")
    g = seed_graph.for_audience("public")
    assert t["as_of"] == t["end"] == TESTS_TODAY.isoformat()
    assert t["start"] == "2000-01-01"  # the year of the earliest start drawn (ASTRA, founded 2000)
    assert t["days"] == sorted(t["days"]) and all(re.fullmatch(r"[a-z](\d+[a-z])*", c) for c in codes.values())
    assert len(t["nodes"].split(",")) <= len([n for n in view["nodes"] if n["kind"] != "step"])  # one per record
    drawn = {n["id"]: n for n in view["nodes"]}
    timed = {n for n in drawn if g.kind(n) in ("service", "project")} if not pathway else {
        n for n in drawn if n in g.G and g.kind(n) in ("service", "project")}
    assert timed <= set(codes)  # every service and project drawn has its statuses
    for d in DAYS:
        for n in timed:
            assert status_in(view, "nodes", n, d) == status(g, n, day(d)), (n, d)
        for n in set(codes) - timed:  # an actor with a start: planned before it, active from it
            a = g.node(n)
            assert a["kind"] not in ("service", "project") and a.get("start")
            assert status_in(view, "nodes", n, d) == ("planned" if day(d) < first_day(str(a["start"])) else "active")
        if pathway:
            steps = referral_pathway(g, "unaccompanied children", "Subotica", as_of=d)["steps"]
            assert {f"step:{s['step']}": "gap" if s["gap"] else "provided" for s in steps} == {
                s: status_in(view, "steps", s, d) for s in t["steps"]}, d
    assert {n for n, node in drawn.items() if node.get("dim")} <= {
        n for n in codes if status_in(view, "nodes", n, t["as_of"]) in ("ended", "planned")}


def test_a_relation_with_dates_is_on_the_timeline(seed_graph):
    view = drawn_view(seed_graph, Filters(around="GRETA"))
    visits = [e for e in view["edges"] if e["from"] == "greta" and e["to"] == "local-network-nis"]
    assert len(visits) == 1
    visit = visits[0]["id"]  # GRETA's visit of 2022: planned before, ended after
    assert [status_in(view, "edges", visit, d) for d in ("2021-12-31", "2022-01-01", "2022-12-31", "2023-01-01")] == [
        "planned", "active", "active", "ended"]
    undated = next(e["id"] for e in view["edges"] if e["id"] not in codes_of(view, "edges"))
    assert status_in(view, "edges", undated, "2022-06-01") is None


def test_a_map_with_nothing_dated_has_no_timeline_bar(tmp_path, opened):
    data = write_files(tmp_path / "data", {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": """\
- id: one-ngo
  name: One NGO
  sector: ngo
  sources: [src]
- id: other-ngo
  name: Other NGO
  sector: ngo
  sources: [src]
""", "relations.yaml": "- {type: partners_with, from: one-ngo, to: other-ngo, sources: [src]}\n"})
    out = tmp_path / "undated.html"
    assert make("--data", data, "map", "-o", out)[0] == 0
    t = map_data(out.read_text(encoding="utf-8"))["timeline"]
    assert t["days"] == [] and t["nodes"] == "" and t["edges"] == "" and t["steps"] == {}
    m = opened(out)
    assert m.js("document.getElementById('timeline').hidden") is True
    assert m.js("window.stakeholderMap.timeline.shown()")["faded"] == []
    assert m.requests == [m.url] and m.errors == []


# --- the timeline on the page ---------------------------------------------------------------


def set_day(m: Opened, d: str) -> dict:
    """Pick a day with the page's own date field, as a keyboard user would; what the page shows."""
    m.page.fill("#timeline-date", d)
    m.page.wait_for_function("(d) => document.getElementById('timeline').dataset.date === d", arg=d)
    return m.js("window.stakeholderMap.timeline.shown()")


@pytest.mark.parametrize("name", ["nis", "subotica"])
def test_the_page_shows_the_statuses_the_cli_gives(timeline_maps, opened, seed_graph, name):
    g = seed_graph.for_audience("public")
    m = opened(timeline_maps[name])
    view = map_data(timeline_maps[name].read_text(encoding="utf-8"))
    assert m.js("document.getElementById('timeline-date').value") == TESTS_TODAY.isoformat()  # opens on --as-of
    assert m.js("document.getElementById('timeline').hidden") is False
    services = [n for n in codes_of(view, "nodes") if g.kind(n) in ("service", "project")]
    assert len(services) >= 10
    for d in DAYS:
        shown = set_day(m, d)
        assert shown["day"] == d
        for n in services:
            assert shown["nodes"][n] == status(g, n, day(d)), (n, d)
        faded = {n for n, s in shown["nodes"].items() if s in ("ended", "planned")}
        assert set(shown["faded"]) == faded, d  # ended and planned are drawn faded, nothing else
        if name == "subotica":
            steps = referral_pathway(g, "unaccompanied children", "Subotica", as_of=d)["steps"]
            gaps = {f"step:{s['step']}" for s in steps if s["gap"]}
            assert {k for k, v in shown["steps"].items() if v == "gap"} == gaps, d
            on_page = m.js("[...document.querySelectorAll('.step-header.gap')].map(b => b.dataset.step)")
            assert set(on_page) == gaps, d
        available = sum(1 for s in shown["nodes"].values() if s in AVAILABLE)
        planned = sum(1 for s in shown["nodes"].values() if s == "planned")
        ended = sum(1 for s in shown["nodes"].values() if s == "ended")
        assert m.js("document.getElementById('timeline-count').textContent") == (
            f"{d}: {available} available, {planned} planned, {ended} ended")
    assert m.requests == [m.url] and m.errors == []


def test_the_slider_opens_on_as_of_and_moves_by_keyboard(timeline_maps, opened, seed_graph):
    m = opened(timeline_maps["nis-2019"])
    t = map_data(timeline_maps["nis-2019"].read_text(encoding="utf-8"))["timeline"]
    assert t["as_of"] == "2019-05-01" and t["end"] == TESTS_TODAY.isoformat()
    shown = m.js("window.stakeholderMap.timeline.shown()")
    assert shown["day"] == "2019-05-01" and shown["nodes"]["fhs-client-centred-care"] == "active"
    # the slider is labelled, and the keyboard moves it: a day with the arrows, a year with Page Up/Down
    assert m.js("document.querySelector('label[for=timeline-range]').textContent") == "Timeline"
    m.page.focus("#timeline-range")
    m.page.keyboard.press("ArrowRight")
    assert m.js("document.getElementById('timeline').dataset.date") == "2019-05-02"
    for _ in range(2):
        m.page.keyboard.press("PageUp")
    assert m.js("document.getElementById('timeline').dataset.date") == "2021-05-02"
    assert m.js("window.stakeholderMap.timeline.shown()")["nodes"]["fhs-client-centred-care"] == "ended"
    # the details panel gives the status on the day shown
    m.js("window.stakeholderMap.selectNode('fhs-client-centred-care')")
    assert "ended on 2021-05-02" in m.js("document.getElementById('details').innerText")
    set_day(m, "2019-01-15")
    assert "active on 2019-01-15" in m.js("document.getElementById('details').innerText")
    # hiding what is ended or planned takes it off the canvas
    set_day(m, "2021-05-02")
    total = m.js("window.stakeholderMap.network.body.data.nodes.length")
    m.page.check("#timeline-hide")
    assert m.js("window.stakeholderMap.network.body.data.nodes.length") == total - len(
        [s for s in m.js("window.stakeholderMap.timeline.shown()")["nodes"].values() if s in ("ended", "planned")])
    m.page.uncheck("#timeline-hide")
    assert m.js("window.stakeholderMap.network.body.data.nodes.length") == total


def test_play_steps_a_year_at_a_time_and_stops_today(timeline_maps, opened):
    m = opened(timeline_maps["nis"])
    set_day(m, "2024-03-10")
    m.page.clock.install()  # the page's timers run when the test says
    m.page.click("#timeline-play")
    assert m.js("document.getElementById('timeline-play').getAttribute('aria-pressed')") == "true"
    assert m.js("document.getElementById('timeline-play').textContent") == "Pause"
    seen = []
    for _ in range(4):
        m.page.clock.run_for(1000)
        seen.append(m.js("document.getElementById('timeline').dataset.date"))
    assert seen == ["2025-03-10", "2026-03-10", TESTS_TODAY.isoformat(), TESTS_TODAY.isoformat()]
    assert m.js("document.getElementById('timeline-play').getAttribute('aria-pressed')") == "false"
    assert m.js("document.getElementById('timeline-play').textContent") == "Play"
    m.page.click("#timeline-play")  # at today, play starts from the beginning
    assert m.js("document.getElementById('timeline').dataset.date") == "2000-01-01"
    m.page.clock.run_for(1000)
    m.page.click("#timeline-play")  # pause
    m.page.clock.run_for(5000)
    assert m.js("document.getElementById('timeline').dataset.date") == "2001-01-01"


def test_the_timeline_speaks_serbian(tmp_path, opened):
    out = tmp_path / "nis-sr.html"
    assert make("map", *NIS, "--lang", "sr-Latn", "-o", out)[0] == 0
    m = opened(out)
    set_day(m, "2019-02-01")
    assert m.js("document.getElementById('timeline-play').textContent") == "Pokreni"
    assert m.js("document.querySelector('label[for=timeline-range]').textContent") == "Vremenska linija"
    assert m.js("document.getElementById('timeline-count').textContent").startswith("2019-02-01: dostupno ")
    m.js("window.stakeholderMap.selectNode('fhs-client-centred-care')")
    assert "aktivno na dan 2019-02-01" in m.js("document.getElementById('details').innerText")


# --- fitting the canvas, and the pathway's step headers ------------------------------------

BOXES = """() => {
    const net = window.stakeholderMap.network;
    const canvas = document.querySelector('#network canvas').getBoundingClientRect();
    const out = [];
    for (const id of net.body.nodeIndices) {
        const b = net.getBoundingBox(id);
        const a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
        out.push([id, a.x, a.y, z.x, z.y]);
    }
    // a geographic map's picture is its map and its panels too (viz/geo.py)
    const geo = JSON.parse(document.getElementById('map-data').textContent).geo;
    const parts = geo ? [['geo: map', ...geo.box], ...geo.groups.filter((g) => g.level === 1)
        .map((g) => ['geo: ' + g.label, g.x, g.y, g.x + g.width, g.y + g.height])] : [];
    for (const [id, x0, y0, x1, y1] of parts) {
        const a = net.canvasToDOM({x: x0, y: y0}), z = net.canvasToDOM({x: x1, y: y1});
        out.push([id, a.x, a.y, z.x, z.y]);
    }
    return {width: canvas.width, height: canvas.height, boxes: out};
}"""


@pytest.mark.parametrize("name", ["nis", "geo", "subotica"])
def test_every_layout_fits_the_canvas_on_load(timeline_maps, opened, name):
    m = opened(timeline_maps[name], width=1280, height=800)
    found = m.js(BOXES)
    top = m.js("document.getElementById('steps').hidden ? 0 : document.getElementById('steps').offsetHeight")
    assert len(found["boxes"]) >= 20
    for node_id, left, upper, right, lower in found["boxes"]:
        assert 0 <= left and right <= found["width"], (node_id, left, right, found["width"])
        assert top <= upper and lower <= found["height"], (node_id, upper, lower, top, found["height"])
    # and it uses the canvas: the picture (with the pathway's header row) reaches near two opposite edges
    headers = m.js("[...document.querySelectorAll('.step-header')].map(b => { const r = b.getBoundingClientRect();"
                   " return [r.left, r.right]; })")
    lefts = [b[1] for b in found["boxes"]] + [h[0] for h in headers]
    rights = [b[3] for b in found["boxes"]] + [h[1] for h in headers]
    uppers, lowers = [b[2] for b in found["boxes"]], [b[4] for b in found["boxes"]]
    assert (min(lefts) < 40 and max(rights) > found["width"] - 40) or (
        min(uppers) < top + 40 and max(lowers) > found["height"] - 40)
    assert m.requests == [m.url] and m.errors == []


def test_pathway_step_headers_are_readable_at_the_fit_zoom(timeline_maps, opened):
    m = opened(timeline_maps["subotica"], width=1280, height=800)
    headers = m.js("""() => [...document.querySelectorAll('.step-header')].map(b => {
        const r = b.getBoundingClientRect(), s = getComputedStyle(b);
        return {text: b.innerText, size: parseFloat(s.fontSize), bg: s.backgroundColor, left: r.left, right: r.right,
                clipped: b.scrollWidth > b.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1};
    })""")
    canvas = m.js("(() => { const r = document.querySelector('#network canvas').getBoundingClientRect();"
                  " return [r.left, r.right]; })()")
    assert [h["text"].split("\n")[0] for h in headers] == [
        "1. first contact", "2. identification", "3. assessment and plan", "4. emergency assistance",
        "5. protection and support", "6. reintegration or return", "7. criminal justice (alongside)"]
    for h in headers:
        assert h["size"] >= 14, h  # 14 px text, on the screen, whatever the zoom
        assert h["bg"] in ("rgb(55, 71, 79)", "rgb(198, 40, 40)"), h  # solid boxes, not outlined text
        assert not h["clipped"], h
        assert canvas[0] <= h["left"] and h["right"] <= canvas[1], (h, canvas)
    for a, b in zip(headers, headers[1:]):
        assert a["right"] <= b["left"], (a, b)  # side by side, never over each other
    # each header stands over its column of services
    columns = m.js("""() => {
        const net = window.stakeholderMap.network, data = JSON.parse(document.getElementById('map-data').textContent);
        const canvas = document.querySelector('#network canvas').getBoundingClientRect();
        return data.nodes.filter(n => n.kind === 'step').map(n => canvas.left + net.canvasToDOM({x: n.x, y: 0}).x);
    }""")
    for h, x in zip(headers, columns):
        assert abs((h["left"] + h["right"]) / 2 - x) < 1
    # a header is a button: the keyboard reaches it, and it opens the step's details
    m.page.focus(".step-header[data-step='step:identification']")
    m.page.keyboard.press("Enter")
    assert m.js("document.querySelector('#details h2').textContent").startswith("2. identification")
    row = m.js("document.getElementById('steps').offsetHeight")
    set_day(m, "2010-06-01")  # before the Centre: nobody identifies; the header says so, and its details
    assert m.js("document.querySelector(\".step-header[data-step='step:identification']\").classList.contains('gap')")
    assert m.js("document.getElementById('steps').offsetHeight") == row  # the row keeps its height
    gap_lines = m.js("[...document.querySelectorAll('.step-header.gap .step-gap')].map(g => "
                     "[g.textContent, parseFloat(getComputedStyle(g).fontSize), g.scrollWidth <= g.clientWidth])")
    assert gap_lines and all(g == ["no provider recorded", 14, True] for g in gap_lines), gap_lines
    m.page.click(".step-header[data-step='step:identification']")
    assert "no provider recorded in the data for identification" in m.js("document.getElementById('details').innerText")
