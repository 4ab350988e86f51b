"""What a map or a diagram shows, as plain data: positions, colours, sizes, legend, details
and the sources cited.

queries.selection.select_drawing decides what is drawn (filters, or the referral pathway);
`build_view` turns that into one JSON-able dict that both the HTML map (viz.map_html) and the
diagram (viz.diagram) draw. Nothing above the audience enters the selection, so nothing
derived from it (labels, tooltips, details, legend, sources) can carry it.
"""
from __future__ import annotations

import math
import re
import textwrap

import networkx as nx

from stakeholder_graph.graph.model import StakeholderGraph, gc_paused
from stakeholder_graph.graph.schema import EDGE_TYPES, NODE_KINDS, REFERRAL_STEPS
from stakeholder_graph.queries.matching import resolve_service_type
from stakeholder_graph.queries.selection import Filters, Selection
from stakeholder_graph.viz import require
from stakeholder_graph.viz.i18n import N_, _, language, shown_name, use_language
from stakeholder_graph.viz.style import (
    BASIS_DASHES,
    BASIS_LABELS,
    FAMILIES,
    GAP_COLOR,
    KIND_SHAPES,
    SECTORS,
    STEP_COLOR,
    basis_dashes,
    color_key,
    color_of,
    color_order,
    edge_style,
    family_of,
)
from stakeholder_graph.viz.text import STATUSES, display_text, gap_text, genders_text, kind_word, term
from stakeholder_graph.viz.timeline import timeline_view

EXACT_BETWEENNESS_LIMIT = 1000  # above this many nodes betweenness is sampled (seeded)
BETWEENNESS_SAMPLE = 100
SEED = 42

# positions are scaled to vis-network pixels; the diagram uses the same numbers
FORCE_SPAN = (300.0, 45.0)  # half-width in px: 300 + 45 * sqrt(nodes)
GEO_PX_PER_DEGREE = 650.0
GEO_SIZE_FACTOR = 0.6  # nodes ring their places 45 px apart: keep them small
PATHWAY_COLUMN = 270.0
PATHWAY_ROW = 150.0

SEPARATION = (70.0, 2.2)  # px between node centres, and how much wider than tall labels are
SEPARATE_LIMIT = 400  # above this many nodes labels are small and separation (n^2) too costly
NODE_SIZE = (10.0, 36.0)  # smallest and largest radius in px
LABEL_WIDTH = 26
LABEL_LINES = 3
PATHWAY_LABEL = (18, 4)  # narrower, larger labels (map.js) under the step columns

FIELD_ORDER = (
    "description", "names", "aliases", "short_name", "sector", "type", "types", "level",
    "roles", "referral_step", "eligibility", "value", "unit", "statement", "group", "period",
    "instrument", "year", "date", "start", "end", "duration", "objectives", "population_size",
    "eu_status", "trafficking_role", "risk_factors", "lat", "lon", "data_quality", "note",
)
HIDDEN_FIELDS = {"kind", "name", "sources", "sensitivity", "origin"}

# --- the map's words, in the language of the moment (viz.i18n) ----------------------------
# English shows the names the map has always shown (a field's key with spaces, a vocabulary
# value as the data writes it); the catalogue words them in Serbian.

