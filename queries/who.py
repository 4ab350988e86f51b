"""Who handles a case: services (and their providers) that serve a population in a place.

Answers are never stronger than their sources. Each row says its basis (stated by its sources,
or inferred by a declared rule), its eligibility (explicit: the source names the group asked
about; general: a broader group, this one not stated) and its status with the date it was last
confirmed. Rows are ranked: not ended; for a question about a form of exploitation, services
that state the form first; stated before inferred; explicit before general; most local
coverage; confirmed before unconfirmed; most specific service type; then the earlier step of
the referral pathway.
"""
from __future__ import annotations

from stakeholder_graph.graph.model import StakeholderGraph, gc_paused, per_graph
from stakeholder_graph.queries.matching import (
    ANYWHERE,
    AVAILABLE,
    FRESHNESS_MONTHS,
    LOCAL_LEVELS,
    REFERRAL_STEPS,
    STATUS_RANK,
    Scope,
    actor_view,
    age_fits,
    ages_text,
    basis_of,
    bound_elsewhere,
    cited,
    edge_evidence,
    last_confirmed,
    period,
    question,
    service_view,
    source_date,
    status,
)

CONTACT_FIRST = 5  # actors in the short answer
STEP_ORDER = {step: i for i, step in enumerate(REFERRAL_STEPS)}  # ties: earlier on the pathway first
ELIGIBILITY_RANK = {"any": 0, "explicit": 0, "general": 1, "narrower": 2}
PROVIDER_EDGES = {"service": ("offers",), "project": ("leads", "partner_in")}  # the actors of a row


def _coverage(g, scope: Scope, node: str):
    """Best (rank, coverage, covered place, the covers relation) among the places a service
    or project covers: the most local, then by name (the first such relation)."""
    found = []
    for covered, attrs in g.out_edges(node, "covers"):
        m = scope.place_match(covered)
        if m is not None:
            found.append((m[0], m[1], covered, attrs))
    if len(found) == 1:
        return found[0]
    return min(found, key=lambda f: (f[0], f[1]["place"]["name"], f[2])) if found else None


def _population(g, scope: Scope, node: str, edge_type: str):
    """Best (rank, eligibility, served population, the relation): the group asked about, then
    the nearest broader one, narrower ones last (the first such relation)."""
    found = []
    for served, attrs in g.out_edges(node, edge_type):
        m = scope.population_match(served)
        if m is not None:
            found.append((m[0], m[1], served, attrs))
    if len(found) == 1:
        return found[0]
    return min(found, key=lambda f: (f[0], f[2])) if found else None


def _match_evidence(g, scope: Scope, node: str, cover: tuple, served: tuple) -> list[dict]:
    """The covers/serves relations that matched, with the hierarchy steps that make them match."""
    evidence = []
    covered = cover[2]
    if covered is not None:
        evidence.append(edge_evidence(g, node, covered, cover[3]))
        if covered in scope.place_up:
            evidence += scope.chain(scope.place, covered)
        elif covered in scope.place_down:
            evidence += scope.chain(covered, scope.place)
    if served[2] is not None:
        evidence.append(edge_evidence(g, node, served[2], served[3]))
        evidence += scope.population_evidence(served[2])
    return evidence


@per_graph
@gc_paused
def _reaching_by_home(g: StakeholderGraph, kind: str, population_edge: str) -> dict:
    """{(place, group): {home: records}}: StakeholderGraph.reaching, split by the country
    whose questions a record's providers may answer (bound_elsewhere): a local, district or
    national actor's own country, or "" for a record with a provider bound to none (a regional
    or international actor, one with no place) or with no provider. Built once per graph: a
    country-wide service of another country's actor costs a question nothing."""
    homes: dict[str, tuple[str, ...]] = {}
    shared: dict[tuple, tuple] = {}  # one tuple per set of homes: a large graph has few
    for n in g.ids_of(kind):
        providers = [a for a, link in g.in_edges(n) if link["type"] in PROVIDER_EDGES[kind]]
        found = {g.country_of(a) if g.node(a).get("level") in LOCAL_LEVELS else None for a in providers}
        home = ("",) if not found or None in found else tuple(sorted(found))
        homes[n] = shared.setdefault(home, home)
    index: dict[tuple[str, str], dict[str, list[str]]] = {}
    for place_group, records in g.reaching(kind, population_edge).items():
        split = index[place_group] = {}
        for n in records:
            for home in homes[n]:
                split.setdefault(home, []).append(n)
    return index


