"""The referral pathway for a population in a place: ordered steps, who is there at each,
how they refer on, and the gaps; and where one actor refers a person on."""
from __future__ import annotations

from stakeholder_graph.graph.errors import QueryError
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.queries.matching import (
    AVAILABLE,
    FRESHNESS_MONTHS,
    REFERRAL_STEPS,
    Scope,
    bound_elsewhere,
    cited,
    edge_evidence,
    named,
    question,
)
from stakeholder_graph.queries.who import newest_source_text, who_handles

ALONGSIDE = ("criminal_justice",)  # runs next to the others rather than after them


def _applies(g: StakeholderGraph, attrs: dict, scope: Scope) -> bool:
    """A referral with no populations applies to everyone; else one must match the question."""
    pops = attrs.get("populations") or []
    return not pops or any(scope.population_match(p) is not None for p in pops)


def _referrals(g: StakeholderGraph, scope: Scope, node_ids: set[str], stated_only: bool) -> dict[str, list[dict]]:
    """refers_to edges leaving each actor or service, for the question's population (each with
    its basis: a referral no source states is marked inferred, or left out with stated_only)."""
    out: dict[str, list[dict]] = {}
    for n in node_ids:
        for target, attrs in g.out_edges(n, "refers_to"):
            if _applies(g, attrs, scope) and not (stated_only and attrs.get("basis") == "inferred"):
                out.setdefault(n, []).append(edge_evidence(g, n, target, attrs))
    return out


def referral_pathway(g: StakeholderGraph, population=None, place=None, as_of=None,
                     freshness_months: int = FRESHNESS_MONTHS, stated_only: bool = False,
                     age: int | None = None) -> dict:
    """Steps in order (first contact ... reintegration or return; criminal justice alongside),
    each with the actors and services available for the population in the place, their
    onward referrals, the ended ones for the record, and a plain gap when nobody is there
    (`gap_detail`: for whom and where, the newest source on providers there, and how many
    inferred answers --stated-only hid). `notes` name the services a stated `age` or the
    group's gender leaves out.

    >>> result = referral_pathway(g, "unaccompanied children", "Subotica", as_of="2026-11-28")
    >>> [step["step"] for step in result["steps"]][:3]
    ['first_contact', 'identification', 'assessment_and_plan']
    """
    q = question(g, population, place, None, None, as_of, freshness_months, stated_only, age)
    scope = Scope(g, q.place, q.population)
    found = who_handles(g, population=q.population, place=q.place, as_of=q.as_of,
                        freshness_months=freshness_months, age=q.age)
    answers = found["results"]
    hidden: dict[str, int] = {}
    if stated_only:  # count per step what the flag leaves out, so a gap says so
        for r in answers:
            if r["basis"] == "inferred" and r["service"] and r["status"] in AVAILABLE:
                step = r["service"]["referral_step"]
                hidden[step] = hidden.get(step, 0) + 1
        answers = [r for r in answers if r["basis"] == "stated"]
    involved = {r["actor"]["id"] for r in answers} | {r["service"]["id"] for r in answers if r["service"]}
    referrals = _referrals(g, scope, involved, stated_only)
    newest = newest_source_text(g, q.place) if q.place else "undated"
    steps = []
    for number, step in enumerate(REFERRAL_STEPS, 1):
        here = [r for r in answers if r["service"] and r["service"]["referral_step"] == step]
        available = [r for r in here if r["status"] in AVAILABLE]
        for r in here:
            r["refers_to"] = referrals.get(r["actor"]["id"], []) + referrals.get(r["service"]["id"], [])
        steps.append({
            "number": number,
            "step": step,
            "alongside": step in ALONGSIDE,
            "available": available,
            "ended": [r for r in here if r["status"] not in AVAILABLE],
            "gap": not available,
            # what a gap means: no provider recorded (which is not nobody there), how old the
            # data's knowledge is, and what --stated-only hid
            "gap_detail": {
                "population": q.as_dict(g)["population"], "place": g.name(q.place) if q.place else None,
                "newest_source": newest, "hidden_inferred": hidden.get(step, 0),
            } if not available else None,
        })
    notes = [n for n in found["notes"] if n["code"] == "left_out"]
    return {"query": q.as_dict(g), "steps": steps, "notes": notes}