FIELD_WORDS = {
    "description": N_("description"), "names": N_("names"), "aliases": N_("aliases"),
    "short_name": N_("short name"), "sector": N_("sector"), "type": N_("type"), "types": N_("types"),
    "level": N_("level"), "roles": N_("roles"), "referral_step": N_("referral step"),
    "eligibility": N_("eligibility"), "value": N_("value"), "unit": N_("unit"), "statement": N_("statement"),
    "group": N_("group"), "period": N_("period"), "instrument": N_("instrument"), "year": N_("year"),
    "date": N_("date"), "start": N_("start"), "end": N_("end"), "duration": N_("duration"),
    "objectives": N_("objectives"), "population_size": N_("population size"), "eu_status": N_("eu status"),
    "trafficking_role": N_("trafficking role"), "risk_factors": N_("risk factors"), "lat": N_("lat"),
    "lon": N_("lon"), "data_quality": N_("data quality"), "note": N_("note"), "min_age": N_("min age"),
    "max_age": N_("max age"), "genders": N_("genders"), "nationality": N_("nationality"),
    "languages": N_("languages"), "available_24_7": N_("available 24 7"), "hours": N_("hours"),
    "referrals_from": N_("referrals from"), "how_to_refer": N_("how to refer"), "channels": N_("channels"),
    "confidentiality": N_("confidentiality"), "verified": N_("verified"), "unit_type": N_("unit type"), "capital": N_("capital"),
    "names_sources": N_("names sources"), "rule": N_("rule"), "locator": N_("locator"), "basis": N_("basis"),
    "country": N_("country"), "status": N_("status"), "sensitivity": N_("sensitivity"), "role": N_("role"),
    "for": N_("for"),
}
RELATION_WORDS = {
    "offers": N_("offers"), "serves": N_("serves"), "covers": N_("covers"), "targets": N_("targets"),
    "addresses": N_("addresses"), "part_of": N_("part of"), "located_in": N_("located in"),
    "member_of": N_("member of"), "includes": N_("includes"), "leads": N_("leads"),
    "partner_in": N_("partner in"), "funds": N_("funds"), "partners_with": N_("partners with"),
    "refers_to": N_("refers to"), "monitors": N_("monitors"), "oversees": N_("oversees"),
    "reports": N_("reports"), "measures": N_("measures"), "produced": N_("produced"),
    "contributed_to": N_("contributed to"), "adopted": N_("adopted"), "about": N_("about"),
    "intended_for": N_("intended for"), "assesses": N_("assesses"), "assessed_by": N_("assessed by"),
    "vulnerable_to": N_("vulnerable to"), "occurs_in": N_("occurs in"),
}
FAMILY_WORDS = {"provision": N_("services and coverage"), "structure": N_("structure and membership"),
                "collaboration": N_("projects and partnerships"), "referral": N_("referrals"),
                "oversight": N_("oversight"), "evidence": N_("evidence and risks")}
BASIS_WORDS = {"stated": N_("solid: stated by a source"), "inferred": N_("dotted: inferred by a rule")}
STATUS_WORDS = {**STATUSES, "unconfirmed": N_("unconfirmed"), "unknown": N_("unknown")}
LAYOUT_WORDS = {"force": N_("force"), "geo": N_("geo"), "pathway": N_("pathway")}
COLOR_WORDS = {"sector": N_("sector"), "kind": N_("kind"), "country": N_("country")}
SIZE_WORDS = {"degree": N_("degree"), "betweenness": N_("betweenness")}
# the fields whose values are words of a vocabulary viz.text.term() knows, by kind of record
TERM_FIELDS = {"sector": None, "referral_step": None, "types": {"service"}, "level": {"place"}}
# the kinds of record named in the language where the data has the name (viz.i18n.shown_name)
SHOWN_KINDS = {"place": "place", "population": "population", "exploitation_form": "form"}
# an actor's level (its own words: a place's level 'district' is a noun, an actor's an adjective)
LEVEL_WORDS = {"local": N_("local level"), "district": N_("district level"), "national": N_("national level"),
               "regional": N_("regional level"), "international": N_("international level")}
assert set(RELATION_WORDS) == set(EDGE_TYPES), "every edge type needs its words"
assert set(FAMILY_WORDS) == set(FAMILIES), "every family of relations needs its words"
assert BASIS_WORDS == BASIS_LABELS, "the words of style.BASIS_LABELS (the diagram's), marked for the catalogue"


def field_word(key: str) -> str:
    """A field's name on the map: 'referral step', 'korak upućivanja'."""
    return _(FIELD_WORDS[key]) if key in FIELD_WORDS else key.replace("_", " ")


def family_legend(types_present) -> list[dict]:
    """The legend's lines: one per family of relations drawn (style.FAMILIES, in that order),
    named with the relations it stands for here: 'referrals (refers to)'."""
    out = []
    for family in FAMILIES:
        types = [t for t in types_present if family_of(t) == family]
        if types:
            style = edge_style(types[0])
            words = ", ".join(relation_word(t) for t in types)
            out.append({"key": family, "label": f"{_(FAMILY_WORDS[family])} ({words})", "types": types,
                        "name": _(FAMILY_WORDS[family]),
                        "color": style["color"], "width": style["width"]})
    return out