def _candidates(g: StakeholderGraph, scope: Scope, kind: str, population_edge: str) -> list[str]:
    """The records of `kind` that may answer: those covering a place of the scope and, when a
    group is asked about, reaching one `_match` takes (the group, broader or narrower ones)
    through a provider who may answer in the scope's country: looked up, so the cost grows
    with the answer, not the graph."""
    if scope.place is None:
        return sorted(g.ids_of(kind))
    if scope.population is None:
        return sorted({u for p in scope.places() for u, _ in g.in_edges(p, "covers") if g.kind(u) == kind})
    index = _reaching_by_home(g, kind, population_edge)
    groups = [*scope.population_up, *scope.population_down]
    found: set[str] = set()
    for p in scope.places():
        for group in groups:
            by_home = index.get((p, group))
            if by_home:
                for home in (("", scope.country) if scope.country else by_home):
                    found.update(by_home.get(home, ()))
    return sorted(found)


def excluded_by(g: StakeholderGraph, q, node: str) -> dict | None:
    """Why a service's stated ages or genders leave out the person asked about, or None:
    {"reason": "age" | "gender", "stated": "16 and over" | ["female"]}."""
    a = g.node(node)
    if q.age is not None and not age_fits(a, q.age):
        return {"reason": "age", "stated": ages_text(a), "min_age": a.get("min_age"), "max_age": a.get("max_age")}
    asked = set(g.node(q.population).get("genders", [])) if q.population else set()
    stated = set(a.get("genders", [])) - {"any"}
    if asked and stated and not asked & stated:
        return {"reason": "gender", "stated": sorted(stated)}
    return None


def _match(g: StakeholderGraph, scope: Scope, q, node: str, population_edge: str) -> dict | None:
    """How a service or project answers the question, or None when it does not."""
    served = (_population(g, scope, node, population_edge) if q.population
              else (0, {"match": "any", "population": None}, None, None))
    if served is None:  # the cheaper test first: most candidates serve someone else
        return None
    cover = _coverage(g, scope, node) if q.place else (0, ANYWHERE, None, None)
    if cover is None:
        return None
    forms = [f for f, _ in g.out_edges(node, "addresses")]
    if q.form and forms and q.form not in forms:
        return None
    evidence = _match_evidence(g, scope, node, cover, served)
    if q.form and q.form in forms:
        evidence.append(edge_evidence(g, node, q.form, g.edge(node, q.form, "addresses")))
    start, end = period(g, node)
    return {
        "cover": cover, "served": served, "form_rank": 0 if not q.form or q.form in forms else 1,
        "evidence": evidence, "status": status(g, node, q.as_of, q.freshness_months),
        "confirmed": last_confirmed(g, node), "start": start, "end": end,
    }


