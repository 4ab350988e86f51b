"""Gephi (and Cytoscape, yEd): GraphML and GEXF.

Every attribute has one type (numbers as numbers, years as integers, dates as text plus
their year as an integer for Gephi's range filters, lists as text). GEXF adds node colours
(viz.style, as on the map), seeded positions (viz.layout) and the dates of records and
relations as time intervals for Gephi's timeline.
"""
from __future__ import annotations

from typing import BinaryIO

import networkx as nx

from stakeholder_graph.exports.snapshot import Snapshot
from stakeholder_graph.exports.tables import cell_text
from stakeholder_graph.graph import dates
from stakeholder_graph.graph.schema import NODE_KINDS
from stakeholder_graph.viz.style import node_colour, rgb
from stakeholder_graph.viz.text import xml_text

# Above this many nodes the force layout takes too long for an export; the geographic
# layout (places at their coordinates, actors and services around them) is linear.
FORCE_LAYOUT_LIMIT = 5000
GEPHI_SCALE = 1000.0  # positions in [-1000, 1000]

FIELD_TYPES = {
    name: spec.type for kind in NODE_KINDS.values() for name, spec in kind.all_fields.items()
}


def _gephi_attrs(attrs: dict, urls: dict[str, str]) -> dict:
    """Attributes with one type each: numbers and years as numbers, dates as text plus their
    year as a number (for Gephi's range filters), lists as text; the URLs of the sources."""
    out = {}
    for name, value in attrs.items():
        if name in ("start", "end"):
            out[f"{name}_date"] = value
            out[f"{name}_year"] = int(value[:4])
        elif FIELD_TYPES.get(name) == "number":
            out[name] = float(value)
        elif FIELD_TYPES.get(name) == "year":
            out[name] = int(value)
        else:
            out[name] = xml_text(cell_text(value))
    cited = [urls[s] for s in attrs.get("sources", []) if urls.get(s)]
    if cited:
        out["source_urls"] = xml_text(" ".join(cited))
    return out


def _xml(value):
    """An id, key or label as XML can hold it (viz.text.xml_text), other values as they are."""
    return xml_text(value) if isinstance(value, str) else value


def gephi_graph(snap: Snapshot) -> nx.MultiDiGraph:
    """A copy for Gephi: a `label` on every node and edge, the edge type as `relation`
    (GEXF reserves `type`), every value a str, int or float, every text one that XML 1.0 may
    hold (the characters it forbids as visible escapes, viz.text.xml_text), so that the file
    always parses."""
    urls = {s["id"]: s["url"] for s in snap.sources if s.get("url")}
    F = nx.MultiDiGraph()
    for n, a in snap.graph.G.nodes(data=True):
        F.add_node(_xml(n), label=_xml(a.get("name", n)), **_gephi_attrs(a, urls))
    for u, v, k, a in snap.graph.G.edges(keys=True, data=True):
        rest = {name: value for name, value in a.items() if name != "type"}
        F.add_edge(_xml(u), _xml(v), key=_xml(k), label=_xml(a["type"]), relation=_xml(a["type"]),
                   **_gephi_attrs(rest, urls))
    return F


def positions(g) -> dict[str, tuple[float, float]]:
    """Seeded positions scaled into [-1, 1]: the force layout, or for graphs above
    FORCE_LAYOUT_LIMIT nodes the geographic one."""
    from stakeholder_graph.viz.layout import force_layout, geo_layout

    pos = force_layout(g, seed=42) if len(g.G) <= FORCE_LAYOUT_LIMIT else geo_layout(g)
    scale = max((max(abs(x), abs(y)) for x, y in pos.values()), default=0.0) or 1.0
    return {n: (x / scale, y / scale) for n, (x, y) in pos.items()}


def _spell(attrs: dict) -> None:
    """Turn start/end dates into a GEXF time interval (partial dates cover their whole span)."""
    start, end = attrs.get("start_date"), attrs.get("end_date")
    if start or end:
        attrs["spells"] = [(
            dates.first_day(start).isoformat() if start else None,
            dates.last_day(end).isoformat() if end else None,
        )]


def write_graphml(snap: Snapshot, out: BinaryIO) -> None:
    nx.write_graphml(gephi_graph(snap), out)


def write_gexf(snap: Snapshot, out: BinaryIO) -> None:
    """GEXF 1.2 with node colours (actors by sector), seeded positions, and the dates of
    records and relations as time intervals for Gephi's timeline."""
    F = gephi_graph(snap)
    pos = positions(snap.graph)
    for n in snap.graph.G:
        a = F.nodes[_xml(n)]
        r, g, b = rgb(node_colour(snap.graph.node(n)))
        x, y = pos[n]
        a["viz"] = {
            "color": {"r": r, "g": g, "b": b, "a": 1.0},
            "position": {"x": round(x * GEPHI_SCALE, 3), "y": round(-y * GEPHI_SCALE, 3), "z": 0.0},
        }
        _spell(a)
    for _, _, a in F.edges(data=True):
        _spell(a)
    nx.write_gexf(F, out)