def relation_word(edge_type: str) -> str:
    """A relation type: 'refers to', 'upućuje na'."""
    return _(RELATION_WORDS[edge_type]) if edge_type in RELATION_WORDS else edge_type.replace("_", " ")


def value_word(value: str) -> str:
    """A vocabulary value: as the data writes it ('ngo', 'first_contact') on an English map, in
    words of the language (viz.text.term: 'NVO', 'prvi kontakt') on another."""
    return value if language() == "en" else term(value)


def _field_text(kind: str, key: str, value) -> str:
    """A field's value as the map shows it: as the data writes it on an English map; on another,
    the words of a vocabulary the catalogue knows in the language (data stays as it is)."""
    if language() == "en" or value in (None, "", [], {}):
        return text_of(value)
    values = value if isinstance(value, (list, tuple)) else [value]
    kinds = TERM_FIELDS.get(key, ())
    if key in TERM_FIELDS and (kinds is None or kind in kinds):
        return "; ".join(term(str(v)) for v in values if v not in (None, ""))
    if key == "level" and kind == "actor" and isinstance(value, str) and value in LEVEL_WORDS:
        return _(LEVEL_WORDS[value])
    if key == "basis" and isinstance(value, str) and value in BASIS_WORDS:
        return _(value)
    if key == "genders":
        return genders_text([str(v) for v in values])
    if key == "channels" and all(isinstance(c, dict) and "type" in c for c in values):
        return "; ".join(f"{term(str(c['type']))}: {text_of(c.get('value'))}" for c in values)
    return text_of(value)


def _basis_text(basis: str, rule: str | None) -> str:
    if rule:
        return _("{basis} (rule: {rule})").format(basis=_(basis), rule=rule)
    return _(basis)


HEADINGS = {"Stakeholder map": N_("Stakeholder map"), "Referral pathway": N_("Referral pathway")}
# by the place's level: one English, a word for each level in Serbian ('u državi Srbija')
PLACE_IN = {"country": N_("in {country}"), "district": N_("in {district}"), "region": N_("in {region}"),
            "municipality": N_("in {place}")}


def map_title(sel: Selection, filters: Filters) -> str:
    """'Stakeholder map: children in Niš', 'Mapa aktera: deca u mestu Niš': the heading and the
    filters (queries.selection.Filters.describe) in words of the language; places and groups of
    people named in the language (viz.i18n.shown_name), other records as the data names them."""
    visible = sel.visible
    parts = []
    if filters.population:
        parts.append(shown_name(visible.node(visible.resolve(filters.population, ("population",))), "population"))
    for place in (filters.place, filters.country):
        if place:
            a = visible.node(visible.resolve(place, ("place",)))
            level = a.get("level") if a.get("level") in PLACE_IN else "municipality"
            parts.append(_(PLACE_IN[level]).format(**{"place" if level == "municipality" else level:
                                                      shown_name(a, "place")}))
    if filters.service_type:
        parts.append(_("service: {service}").format(service=value_word(resolve_service_type(filters.service_type))))
    if filters.around:
        a = visible.node(visible.resolve(filters.around))
        name = shown_name(a, a["kind"]) if a.get("kind") in ("place", "population") else a.get("name", filters.around)
        text = N_("around {name} (1 step)") if filters.depth == 1 else N_("around {name} ({depth} steps)")
        parts.append(_(text).format(name=name, depth=filters.depth))
    description = " ".join(parts)
    as_of = re.search(r" \(as of ([^()]*)\)$", sel.description) if sel.heading == "Referral pathway" else None
    if as_of:  # the pathway's date, as select_drawing gives it
        description += " " + _("(as of {date})").format(date=as_of.group(1))
    heading = _(HEADINGS[sel.heading]) if sel.heading in HEADINGS else sel.heading
    return heading + (f": {description}" if description else "")


# --- building the view --------------------------------------------------------------------


def text_of(value) -> str:
    """A field value as display text: lists joined, mappings as 'key: value'."""
    return display_text(value, ": ")