def _answer(g: StakeholderGraph, q, actor: str, link: dict, node: str, m: dict,
            service: str | None, project: str | None) -> dict:
    """One result row: an actor linked (offers, leads, partner_in) to a matching node."""
    evidence = [edge_evidence(g, actor, node, link), *m["evidence"]]
    state = m["status"]
    basis = basis_of(g, [node], evidence)
    eligibility = m["served"][1]
    types = g.node(service).get("types", []) if service else []
    return {
        "actor": actor_view(g, actor),
        "service": service_view(g, service) if service else None,
        "project": {"id": project, "name": g.name(project)} if project else None,
        "coverage": m["cover"][1],
        "eligibility": eligibility,
        **({"form_match": "stated" if m["form_rank"] == 0 else "not stated"} if q.form else {}),
        "basis": basis["basis"],
        "rules": basis["rules"],
        "status": state,
        "confirmed": m["confirmed"],
        "period": {"start": m["start"], "end": m["end"]},
        "evidence": evidence,
        "sources": cited(g, [node, actor], evidence),
        "_rank": (
            state not in AVAILABLE,
            m["form_rank"],  # asked about a form: services that state it first
            basis["basis"] == "inferred",
            ELIGIBILITY_RANK[eligibility["match"]],
            m["cover"][0],
            state != "active",
            m["served"][0],
            len(types) if types else 99,  # a service of one type is more specific than one of many
            STEP_ORDER.get(g.node(service).get("referral_step"), len(STEP_ORDER)) if service else len(STEP_ORDER),
            STATUS_RANK[state],
        ),
    }


def contact_first_of(results: list[dict]) -> list[dict]:
    """The few actors to call first: the best-ranked available answers, one line per actor."""
    out: dict[str, dict] = {}
    for r in results:
        if r["status"] not in AVAILABLE:
            continue
        actor = r["actor"]["id"]
        if actor not in out:
            if len(out) == CONTACT_FIRST:
                break
            out[actor] = {"actor": r["actor"], "for": [], "basis": r["basis"], "eligibility": r["eligibility"],
                          "status": r["status"], "confirmed": r["confirmed"],
                          **({"form_match": r["form_match"]} if "form_match" in r else {})}
        what = (r["service"] or r["project"])["name"]
        if what not in out[actor]["for"]:
            out[actor]["for"].append(what)
    return list(out.values())


def group_by_actor(results: list[dict]) -> list[dict]:
    """Rows grouped by actor, in the order of each actor's best row; `rows` are indexes into
    the results."""
    groups: dict[str, dict] = {}
    for i, r in enumerate(results):
        groups.setdefault(r["actor"]["id"], {"actor": r["actor"], "rows": []})["rows"].append(i)
    return list(groups.values())


def _place_notes(g: StakeholderGraph, q, results: list[dict]) -> list[dict]:
    """{"code": "no_local_provider", "place", "newest_source"} where nothing available covers
    the place itself or inside it (the answers are for the wider area)."""
    if q.place is None or g.node(q.place).get("level") in ("country", "region"):
        return []
    local = [r for r in results if r["status"] in AVAILABLE and r["coverage"]["relation"] in ("same", "inside")]
    if local:
        return []
    return [{"code": "no_local_provider", "place": g.name(q.place), "newest_source": newest_source_text(g, q.place)}]


def _left_out_notes(q, left_out: list[dict]) -> list[dict]:
    """{"code": "left_out", "reason": "age" | "gender", "age", "services": [...]}: services
    that would answer but whose stated ages or genders exclude the person asked about."""
    notes = []
    for reason in ("age", "gender"):
        items = [x for x in left_out if x["reason"] == reason]
        if items:
            notes.append({"code": "left_out", "reason": reason, "age": q.age,
                          "services": sorted(items, key=lambda x: x["service"])})
    return notes


def newest_source_text(g: StakeholderGraph, place: str) -> str:
    """How recent the data's knowledge of providers for a place is: the date of the newest dated
    source cited by a service or project covering the place, a place above it or inside it
    (ended ones too), or 'undated'."""
    places = [p for p, _ in g.ancestors(place)] + sorted(g.descendants(place))
    dated = [d for p in places if (d := _newest_covering(g, p))]
    return max(dated)[1] if dated else "undated"


