"""The part of the graph a map, diagram or export shows: one audience, optional filters.

Filters mean what they mean in `who`: --place Niš keeps the actors and services that answer
for Niš (hierarchically) with the places and populations that justify them.
"""
from __future__ import annotations

import networkx as nx

from graph import StakeholderGraph

from .who import who_handles


def select(
    g: StakeholderGraph, *, audience: str = "public", place=None, country=None,
    population=None, service_type=None, around=None, depth: int = 1, as_of=None,
) -> StakeholderGraph:
    """A new graph holding only what `audience` may see and what the filters keep, plus the
    source records cited by what is kept. Raises graph.NameNotFound for unknown names."""
    visible = g.for_audience(audience)
    keep: set[str] | None = None
    if place or country or population or service_type:
        answers = who_handles(
            visible, population=population, place=place or country, service=service_type,
            as_of=as_of,
        )["results"]
        keep = set()
        for r in answers:
            keep.add(r["actor"]["id"])
            for part in ("service", "project"):
                if r[part]:
                    keep.add(r[part]["id"])
            for e in r["evidence"]:
                keep.update((e["from_id"], e["to_id"]))
    if around:
        centre = visible.resolve(around)
        ego = set(nx.ego_graph(visible.G.to_undirected(as_view=True), centre, radius=depth))
        keep = ego if keep is None else (keep & ego) | {centre}
    if keep is None:
        return visible
    cited = {
        s for n in keep for s in visible.node(n).get("sources", [])
    } | {
        s for u, v, a in visible.G.subgraph(keep).edges(data=True) for s in a.get("sources", [])
    }
    return StakeholderGraph(visible.G.subgraph(keep | (cited & set(visible.G))).copy())