_WRAP_SPACE = re.compile(r"[\t\n\x0b\x0c\r]")  # what textwrap turns into spaces


def wrap_label(name: str, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    if len(name) <= width and name == name.strip() and not _WRAP_SPACE.search(name):
        return name  # one line, as textwrap gives it (most labels: a tenth of a second on 10,000)
    parts = textwrap.wrap(name, width) or [name]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


class _Countries:
    """The country of each drawn node, looked up in the audience's graph (cached per place)."""

    def __init__(self, visible: StakeholderGraph):
        self.v = visible
        self.cache: dict[str, str | None] = {}

    def place(self, p: str) -> str | None:
        if p not in self.cache:
            self.cache[p] = self.v.country_of(p) if p in self.v.G else None
        return self.cache[p]

    def of(self, n: str) -> str | None:
        v = self.v
        if n not in v.G:
            return None
        kind = v.kind(n)
        if kind == "place":
            return self.place(n)
        if kind == "actor":
            found = {self.place(p) for p, _ in v.out_edges(n, "located_in")} - {None}
            return found.pop() if len(found) == 1 else None
        if kind in ("service", "project"):
            found = {self.place(p) for p, _ in v.out_edges(n, "covers")} - {None}
            if len(found) == 1:
                return found.pop()
            if kind == "service" and not found:
                providers = {self.of(a) for a, _ in v.in_edges(n, "offers")} - {None}
                if len(providers) == 1:
                    return providers.pop()
        return None


def _sector(visible: StakeholderGraph, drawn: StakeholderGraph, n: str) -> str:
    a = drawn.node(n)
    if a["kind"] == "actor":
        return a.get("sector") or ""
    if a["kind"] == "service" and n in visible.G:
        sectors = sorted({visible.node(p).get("sector") or "" for p, _ in visible.in_edges(n, "offers")})
        return sectors[0] if sectors else ""
    return ""


def _centrality(G: nx.MultiDiGraph, size_by: str) -> dict[str, float]:
    if size_by != "betweenness":  # degree, counting each relation drawn
        nodes = sorted(G, key=str)
        degree = dict(G.degree()) if len(nodes) > 1 else {}
        return {n: float(degree.get(n, 0.0)) for n in nodes}
    simple = nx.Graph()
    simple.add_nodes_from(sorted(G, key=str))
    simple.add_edges_from(sorted({tuple(sorted((u, v), key=str)) for u, v in G.edges() if u != v}))
    if simple.number_of_nodes() < 2:
        return {n: 0.0 for n in simple}
    if simple.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT:
        return nx.betweenness_centrality(simple)
    return nx.betweenness_centrality(simple, k=BETWEENNESS_SAMPLE, seed=SEED)


def _sizes(values: dict[str, float], factor: float = 1.0) -> dict[str, float]:
    low, high = NODE_SIZE[0] * factor, NODE_SIZE[1] * factor
    top = max(values.values(), default=0.0)
    if top <= 0:
        return {n: low for n in values}
    return {n: round(low + (high - low) * math.sqrt(v / top), 1) for n, v in values.items()}


def _positions(sel: Selection, layout: str) -> dict[str, tuple[float, float]]:
    from stakeholder_graph.viz.layout import force_layout, pathway_layout

    G = sel.graph.G
    if layout == "geo":  # over the country outlines, centred there (viz.geo)
        return _geo_positions(sel, _Countries(sel.visible).of)[0]
    if layout == "pathway":
        raw = pathway_layout(sel.graph, sel.step_of or None)
        scale = (PATHWAY_COLUMN, PATHWAY_ROW)
    else:
        raw = force_layout(sel.graph, seed=SEED)
        span = FORCE_SPAN[0] + FORCE_SPAN[1] * math.sqrt(max(len(G), 1))
        raw = {n: (x * span, y * span) for n, (x, y) in raw.items()}
        if len(raw) <= SEPARATE_LIMIT:
            raw = separate(raw)
        scale = (1.0, 1.0)
    pos = {n: (x * scale[0], y * scale[1]) for n, (x, y) in raw.items()}
    if pos:  # centre the picture on (0, 0)
        xs = [x for x, _ in pos.values()]
        ys = [y for _, y in pos.values()]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        if layout == "pathway":
            cx, cy = 0.0, 0.0  # keep the columns at multiples of PATHWAY_COLUMN
        pos = {n: (x - cx, y - cy) for n, (x, y) in pos.items()}
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}


