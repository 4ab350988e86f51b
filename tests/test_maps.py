"""Maps and diagrams. The HTML map is opened in real headless Chromium (Debian's `chromium`,
driven by Playwright; one browser for the whole session, conftest.py's `browser`): no request
leaves the page, nothing from the data runs as markup, search folds names like the CLI, and
the audience filter is total. A missing browser fails these tests (never skips them).
"""
from __future__ import annotations

import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from stakeholder_graph.cli import cli
from stakeholder_graph.graph import VERSION
from stakeholder_graph.graph.names import fold

from helpers import MINIMAL_SOURCES, SEED, write_files

PAYLOADS = {  # id -> name; each payload would set window.__pwned if it ever ran
    "img-actor": '<img src=x onerror="window.__pwned=1">',
    "script-actor": "<script>window.__pwned=2</script>",
    "svg-actor": '"><svg onload="window.__pwned=3">',
}
JS_URL = "javascript:window.__pwned=4"

XSS_FILES = {
    "sources.yaml": MINIMAL_SOURCES + f"""\
- id: evil-src
  name: '<img src=x onerror="window.__pwned=1">Evil source'
  publisher: '<script>window.__pwned=2</script>'
  url: '{JS_URL}'
""",
    "places.yaml": """\
- id: evil-country
  name: '"><svg onload="window.__pwned=3">Evilland'
  level: country
  sources: [src]
- id: evil-town
  name: 'Town <b>bold</b>'
  level: municipality
  parent: evil-country
  lat: 44.0
  lon: 20.0
  sources: [src]
""",
    "actors.yaml": f"""\
- id: img-actor
  name: '{PAYLOADS["img-actor"]}'
  sector: ngo
  located_in: [evil-town]
  description: '<img src=x onerror="window.__pwned=5"> described'
  sources: [src, evil-src]
- id: script-actor
  name: '{PAYLOADS["script-actor"]}'
  sector: government
  located_in: [evil-town]
  description: '{JS_URL}'
  sources: [evil-src]
- id: svg-actor
  name: '{PAYLOADS["svg-actor"]}'
  sector: international
  located_in: [evil-town]
  description: '</script><script>window.__pwned=6</script><!--'
  sources: [src]
""",
    "relations.yaml": """\
- type: partners_with
  from: img-actor
  to: svg-actor
  note: '<img src=x onerror="window.__pwned=7">'
  sources: [src]
""",
}

INTERNAL_NAME = "Omega Safehouse Zeta"  # short: one label line in the diagram
INTERNAL_ID = "omega-confidential-safehouse"
INTERNAL_SOURCE = "omega-internal-memo"
INTERNAL_FILES = {
    "sources.yaml": f"""\
- id: {INTERNAL_SOURCE}
  name: Omega internal memo
  sensitivity: internal
""",
    "actors.yaml": f"""\
- id: {INTERNAL_ID}
  name: {INTERNAL_NAME}
  sector: ngo
  located_in: [nis]
  sensitivity: internal
  sources: [{INTERNAL_SOURCE}]
""",
    "services.yaml": f"""\
- id: omega-shelter-service
  name: Omega shelter for children
  provider: [{INTERNAL_ID}]
  types: [shelter]
  referral_step: emergency_assistance
  serves: [children]
  covers: [nis]
  sensitivity: internal
  sources: [{INTERNAL_SOURCE}]
""",
}


# --- helpers ------------------------------------------------------------------------------


