"""Profiles: everything the graph says about one actor or one project, cited."""
from __future__ import annotations

from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.queries.matching import (
    FRESHNESS_MONTHS,
    edge_evidence,
    last_confirmed,
    period,
    question,
    status,
)


def _named(g: StakeholderGraph, node_id: str, **extra) -> dict:
    view = {"id": node_id, "name": g.name(node_id)}
    view.update({k: v for k, v in extra.items() if v not in (None, [], "")})
    return view


def _country_name(g: StakeholderGraph, actor: str) -> str | None:
    country = g.country_of(actor)
    return g.name(country) if country else None


def _basis(attrs: dict) -> dict:
    """basis (and rule, when inferred) of a record or relation, for a profile row."""
    if attrs.get("basis") != "inferred":
        return {"basis": "stated"}
    return {"basis": "inferred", "rule": attrs.get("rule")}


def actor_profile(g: StakeholderGraph, name: str, as_of=None, freshness_months: int = FRESHNESS_MONTHS) -> dict:
    """What an actor offers, where and to whom; its partners, memberships, projects, funders,
    referrals and the assessments about it, each with evidence and sources.

    >>> profile = actor_profile(g, "Atina", as_of="2026-11-28")
    >>> profile["actor"]["sector"], profile["offers"][0]["name"]
    ('ngo', 'Atina Temporary House (safe housing)')
    """
    actor = g.resolve(name, ("actor",), "actor")
    q = question(g, as_of=as_of, freshness_months=freshness_months)
    a = g.node(actor)
    evidence: list[dict] = []

    def rel(u, v, attrs):
        evidence.append(edge_evidence(g, u, v, attrs))

    services = []
    for s, attrs in g.out_edges(actor, "offers"):
        rel(actor, s, attrs)
        start, end = period(g, s)
        services.append(_named(
            g, s, types=g.node(s).get("types", []), referral_step=g.node(s).get("referral_step"),
            places=[g.name(p) + (" (inferred)" if a.get("basis") == "inferred" else "")
                    for p, a in g.out_edges(s, "covers")],
            populations=[g.name(p) for p, _ in g.out_edges(s, "serves")],
            status=status(g, s, q.as_of, q.freshness_months), confirmed=last_confirmed(g, s),
            start=start, end=end, **_basis(attrs if attrs.get("basis") == "inferred" else g.node(s)),
        ))
    partners = {}
    for etype in ("partners_with",):
        for other, attrs in [*g.out_edges(actor, etype), *g.in_edges(actor, etype)]:
            partners.setdefault(other, []).append(attrs.get("note") or "partners with")
            rel(actor, other, attrs)
    projects = []
    for etype, role in (("leads", "lead"), ("partner_in", "partner")):
        for p, attrs in g.out_edges(actor, etype):
            rel(actor, p, attrs)
            projects.append(_named(g, p, role=attrs.get("role") or role,
                                   status=status(g, p, q.as_of, q.freshness_months),
                                   start=g.node(p).get("start"), end=g.node(p).get("end"), **_basis(attrs)))
            for etype2 in ("leads", "partner_in"):
                for other, _ in g.in_edges(p, etype2):
                    if other != actor:
                        partners.setdefault(other, []).append(f"co-{'lead' if etype2 == 'leads' else 'partner'} in {g.node(p).get('short_name') or g.name(p)}")
    funders = []
    for funder, attrs in g.in_edges(actor, "funds"):
        rel(funder, actor, attrs)
        funders.append(_named(g, funder))
    for p in projects:
        for funder, attrs in g.in_edges(p["id"], "funds"):
            rel(funder, p["id"], attrs)
            funders.append(_named(g, funder, project=p["name"]))
    assessments = []
    for assessment, attrs in g.in_edges(actor, "assesses"):
        rel(assessment, actor, attrs)
        b = g.node(assessment)
        assessments.append(_named(g, assessment, value=b.get("value"), year=b.get("year"), instrument=b.get("instrument")))

    def linked(etype, direction):
        edges = g.out_edges(actor, etype) if direction == "out" else g.in_edges(actor, etype)
        out = []
        for other, attrs in edges:
            rel(*((actor, other) if direction == "out" else (other, actor)), attrs)
            out.append(_named(g, other, note=attrs.get("note"), start=attrs.get("start"), end=attrs.get("end"),
                              **_basis(attrs)))
        return out

    profile = {
        "actor": _named(g, actor, sector=a.get("sector"), type=a.get("type"), level=a.get("level"),
                        country=_country_name(g, actor), roles=a.get("roles", []),
                        start=a.get("start"), end=a.get("end"), channels=a.get("channels"),
                        description=a.get("description"), **_basis(a)),
        "located_in": linked("located_in", "out"),
        "part_of": linked("part_of", "out"),
        "units": linked("part_of", "in"),
        "member_of": linked("member_of", "out"),
        "members": linked("member_of", "in"),
        "offers": services,
        "projects": projects,
        "partners": [_named(g, p, sector=g.node(p).get("sector"), country=_country_name(g, p), how=sorted(set(how)))
                     for p, how in sorted(partners.items(), key=lambda i: g.name(i[0]))],
        "funders": funders,
        "refers_to": linked("refers_to", "out"),
        "referred_from": linked("refers_to", "in"),
        "oversees": linked("oversees", "out"),
        "overseen_by": linked("oversees", "in"),
        "monitors": linked("monitors", "out"),
        "monitored_by": linked("monitors", "in"),
        "assessments": assessments,
        "data_quality": list(a.get("data_quality", [])),
        "as_of": q.as_of.isoformat(),
    }
    profile["evidence"] = evidence
    profile["sources"] = g.sources_of(a, *[{"sources": e["sources"]} for e in evidence])
    return profile


