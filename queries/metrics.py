"""Network measures over actors: centralities, cross-sector brokers, the weak points of the
referral network, and communities.

Betweenness is exact up to EXACT_LIMIT actors and sampled above it (networkx's k-sample
estimator, seeded): measured here, exact betweenness took minutes on 10,000 nodes while a
100-node sample took seconds. The result says which was used.

The heavy measures run in compiled libraries with networkx's definitions and results:
betweenness in igraph (the sources networkx would sample, networkx's normalisation: 0.2 s
instead of 13 s for 200 sources on 20,000 actors), eigenvector centrality in rustworkx (the
same power iteration and scaling: 0.08 s instead of 4 s), articulation points and bridges in
igraph too (networkx's sets; 0.05 s instead of 1 s on 20,000 actors). Both libraries are
imported here only. The networks themselves are built with the garbage collector paused: on a
large graph its rescans took most of the time.
"""
from __future__ import annotations

import heapq
import itertools
import random
import sys

import networkx as nx

from stakeholder_graph.graph.model import StakeholderGraph, gc_paused

EXACT_LIMIT = 2000
SAMPLE_SIZE = 200
SEED = 42

# actor-to-actor relations that tie the collaboration network together
TIE_TYPES = ("partners_with", "member_of", "refers_to", "part_of", "oversees", "monitors", "funds")


def _igraph():
    """igraph, imported without its drawing module importing matplotlib's pyplot when that is
    installed (one to two seconds, and a window backend): metrics draw nothing, and a process
    that has imported matplotlib already keeps it."""
    if "igraph" not in sys.modules and "matplotlib" not in sys.modules:
        sys.modules["matplotlib"] = None  # igraph's drawing then finds no matplotlib
        try:
            import igraph
        finally:
            del sys.modules["matplotlib"]
    import igraph

    return igraph


def _providers(g: StakeholderGraph, node: str) -> list[str]:
    """An actor stands for itself; a service for the actors offering it."""
    if g.kind(node) == "actor":
        return [node]
    if g.kind(node) == "service":
        return [a for a, _ in g.in_edges(node, "offers")]
    return []


@gc_paused  # a large graph's millions of objects, rescanned at each burst of new ties
def actor_network(g: StakeholderGraph) -> nx.Graph:
    """Undirected actor graph: direct ties, referrals (services mapped to their providers) and
    shared projects. Each edge remembers the relation types that make it."""
    # the ties are gathered in a dictionary, in the order networkx would first see them, and
    # handed to networkx once: its per-edge look-ups were most of the time on large graphs
    ties: dict[tuple[str, str], set[str]] = {}

    def tie(u, v, why):
        if u != v:
            found = ties.get((u, v)) if (u, v) in ties else ties.get((v, u))
            if found is None:
                ties[(u, v)] = {why}
            else:
                found.add(why)

    wanted = set(TIE_TYPES)
    for u, nbrs in g.G._succ.items():
        for v, keyed in nbrs.items():
            for a in keyed.values():
                if a["type"] in wanted:
                    for x in _providers(g, u):
                        for y in _providers(g, v):
                            tie(x, y, a["type"])
    for project in g.ids_of("project"):
        members = sorted({a for t in ("leads", "partner_in") for a, _ in g.in_edges(project, t)})
        for x, y in itertools.combinations(members, 2):
            tie(x, y, "same project")
    N = nx.Graph()
    N.add_nodes_from(g.ids_of("actor"))
    N.add_edges_from((u, v, {"why": why}) for (u, v), why in ties.items())
    return N


@gc_paused
def referral_network(g: StakeholderGraph) -> nx.Graph:
    """Undirected actor graph of refers_to edges only."""
    R = nx.Graph()
    R.add_edges_from((x, y) for u in g.G for v, _ in g.out_edges(u, "refers_to")
                     for x in _providers(g, u) for y in _providers(g, v) if x != y)
    return R


def cut_points_and_bridges(R: nx.Graph) -> tuple[set[str], list[tuple[str, str]]]:
    """networkx's articulation points and bridges of an undirected graph, computed by igraph;
    each bridge (u, v) in networkx's orientation (u before v in the graph's node order)."""
    igraph = _igraph()

    nodes = list(R.nodes())
    index = {v: i for i, v in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in R.edges()])
    points = {nodes[i] for i in graph.articulation_points()}
    edges = graph.get_edgelist()
    ends = [sorted(edges[e]) for e in graph.bridges()]
    return points, [(nodes[i], nodes[j]) for i, j in ends]


def betweenness(N: nx.Graph, k: int | None = None, seed: int = SEED) -> dict[str, float]:
    """networkx's normalised betweenness of an undirected graph (exact, or estimated from the k
    sources networkx's seeded sample draws), computed by igraph."""
    igraph = _igraph()

    nodes = list(N.nodes())
    n = len(nodes)
    if n <= 2:
        return {v: 0.0 for v in nodes}
    index = {v: i for i, v in enumerate(nodes)}
    graph = igraph.Graph(n=n, edges=[(index[u], index[v]) for u, v in N.edges()])
    if k is None:
        raw = graph.betweenness(directed=False)
        return {v: raw[i] * 2 / ((n - 1) * (n - 2)) for v, i in index.items()}
    sources = random.Random(seed).sample(nodes, k)  # the sample networkx takes with this seed
    raw = graph.betweenness(directed=False, sources=[index[s] for s in sources])
    sampled = set(sources)
    # networkx's scaling of a sampled estimate: a source's own count is over k - 1 sources
    return {v: raw[i] * 2 / (((k - 1) if v in sampled else k) * (n - 2)) for v, i in index.items()}