def make(*args) -> tuple[int, str]:
    """Run the CLI in-process: (exit code, stderr)."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stderr


def map_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def without_date(html: str) -> list[str]:
    return [line for line in html.splitlines() if 'id="made"' not in line]


@pytest.fixture(scope="session")
def maps(tmp_path_factory):
    """Maps built once per session: name -> path."""
    out = tmp_path_factory.mktemp("maps")
    xss = write_files(out / "xss-data", XSS_FILES)
    internal = write_files(out / "internal-data", INTERNAL_FILES)
    built = {}
    for name, args in {
        "nis": ("map", "--population", "children", "--place", "Niš"),
        "xss": ("--data", xss, "map"),
        "geo": ("map", "--layout", "geo"),
        "subotica pathway": ("map", "--pathway", "--population", "unaccompanied children", "--place", "Subotica"),
        "public": ("--data", SEED, "--data", internal, "map"),
        "internal": ("--data", SEED, "--data", internal, "map", "--audience", "internal"),
    }.items():
        path = out / f"{name}.html"
        code, err = make(*args, "-o", path)
        assert code == 0, err
        built[name] = path
    return built


class Opened:
    """A map open in a fresh browser context, with every request and console message seen:
    a file, or an address of the atlas (a str)."""

    def __init__(self, browser, path: Path | str, width: int = 1400, height: int = 900, timeout: int = 15000):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.requests.append("failed: " + r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.url = path if isinstance(path, str) else path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-drawn=yes]", timeout=timeout)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def node_point(self, node_id: str) -> tuple[float, float]:
        """Where a node is on the screen."""
        return tuple(self.js("""(id) => {
            const net = window.stakeholderMap.network;
            const d = net.canvasToDOM(net.getPositions([id])[id]);
            const r = document.querySelector('#network canvas').getBoundingClientRect();
            return [r.left + d.x, r.top + d.y];
        }""", node_id))

    def pwned(self):
        return self.js("typeof window.__pwned === 'undefined' ? null : window.__pwned")


@pytest.fixture
def open_map(browser):
    opened = []

    def opener(path: Path | str) -> Opened:
        o = Opened(browser, path)
        opened.append(o)
        return o

    yield opener
    for o in opened:
        o.context.close()


# --- the browser ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nis", "geo", "subotica pathway"])
def test_seed_map_opens_offline_with_a_drawn_canvas(maps, open_map, name):
    """The Niš map, the geographic map of the whole seed data and the Subotica pathway, as a
    screenshot: nothing requested but the file, no error, a canvas that is not blank. With
    SCREENSHOTS=DIR the screenshots are kept there, to be looked at."""
    from PIL import Image

    m = open_map(maps[name])
    m.page.wait_for_timeout(300)  # any late request (fonts, favicon, images) would show up here
    assert m.requests == [m.url], m.requests
    assert m.errors == []
    png = m.page.screenshot()
    if os.environ.get("SCREENSHOTS"):
        Path(os.environ["SCREENSHOTS"], f"map-{name.replace(' ', '-')}.png").write_bytes(png)
    shot = Image.open(io.BytesIO(m.page.locator("#network").screenshot())).convert("RGB")
    colours = dict((c, n) for n, c in shot.getcolors(maxcolors=1 << 24))
    differing = shot.width * shot.height - max(colours.values())  # not background
    assert differing > shot.width * shot.height * 0.02, "the canvas is blank"
    assert len(colours) > 20  # nodes in several colours, lines, labels
    assert m.js("document.querySelectorAll('#all-sources li').length") > 5
    if name == "nis":
        assert m.js("document.title") == "Stakeholder map: children in Niš"


def test_map_file_holds_everything_and_allows_no_loads(maps):
    html = maps["nis"].read_text(encoding="utf-8")
    assert not re.search(r"<(link|img|iframe|object|embed|base)\b", html, re.I)
    assert not re.search(r"<script[^>]*\bsrc=", html, re.I)
    assert "default-src 'none'" in html and "unsafe-eval" not in html
    assert "bootstrap" not in html.lower()
    assert "innerHTML" not in Path(__file__).parent.parent.joinpath("viz/assets/map.js").read_text()


def test_markup_in_names_is_text_everywhere(maps, open_map):
    m = open_map(maps["xss"])
    for node_id, name in PAYLOADS.items():
        # hover: the tooltip shows the name as text
        m.js("window.stakeholderMap.network.fit({animation: false})")
        x, y = m.node_point(node_id)
        m.page.mouse.move(x - 30, y - 30)
        m.page.mouse.move(x, y, steps=5)
        m.page.wait_for_function(
            """(name) => { const t = document.querySelector('div.vis-tooltip');
                return t && t.style.visibility === 'visible' && t.textContent.includes(name); }""",
            arg=name, timeout=5000,
        )
        assert m.js("document.querySelector('div.vis-tooltip .tip-name').textContent") == name
        # click: the side panel shows the name, the description and the sources as text
        m.page.mouse.click(x, y)
        assert m.page.locator("#details h2").text_content() == name
        m.page.mouse.move(5, 5)
        # search: the result list shows it as text and selecting it works
        m.page.fill("#search", name)
        assert m.page.locator("#search-results li").first.text_content().startswith(name)
        m.page.press("#search", "Enter")
        assert m.js("window.stakeholderMap.network.getSelectedNodes()") == [node_id]
        assert m.pwned() is None
    details = m.page.locator("#details").text_content()  # svg-actor's, selected last
    assert "</script><script>window.__pwned=6</script><!--" in details
    assert '<img src=x onerror="window.__pwned=7">' in details  # a relation's note
    # the javascript: URL of a source is shown, never clickable
    m.js("window.stakeholderMap.selectNode('script-actor')")
    assert JS_URL in m.page.locator("#details").text_content()
    assert m.js("document.querySelectorAll('a[href^=\"javascript\" i]').length") == 0
    m.page.locator("#details .url", has_text=JS_URL).first.click()
    # nothing that data could have injected exists as an element
    for selector in ("#details img, #details script, #details svg",
                     "#search-results img, #search-results svg, #search-results script",
                     "div.vis-tooltip img, div.vis-tooltip svg, div.vis-tooltip script",
                     "#filters img, #filters svg, #legend img", "footer img, footer script"):
        assert m.js(f"document.querySelectorAll({json.dumps(selector)}).length") == 0, selector
    country_label = m.page.locator("#filters label", has_text="Evilland").text_content()
    assert '"><svg onload="window.__pwned=3">Evilland' in country_label
    assert m.pwned() is None
    assert m.requests == [m.url] and m.errors == []


def test_search_finds_nis_in_both_scripts(maps, open_map):
    m = open_map(maps["nis"])
    for text in ("nis", "Ниш", "NIŠ"):
        m.page.fill("#search", text)
        m.page.press("#search", "Enter")
        assert m.js("window.stakeholderMap.network.getSelectedNodes()") == ["nis"], text
        assert m.page.locator("#details h2").text_content() == "Niš"
        m.js("window.stakeholderMap.network.unselectAll()")
    m.page.fill("#search", "Atina")
    assert m.page.locator("#search-results li").first.text_content().startswith("Atina")


def test_page_fold_is_the_cli_fold(maps, open_map, seed_graph):
    names = set()
    for n, a in seed_graph.G.nodes(data=True):
        names.update([n, a.get("name", n), *a.get("aliases", []), *(a.get("names") or {}).values()])
    names.update(["Ниш", "NIŠ", "Đorđević", "Ђорђевић", "Љубовија", "Њивице", "Џеп", "Ćuprija",
                  "Æsir ß Łódź Øresund", "  Kraljevo – Рашка  ", "Ѓорче Петров", "ünïcödé"])
    names = sorted(names)
    m = open_map(maps["nis"])
    assert m.js("(names) => names.map(window.stakeholderMap.fold)", names) == [fold(t) for t in names]


def test_checkboxes_hide_and_show_sectors_kinds_countries(maps, open_map):
    m = open_map(maps["nis"])
    total = m.js("window.stakeholderMap.network.body.data.nodes.length")
    m.page.locator("#filters input[data-axis=sector]").first.uncheck()
    fewer = m.js("window.stakeholderMap.network.body.data.nodes.length")
    assert 0 < fewer < total
    m.page.locator("#filters input[data-axis=sector]").first.check()
    assert m.js("window.stakeholderMap.network.body.data.nodes.length") == total
    m.page.locator("#filters label", has_text="service").locator("input").uncheck()
    assert m.js("window.stakeholderMap.network.body.data.nodes.length") < total
    assert m.errors == []


# --- the file -------------------------------------------------------------------------------


def test_internal_records_leave_no_trace_in_the_public_map(maps):
    public = maps["public"].read_bytes()
    internal = maps["internal"].read_bytes()
    for secret in (INTERNAL_NAME, INTERNAL_ID, "Omega shelter for children", "omega-shelter-service",
                   INTERNAL_SOURCE, "Omega internal memo"):
        assert secret.encode() not in public, secret
        assert secret.encode() in internal, secret


def test_internal_records_leave_no_trace_in_the_public_diagram(tmp_path):
    data = write_files(tmp_path / "internal-data", INTERNAL_FILES)
    for audience in ("public", "internal"):
        out = tmp_path / f"{audience}.svg"
        code, err = make("--data", SEED, "--data", data, "diagram", "--population", "children",
                         "--place", "Niš", "--audience", audience, "-o", out)
        assert code == 0, err
        assert (INTERNAL_NAME in out.read_text()) == (audience == "internal")


def test_geo_layout_puts_places_where_they_are(maps):
    nodes = {n["id"]: n for n in map_data(maps["geo"].read_text(encoding="utf-8"))["nodes"]}
    subotica, belgrade, nis = nodes["subotica"], nodes["belgrade"], nodes["nis"]
    assert subotica["y"] < belgrade["y"] < nis["y"]  # y grows downwards: north is up
    assert nodes["nis"]["x"] > nodes["belgrade"]["x"]  # Niš lies east of Belgrade


def test_same_command_twice_gives_the_same_bytes_but_the_date(tmp_path):
    for args in (("--population", "children", "--place", "Niš"), ("--layout", "geo"),
                 ("--pathway", "--population", "children", "--place", "Niš")):
        a, b = tmp_path / "a.html", tmp_path / "b.html"
        assert make("map", *args, "-o", a)[0] == 0
        assert make("map", *args, "-o", b)[0] == 0
        html_a, html_b = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
        assert without_date(html_a) == without_date(html_b), args
        assert len(html_a.splitlines()) - len(without_date(html_a)) == 1  # the date is one line


def test_pathway_map_draws_the_steps_left_to_right(tmp_path):
    out = tmp_path / "pathway.html"
    code, err = make("map", "--pathway", "--population", "children", "--place", "Niš", "-o", out)
    assert code == 0, err
    view = map_data(out.read_text(encoding="utf-8"))
    headers = [n for n in view["nodes"] if n["kind"] == "step"]
    assert [h["id"] for h in headers][:2] == ["step:first_contact", "step:identification"]
    assert [h["x"] for h in headers] == sorted(h["x"] for h in headers)
    column = {h["id"].split(":")[1]: h["x"] for h in headers}
    for n in view["nodes"]:
        step = dict(n["fields"]).get("referral step")
        if n["kind"] == "service" and step:
            assert n["x"] == column[step], n["id"]
    assert view["title"].startswith("Referral pathway: children in Niš")
    # basis is the line's dash, whatever its colour: the referrals no page states are dotted
    referrals = [e for e in view["edges"] if e["type"] == "refers_to"]
    assert {(e["from"], e["basis"]) for e in referrals if e["to"] == "centre-for-protection-of-victims"} == {
        ("anti-trafficking-police-teams", "inferred"), ("astra", "inferred"), ("centres-for-social-work", "inferred"),
        ("atina", "inferred")}
    assert all(e["dashes"] == [2, 4] if e["basis"] == "inferred" else e["dashes"] is None for e in view["edges"])
    assert [b["key"] for b in view["legend"]["bases"]] == ["stated", "inferred"]
    assert "dashes" not in view["edge_styles"]["refers_to"]  # a relation's style is its colour, never a dash
    assert ["basis", "inferred (rule: first-contact-refers-to-centre)"] in next(
        e["fields"] for e in referrals if e["from"] == "astra")


def test_pathway_map_names_no_provider_recorded_not_a_gap(tmp_path):
    out = tmp_path / "tirana.html"
    code, err = make("map", "--pathway", "--population", "children", "--place", "Tirana", "-o", out)
    assert code == 0, err
    headers = [n for n in map_data(out.read_text(encoding="utf-8"))["nodes"] if n["kind"] == "step"]
    gaps = [h for h in headers if dict(h["fields"]).get("gap")]
    assert gaps and all("no provider recorded" in h["label"] for h in gaps)
    assert not any("GAP" in h["label"] or "nobody" in h["label"] for h in headers)


def test_bad_filter_is_a_clear_error_and_writes_nothing(tmp_path):
    out = tmp_path / "out.html"
    code, err = make("map", "--place", "Atlantis", "-o", out)
    assert code == 1 and err.startswith("error: no place 'Atlantis'") and "Traceback" not in err
    assert not out.exists()
    kept = tmp_path / "kept.png"
    kept.write_bytes(b"an earlier diagram")
    code, err = make("diagram", "--population", "unicorns", "-o", kept)
    assert code == 1 and "error: no population 'unicorns'" in err
    assert kept.read_bytes() == b"an earlier diagram"
    code, err = make("map", "-o", tmp_path / "no-such-folder" / "x.html")
    assert code == 1 and "no such folder" in err
    assert make("map", "--pathway", "--place", "Niš", "-o", out)[0] == 2
    assert make("diagram", "-o", tmp_path / "x.gif")[0] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.png"]  # no temporary files left


# --- the diagram ----------------------------------------------------------------------------


def test_diagram_writes_png_svg_and_pdf(tmp_path):
    from PIL import Image

    for fmt in ("png", "svg", "pdf"):
        out = tmp_path / f"nis.{fmt}"
        code, err = make("diagram", "--population", "children", "--place", "Niš", "-o", out)
        assert code == 0, err
    with Image.open(tmp_path / "nis.png") as image:
        image.verify()
        assert image.format == "PNG" and image.size[0] >= 1600
    svg = ET.parse(tmp_path / "nis.svg")
    texts = {"".join(t.itertext()).strip() for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    for label in ("government", "ngo", "service", "referrals (refers to)", "Niš", "Stakeholder map: children in Niš"):
        assert label in texts, label
    assert any(t.startswith("Colour and shape:") for t in texts)  # the legend's heading (it may wrap)
    assert any(t.startswith("Sources (") for t in texts)
    assert (tmp_path / "nis.pdf").read_bytes().startswith(b"%PDF")


def test_diagram_svg_keeps_markup_in_names_as_text(tmp_path):
    data = write_files(tmp_path / "xss-data", XSS_FILES)
    out = tmp_path / "xss.svg"
    code, err = make("--data", data, "diagram", "-o", out)
    assert code == 0, err
    svg = ET.parse(out)  # well-formed: every name was escaped
    tags = {el.tag.split("}")[-1] for el in svg.iter()}
    assert "script" not in tags and "img" not in tags
    texts = "".join("".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert PAYLOADS["script-actor"] in texts


# --- the map in English and Serbian ------------------------------------------------------------

CYRILLIC = re.compile("[\u0400-\u04ff]")
LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")

# Every interface string the page shows, once drawn: the static labels, what the script writes
# (filters, legend, details of a record and of a relation, tooltips, "no match") and the page's
# language. Data shown as it is (field values, record names but places and groups, ids) is left
# out: only field names, kinds, sectors, countries and relation words are taken from the details.
INTERFACE_TEXT = """() => {
    const text = (sel) => Array.from(document.querySelectorAll(sel), (e) => e.textContent.trim());
    const map = window.stakeholderMap;
    const out = {
        "lang": [document.documentElement.lang],
        "title": [document.title, document.querySelector("#title").textContent],
        "subtitle": [document.querySelector("#subtitle").textContent],
        "network label": [document.querySelector("#network").getAttribute("aria-label")],
        "search": text("label[for=search]"),
        "placeholder": [document.querySelector("#search").placeholder],
        "hint": text("#details .meta"),
        "side headings": text("aside > h3"),
        "made": text("#made"),
        "sources summary": text("footer summary"),
        "noscript": text("noscript"),
        "filter groups": text("#filters legend"),
        "filters": text("#filters label").map((t) => t.replace(/ \\(\\d+\\)$/, "")),
        "legend headings": text("#legend h3"),
        "legend labels": text("#legend .legend-label"),
        "legend note": text("#legend .legend-note"),
        "tooltip hint": [map.nodes.get("nis").title.querySelector(".tip-hint").textContent],
        "relation tooltip": map.edges.get().map((e) => e.title.querySelector(".tip-name").textContent),
    };
    map.selectNode("nis");
    out["record"] = [document.querySelector("#details .meta").textContent.replace(/ nis$/, "")]
        .concat(text("#details h3"), text("#details dt"),
                text("#details .relation").map((t) => t.replace(/^[←→] /, "").replace(/:$/, "")));
    map.network.emit("click", {nodes: [], edges: [map.edges.getIds()[0]]});
    out["relation"] = text("#details h2").concat(text("#details h3"), text("#details dt"));
    const box = document.querySelector("#search");
    box.value = "qqqqxq";
    box.dispatchEvent(new Event("input"));
    out["no match"] = text("#search-results .no-result");
    return out;
}"""
# Latin that stays in a Cyrillic map's words: the search examples, a name of a program, a time zone
KEPT_LATIN = ("Nis, Niš", "JavaScript", "stakeholder-graph", "vis-network", "UTC")


def interface_text(m: Opened) -> dict[str, list[str]]:
    found = m.js(INTERFACE_TEXT)
    assert all(found.values()), {k: v for k, v in found.items() if not v}  # every part was there to read
    return found


def assert_cyrillic(found: dict[str, list[str]]) -> None:
    """Every interface string is Cyrillic: no Latin letter but the names kept in Latin."""
    assert found["lang"] == ["sr-Cyrl"]
    latin = {}
    for part, texts in found.items():
        if part == "lang":
            continue
        for text in texts:
            rest = text
            for kept in KEPT_LATIN:
                rest = rest.replace(kept, "")
            if LATIN_LETTER.search(rest) or not CYRILLIC.search(text):
                latin.setdefault(part, []).append(text)
    assert latin == {}, latin


def english_words(view: dict) -> set[str]:
    """The map's own English words (the page's, the script's and the legend's), as on an
    English page, without their placeholders."""
    from stakeholder_graph.viz import view as views
    from stakeholder_graph.viz.map_html import page_strings

    words = set(page_strings(view).values()) | {
        "Stakeholder map", "Search", "Show", "Legend", "Click a node or a line for its details and sources.",
        "network map", "Sources cited by what this map shows", "This map needs", "a name in any script",
        "Referral pathway", "no sector", "no country (regional or unknown)",
    } | set(views.RELATION_WORDS.values()) | set(views.BASIS_WORDS.values())
    return {part.strip(" .:()") for w in words for part in re.split(r"\{[^}]*\}", w) if len(part.strip(" .:()")) > 3}


@pytest.fixture(scope="session")
def cyrillic_map(tmp_path_factory):
    out = tmp_path_factory.mktemp("maps-sr") / "nis-sr.html"
    code, err = make("map", "--population", "children", "--place", "Niš", "--lang", "sr-Cyrl", "-o", out)
    assert code == 0, err
    return out


def test_map_in_serbian_cyrillic_from_the_cli(maps, cyrillic_map, open_map):
    m = open_map(cyrillic_map)
    found = interface_text(m)
    assert_cyrillic(found)
    assert found["title"] == ["Мапа актера: деца у месту Ниш"] * 2
    assert found["search"] == ["Претрага"] and found["side headings"] == ["Прикажи", "Легенда"]
    assert found["filter groups"] == ["Сектори", "Врсте", "Државе"]
    assert found["no match"] == ["Нема поклапања"]
    assert found["record"][0] == "место · Србија · ознака"
    assert "Извори" in found["record"] and any(t.startswith("Везе (") for t in found["record"])
    # places and groups of people are named in the language; search finds them by any name
    assert m.js("window.stakeholderMap.nodes.get('nis').label") == "Ниш"
    for name in ("Nis", "Niš", "Ниш"):
        assert m.js("(q) => window.stakeholderMap.search(q)", name)[0] == "nis", name
    assert m.requests == [m.url] and m.errors == []
    # none of the English words is left, anywhere on the page as drawn
    shown = m.js("document.documentElement.innerText + ' ' + document.querySelector('#search').placeholder")
    english = english_words(map_data(maps["nis"].read_text(encoding="utf-8")))
    assert {w for w in english if re.search(rf"\b{re.escape(w)}\b", shown)} == set()


def test_map_in_english_is_as_before(maps, open_map):
    m = open_map(maps["nis"])
    found = interface_text(m)
    assert found["lang"] == ["en"]
    assert found["title"] == ["Stakeholder map: children in Niš"] * 2
    assert found["search"] == ["Search"] and found["side headings"] == ["Show", "Legend"]
    assert found["placeholder"] == ["a name in any script: Nis, Niš, Ниш"]
    assert found["hint"] == ["Click a node or a line for its details and sources."]
    assert found["filter groups"] == ["Sectors", "Kinds", "Countries"]
    assert found["legend headings"] == ["Colour: sector (actors), kind (others)", "Shape: kind",
                                        "Line colour: relation", "Line style: basis", "Marks"]  # national bodies
    assert found["legend note"] == ["Size: degree centrality."]
    assert found["tooltip hint"] == ["click for details and sources"]
    assert found["no match"] == ["No match"]
    assert {"ngo", "government", "service", "no country (regional or unknown)"} <= set(found["filters"])
    assert found["record"][:2] == ["place · Serbia · id", "Relations (" + found["record"][1][11:]]
    assert found["sources summary"][0].startswith("Sources cited by what this map shows (")
    assert found["made"][0].startswith("Made ") and found["made"][0].endswith(" with stakeholder-graph " + VERSION + ".")
    assert not any(CYRILLIC.search(t) for part, texts in found.items() if part != "placeholder" for t in texts)


def test_map_of_the_atlas_speaks_the_visitors_language(cyrillic_map, open_map):
    """/map?...&lang=sr-Cyrl is the page `map --lang sr-Cyrl` writes (but for the line with the
    date), drawn in Cyrillic; the English map of the same question is not served from the
    Cyrillic one's cache, and the policy allows exactly the scripts of each."""
    import base64
    import hashlib
    import urllib.request

    from atlas_server import running_atlas

    def scripts(page: str) -> set[str]:
        tags = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
        return {"'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
                for attrs, body in tags if "type=" not in attrs}

    with running_atlas([SEED]) as base:
        pages = {}
        for lang in ("sr-Cyrl", "en", None):
            url = f"{base}/map?population=children&place=Ni%C5%A1" + (f"&lang={lang}" if lang else "")
            with urllib.request.urlopen(url) as reply:
                pages[lang] = reply.read().decode("utf-8")
                policy = reply.headers["content-security-policy"]
            assert scripts(pages[lang]) == set(re.search(r"script-src ([^;]*)", policy).group(1).split())
        assert without_date(pages["sr-Cyrl"]) == without_date(cyrillic_map.read_text(encoding="utf-8"))
        assert '<html lang="sr-Cyrl">' in pages["sr-Cyrl"] and '<html lang="en">' in pages["en"]
        assert pages[None] == pages["en"]  # no language chosen: English
        m = open_map(f"{base}/map?population=children&place=Ni%C5%A1&lang=sr-Cyrl")
        assert_cyrillic(interface_text(m))
        assert m.errors == []
        m = open_map(f"{base}/map?population=children&place=Ni%C5%A1&lang=en")
        assert m.js("document.querySelector('#filters legend').textContent") == "Sectors"


