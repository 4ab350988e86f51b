"""The referral pathway for a population in a place: ordered steps, who is there at each,
how they refer on, and the gaps."""
from __future__ import annotations

from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.queries.matching import (
    AVAILABLE,
    FRESHNESS_MONTHS,
    REFERRAL_STEPS,
    Scope,
    edge_evidence,
    question,
    step_label,
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
                     freshness_months: int = FRESHNESS_MONTHS, stated_only: bool = False) -> dict:
    """Steps in order (first contact ... reintegration or return; criminal justice alongside),
    each with the actors and services available for the population in the place, their
    onward referrals, the ended ones for the record, and a plain gap when nobody is there.

    >>> result = referral_pathway(g, "unaccompanied children", "Subotica", as_of="2026-11-28")
    >>> [step["step"] for step in result["steps"]][:3]
    ['first_contact', 'identification', 'assessment_and_plan']
    """
    q = question(g, population, place, None, None, as_of, freshness_months, stated_only)
    scope = Scope(g, q.place, q.population)
    answers = who_handles(g, population=q.population, place=q.place, as_of=q.as_of,
                          freshness_months=freshness_months)["results"]
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
            "label": step_label(step),
            "alongside": step in ALONGSIDE,
            "available": available,
            "ended": [r for r in here if r["status"] not in AVAILABLE],
            "gap": not available,
            "gap_note": (
                f"no provider recorded in the data for {step_label(step)} for "
                f"{q.as_dict(g)['population'] or 'anyone'} in {g.name(q.place) if q.place else 'any place'} "
                f"(newest source on providers there: {newest})"
                + (f"; {hidden[step]} inferred left out by stated-only" if hidden.get(step) else "")
                if not available else None
            ),
        })
    return {"query": q.as_dict(g), "steps": steps}
