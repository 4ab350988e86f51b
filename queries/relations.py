"""Direct relation look-ups: who funds, monitors or leads something; which projects work in a
place; an actor's partners; the assessments of a country."""
from __future__ import annotations

from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.graph.names import fold
from stakeholder_graph.queries.matching import (
    Scope,
    basis_of,
    cited,
    edge_evidence,
    named,
    place_term,
    question,
    status,
)

ROLE_FOR = {"funds": "funding", "monitors": "monitoring"}


def _relation_row(g: StakeholderGraph, u: str, v: str, attrs: dict, as_of) -> dict:
    """One relation as an answer row: who, to what, its basis (stated, or inferred by a rule),
    the status of a project or service it points to, evidence and sources."""
    evidence = [edge_evidence(g, u, v, attrs)]
    return {
        "actor": {"id": u, "name": g.name(u), "sector": g.node(u).get("sector")},
        "relation": attrs["type"],
        "target": {"id": v, "name": g.name(v), "kind": g.kind(v)},
        "basis": attrs.get("basis", "stated"),
        "rule": attrs.get("rule"),
        "status": status(g, v, as_of) if g.kind(v) in ("project", "service") else None,
        "evidence": evidence,
        "sources": cited(g, [u], evidence),
    }


def related(g: StakeholderGraph, relation: str, name: str | None = None, as_of=None) -> dict:
    """Actors with a `relation` (funds, monitors, leads, oversees, partner_in) edge into the
    named record, or into anything when no name is given. Asked about no record, when the data
    names nobody with such an edge, actors whose stated role is that function are listed,
    marked as such (never for a named record: a funder of the EU's programmes is not a funder
    of Atina).

    >>> [(r["actor"]["name"], r["note"]) for r in related(g, "funds")["results"]]
    [('European Union', 'stated role: funding (the source names no recipient)')]
    >>> related(g, "funds", "From Harm to Safety")["results"]  # no source names its funder
    []
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
        rows.append(_relation_row(g, u, v, a, q.as_of))
    role = ROLE_FOR.get(relation)
    if role and not rows and target is None:  # asked about no one: who has the role at all
        for actor in sorted(g.ids_of("actor"), key=g.name):
            if role in g.node(actor).get("roles", []):
                rows.append({
                    "actor": {"id": actor, "name": g.name(actor), "sector": g.node(actor).get("sector")},
                    "relation": relation,
                    "target": None,
                    "basis": "stated role",
                    "note": f"stated role: {role} (the source names no recipient)",
                    "status": None,
                    "evidence": [],
                    "sources": cited(g, [actor], []),
                })
    return {
        "query": {"relation": relation, "target": g.name(target) if target else None},
        "results": rows,
    }


def related_from(g: StakeholderGraph, relation: str, name: str, within: str | None = None, as_of=None) -> dict:
    """What an actor `relation`s (funds, monitors, leads, oversees): its own edges of that
    type, only those into `within` (or a place inside it) when given.

    >>> [r["target"]["name"] for r in related_from(g, "monitors", "Ombudsman")["results"]]
    ['Serbia']
    """
    actor = g.resolve(name, ("actor",), "actor")
    inside = None
    if within:
        target = g.resolve(within)
        inside = {target, *g.descendants(target)}
    q = question(g, as_of=as_of)
    rows = []
    for v, a in sorted(g.out_edges(actor, relation), key=lambda e: g.name(e[0])):
        if inside is None or v in inside:
            rows.append(_relation_row(g, actor, v, a, q.as_of))
    return {"query": {"relation": relation, "actor": g.name(actor), "target": g.name(within) if within else None},
            "results": rows}


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


def _units(g: StakeholderGraph, actor: str) -> list[str]:
    """The actor and its units (IRC and IRC Serbia): a partner of a unit works with the whole."""
    return [actor, *sorted(u for u in g.descendants(actor) if g.kind(u) == "actor")]


def _in_country(g: StakeholderGraph, actor: str, place: str | None) -> bool:
    """True when no place is asked, or the actor is located in it (or in a place inside it)."""
    if place is None:
        return True
    inside = {place, *g.descendants(place)}
    return any(p in inside or place in dict(g.ancestors(p)) for p, _ in g.out_edges(actor, "located_in"))


def partners_of(g: StakeholderGraph, name: str, country: str | None = None, as_of=None) -> dict:
    """The partners of an actor (and of its units): organisations it partners with, and the
    co-leads and partners of the projects it leads or partners in; only those located in
    `country` (or a place inside it) when given. Each with how they work together, basis,
    evidence and sources.

    >>> [r["partner"]["name"] for r in partners_of(g, "IRC", "Albania")["results"]]
    ['Vatra']
    """
    actor = g.resolve(name, ("actor",), "actor")
    place = g.resolve(country, ("place",), "place") if country else None
    q = question(g, place=place, as_of=as_of)
    units = _units(g, actor)
    found: dict[str, dict] = {}

    def add(partner: str, how: str, evidence: list[dict]) -> None:
        if partner in units or not _in_country(g, partner, place):
            return
        row = found.setdefault(partner, {"how": [], "evidence": []})
        if how not in row["how"]:
            row["how"].append(how)
        row["evidence"] += evidence

    for unit in units:
        through = "" if unit == actor else f" (through {g.name(unit)})"
        for other, attrs in [*g.out_edges(unit, "partners_with"), *g.in_edges(unit, "partners_with")]:
            add(other, (attrs.get("note") or "partners with") + through, [edge_evidence(g, unit, other, attrs)])
        for etype in ("leads", "partner_in"):
            for project, link in g.out_edges(unit, etype):
                label = g.node(project).get("short_name") or g.name(project)
                for other_type in ("leads", "partner_in"):
                    for other, attrs in g.in_edges(project, other_type):
                        role = attrs.get("role") or ("lead" if other_type == "leads" else "partner")
                        add(other, f"{role} in {label}{through}",
                            [edge_evidence(g, unit, project, link), edge_evidence(g, other, project, attrs)])
    rows = []
    for partner in sorted(found, key=g.name):
        evidence = found[partner]["evidence"]
        home = g.country_of(partner)
        basis = basis_of(g, [], evidence)
        rows.append({
            "partner": {**named(g, partner), "sector": g.node(partner).get("sector")},
            "country": named(g, home) if home else None,
            "how": found[partner]["how"],
            **basis,
            "evidence": evidence,
            "sources": cited(g, [partner], evidence),
        })
    query = {"actor": g.name(actor), "place": g.name(place) if place else None, "as_of": q.as_of.isoformat()}
    if place:
        query["terms"] = {"place": place_term(g, place)}
    return {"query": query, "actor": named(g, actor), "results": rows}


def assessments_of(g: StakeholderGraph, subject: str | None = None, instrument: str | None = None) -> dict:
    """Assessments of a place or actor (all of them without one), side by side when sources
    disagree, newest year first; `instrument` keeps those whose instrument or assessor names
    it ('TIP', 'GRETA'). `monitoring` lists the monitors relations of the assessors asked
    about (GRETA monitors Serbia) where no assessment by them is recorded.

    >>> [(r["year"], r["value"]) for r in assessments_of(g, "Serbia", "TIP")["results"]][:2]
    [(2024, 'Tier 2 Watch List'), (2024, 'Tier 2')]
    """
    target = g.resolve(subject, ("place", "actor"), "place or actor") if subject else None
    key = fold(instrument) if instrument else None

    def names_it(a: str) -> bool:
        attrs = g.node(a)
        if key is None:
            return True
        texts = [attrs.get("instrument", "")] + [
            label for assessor, _ in g.out_edges(a, "assessed_by")
            for label in [g.name(assessor), *g.node(assessor).get("aliases", [])]]
        return any(f" {key} " in f" {fold(t)} " for t in texts)

    rows = []
    for a in sorted(g.ids_of("assessment")):
        subjects = [s for s, _ in g.out_edges(a, "assesses")]
        if target and target not in subjects or not names_it(a):
            continue
        attrs = g.node(a)
        evidence = [edge_evidence(g, a, s, g.edge(a, s, "assesses")) for s in subjects]
        rows.append({
            "id": a, "name": g.name(a), "subjects": [named(g, s) for s in subjects],
            "instrument": attrs.get("instrument"), "year": attrs.get("year"), "value": attrs.get("value"),
            "assessors": [named(g, x) for x, _ in g.out_edges(a, "assessed_by")],
            "description": attrs.get("description"), "data_quality": list(attrs.get("data_quality", [])),
            "evidence": evidence, "sources": cited(g, [a], evidence),
        })
    rows.sort(key=lambda r: (r["year"] is None, -(r["year"] or 0), r["name"]))
    monitoring = []
    if key and not rows:
        for actor in g.ids_of("actor"):
            labels = [g.name(actor), *g.node(actor).get("aliases", [])]
            if any(fold(label) == key for label in labels):
                for v, attrs in g.out_edges(actor, "monitors"):
                    if target is None or v == target:
                        evidence = [edge_evidence(g, actor, v, attrs)]
                        monitoring.append({"actor": named(g, actor), "target": named(g, v), "note": attrs.get("note"),
                                           "evidence": evidence, "sources": cited(g, [actor], evidence)})
    return {
        "query": {"subject": g.name(target) if target else None, "instrument": instrument},
        "results": rows,
        "monitoring": monitoring,
    }