def _geo_positions(sel: Selection, country_of) -> tuple[dict, dict]:
    """(positions in px, the view's geo part) of the geographic layout: places
    at their coordinates over the bundled country outlines (viz.layout.geo_plan, viz.geo).
    No label separation here: it would spread the rings over the neighbouring towns; the rings
    are spaced by construction and the map shows their labels when zoomed in (map.js)."""
    from stakeholder_graph.viz.geo import geo_drawing
    from stakeholder_graph.viz.layout import geo_plan

    plan = geo_plan(sel.graph, reference=sel.visible, country_of=country_of)
    return geo_drawing(plan, GEO_PX_PER_DEGREE)


def separate(pos: dict, min_dist: float = SEPARATION[0], aspect: float = SEPARATION[1],
             iterations: int = 60) -> dict:
    """Push apart nodes closer than `min_dist` px (distances measured with x divided by
    `aspect`, since labels are wider than tall), so labels do not pile up where a spring
    layout puts records with the same neighbours on one spot. Deterministic."""
    np = require("numpy")

    ids = sorted(pos, key=str)
    if len(ids) < 2:
        return dict(pos)
    P = np.array([pos[n] for n in ids], dtype=float)
    n = len(ids)
    # records on exactly the same spot move apart along fixed, distinct directions
    angles = np.arange(n) * 2.399963  # the golden angle
    tie = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    for _step in range(iterations):
        d = P[:, None, :] - P[None, :, :]
        d[..., 0] /= aspect
        dist = np.sqrt((d * d).sum(axis=2))
        np.fill_diagonal(dist, np.inf)
        push = np.clip(min_dist - dist, 0, None)
        if not push.any():
            break
        same = dist < 1e-9
        unit = np.where(same[..., None], (tie[:, None, :] - tie[None, :, :]) / 2,
                        d / np.where(same, 1.0, dist)[..., None])
        move = (unit * (push * 0.5)[..., None]).sum(axis=1)  # each of the two moves half the way
        move[:, 0] *= aspect
        P += np.clip(move, -min_dist, min_dist)
    return {n: (float(P[i, 0]), float(P[i, 1])) for i, n in enumerate(ids)}


def drawn_view(g: StakeholderGraph, filters: Filters, *, pathway: bool = False, layout: str | None = None,
               color_by: str = "sector", size_by: str = "degree", title: str | None = None,
               lang: str | None = None) -> dict:
    """Select what `filters` keep (or the pathway they name) and lay it out: the view `map`,
    `diagram` and the atlas's /map draw. QueryError for a pathway without a group of people and
    a place, or with `around`, and when nothing is left to draw."""
    from stakeholder_graph.graph.errors import QueryError
    from stakeholder_graph.queries.selection import select_drawing

    if pathway and filters.around:
        raise QueryError("a pathway cannot be drawn around a record")
    if pathway and not (filters.population and (filters.place or filters.country)):
        raise QueryError("a pathway needs a group of people and a place (or a country)")
    view = build_view(select_drawing(g, filters, pathway=pathway), layout=layout or ("pathway" if pathway else "force"),
                      color_by=color_by, size_by=size_by, title=title, filters=filters, lang=lang)
    if not view["nodes"]:
        raise QueryError("nothing to draw: no record matches these filters for this audience")
    return view


@gc_paused  # its hundreds of thousands of small dicts and lists live on: no rescans while it builds them
def build_view(
    sel: Selection, *, layout: str = "force", color_by: str = "sector", size_by: str = "degree",
    title: str | None = None, filters: Filters | None = None, lang: str | None = None,
) -> dict:
    """The map as data: nodes, edges, legend, filters, sources, title. Deterministic: the
    same selection and options give the same dict, in the same order. Its words (title,
    legend, field names, kinds, relations) are in `lang` (default: the language of the moment,
    viz.i18n); `filters`, those the selection was drawn with, word the title in it (without
    them the title is the selection's own, in English). Record names stay as the data gives
    them, but places, groups of people and forms of exploitation are named in the language
    where the data has their name in it (viz.i18n.shown_name; search finds every name)."""
    with use_language(lang):
        return _build_view(sel, layout, color_by, size_by, title, filters)


