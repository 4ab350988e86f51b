"""Where the data records no provider for a need, and where it records a single one (if that
one stops, none is left). A gap here is a gap in the data until a source says otherwise: each
row says so, with the date of the newest source for the place."""
from __future__ import annotations

from stakeholder_graph.graph.errors import QueryError
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.queries.matching import AVAILABLE, FRESHNESS_MONTHS, place_term, question
from stakeholder_graph.queries.who import newest_source_text, who_handles

NO_PROVIDER = "no provider recorded"
ORDER = {NO_PROVIDER: 0, "single provider": 1, "covered": 2}


def coverage_gaps(
    g: StakeholderGraph, service=None, population=None, country=None, as_of=None,
    include_covered: bool = False, freshness_months: int = FRESHNESS_MONTHS, stated_only: bool = False,
) -> dict:
    """For every municipality the graph knows (in `country`, if given): the providers of an
    available service (not ended: active, unconfirmed or undated) of type `service` for
    `population`.

    Rows with status "no provider recorded", "single provider", or, with include_covered,
    "covered", each with the newest source for the place. Ended services are listed
    separately: they no longer count. Unconfirmed services count as available; services for
    only a part of the group (a shelter for women and girls, asked about children) are listed
    as `partly` and do not count.

    >>> result = coverage_gaps(g, "shelter", "children", "Serbia", as_of="2026-11-28")
    >>> first = result["results"][0]
    >>> first["place"]["name"], first["status"]
    ('Ada', 'no provider recorded')
    """
    q = question(g, population, country, service, None, as_of, freshness_months, stated_only)
    if q.place is not None and g.node(q.place).get("level") not in ("country", "region", "district"):
        raise QueryError(f"{g.name(q.place)!r} is a {g.node(q.place).get('level')}, not a country")
    municipalities = [
        p for p in g.ids_of("place")
        if g.node(p).get("level") == "municipality"
        and (q.place is None or q.place in dict(g.ancestors(p)))
    ]
    rows = []
    for m in sorted(municipalities, key=g.name):
        answers = who_handles(g, population=q.population, place=m, service=q.service_type, as_of=q.as_of,
                              freshness_months=freshness_months, stated_only=stated_only)["results"]
        # a service covering only a part of the municipality does not cover all of it
        answers = [r for r in answers if r["service"] and r["coverage"]["relation"] != "inside"]
        available = [r for r in answers if r["status"] in AVAILABLE]
        # a service for only a part of the group (girls, of children) does not fill the gap
        partly = [r for r in available if r["eligibility"]["match"] == "narrower"]
        available = [r for r in available if r["eligibility"]["match"] != "narrower"]
        providers = sorted({r["actor"]["name"] for r in available})
        status = NO_PROVIDER if not providers else "single provider" if len(providers) == 1 else "covered"
        if status == "covered" and not include_covered:
            continue
        rows.append({
            "place": {"id": m, "name": g.name(m), "where": g.describe_place(m), "term": place_term(g, m)},
            "status": status,
            "providers": providers,
            "services": sorted({r["service"]["name"] for r in available}),
            "partly": [{"actor": r["actor"]["name"], "service": r["service"]["name"], "eligibility": r["eligibility"]}
                       for r in partly],
            "ended": sorted({r["service"]["name"] for r in answers if r["status"] not in AVAILABLE}),
            "inferred": sorted({r["actor"]["name"] for r in available if r["basis"] == "inferred"}),
            # no provider's source names the group asked about: it serves a broader one
            "not_stated_for_population": bool(q.population) and bool(available) and all(
                r["eligibility"]["match"] == "general" for r in available),
            "newest_source": newest_source_text(g, m),  # on providers there, or above or inside
            "sources": _union_sources(available),
        })
    rows.sort(key=lambda r: (ORDER[r["status"]], r["place"]["name"]))
    return {"query": q.as_dict(g), "results": rows}


def _union_sources(answers: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for r in answers:
        for s in r["sources"]:
            seen.setdefault(s["id"], s)
    return list(seen.values())
