"""The part of the graph a map, a diagram or an export shows: one audience, optional filters.

    filters = Filters(audience="public", place="Niš", population="children")
    sub = select(g, filters)              # a StakeholderGraph: what export writes
    drawn = select_drawing(g, filters)    # a Selection: what map and diagram draw

Filters mean what they mean in `who`: place="Niš" keeps the actors and services that answer
for Niš (hierarchically) with the places and populations that justify them. Nothing above
the audience enters a selection (graph.StakeholderGraph.for_audience, the one audience filter
every output uses), so nothing derived from it can carry it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

import networkx as nx

from stakeholder_graph.graph.model import StakeholderGraph, gc_paused
from stakeholder_graph.graph.schema import check_audience, cited_by
from stakeholder_graph.queries.matching import resolve_service_type
from stakeholder_graph.queries.pathway import referral_pathway
from stakeholder_graph.queries.who import newest_source_text, who_handles


@dataclass(frozen=True)
class Filters:
    """What to keep: an audience and, optionally, the filters of `who` and a neighbourhood."""

    audience: str = "public"
    place: str | None = None
    country: str | None = None
    population: str | None = None
    service_type: str | None = None
    around: str | None = None
    depth: int = 1
    as_of: dt.date | str | None = None

    def __post_init__(self):
        check_audience(self.audience)

    def active(self) -> dict:
        """The filters given (depth only with `around`), for an export's own record."""
        out = {k: v for k, v in asdict(self).items() if v and k not in ("audience", "depth", "as_of")}
        if self.around:
            out["depth"] = self.depth
        return out

    def describe(self, visible: StakeholderGraph) -> str:
        """The filters in words, for a title: 'children in Niš service: shelter'."""
        parts = []
        if self.population:
            parts.append(visible.name(visible.resolve(self.population, ("population",))))
        for place in (self.place, self.country):
            if place:
                parts.append("in " + visible.name(visible.resolve(place, ("place",))))
        if self.service_type:
            parts.append("service: " + resolve_service_type(self.service_type).replace("_", " "))
        if self.around:
            parts.append(f"around {visible.name(visible.resolve(self.around))} "
                         f"({self.depth} step{'s' if self.depth != 1 else ''})")
        return " ".join(parts)


@dataclass
class Selection:
    """What one map or diagram draws."""

    graph: StakeholderGraph  # the records and relations drawn (never source records)
    visible: StakeholderGraph  # all the audience may see: countries, place hierarchy, sources
    audience: str
    description: str  # the filters in words, for the title
    heading: str = "Stakeholder map"
    steps: list[dict] | None = None  # the referral pathway's steps, when drawing one
    step_of: dict[str, str] = field(default_factory=dict)  # service -> step (pathway)
    status: dict[str, str] = field(default_factory=dict)  # service -> status (pathway)


def _kept(visible: StakeholderGraph, filters: Filters) -> StakeholderGraph:
    """What the filters keep of an audience's graph, plus the source records cited by it."""
    keep: set[str] | None = None
    if filters.place or filters.country or filters.population or filters.service_type:
        answers = who_handles(
            visible, population=filters.population, place=filters.place or filters.country,
            service=filters.service_type, as_of=filters.as_of,
        )["results"]
        keep = set()
        for r in answers:
            keep.add(r["actor"]["id"])
            for part in ("service", "project"):
                if r[part]:
                    keep.add(r[part]["id"])
            for e in r["evidence"]:
                keep.update((e["from_id"], e["to_id"]))
    if filters.around:
        centre = visible.resolve(filters.around)
        ego = set(nx.ego_graph(visible.G.to_undirected(as_view=True), centre, radius=filters.depth))
        keep = ego if keep is None else (keep & ego) | {centre}
    if keep is None:
        return visible
    cited = {
        s for n in keep for s in cited_by(visible.node(n))
    } | {
        s for u, v, a in visible.G.subgraph(keep).edges(data=True) for s in a.get("sources", [])
    }
    return StakeholderGraph(visible.G.subgraph(keep | (cited & set(visible.G))).copy())


def select(g: StakeholderGraph, filters: Filters = Filters()) -> StakeholderGraph:
    """A new graph holding only what the audience may see and what the filters keep, plus the
    source records cited by what is kept. Raises NameNotFound for an unknown name.

    >>> sub = select(g, Filters(place="Niš", population="children"))
    >>> "atina" in sub.G, "vatra" in sub.G
    (True, False)
    """
    return _kept(g.for_audience(filters.audience), filters)