def referral_rows(g: StakeholderGraph, scope: Scope, edges, direction: str, stated_only: bool) -> list[dict]:
    """refers_to edges (u, v, attrs) that apply to the question's population, as rows naming
    the actor at the `direction` end ("out": v, "in": u) as "other", with basis, eligibility,
    evidence and sources. With stated_only, inferred referrals are left out."""
    rows = []
    for u, v, attrs in edges:
        if stated_only and attrs.get("basis") == "inferred":
            continue
        matches = [m for p in attrs.get("populations") or [] if (m := scope.population_match(p))]
        if attrs.get("populations") and not matches:
            continue
        eligibility = min(matches, key=lambda m: m[0])[1] if matches else {"match": "any", "population": None}
        evidence = [edge_evidence(g, u, v, attrs)]
        other = v if direction == "out" else u
        rows.append({
            "other": named(g, other), "basis": attrs.get("basis", "stated"), "rule": attrs.get("rule"),
            "eligibility": eligibility, "note": attrs.get("note"),
            "evidence": evidence, "sources": cited(g, [u], evidence),
        })
    return rows


def referral_from(g: StakeholderGraph, name: str, population=None, place=None, as_of=None,
                  freshness_months: int = FRESHNESS_MONTHS, stated_only: bool = False,
                  age: int | None = None) -> dict:
    """Where an actor (the police, a Centre for Social Work) refers a person on: its referrals
    that apply to the population (stated, or inferred by a declared rule), the steps of the
    referral pathway it works at, and who is there at the steps after its last one (up to the
    first step with someone available). QueryError when the actor works in another country
    than the place asked about.

    >>> result = referral_from(g, "police", "children", "Niš", as_of="2026-11-28")
    >>> [(r["to"]["name"], r["basis"]) for r in result["referrals"]]
    [('Centre for Protection of Victims of Trafficking in Human Beings', 'inferred')]
    >>> [s["step"] for s in result["next_steps"]]
    ['identification']
    """
    actor = g.resolve(name, ("actor",), "actor")
    pathway = referral_pathway(g, population, place, as_of, freshness_months, stated_only, age)
    q = question(g, population, place, None, None, as_of, freshness_months, stated_only, age)
    scope = Scope(g, q.place, q.population)
    if bound_elsewhere(g, actor, scope.country):
        raise QueryError(f"{g.name(actor)}: based in {g.name(g.country_of(actor))}, not in "
                         f"{g.describe_place(q.place)}; the data holds no referrals of it there")
    referrals = [
        {**{k: v for k, v in row.items() if k != "other"}, "to": row["other"]}
        for node in [actor, *(s for s, _ in g.out_edges(actor, "offers"))]
        for row in referral_rows(g, scope, [(node, target, attrs) for target, attrs in g.out_edges(node, "refers_to")],
                                 "out", stated_only)
    ]
    own = [s for s in pathway["steps"] if any(r["actor"]["id"] == actor for r in s["available"])]
    next_steps = []
    if own:
        last = max(s["number"] for s in own if not s["alongside"]) if any(not s["alongside"] for s in own) else None
        for s in pathway["steps"]:
            if last is not None and s["number"] > last and not s["alongside"]:
                next_steps.append(s)
                if s["available"]:
                    break
    query = {**pathway["query"], "actor": g.name(actor)}
    return {"query": query, "actor": named(g, actor), "referrals": referrals,
            "own_steps": [s["step"] for s in own], "next_steps": next_steps, "notes": pathway["notes"]}


def referred_to(g: StakeholderGraph, name: str, population=None, place=None, as_of=None,
                stated_only: bool = False) -> dict:
    """Who refers people to an actor (or to its services): the referrals into it that apply
    to the population, each stated or inferred by a declared rule.

    >>> sorted(r["from"]["id"] for r in referred_to(g, "Centre for Protection of Victims", "children")["referrers"])
    ['anti-trafficking-police-teams', 'astra', 'atina', 'centres-for-social-work']
    """
    actor = g.resolve(name, ("actor",), "actor")
    q = question(g, population, place, None, None, as_of, stated_only=stated_only)
    scope = Scope(g, q.place, q.population)
    if bound_elsewhere(g, actor, scope.country):
        raise QueryError(f"{g.name(actor)}: based in {g.name(g.country_of(actor))}, not in "
                         f"{g.describe_place(q.place)}; the data holds no referrals to it there")
    referrers = [
        {**{k: v for k, v in row.items() if k != "other"}, "from": row["other"], "to": named(g, node)}
        for node in [actor, *(s for s, _ in g.out_edges(actor, "offers"))]
        for row in referral_rows(g, scope, [(source, node, attrs) for source, attrs in g.in_edges(node, "refers_to")],
                                 "in", stated_only)
        if not bound_elsewhere(g, row["other"]["id"], scope.country)
    ]
    referrers.sort(key=lambda r: (r["basis"] == "inferred", r["from"]["name"]))
    return {"query": {**q.as_dict(g), "actor": g.name(actor)}, "actor": named(g, actor), "referrers": referrers}