def project_profile(g: StakeholderGraph, name: str, as_of=None, freshness_months: int = FRESHNESS_MONTHS) -> dict:
    """A project's lead, partners and their countries, places, target groups, objectives,
    figures (achieved and targets apart), publications, services, dates and status.

    >>> profile = project_profile(g, "From Harm to Safety", as_of="2026-11-28")
    >>> profile["project"]["status"], profile["achieved"][0]["value"], profile["achieved"][0]["name"]
    ('ended', 168, 'victims of trafficking who received comprehensive care')
    """
    project = g.resolve(name, ("project",), "project")
    q = question(g, as_of=as_of, freshness_months=freshness_months)
    p = g.node(project)
    evidence: list[dict] = []

    def collect(etype, direction, **fields_of):
        edges = g.out_edges(project, etype) if direction == "out" else g.in_edges(project, etype)
        out = []
        for other, attrs in edges:
            evidence.append(edge_evidence(g, *((project, other) if direction == "out" else (other, project)), attrs))
            extra = {k: f(other, attrs) for k, f in fields_of.items()}
            out.append(_named(g, other, **extra))
        return out

    indicators = collect(
        "reports", "out",
        value=lambda i, _: g.node(i).get("value"), unit=lambda i, _: g.node(i).get("unit"),
        type=lambda i, _: g.node(i).get("type"), statement=lambda i, _: g.node(i).get("statement"),
        group=lambda i, _: g.node(i).get("group"),
        data_quality=lambda i, _: g.node(i).get("data_quality", []),
        sources=lambda i, _: g.node(i).get("sources", []),
    )
    start, end = period(g, project)
    profile = {
        "project": _named(g, project, short_name=p.get("short_name"), start=start, end=end,
                          duration=p.get("duration"), status=status(g, project, q.as_of, q.freshness_months),
                          description=p.get("description"), note=p.get("note")),
        "lead": collect("leads", "in", country=lambda a, _: _country_name(g, a), sector=lambda a, _: g.node(a).get("sector"),
                        basis=lambda _, attrs: attrs.get("basis"), rule=lambda _, attrs: attrs.get("rule")),
        "partners": collect("partner_in", "in", country=lambda a, _: _country_name(g, a),
                            sector=lambda a, _: g.node(a).get("sector"), role=lambda _, attrs: attrs.get("role")),
        "funders": collect("funds", "in"),
        "places": collect("covers", "out", level=lambda pl, _: g.node(pl).get("level")),
        "target_groups": collect("targets", "out"),
        "objectives": list(p.get("objectives", [])),
        "achieved": [i for i in indicators if i.get("type") == "achieved"],
        "targets": [i for i in indicators if i.get("type") == "target"],
        "publications": collect("produced", "out", type=lambda x, _: g.node(x).get("type")),
        "contributed_to": collect("contributed_to", "out"),
        "services": [
            _named(g, s, types=g.node(s).get("types", []), status=status(g, s, q.as_of, q.freshness_months),
                   providers=[g.name(a) for a, _ in g.in_edges(s, "offers")], **_basis(g.node(s)))
            for s, _ in g.in_edges(project, "part_of") if g.kind(s) == "service"
        ],
        # the project's own doubts, then those about its figures, each named
        "data_quality": [*p.get("data_quality", []), *(
            f"{g.name(i['id'])}: {note}" for i in indicators for note in i.get("data_quality", [])
        )],
        "as_of": q.as_of.isoformat(),
    }
    profile["evidence"] = evidence
    profile["sources"] = g.sources_of(p, *[{"sources": e["sources"]} for e in evidence])
    return profile