def eigenvector(N: nx.Graph) -> dict[str, float]:
    """networkx's eigenvector centrality (the same power iteration, tolerance and scaling),
    computed by rustworkx; nx.PowerIterationFailedConvergence when it does not converge."""
    import rustworkx

    nodes = list(N.nodes())
    index = {v: i for i, v in enumerate(nodes)}
    graph = rustworkx.PyGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from_no_data([(index[u], index[v]) for u, v in N.edges()])
    try:
        values = rustworkx.eigenvector_centrality(graph, max_iter=1000, tol=1e-6)
    except rustworkx.FailedToConverge:
        raise nx.PowerIterationFailedConvergence(1000) from None
    return {v: values[i] for v, i in index.items()}


def louvain(N: nx.Graph, seed: int = SEED) -> list[set]:
    """Louvain communities: networkx's up to EXACT_LIMIT actors (the answers on a small network
    stay networkx's), igraph's multilevel above it (the same method, 15 to 30 times quicker;
    on generated networks of 2,000 to 100,000 actors its count of communities was within 2 of
    networkx's). Seeded either way."""
    if N.number_of_nodes() <= EXACT_LIMIT:
        return nx.community.louvain_communities(N, seed=seed)
    igraph = _igraph()

    nodes = list(N.nodes())
    index = {v: i for i, v in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in N.edges()])
    igraph.set_random_number_generator(random.Random(seed))  # igraph draws from one process-wide generator
    try:
        membership = graph.community_multilevel().membership
    finally:
        igraph.set_random_number_generator(random)
    groups: dict[int, set] = {}
    for v, c in zip(nodes, membership):
        groups.setdefault(c, set()).add(v)
    return list(groups.values())


def _brokerage(g: StakeholderGraph, N: nx.Graph, node: str) -> tuple[int, list[str]]:
    """Pairs of neighbours from different sectors that are not tied to each other and so
    connect only through this actor; and the sectors it reaches."""
    sector = {n: g.node(n).get("sector") for n in N[node]}
    pairs = sum(
        1 for a, b in itertools.combinations(sorted(N[node]), 2)
        if sector[a] != sector[b] and not N.has_edge(a, b)
    )
    return pairs, sorted({s for s in sector.values() if s})


def network_metrics(g: StakeholderGraph, top: int = 10) -> dict:
    """The `top` actors by betweenness (with degree and eigenvector centrality), the brokers
    between sectors, the articulation points and bridges of the referral network, and the
    communities; `mode` says whether betweenness was exact or sampled.

    >>> network_metrics(g, top=3)["centrality"][0]["name"]
    'Centre for Protection of Victims of Trafficking in Human Beings'
    """
    N = actor_network(g)
    n = N.number_of_nodes()
    if n <= EXACT_LIMIT:
        between = betweenness(N)
        mode = "exact"
    else:
        k = min(SAMPLE_SIZE, n)
        between = betweenness(N, k=k, seed=SEED)
        mode = (f"approximate: betweenness sampled from {k} of {n} actors (networkx's sample, seed {SEED}); "
                f"communities by igraph's Louvain (seed {SEED})")
    degree = nx.degree_centrality(N) if n > 1 else {a: 0.0 for a in N}
    try:
        eigen = eigenvector(N) if N.number_of_edges() else {}
        eigen_note = None
    except nx.PowerIterationFailedConvergence:
        eigen, eigen_note = {}, "eigenvector centrality did not converge"

    def view(a: str) -> dict:
        return {
            "id": a, "name": g.name(a), "sector": g.node(a).get("sector"),
            "degree": round(degree.get(a, 0.0), 4), "ties": N.degree(a),
            "betweenness": round(between.get(a, 0.0), 4),
            "eigenvector": round(eigen[a], 4) if a in eigen else None,
        }

    ranked = heapq.nsmallest(top, N, key=lambda a: (-between.get(a, 0), -N.degree(a), g.name(a)))
    brokers = []
    for a in sorted(N, key=lambda a: (-between.get(a, 0), g.name(a))):
        pairs, sectors = _brokerage(g, N, a)
        if pairs and len(sectors) >= 2:
            brokers.append({**view(a), "cross_sector_pairs": pairs, "sectors_reached": sectors})
        if len(brokers) >= top:
            break
    R = referral_network(g)
    cut_points, bridges = cut_points_and_bridges(R)
    communities = louvain(N) if N.number_of_edges() else []
    communities = sorted((sorted(c, key=g.name) for c in communities if len(c) > 1), key=lambda c: (-len(c), g.name(c[0])))
    return {
        "mode": mode,
        "actors": n,
        "ties": N.number_of_edges(),
        "centrality": [view(a) for a in ranked[:top]],
        "brokers": brokers,
        "referral_network": {
            "actors": R.number_of_nodes(),
            "referrals": R.number_of_edges(),
            "articulation_points": sorted(({"id": a, "name": g.name(a)} for a in cut_points), key=lambda x: x["name"]),
            "bridges": sorted(
                ({"from": g.name(u), "to": g.name(v), "from_id": u, "to_id": v} for u, v in bridges),
                key=lambda b: (b["from"], b["to"]),
            ),
        },
        "communities": [
            {"size": len(c), "members": [g.name(a) for a in c[:top]]} for c in communities[:top]
        ],
        "notes": [x for x in (eigen_note,) if x],
    }