@per_graph
def _newest_covering(g: StakeholderGraph, place: str) -> tuple | None:
    """(date, text) of the newest dated source of the records covering one place and of their
    covers relations, or None; once per place and graph (a country's services are many)."""
    cited_there = {sid for node, attrs in g.in_edges(place, "covers")
                   for sid in [*g.node(node).get("sources", []), *attrs.get("sources", [])]}
    return max((d for sid in cited_there if (d := source_date(g, sid))), default=None)


def who_handles(
    g: StakeholderGraph, population=None, place=None, service=None, form=None, as_of=None,
    freshness_months: int = FRESHNESS_MONTHS, stated_only: bool = False, age: int | None = None,
    active: bool = False,
) -> dict:
    """Services serving `population` in `place` (hierarchically), with their providers, and the
    actors of projects working there for that population, ranked (see the module's docstring).

    Each result: actor, service (or None for a project-only answer), project, coverage
    ({"level", "place": {"id", "name"}, "relation": "same", "contains", "inside" or
    "anywhere"}), eligibility ({"match": explicit, general, narrower or any, "population"}),
    basis (stated or inferred) and rules, status at `as_of` (active, unconfirmed, unknown,
    ended, planned) with the date last confirmed, period, evidence and sources. `contact_first`
    lists the few actors to call first; `by_actor` groups the rows; `notes` ({"code", ...}) say
    where no local provider is recorded and which services a stated age or gender leaves out
    (`age`: the person's age in years). With `stated_only`, inferred answers are left out. Raises
    NameNotFound for an unknown population, place, service type or form. With `active`, ended
    and planned answers are left out (before the contact list and the groups are made).

    >>> result = who_handles(g, population="children", place="Niš", as_of="2026-11-28")
    >>> first = result["results"][0]
    >>> first["actor"]["name"], first["basis"], first["eligibility"]["match"]
    ('Centre for Protection of Victims of Trafficking in Human Beings', 'stated', 'general')
    """
    q = question(g, population, place, service, form, as_of, freshness_months, stated_only, age)
    scope = Scope(g, q.place, q.population)
    results, left_out = [], []
    for s in _candidates(g, scope, "service", "serves"):
        if q.service_type and q.service_type not in g.node(s).get("types", []):
            continue
        m = _match(g, scope, q, s, "serves")
        if m is None:
            continue
        excluded = excluded_by(g, q, s)
        if excluded:
            left_out.append({"service": g.name(s), "id": s, **excluded})
            continue
        projects = [p for p, _ in g.out_edges(s, "part_of") if g.kind(p) == "project"]
        m["evidence"] += [edge_evidence(g, s, p, g.edge(s, p, "part_of")) for p in projects]
        for actor, offer in g.in_edges(s, "offers"):
            if not bound_elsewhere(g, actor, scope.country):
                results.append(_answer(g, q, actor, offer, s, m, s, projects[0] if projects else None))
    if not q.service_type:  # projects answer only questions about people and places
        seen = {(r["actor"]["id"], (r["project"] or {}).get("id")) for r in results}
        for p in _candidates(g, scope, "project", "targets"):
            m = _match(g, scope, q, p, "targets")
            if m is None:
                continue
            for etype in PROVIDER_EDGES["project"]:
                for actor, link in g.in_edges(p, etype):
                    if (actor, p) not in seen and not bound_elsewhere(g, actor, scope.country):
                        seen.add((actor, p))
                        results.append(_answer(g, q, actor, link, p, m, None, p))
    if q.stated_only:
        results = [r for r in results if r["basis"] == "stated"]
    if active:
        results = [r for r in results if r["status"] in AVAILABLE]
    results.sort(key=lambda r: (r["_rank"], r["actor"]["name"], (r["service"] or {}).get("name", "")))
    for r in results:
        del r["_rank"]
    return {
        "query": q.as_dict(g),
        "contact_first": contact_first_of(results),
        "notes": _place_notes(g, q, results) + _left_out_notes(q, left_out),
        "results": results,
        "by_actor": group_by_actor(results),
    }
