"""The interactive HTML map: one self-contained file, no request of any kind.

vis-network's script and style come from the files bundled with the pyvis package and are
inlined; the page's own template, script (assets/map.js) and style (assets/map.css) replace
pyvis's template, which loads Bootstrap from a CDN, does not autoescape, and parses tooltips
as markup. The data travels as JSON in a <script type="application/json"> block with
every `<`, `>` and `&` escaped, and the page script renders it with textContent only. A
Content-Security-Policy allows exactly the two inline scripts (by hash) and no loads at all.

The page speaks the language of the moment (viz.i18n), or `lang`: its own words are written
into the HTML, and those the script writes travel as JSON too (id="map-strings"), so the
script, and with it the policy's hash, is the same in every language.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import html
import json
import os
import re
from importlib import resources
from pathlib import Path

from stakeholder_graph.graph import VERSION
from stakeholder_graph.graph.errors import MissingDependency
from stakeholder_graph.graph.names import fold_table
from stakeholder_graph.viz.i18n import _, language, use_language
from stakeholder_graph.viz.text import json_inert

ASSETS = resources.files("stakeholder_graph.viz") / "assets"  # package data, like the seed data
VIS_VERSION = "9.1.2"
GENERATOR = f"stakeholder-graph {VERSION}"
HTML_LANG = {"en": "en", "sr-Latn": "sr-Latn", "sr-Cyrl": "sr-Cyrl"}
SEARCH_EXAMPLES = "Nis, Niš, Ниш"  # one name in every spelling search folds together


@functools.lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """(script, style) of vis-network as bundled with pyvis. Style rules that load images
    (navigation and manipulation buttons, never enabled here) are dropped, so the page has
    nothing it could fetch and the file is 200 KB smaller."""
    import importlib.util

    spec = importlib.util.find_spec("pyvis")  # locate, not import: pyvis imports IPython
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependency("maps need pyvis (for vis-network): pip install 'stakeholder-graph[maps]'")
    lib = Path(list(spec.submodule_search_locations)[0]) / "templates" / "lib" / f"vis-{VIS_VERSION}"
    script = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    rules = re.findall(r"[^{}]+\{[^{}]*\}", css)
    style = "".join(r for r in rules if "url(" not in r)
    for text, what in ((script, "script"), (style, "style")):
        if re.search(r"</(script|style)|<!--", text, re.IGNORECASE):
            raise RuntimeError(f"vis-network {what} cannot be inlined safely")
    return script, style


@functools.lru_cache(maxsize=1)
def page_assets() -> tuple[str, str]:
    return (ASSETS / "map.js").read_text(encoding="utf-8"), (ASSETS / "map.css").read_text(encoding="utf-8")


def script_json(data) -> str:
    """JSON that is inert inside a <script> element: `<`, `>`, `&` and the line separators
    U+2028/2029 are written as \\u escapes, so no `</script>` or `<!--` can appear; so are
    control characters and lone surrogates (viz.text.json_inert)."""
    text = json_inert(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def made_line() -> str:
    """When the file was made (UTC); SOURCE_DATE_EPOCH fixes it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch and epoch.isdigit()
            else dt.datetime.now(dt.timezone.utc))
    return when.strftime("%Y-%m-%d %H:%M UTC")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@functools.lru_cache(maxsize=1)
def map_policy() -> str:
    """The page's Content-Security-Policy: its two inline scripts by hash, no load of any kind
    (the web app sends it as a header too, adding frame-ancestors)."""
    vis_script, _ = vis_assets()
    page_script, _ = page_assets()
    return "; ".join([
        "default-src 'none'",
        f"script-src {_sha256(vis_script)} {_sha256(page_script)}",
        "style-src 'unsafe-inline'",  # vis-network styles the elements it draws
        "base-uri 'none'",
        "form-action 'none'",
    ])


def page_strings(view: dict) -> dict[str, str]:
    """The words the page script writes, in the language of the moment: {placeholders} are
    filled in by the script ('Relations ({count})'); the legend's notes follow the view."""
    colour = {"sector": _("Colour: sector (actors), kind (others)"), "kind": _("Colour: kind"),
              "country": _("Colour: country")}
    size = {"degree": _("Size: degree centrality."), "betweenness": _("Size: betweenness centrality.")}
    note = size.get(view.get("size_by"), "")
    if view.get("layout") == "geo":
        note += " " + _("Places at their coordinates, north up; national and regional places on the left, "
                        "unplaced records on the right.")
    return {
        "referral step": _("referral step"),
        "tooltip hint": _("click for details and sources"),
        "id": _("id {id}"),
        "sectors": _("Sectors"),
        "kinds": _("Kinds"),
        "countries": _("Countries"),
        "legend colour": colour.get(view.get("color_by"), colour["sector"]),
        "legend shape": _("Shape: kind"),
        "legend lines": _("Line colour: relation"),
        "legend basis": _("Line style: basis"),
        "legend note": note.strip(),
        "sources": _("Sources"),
        "no sources": _("Sources: none visible to this audience"),
        "relations": _("Relations ({count})"),
        "no match": _("No match"),
        # the timeline (viz/timeline.py)
        "play": _("Play"),
        "pause": _("Pause"),
        "timeline count": _("{date}: {available} available, {planned} planned, {ended} ended"),
        "status on": _("{status} on {date}"),
    }


