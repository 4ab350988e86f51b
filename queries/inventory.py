"""What the graph holds: counts, one record in full, and the sources cited."""
from __future__ import annotations

from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.graph.schema import cited_by


def stats(g: StakeholderGraph) -> dict:
    """Records by kind, edges by type, and how many sources are cited.

    >>> stats(g)["nodes"]["project"]
    2
    """
    kinds, types = g.counts()
    cited = {sid for _, a in g.G.nodes(data=True) for sid in cited_by(a)}
    cited |= {sid for _, _, a in g.G.edges(data=True) for sid in a.get("sources", [])}
    basis: dict[str, dict[str, int]] = {}  # relations by type and basis: how much is inferred
    for _, _, a in g.G.edges(data=True):
        counts = basis.setdefault(a["type"], {"stated": 0, "inferred": 0})
        counts[a.get("basis", "stated")] += 1
    records_basis = {"stated": 0, "inferred": 0}
    for _, a in g.G.nodes(data=True):
        if "basis" in a:
            records_basis[a["basis"]] += 1
    return {
        "nodes": kinds,
        "edges": types,
        "edges_by_basis": dict(sorted(basis.items())),
        "records_by_basis": records_basis,
        "total_nodes": g.G.number_of_nodes(),
        "total_edges": sum(types.values()),  # every edge has a type; networkx's count walks the degrees
        "sources_cited": len(cited),
        "sources_uncited": sorted(set(g.ids_of("source")) - cited),
    }


def _edge_view(g: StakeholderGraph, other: str, attrs: dict, direction: str) -> dict:
    view = {
        "direction": direction,
        "type": attrs["type"],
        "id": other,
        "kind": g.kind(other),
        "name": g.name(other),
    }
    view["basis"] = attrs.get("basis", "stated")
    for key in ("rule", "locator", "start", "end", "role", "note"):
        if attrs.get(key):
            view[key] = attrs[key]
    if attrs.get("populations"):
        view["populations"] = [g.name(p) for p in attrs["populations"] if p in g.G]
    view["sources"] = list(attrs.get("sources", []))
    return view


def show(g: StakeholderGraph, name: str) -> dict:
    """One record: its fields, its relations in and out, and every source cited, with URLs.

    Raises NameNotFound (with the closest names) when `name` matches nothing.

    >>> record = show(g, "Ниш")
    >>> record["id"], record["fields"]["where"]
    ('nis', 'Niš (municipality, Nišava district, Serbia)')
    """
    node_id = g.resolve(name)
    attrs = g.node(node_id)
    fields = {k: v for k, v in attrs.items() if k not in ("kind", "name", "sources", "origin", "data_quality")}
    out_edges = [_edge_view(g, v, a, "out") for v, a in g.out_edges(node_id)]
    in_edges = [_edge_view(g, u, a, "in") for u, a in g.in_edges(node_id)]
    relations = sorted(out_edges + in_edges, key=lambda r: (r["direction"] == "in", r["type"], r["name"]))
    cited = g.sources_of(attrs, {"sources": attrs.get("names_sources", [])},
                         *[g.G.edges[e] for e in _edge_keys(g, node_id)])
    if attrs["kind"] == "place":
        fields["where"] = g.describe_place(node_id)
    return {
        "id": node_id,
        "kind": attrs["kind"],
        "name": attrs.get("name", node_id),
        "fields": fields,
        "data_quality": list(attrs.get("data_quality", [])),
        "origin": attrs.get("origin"),
        "relations": relations,
        "sources": cited,
    }


def _edge_keys(g: StakeholderGraph, node_id: str):
    yield from g.G.out_edges(node_id, keys=True)
    yield from g.G.in_edges(node_id, keys=True)


def sources(g: StakeholderGraph) -> list[dict]:
    """Every source record and how many records and relations cite it, most cited first.

    >>> sources(g)[0]["id"]
    'irc-serbia-country-program'
    """
    counts = {sid: 0 for sid in g.ids_of("source")}
    for _, a in g.G.nodes(data=True):
        for sid in cited_by(a):
            counts[sid] = counts.get(sid, 0) + 1
    for _, _, a in g.G.edges(data=True):
        for sid in a.get("sources", []):
            counts[sid] = counts.get(sid, 0) + 1
    rows = []
    for sid, n in counts.items():
        record = g.source_record(sid)
        rows.append({
            "id": sid,
            "title": record["title"],
            "publisher": record.get("publisher", ""),
            "url": record.get("url", ""),
            "facts": n,
        })
    return sorted(rows, key=lambda r: (-r["facts"], r["id"]))