@gc_paused  # the copy of what is drawn is many small dicts that live on
def select_drawing(g: StakeholderGraph, filters: Filters = Filters(), *, pathway: bool = False) -> Selection:
    """What a map or a diagram draws: the audience-safe part of `g` the filters keep, or with
    `pathway` the referral pathway for the filters' population and place. Raises NameNotFound
    for an unknown name."""
    visible = g.for_audience(filters.audience)
    if pathway:
        return _pathway_selection(visible, filters)
    sub = _kept(visible, filters)
    drawn = _induced_copy(sub.G, {n for n, a in sub.G.nodes(data=True) if a["kind"] != "source"})
    return Selection(StakeholderGraph(drawn), visible, filters.audience, filters.describe(visible))


def _induced_copy(G: nx.MultiDiGraph, keep: set) -> nx.MultiDiGraph:
    """G.subgraph(keep).copy(): the same nodes, edges and attributes (the dictionaries copied),
    always in G's order (the subgraph view takes the order of `keep` when it holds under half
    of G), made from G's dictionaries directly as graph.model.for_audience makes its copy: a
    seventh of the time on 10,000 records."""
    node = {n: dict(a) for n, a in G._node.items() if n in keep}
    succ: dict = {n: {} for n in node}
    pred: dict = {n: {} for n in node}
    for u, nbrs in G._succ.items():
        if u in node:
            out = succ[u]
            for v, keyed in nbrs.items():
                if v in node:
                    out[v] = pred[v][u] = {k: dict(a) for k, a in keyed.items()}
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H._node, H._succ, H._pred = node, succ, pred
    return H


def _pathway_selection(visible: StakeholderGraph, filters: Filters) -> Selection:
    """The services of each referral step, the actors offering them and their referrals."""
    result = referral_pathway(visible, filters.population, filters.place or filters.country, filters.as_of)
    wanted_type = resolve_service_type(filters.service_type) if filters.service_type else None
    G = nx.MultiDiGraph()
    step_of: dict[str, str] = {}
    status: dict[str, str] = {}
    offers: set[tuple[str, str]] = set()
    referrals: dict[tuple, dict] = {}
    steps = []
    place = result["query"]["terms"].get("place")
    # what a gap at any step would say (the timeline shows one where the step's services are not yet or no longer there)
    no_one = {"population": result["query"]["population"], "place": place["name"] if place else None,
              "newest_source": newest_source_text(visible, place["id"]) if place else "undated",
              "hidden_inferred": 0}
    for step in result["steps"]:
        for r in step["available"] + step["ended"]:
            service = r["service"]
            if wanted_type and wanted_type not in service["types"]:
                continue
            step_of[service["id"]] = step["step"]
            status[service["id"]] = r["status"]
            offers.add((r["actor"]["id"], service["id"]))
            for ref in r.get("refers_to", []):
                key = (ref["from_id"], ref["to_id"], ref.get("note", ""))
                referrals.setdefault(key, ref)
        steps.append({
            "step": step["step"], "number": step["number"],
            "alongside": step["alongside"], "gap": step["gap"], "gap_detail": step["gap_detail"],
            # every service of the step (of any type: the gap is the step's), and its gap in words at any date
            "services": sorted({r["service"]["id"] for r in step["available"] + step["ended"]}),
            "if_gap": step["gap_detail"] or no_one,
        })
    ids = {n for pair in offers for n in pair} | {n for key in referrals for n in key[:2]}
    for n in sorted(ids):
        G.add_node(n, **visible.node(n))
    for actor, service in sorted(offers):
        for key, attrs in sorted(
            ((k, a) for _, w, k, a in visible.G.out_edges(actor, keys=True, data=True)
             if w == service and a["type"] == "offers"),
            key=lambda item: item[0],
        ):
            G.add_edge(actor, service, key=key, **attrs)
    for (u, v, _), ref in sorted(referrals.items(), key=lambda item: (item[0][0], item[0][1], item[0][2])):
        attrs = {"type": "refers_to", "sources": list(ref.get("sources", []))}
        attrs.update({k: ref[k] for k in ("basis", "rule", "locator", "start", "end", "role", "note") if ref.get(k)})
        key = "refers_to"
        n = 1
        while G.has_edge(u, v, key):
            n += 1
            key = f"refers_to#{n}"
        G.add_edge(u, v, key=key, **attrs)
    description = f"{filters.describe(visible)} (as of {result['query']['as_of']})"
    return Selection(StakeholderGraph(G), visible, filters.audience, description, "Referral pathway",
                     steps, step_of, status)