def _tip(keys: list[str], wanted: tuple[str, ...]) -> int | None:
    """Which field a tooltip quotes (its index; `keys` are the fields' keys, in order): the
    first of `wanted` the record has."""
    for key in wanted:
        if key in keys:
            return keys.index(key)
    return None


def _build_view(sel: Selection, layout: str, color_by: str, size_by: str, title: str | None,
                filters: Filters | None) -> dict:
    drawn, visible = sel.graph, sel.visible
    G = drawn.G
    countries = _Countries(visible)
    geo = None
    if layout == "geo":  # positions over the country outlines; the outlines and the strip's headings
        positions, geo = _geo_positions(sel, countries.of)
    else:
        positions = _positions(sel, layout)
    from stakeholder_graph.viz.layout import national_bodies

    national = national_bodies(G, visible)  # based in a country as a whole: marked on every map
    sizes = _sizes(_centrality(G, size_by), GEO_SIZE_FACTOR if layout == "geo" else 1.0)

    # sources cited by what is drawn, and visible to the audience
    cited: set[str] = set()
    for _node, a in G.nodes(data=True):
        cited.update(a.get("sources", []))
    for _u, _v, a in G.edges(data=True):
        cited.update(a.get("sources", []))
    records = [
        {k: text_of(v) for k, v in visible.source_record(s).items()}
        for s in cited if s in visible.G and visible.kind(s) == "source"
    ]
    records.sort(key=lambda r: (r["title"].casefold(), r["id"]))
    source_index = {r["id"]: i for i, r in enumerate(records)}

    def source_refs(attrs: dict) -> list[int]:
        return sorted({source_index[s] for s in attrs.get("sources", []) if s in source_index})

    node_ids = sorted(G, key=str)
    info = {}
    for n in node_ids:
        a = G.nodes[n]
        country = countries.of(n) or ""
        info[n] = {"sector": _sector(visible, drawn, n), "country": country, "kind": a["kind"]}
    country_names = {
        c: shown_name(visible.node(c), "place") or visible.name(c)
        for c in sorted({i["country"] for i in info.values()}) if c
    }
    keys = {n: color_key(color_by, info[n]["kind"], info[n]["sector"], info[n]["country"]) for n in node_ids}
    colors = {k: color_of(color_by, k, list(country_names)) for k in set(keys.values())}

    def bucket_label(axis: str, key: str) -> str:
        if axis == "kind":
            return kind_word(key)
        if axis == "country":
            return country_names.get(key) or _("no country (regional or unknown)")
        return value_word(key) if key else _("no sector")

    nodes = []
    for n in node_ids:
        a = G.nodes[n]
        kind = a["kind"]
        name = str(a.get("name", n))
        if kind in SHOWN_KINDS:  # named in the language where the data has the name in it
            name = str(shown_name(a, SHOWN_KINDS[kind]) or name)
        fields, field_keys = [], []
        for key in sorted((k for k in a if k not in HIDDEN_FIELDS),
                          key=lambda k: (FIELD_ORDER.index(k) if k in FIELD_ORDER else len(FIELD_ORDER), k)):
            text = _field_text(kind, key, a[key])
            if text:
                fields.append([field_word(key), text])
                field_keys.append(key)
        if info[n]["country"]:
            fields.append([field_word("country"), country_names[info[n]["country"]]])
        if n in sel.status:
            status = sel.status[n]
            fields.append([field_word("status"), _(STATUS_WORDS[status]) if status in STATUS_WORDS else status])
        if a.get("sensitivity", "public") != "public":
            fields.append([field_word("sensitivity"), value_word(a["sensitivity"])])
        alt = [str(x) for x in a.get("aliases", [])] + [str(x) for x in (a.get("names") or {}).values()]
        if a.get("short_name"):
            alt.append(str(a["short_name"]))
        if name != a.get("name", n):  # search finds it by its own name too
            alt.append(str(a.get("name", n)))
        node = {
            "id": n,
            "name": name,
            "label": wrap_label(name, *PATHWAY_LABEL) if layout == "pathway" else wrap_label(name),
            "kind": kind,
            "sector": info[n]["sector"],
            "country": info[n]["country"],
            "color": colors[keys[n]],
            "shape": KIND_SHAPES[kind][0],
            "size": sizes.get(n, NODE_SIZE[0]),
            "x": positions[n][0],
            "y": positions[n][1],
            "fields": fields,
            "src": source_refs(a),
        }
        tip = _tip(field_keys, ("description", "statement"))
        if tip is not None:  # the field its tooltip quotes
            node["tip"] = tip
        if alt:
            node["alt"] = alt
        if sel.status.get(n) in ("ended", "planned"):
            node["dim"] = True
        if n in national:  # based in a country as a whole (geo: drawn around the country's centre)
            node["national"] = True
        if geo and n in geo["landmarks"]:  # a place on the map, labelled at every zoom
            node["landmark"] = geo["landmarks"][n]
            if n in geo["rings"]:  # how far the records ringing it reach (px): its label goes above them
                node["ring"] = geo["rings"][n]
        nodes.append(node)

    if layout == "pathway":
        nodes.extend(_step_nodes(sel))

    edges = []
    edge_dates: list[tuple | None] = []  # the timeline's: each relation's own start and end
    pair_count: dict[tuple[str, str], int] = {}
    for u, v, k, a in sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        pair = tuple(sorted((str(u), str(v))))
        nth = pair_count.get(pair, 0)
        pair_count[pair] = nth + 1
        basis = a.get("basis", "stated")
        fields = [[field_word("basis"), _basis_text(basis, a.get("rule"))]]
        field_keys = ["basis"]
        for key in ("role", "note", "start", "end"):
            if a.get(key):
                fields.append([field_word(key), text_of(a[key])])
                field_keys.append(key)
        pops = [shown_name(visible.node(p), "population") for p in a.get("populations", []) if p in visible.G]
        if pops:
            fields.append([field_word("for"), "; ".join(pops)])
        edge = {
            "id": f"e{len(edges)}",
            "from": u,
            "to": v,
            "type": a["type"],
            "basis": basis,
            "dashes": basis_dashes(basis),
            "fields": fields,
            "src": source_refs(a),
        }
        tip = _tip(field_keys, ("note",))
        if tip is not None:
            edge["tip"] = tip
        if nth:
            edge["curve"] = nth
        elif layout == "pathway" and a["type"] == "refers_to":
            edge["curve"] = 1  # referrals run along the band of actors: bend them past it
        edge_dates.append((a.get("start"), a.get("end")) if a.get("start") or a.get("end") else None)
        edges.append(edge)

    types_present = sorted({e["type"] for e in edges})
    kinds_present = sorted({n["kind"] for n in nodes if n["kind"] != "step"},
                           key=lambda k: list(NODE_KINDS).index(k))
    count = {axis: {} for axis in ("sector", "kind", "country")}
    for n in node_ids:
        for axis in count:
            key = info[n][axis]
            count[axis][key] = count[axis].get(key, 0) + 1

    def buckets(axis: str) -> list[dict]:
        keys = sorted(count[axis], key=lambda k: (k == "", bucket_label(axis, k).casefold()))
        if axis == "kind":
            keys = kinds_present
        return [{"key": k, "label": bucket_label(axis, k), "count": count[axis][k]} for k in keys]

    key_count: dict[str, int] = {}
    for n in node_ids:
        key_count[keys[n]] = key_count.get(keys[n], 0) + 1
    legend_colors = [
        {"key": k, "label": bucket_label("country" if color_by == "country" else "kind", k)
         if k not in SECTORS else value_word(k), "count": key_count[k], "color": colors[k]}
        for k in sorted(key_count, key=lambda k: color_order(k) if color_by != "country"
                        else (k == "", country_names.get(k, "").casefold()))
    ]
    if title:
        heading = title
    elif filters is not None:
        heading = map_title(sel, filters)
    else:
        heading = sel.heading + (f": {sel.description}" if sel.description else "")
    subtitle = " · ".join([
        _("{records} records, {relations} relations").format(records=len(node_ids), relations=G.number_of_edges()),
        _("audience: {audience}").format(audience=value_word(sel.audience)),
        _("layout: {layout}").format(layout=_(LAYOUT_WORDS[layout]) if layout in LAYOUT_WORDS else layout),
        _("colour: {color}").format(color=_(COLOR_WORDS[color_by]) if color_by in COLOR_WORDS else color_by),
        _("size: {size}").format(size=_(SIZE_WORDS[size_by]) if size_by in SIZE_WORDS else size_by),
    ])
    view = {
        "title": heading,
        "subtitle": subtitle,
        "audience": sel.audience,
        "layout": layout,
        "color_by": color_by,
        "size_by": size_by,
        "nodes": nodes,
        "edges": edges,
        "edge_styles": {t: edge_style(t) for t in types_present},
        "relations": {t: relation_word(t) for t in types_present},
        "legend": {
            "colors": legend_colors,
            "kinds": [{"key": k, "label": kind_word(k), "shape": KIND_SHAPES[k][0],
                       "marker": KIND_SHAPES[k][1]} for k in kinds_present],
            "edges": family_legend(types_present),
            "bases": [{"key": b, "label": _(BASIS_WORDS[b]), "dashes": basis_dashes(b)}
                      for b in BASIS_DASHES if b in {e["basis"] for e in edges}],
        },
        "filters": {axis: buckets(axis) for axis in ("sector", "kind", "country")},
        "sources": records,
        "large": len(node_ids) > 1000,
        # what each record, relation and step is on any day (viz.timeline: the rules of --as-of)
        "timeline": timeline_view(sel, node_ids, edge_dates, filters.as_of if filters is not None else None),
    }
    if geo is not None:  # the map under the network, in the nodes' px (viz.geo)
        view["outlines"] = geo["outlines"]
        for group in geo["groups"]:
            group["label"] = (kind_word(group["kind"]) if group["level"] == 2
                              else bucket_label("country", group["country"]))
        seats = [{**seat, "text": shown_name(visible.node(seat.pop("id")), "place")} for seat in geo["seats"]]
        view["geo"] = {"box": geo["box"], "labels": geo["labels"], "groups": geo["groups"], "seats": seats}
    return view