def test_map_words_in_serbian_latin(seed_graph):
    from stakeholder_graph.queries.selection import Filters, select_drawing
    from stakeholder_graph.viz.i18n import use_language
    from stakeholder_graph.viz.map_html import page_strings, render_html
    from stakeholder_graph.viz.view import build_view

    filters = Filters(population="children", place="Niš")
    view = build_view(select_drawing(seed_graph, filters, pathway=True), layout="pathway", filters=filters,
                      lang="sr-Latn")
    assert view["title"].startswith("Put upućivanja: deca u mestu Niš (na dan ")
    assert view["subtitle"].startswith("zapisa: ") and "raspored: put upućivanja" in view["subtitle"]
    assert [b["label"] for b in view["legend"]["bases"]] == ["puna: navedena u izvoru", "tačkasta: izvedena pravilom"]
    assert {e["label"] for e in view["legend"]["edges"]} >= {"usluge i područje (nudi)", "upućivanja (upućuje na)"}
    assert {f["label"] for f in view["filters"]["sector"]} >= {"državni sektor", "NVO"}
    service = next(n for n in view["nodes"] if n["kind"] == "service")
    assert dict(service["fields"])["korak upućivanja"] in {"prvi kontakt", "identifikacija", "procena i plan",
                                                           "hitno zbrinjavanje", "zaštita i podrška",
                                                           "reintegracija ili povratak", "krivično pravosuđe"}
    referral = next(e for e in view["edges"] if e["type"] == "refers_to" and e["basis"] == "inferred")
    assert referral["fields"][0][0] == "osnov" and referral["fields"][0][1].startswith("izvedeno (pravilo: ")
    with use_language("sr-Latn"):
        strings = page_strings(view)
    assert strings["sources"] == "Izvori" and strings["relations"] == "Veze ({count})"
    page = render_html(view, made="2026-01-01 00:00 UTC", lang="sr-Latn")
    assert '<html lang="sr-Latn">' in page and "<h3>Pretraga</h3>" in page and "<h3>Legenda</h3>" in page
    # the script looks up no word the page does not give it
    script = (Path(__file__).parent.parent / "viz" / "assets" / "map.js").read_text(encoding="utf-8")
    assert set(re.findall(r'\bt\("([^"]+)"', script)) <= set(strings)


@pytest.mark.parametrize("filters", [
    {"population": "children", "place": "Niš"}, {"place": "Serbia"}, {"country": "Serbia", "service_type": "shelter"},
    {"around": "atina", "depth": 2}, {"around": "nis"}, {"population": "unaccompanied children", "place": "Subotica"},
])
def test_english_titles_are_the_selections_own(seed_graph, filters):
    """A title worded from the filters reads, in English, as the selection has always named it."""
    from stakeholder_graph.queries.selection import Filters, select_drawing
    from stakeholder_graph.viz.view import map_title

    f = Filters(**filters)
    for pathway in (False, True) if "population" in filters else (False,):
        sel = select_drawing(seed_graph, f, pathway=pathway)
        assert map_title(sel, f) == f"{sel.heading}: {sel.description}"