def render_html(view: dict, made: str | None = None, lang: str | None = None) -> str:
    """The whole page, its words in `lang` (default: the language of the moment). Only the
    line with id="made" depends on the time."""
    with use_language(lang):
        return _page(view, made)


def _page(view: dict, made: str | None) -> str:
    vis_script, vis_style = vis_assets()
    page_script, page_style = page_assets()
    csp = map_policy()
    made = made or made_line()
    e = html.escape
    title = e(_("Stakeholder map"))
    words = {  # the page's own words, as HTML text
        "network": e(_("network map")),
        "search": e(_("Search")),
        "placeholder": e(_("a name in any script: {examples}").format(examples=SEARCH_EXAMPLES)),
        "hint": e(_("Click a node or a line for its details and sources.")),
        "show": e(_("Show")),
        "legend": e(_("Legend")),
        "made": e(_("Made {date} with {generator}.").format(date=made, generator=GENERATOR)),
        "noscript": e(_("This map needs {javascript} to draw (it runs offline and downloads nothing).").format(
            javascript="JavaScript")),
        "timeline": e(_("Timeline")),
        "date": e(_("Date")),
        "hide": e(_("Hide ended and planned")),
        "timeline hint": e(_("What was there on a day, by the rules of --as-of: ended and planned records are faded.")),
    }
    before, _count, after = (e(part) for part in _("Sources cited by what this map shows ({count})").partition(
        "{count}"))
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{HTML_LANG.get(language(), "en")}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{GENERATOR}, vis-network {VIS_VERSION}">',
        f"<title>{title}</title>",
        f"<style>{vis_style}</style>",
        f"<style>{page_style}</style>",
        "</head>",
        "<body>",
        f'<header><h1 id="title">{title}</h1><p id="subtitle"></p></header>',
        # the timeline's bar (filled in by the page script; hidden when nothing drawn has a date)
        f'<div id="timeline" role="group" aria-labelledby="timeline-label" hidden>'
        f'<button type="button" id="timeline-play" aria-pressed="false"></button>'
        f'<label id="timeline-label" for="timeline-range">{words["timeline"]}</label>'
        f'<input id="timeline-range" type="range" aria-describedby="timeline-count timeline-hint">'
        f'<input id="timeline-date" type="date" aria-label="{words["date"]}">'
        f'<span id="timeline-count" role="status" aria-live="polite"></span>'
        f'<label class="timeline-hide"><input id="timeline-hide" type="checkbox"> {words["hide"]}</label>'
        f'<span id="timeline-hint" hidden>{words["timeline hint"]}</span>'
        "</div>",
        '<div id="steps" hidden></div>',  # the pathway's step headers, over the canvas's top
        f'<div id="network" role="img" aria-label="{words["network"]}"></div>',
        "<aside>",
        f'<label for="search"><h3>{words["search"]}</h3></label>',
        f'<input id="search" type="search" autocomplete="off" placeholder="{words["placeholder"]}">',
        '<ul id="search-results"></ul>',
        f'<section id="details"><p class="meta">{words["hint"]}</p></section>',
        f'<h3>{words["show"]}</h3><div id="filters"></div>',
        f'<h3>{words["legend"]}</h3><div id="legend"></div>',
        "</aside>",
        "<footer>",
        f'<p id="made">{words["made"]}</p>',
        f'<details><summary>{before}<span id="sources-count">0</span>{after}</summary>'
        '<ul class="source-list" id="all-sources"></ul></details>',
        f'<noscript>{words["noscript"]}</noscript>',
        "</footer>",
        f'<script type="application/json" id="map-data">{script_json(view)}</script>',
        f'<script type="application/json" id="map-strings">{script_json(page_strings(view))}</script>',
        f'<script type="application/json" id="fold-table">{script_json(fold_table())}</script>',
        f"<script>{vis_script}</script>",
        f"<script>{page_script}</script>",
        "</body>",
        "</html>",
        "",
    ])