def _step_nodes(sel: Selection) -> list[dict]:
    """Column headers of the pathway layout: one per referral step, with its gap."""
    steps = sel.steps or [
        {"step": s, "number": i, "alongside": s == "criminal_justice", "gap": False, "gap_detail": None}
        for i, s in enumerate(REFERRAL_STEPS, 1)
    ]
    out = []
    for i, s in enumerate(steps):
        words = term(s["step"])
        title = f"{s['number']}. {words}" + (" " + _("(alongside)") if s["alongside"] else "")
        label = wrap_label(title, 18)
        fields = [[_("step"), words]]
        detail = s["gap_detail"] or s.get("if_gap")  # a gap now, or what one would say on the timeline
        gap_field = [_("gap"), gap_text(s["step"], detail)] if detail else None
        if s["gap"]:
            label += "\n" + _("no provider recorded")
            fields.append(gap_field)
        out.append({
            "id": f"step:{s['step']}",
            "name": label.replace("\n", " · "),
            "label": label,
            # the map's header row: the step, and the line a gap adds (on the timeline too)
            "header": [title, _("no provider recorded")],
            "gap": bool(s["gap"]),
            **({"gap_field": gap_field} if gap_field else {}),
            "kind": "step",
            "sector": "",
            "country": "",
            "color": GAP_COLOR if s["gap"] else STEP_COLOR,
            "shape": "box",
            "size": NODE_SIZE[0],
            "x": round(i * PATHWAY_COLUMN, 1),
            "y": -PATHWAY_ROW,
            "fields": fields,
            "src": [],
            **({"tip": 1} if s["gap"] else {}),  # its tooltip quotes the gap
        })
    return out
