"""Who handles a case: services (and their providers) that serve a population in a place.

>>> result = who_handles(g, population="children", place="Niš")
>>> result["results"][0]["actor"]["name"]
"""
from __future__ import annotations

from graph import StakeholderGraph

from .matching import (
    AVAILABLE, STATUS_RANK, Scope, actor_view, bound_elsewhere, cited,
    edge_evidence, period, question, service_view, status,
)


def _coverage(g, scope: Scope, node: str):
    """Best (rank, label, covered place) among the places a service or project covers."""
    found = []
    for covered, _ in g.out_edges(node, "covers"):
        m = scope.place_match(covered)
        if m is not None:
            found.append((m[0], m[1], covered))
    return min(found) if found else None


def _population(g, scope: Scope, node: str, edge_type: str):
    found = []
    for served, _ in g.out_edges(node, edge_type):
        m = scope.population_match(served)
        if m is not None:
            found.append((m[0], m[1], served))
    return min(found) if found else None


def _match_evidence(g, scope: Scope, node: str, covered, served, edge_type: str) -> list[dict]:
    """The covers/serves edges that matched, with the hierarchy steps that make them match."""
    evidence = []
    if covered is not None:
        evidence.append(edge_evidence(g, node, covered, g.edge(node, covered, "covers")))
        if covered in scope.place_up:
            evidence += scope.chain(scope.place, covered)
        elif covered in scope.place_down:
            evidence += scope.chain(covered, scope.place)
    if served is not None:
        evidence.append(edge_evidence(g, node, served, g.edge(node, served, edge_type)))
        if served in scope.population_up:
            evidence += scope.chain(scope.population, served)
        elif served in scope.population_down:
            evidence += scope.chain(served, scope.population)
    return evidence


def _candidates(g: StakeholderGraph, scope: Scope, kind: str) -> list[str]:
    if scope.place is None:
        return sorted(g.ids_of(kind))
    found = {u for p in scope.places() for u, _ in g.in_edges(p, "covers") if g.kind(u) == kind}
    return sorted(found)


def who_handles(
    g: StakeholderGraph, population=None, place=None, service=None, form=None, as_of=None
) -> dict:
    """Services serving `population` in `place` (hierarchically), with their providers, and the
    actors of projects working there for that population. Available ones (active or undated)
    first, then ended or planned ones; within each, most local, then most specific first.

    Each result: actor, service (or None for a project-only answer), project, coverage,
    population_match, status at `as_of` (active, ended, planned, unknown), evidence, sources.
    Raises graph.NameNotFound for an unknown population, place, service type or form.
    """
    q = question(g, population, place, service, form, as_of)
    scope = Scope(g, q.place, q.population)
    results = []
    for s in _candidates(g, scope, "service"):
        a = g.node(s)
        if q.service_type and q.service_type not in a.get("types", []):
            continue
        cover = _coverage(g, scope, s) if q.place else (0, "anywhere", None)
        served = _population(g, scope, s, "serves") if q.population else (0, "any", None)
        if cover is None or served is None:
            continue
        forms = [f for f, _ in g.out_edges(s, "addresses")]
        if q.form and forms and q.form not in forms:
            continue
        form_rank = 0 if not q.form or q.form in forms else 1
        evidence = _match_evidence(g, scope, s, cover[2], served[2], "serves")
        if q.form and q.form in forms:
            evidence.append(edge_evidence(g, s, q.form, g.edge(s, q.form, "addresses")))
        projects = [p for p, _ in g.out_edges(s, "part_of") if g.kind(p) == "project"]
        for p in projects:
            evidence.append(edge_evidence(g, s, p, g.edge(s, p, "part_of")))
        state = status(g, s, q.as_of)
        start, end = period(g, s)
        for actor, offer in g.in_edges(s, "offers"):
            if bound_elsewhere(g, actor, scope.country):
                continue
            row_evidence = [edge_evidence(g, actor, s, offer), *evidence]
            results.append({
                "actor": actor_view(g, actor),
                "service": service_view(g, s),
                "project": {"id": projects[0], "name": g.name(projects[0])} if projects else None,
                "coverage": cover[1],
                "population_match": served[1],
                **({"form_match": "stated" if form_rank == 0 else "not stated"} if q.form else {}),
                "status": state,
                "period": {"start": start, "end": end},
                "evidence": row_evidence,
                "sources": cited(g, [s, actor], row_evidence),
                "_rank": (state not in AVAILABLE, cover[0], served[0], form_rank, STATUS_RANK[state]),
            })
    if not q.service_type:
        results += _project_answers(g, scope, q, {(r["actor"]["id"], (r["project"] or {}).get("id")) for r in results})
    results.sort(key=lambda r: (r["_rank"], r["actor"]["name"], (r["service"] or {}).get("name", "")))
    for r in results:
        del r["_rank"]
    return {"query": q.as_dict(g), "results": results}


def _project_answers(g, scope: Scope, q, seen: set) -> list[dict]:
    """Leads and partners of projects working in the place for the population, when no
    service of theirs in that project already answered."""
    rows = []
    for p in _candidates(g, scope, "project"):
        cover = _coverage(g, scope, p) if q.place else (0, "anywhere", None)
        served = _population(g, scope, p, "targets") if q.population else (0, "any", None)
        if cover is None or served is None:
            continue
        forms = [f for f, _ in g.out_edges(p, "addresses")]
        if q.form and forms and q.form not in forms:
            continue
        evidence = _match_evidence(g, scope, p, cover[2], served[2], "targets")
        state = status(g, p, q.as_of)
        start, end = period(g, p)
        for etype in ("leads", "partner_in"):
            for actor, attrs in g.in_edges(p, etype):
                if (actor, p) in seen or bound_elsewhere(g, actor, scope.country):
                    continue
                seen.add((actor, p))
                row_evidence = [edge_evidence(g, actor, p, attrs), *evidence]
                rows.append({
                    "actor": actor_view(g, actor),
                    "service": None,
                    "project": {"id": p, "name": g.name(p)},
                    "coverage": cover[1],
                    "population_match": served[1],
                    **({"form_match": "stated" if q.form in forms else "not stated"} if q.form else {}),
                    "status": state,
                    "period": {"start": start, "end": end},
                    "evidence": row_evidence,
                    "sources": cited(g, [p, actor], row_evidence),
                    "_rank": (state not in AVAILABLE, cover[0], served[0], 0 if not q.form or q.form in forms else 1, STATUS_RANK[state]),
                })
    return rows
