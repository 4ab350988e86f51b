"""The interactive HTML map: one self-contained file, no request of any kind.

vis-network's script and style come from the files bundled with the pyvis package and are
inlined; the page's own template, script (assets/map.js) and style (assets/map.css) replace
pyvis's template, which loads Bootstrap from a CDN, does not autoescape, and parses tooltips
as markup. The data travels as JSON in a <script type="application/json"> block with
every `<`, `>` and `&` escaped, and the page script renders it with textContent only. A
Content-Security-Policy allows exactly the two inline scripts (by hash) and no loads at all.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import os
import re
from importlib import resources
from pathlib import Path

from stakeholder_graph.graph import VERSION
from stakeholder_graph.graph.errors import MissingDependency
from stakeholder_graph.graph.names import fold_table
from stakeholder_graph.viz.text import json_inert

ASSETS = resources.files("stakeholder_graph.viz") / "assets"  # package data, like the seed data
VIS_VERSION = "9.1.2"
GENERATOR = f"stakeholder-graph {VERSION}"


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


def render_html(view: dict, made: str | None = None) -> str:
    """The whole page. Only the line with id="made" depends on the time."""
    vis_script, vis_style = vis_assets()
    page_script, page_style = page_assets()
    csp = map_policy()
    made = made or made_line()
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{GENERATOR}, vis-network {VIS_VERSION}">',
        "<title>Stakeholder map</title>",
        f"<style>{vis_style}</style>",
        f"<style>{page_style}</style>",
        "</head>",
        "<body>",
        '<header><h1 id="title">Stakeholder map</h1><p id="subtitle"></p></header>',
        '<div id="network" role="img" aria-label="network map"></div>',
        "<aside>",
        '<label for="search"><h3>Search</h3></label>',
        '<input id="search" type="search" autocomplete="off" placeholder="a name in any script: Nis, Niš, Ниш">',
        '<ul id="search-results"></ul>',
        '<section id="details"><p class="meta">Click a node or a line for its details and sources.</p></section>',
        '<h3>Show</h3><div id="filters"></div>',
        '<h3>Legend</h3><div id="legend"></div>',
        "</aside>",
        "<footer>",
        f'<p id="made">Made {made} with {GENERATOR}.</p>',
        '<details><summary>Sources cited by what this map shows (<span id="sources-count">0</span>)</summary>'
        '<ul class="source-list" id="all-sources"></ul></details>',
        "<noscript>This map needs JavaScript to draw (it runs offline and downloads nothing).</noscript>",
        "</footer>",
        f'<script type="application/json" id="map-data">{script_json(view)}</script>',
        f'<script type="application/json" id="fold-table">{script_json(fold_table())}</script>',
        f"<script>{vis_script}</script>",
        f"<script>{page_script}</script>",
        "</body>",
        "</html>",
        "",
    ])
