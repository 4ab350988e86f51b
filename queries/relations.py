"""Direct relation look-ups: who funds, monitors or leads something; which projects work in a
place."""
from __future__ import annotations

from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.queries.matching import Scope, cited, edge_evidence, question, status

ROLE_FOR = {"funds": "funding", "monitors": "monitoring"}


def related(g: StakeholderGraph, relation: str, name: str | None = None, as_of=None) -> dict:
    """Actors with a `relation` (funds, monitors, leads, oversees, partner_in) edge into the
    named record, or into anything when no name is given. When the data names nobody with
    such an edge, actors whose stated role is that function are listed, marked as such.

    >>> [r["actor"]["name"] for r in related(g, "funds", "From Harm to Safety")["results"]]
    ['European Union']
    """
    target = g.resolve(name) if name else None
    q = question(g, as_of=as_of)
    rows = []
    targets = [target] if target else None
    if target and g.kind(target) == "place":  # monitoring Serbia covers monitoring a body in it
        targets = [target, *sorted(g.descendants(target))]
    for u, v, a in sorted(g.G.edges(data=True), key=lambda e: (e[0], e[1])):
        if a["type"] != relation or (targets is not None and v not in targets):
            continue
        evidence = [edge_evidence(g, u, v, a)]
        rows.append({
            "actor": {"id": u, "name": g.name(u), "sector": g.node(u).get("sector")},
            "relation": relation,
            "target": {"id": v, "name": g.name(v), "kind": g.kind(v)},
            "basis": "relation",
            "status": status(g, v, q.as_of) if g.kind(v) in ("project", "service") else None,
            "evidence": evidence,
            "sources": cited(g, [u], evidence),
        })
    role = ROLE_FOR.get(relation)
    if role and not rows:
        for actor in sorted(g.ids_of("actor"), key=g.name):
            if role in g.node(actor).get("roles", []):
                rows.append({
                    "actor": {"id": actor, "name": g.name(actor), "sector": g.node(actor).get("sector")},
                    "relation": relation,
                    "target": None,
                    "basis": f"stated role: {role} (the source names no recipient)",
                    "status": None,
                    "evidence": [],
                    "sources": cited(g, [actor], []),
                })
    return {
        "query": {"relation": relation, "target": g.name(target) if target else None},
        "results": rows,
    }


def projects_in(g: StakeholderGraph, place: str, as_of=None) -> dict:
    """Projects working in a place (or above or inside it), with lead, partners and status.

    >>> [r["project"]["id"] for r in projects_in(g, "Niš", as_of="2026-11-28")["results"]]
    ['afghan-asylum-seekers-project', 'from-harm-to-safety']
    """
    q = question(g, place=place, as_of=as_of)
    scope = Scope(g, q.place, None)
    rows = []
    for p in sorted(g.ids_of("project"), key=g.name):
        matches = [scope.place_match(c) for c, _ in g.out_edges(p, "covers")]
        matches = [m for m in matches if m]
        if not matches:
            continue
        evidence = [edge_evidence(g, p, c, a) for c, a in g.out_edges(p, "covers") if scope.place_match(c)]
        rows.append({
            "project": {"id": p, "name": g.name(p), "start": g.node(p).get("start"), "end": g.node(p).get("end")},
            "lead": [g.name(a) for a, _ in g.in_edges(p, "leads")],
            "partners": [g.name(a) for a, _ in g.in_edges(p, "partner_in")],
            "coverage": min(matches, key=lambda m: (m[0], m[1]["place"]["name"] if m[1]["place"] else ""))[1],
            "status": status(g, p, q.as_of),
            "evidence": evidence,
            "sources": cited(g, [p], evidence),
        })
    return {"query": q.as_dict(g), "results": rows}
