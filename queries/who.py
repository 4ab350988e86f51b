"""Who handles a case: services (and their providers) that serve a population in a place."""
from __future__ import annotations

from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.queries.matching import (
    ANYWHERE,
    AVAILABLE,
    STATUS_RANK,
    Scope,
    actor_view,
    bound_elsewhere,
    cited,
    edge_evidence,
    period,
    question,
    service_view,
    status,
)


def _coverage(g, scope: Scope, node: str):
    """Best (rank, coverage, covered place) among the places a service or project covers:
    the most local, then by name."""
    found = []
    for covered, _ in g.out_edges(node, "covers"):
        m = scope.place_match(covered)
        if m is not None:
            found.append((m[0], m[1], covered))
    return min(found, key=lambda f: (f[0], f[1]["place"]["name"], f[2])) if found else None


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


def _match(g: StakeholderGraph, scope: Scope, q, node: str, population_edge: str) -> dict | None:
    """How a service or project answers the question, or None when it does not."""
    served = _population(g, scope, node, population_edge) if q.population else (0, "any", None)
    if served is None:  # the cheaper test first: most candidates serve someone else
        return None
    cover = _coverage(g, scope, node) if q.place else (0, ANYWHERE, None)
    if cover is None:
        return None
    forms = [f for f, _ in g.out_edges(node, "addresses")]
    if q.form and forms and q.form not in forms:
        return None
    evidence = _match_evidence(g, scope, node, cover[2], served[2], population_edge)
    if q.form and q.form in forms:
        evidence.append(edge_evidence(g, node, q.form, g.edge(node, q.form, "addresses")))
    start, end = period(g, node)
    return {
        "cover": cover, "served": served, "form_rank": 0 if not q.form or q.form in forms else 1,
        "evidence": evidence, "status": status(g, node, q.as_of), "start": start, "end": end,
    }


def _answer(g: StakeholderGraph, q, actor: str, link: dict, node: str, m: dict,
            service: str | None, project: str | None) -> dict:
    """One result row: an actor linked (offers, leads, partner_in) to a matching node."""
    evidence = [edge_evidence(g, actor, node, link), *m["evidence"]]
    state = m["status"]
    return {
        "actor": actor_view(g, actor),
        "service": service_view(g, service) if service else None,
        "project": {"id": project, "name": g.name(project)} if project else None,
        "coverage": m["cover"][1],
        "population_match": m["served"][1],
        **({"form_match": "stated" if m["form_rank"] == 0 else "not stated"} if q.form else {}),
        "status": state,
        "period": {"start": m["start"], "end": m["end"]},
        "evidence": evidence,
        "sources": cited(g, [node, actor], evidence),
        "_rank": (state not in AVAILABLE, m["cover"][0], m["served"][0], m["form_rank"], STATUS_RANK[state]),
    }


def who_handles(
    g: StakeholderGraph, population=None, place=None, service=None, form=None, as_of=None
) -> dict:
    """Services serving `population` in `place` (hierarchically), with their providers, and the
    actors of projects working there for that population. Available ones (active or undated)
    first, then ended or planned ones; within each, most local, then most specific first.

    Each result: actor, service (or None for a project-only answer), project, coverage
    ({"level", "place": {"id", "name"}, "relation": "same", "contains", "inside" or
    "anywhere"}), population_match, status at `as_of` (active, ended, planned, unknown),
    period, evidence, sources. Raises NameNotFound for an unknown population, place, service
    type or form.

    >>> result = who_handles(g, population="children", place="Niš", as_of="2026-11-28")
    >>> first = result["results"][0]
    >>> first["actor"]["name"], first["coverage"]["level"]
    ('Local anti-trafficking network, Niš', 'municipality')
    """
    q = question(g, population, place, service, form, as_of)
    scope = Scope(g, q.place, q.population)
    results = []
    for s in _candidates(g, scope, "service"):
        if q.service_type and q.service_type not in g.node(s).get("types", []):
            continue
        m = _match(g, scope, q, s, "serves")
        if m is None:
            continue
        projects = [p for p, _ in g.out_edges(s, "part_of") if g.kind(p) == "project"]
        m["evidence"] += [edge_evidence(g, s, p, g.edge(s, p, "part_of")) for p in projects]
        for actor, offer in g.in_edges(s, "offers"):
            if not bound_elsewhere(g, actor, scope.country):
                results.append(_answer(g, q, actor, offer, s, m, s, projects[0] if projects else None))
    if not q.service_type:  # projects answer only questions about people and places
        seen = {(r["actor"]["id"], (r["project"] or {}).get("id")) for r in results}
        for p in _candidates(g, scope, "project"):
            m = _match(g, scope, q, p, "targets")
            if m is None:
                continue
            for etype in ("leads", "partner_in"):
                for actor, link in g.in_edges(p, etype):
                    if (actor, p) not in seen and not bound_elsewhere(g, actor, scope.country):
                        seen.add((actor, p))
                        results.append(_answer(g, q, actor, link, p, m, None, p))
    results.sort(key=lambda r: (r["_rank"], r["actor"]["name"], (r["service"] or {}).get("name", "")))
    for r in results:
        del r["_rank"]
    return {"query": q.as_dict(g), "results": results}
