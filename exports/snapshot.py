"""What an export holds: the part of the graph an audience may see and the filters keep,
cleaned and in a stable order, so the same data always gives the same bytes.

    snap = snapshot(g, Filters(audience="public", place="Niš"))

The audience filter is graph.StakeholderGraph.for_audience, the one every output uses: what
is above the audience leaves no trace, not even as an id inside another record's attribute
(a citation of an internal source, an internal population of a referral).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from stakeholder_graph.graph.model import StakeholderGraph, gc_paused
from stakeholder_graph.graph.schema import NODE_KINDS
from stakeholder_graph.queries.selection import Filters, select

KIND_ORDER = {kind: i for i, kind in enumerate(NODE_KINDS)}


@dataclass
class Snapshot:
    """Records other than sources with the relations between them, and the source records,
    in a stable order, without the loaders' `origin` bookkeeping."""

    graph: StakeholderGraph
    sources: list[dict]  # {"id": ..., "kind": "source", "name": title, "url": ..., ...}
    audience: str = "public"
    filters: dict = field(default_factory=dict)  # the filters in effect, for the record


@gc_paused
def snapshot(g: StakeholderGraph, filters: Filters = Filters()) -> Snapshot:
    """The part of `g` that the filters keep for their audience, cleaned and sorted."""
    kept = select(g, filters)
    nodes = kept.G.nodes

    def clean(attrs: dict) -> dict:
        """Without `origin`, and without ids of records the selection left out (a citation of
        a source, a referral's population), so that the export loads back on its own."""
        out = {k: v for k, v in attrs.items() if k != "origin"}
        for key in ("sources", "populations"):
            if key in out and any(i not in nodes for i in out[key]):
                out[key] = [i for i in out[key] if i in nodes]
        return out

    G = nx.MultiDiGraph()
    sources = []
    for n in sorted(nodes, key=lambda n: (KIND_ORDER.get(nodes[n]["kind"], len(KIND_ORDER)), n)):
        attrs = clean(nodes[n])
        if attrs["kind"] == "source":
            sources.append({"id": n, **attrs})
        else:
            G.add_node(n, **attrs)
    edges = ((u, v, k, a) for u, v, k, a in kept.G.edges(keys=True, data=True) if u in G and v in G)
    for u, v, k, a in sorted(edges, key=lambda e: (e[0], e[2], e[1])):
        G.add_edge(u, v, key=k, **clean(a))
    return Snapshot(StakeholderGraph(G), sources, filters.audience, filters.active())
