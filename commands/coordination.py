"""Coordination commands: who, pathway, gaps, actor, project, metrics, ask."""
from __future__ import annotations

import textwrap

import click

from cli_common import State, UserError, cell_text, emit, format_option, render_table, resolving

AS_OF = click.option("--as-of", "as_of", metavar="DATE",
                     help="Status of services and projects on this date (YYYY[-MM[-DD]]; default today).")

WHO_COLUMNS = ["rank", "actor", "sector", "service", "coverage", "population_match", "status", "period", "sources"]


def _source_ids(sources: list[dict]) -> str:
    return "; ".join(s["id"] for s in sources)


def _period(p: dict | None) -> str:
    if not p or not (p.get("start") or p.get("end")):
        return ""
    return f"{p.get('start') or '?'} to {p.get('end') or 'open'}"


def who_rows(result: dict) -> list[dict]:
    rows = []
    for i, r in enumerate(result["results"], 1):
        service = r["service"]["name"] if r["service"] else f"(project) {r['project']['name']}"
        rows.append({
            "rank": i, "actor": r["actor"]["name"], "sector": r["actor"]["sector"],
            "service": service, "coverage": r["coverage"], "population_match": r["population_match"],
            "status": r["status"], "period": _period(r.get("period")),
            "sources": _source_ids(r["sources"]),
        })
    return rows


def _sources_footer(results: list[dict]) -> str:
    seen: dict[str, dict] = {}
    for r in results:
        for s in r["sources"]:
            seen.setdefault(s["id"], s)
    lines = ["Sources:"]
    lines += [f"  [{s['id']}] {s['title']}" + (f" <{s['url']}>" if s.get("url") else "") for s in seen.values()]
    return "\n".join(lines)


def _heading(query: dict) -> str:
    return "; ".join(f"{k}: {v}" for k, v in query.items() if v)


def who_text(result: dict) -> str:
    """One block per answer: who and what, then why (coverage, population, status), then sources."""
    if not result["results"]:
        return f"{_heading(result['query'])}\n\nNobody in the data answers this question."
    lines = [_heading(result["query"]), ""]
    for row, r in zip(who_rows(result), result["results"]):
        status = row["status"] + (f" ({row['period']})" if row["period"] and row["status"] != "active" else "")
        lines += textwrap.wrap(f"{row['rank']}. {row['actor']} ({row['sector']}): {row['service']}", 100,
                               subsequent_indent="     ")
        lines.append(f"     why: covers {row['coverage']}; serves {row['population_match']}; status {status}")
        lines.append(f"     sources: {row['sources']}")
    return "\n".join(lines + ["", _sources_footer(result["results"])])


def emit_who(fmt: str, result: dict) -> None:
    emit(fmt, who_rows(result), WHO_COLUMNS, document=result, text=who_text(result))


@click.command()
@click.option("--population", help="Who needs help: children, 'unaccompanied children', women, ...")
@click.option("--place", help="Where: a municipality, district, country or region (any script).")
@click.option("--service", metavar="TYPE", help="Only services of this type (shelter, legal_aid, hotline, ...).")
@click.option("--form", metavar="FORM", help="Only services for this form of exploitation (forced labour, ...).")
@click.option("--active", is_flag=True, help="Leave out ended and planned services.")
@AS_OF
@format_option
@click.pass_obj
@resolving
def who(state: State, population, place, service, form, active, as_of, fmt) -> None:
    """Who handles a case: services and providers serving a population in a place.

    Coverage is hierarchical (a national service covers every municipality) and so are
    populations (a service for all victims answers for children; one only for adults never
    does). Ranked most local, then most specific; each row says why and cites its sources.

    \b
    Examples:
      stakeholder-graph who --population children --place Niš
      stakeholder-graph who --population women --place Belgrade --service shelter --format json
    """
    from queries.who import who_handles

    if not (population or place or service or form):
        raise click.UsageError("give at least one of --population, --place, --service, --form")
    result = who_handles(state.graph(), population, place, service, form, as_of)
    if active:
        result["results"] = [r for r in result["results"] if r["status"] in ("active", "unknown")]
    emit_who(fmt, result)


def pathway_rows(result: dict) -> list[dict]:
    rows = []
    for step in result["steps"]:
        if step["gap"]:
            rows.append({"step": step["number"], "label": step["label"], "actor": "GAP",
                         "service": step["gap_note"], "status": "", "refers_to": "", "sources": ""})
        for r in step["available"]:
            rows.append({
                "step": step["number"], "label": step["label"], "actor": r["actor"]["name"],
                "service": r["service"]["name"], "status": r["status"],
                "refers_to": "; ".join(sorted({e["to"] for e in r.get("refers_to", [])})),
                "sources": _source_ids(r["sources"]),
            })
    return rows


def pathway_text(result: dict) -> str:
    lines = [f"Referral pathway: {_heading(result['query'])}", ""]
    everyone = []
    for step in result["steps"]:
        alongside = " (alongside the other steps)" if step["alongside"] else ""
        lines.append(f"{step['number']}. {step['label'].upper()}{alongside}")
        if step["gap"]:
            lines.append(f"   ! {step['gap_note']}")
        for r in step["available"]:
            everyone.append(r)
            lines.append(f"   - {r['actor']['name']}: {r['service']['name']} [{r['status']}; {r['coverage']}]")
            for target in sorted({e["to"] for e in r.get("refers_to", [])}):
                lines.append(f"       refers to -> {target}")
        for r in step["ended"]:
            everyone.append(r)
            lines.append(f"   (ended) {r['actor']['name']}: {r['service']['name']} [{_period(r.get('period'))}]")
        lines.append("")
    lines.append(_sources_footer(everyone))
    return "\n".join(lines)


@click.command()
@click.option("--population", required=True, help="Who: 'unaccompanied children', children, women, ...")
@click.option("--place", required=True, help="Where the person was identified.")
@AS_OF
@format_option
@click.pass_obj
@resolving
def pathway(state: State, population, place, as_of, fmt) -> None:
    """The referral pathway for a population in a place, step by step.

    First contact, identification, assessment and plan, emergency assistance, protection and
    support, reintegration or return, with criminal justice alongside: who is available at
    each step, whom they refer on to, and the gaps.

    \b
    Example:
      stakeholder-graph pathway --population "unaccompanied children" --place Subotica
    """
    from queries.pathway import referral_pathway

    result = referral_pathway(state.graph(), population, place, as_of)
    emit(fmt, pathway_rows(result), ["step", "label", "actor", "service", "status", "refers_to", "sources"],
         document=result, text=pathway_text(result))


def gaps_rows(result: dict) -> list[dict]:
    return [
        {"place": r["place"]["where"], "status": r["status"], "providers": r["providers"],
         "services": r["services"], "ended": r["ended"], "sources": _source_ids(r["sources"])}
        for r in result["results"]
    ]


@click.command()
@click.option("--service", metavar="TYPE", help="The need: shelter, legal_aid, hotline, ...")
@click.option("--population", help="For whom: children, women, ...")
@click.option("--country", help="Only municipalities in this country (or district/region).")
@click.option("--all", "include_covered", is_flag=True, help="Also list places with several providers.")
@AS_OF
@format_option
@click.pass_obj
@resolving
def gaps(state: State, service, population, country, include_covered, as_of, fmt) -> None:
    """Where a need is unmet: municipalities with no available service, and those with a
    single provider (if it stops, nobody is left).

    \b
    Example:
      stakeholder-graph gaps --service shelter --population children --country Serbia
    """
    from queries.gaps import coverage_gaps

    if not (service or population):
        raise click.UsageError("give --service, --population or both")
    result = coverage_gaps(state.graph(), service, population, country, as_of, include_covered)
    rows = gaps_rows(result)
    text = f"{_heading(result['query'])}\n\n" + render_table(rows, ["place", "status", "providers", "ended"])
    emit(fmt, rows, ["place", "status", "providers", "services", "ended", "sources"], document=result, text=text)


def _profile_text(title: str, sections: list[tuple[str, list[dict], list[str]]], profile: dict, intro: list[str]) -> str:
    lines = [title, *intro, ""]
    for heading, rows, columns in sections:
        if rows:
            lines += [f"{heading}:", render_table(rows, columns), ""]
    for note in profile.get("data_quality", []):
        lines.append(f"DATA QUALITY: {note}")
    lines.append("Sources:")
    lines += [f"  [{s['id']}] {s['title']}" + (f" <{s['url']}>" if s.get("url") else "") for s in profile["sources"]]
    return "\n".join(lines)


def _flatten(profile: dict, sections: list[str]) -> list[dict]:
    """Profile sections as rows for CSV: section, id, name and the rest as text."""
    rows = []
    for section in sections:
        for item in profile.get(section, []):
            rest = {k: v for k, v in item.items() if k not in ("id", "name")}
            rows.append({"section": section, "id": item.get("id"), "name": item.get("name"),
                         "details": "; ".join(f"{k}={cell_text(v)}" for k, v in rest.items())})
    return rows


@click.command()
@click.argument("name")
@AS_OF
@format_option
@click.pass_obj
@resolving
def actor(state: State, name, as_of, fmt) -> None:
    """An actor's profile: what it offers, where and to whom, partners, memberships, projects,
    funders, referrals and assessments.

    \b
    Example:
      stakeholder-graph actor Atina
    """
    from queries.profiles import actor_profile

    p = actor_profile(state.graph(), name, as_of)
    a = p["actor"]
    intro = [f"{k}: {cell_text(a[k])}" for k in ("sector", "type", "level", "country", "roles", "start", "description") if a.get(k)]
    sections = [
        ("Offers", p["offers"], ["name", "types", "places", "populations", "status"]),
        ("Projects", p["projects"], ["name", "role", "status", "start", "end"]),
        ("Partners", p["partners"], ["name", "sector", "country", "how"]),
        ("Member of", p["member_of"], ["name", "note"]), ("Members", p["members"], ["name"]),
        ("Part of", p["part_of"], ["name"]), ("Units", p["units"], ["name"]),
        ("Funders", p["funders"], ["name", "project"]),
        ("Refers to", p["refers_to"], ["name", "note"]), ("Referred from", p["referred_from"], ["name"]),
        ("Oversees", p["oversees"], ["name"]), ("Overseen by", p["overseen_by"], ["name"]),
        ("Monitors", p["monitors"], ["name", "start", "end", "note"]), ("Monitored by", p["monitored_by"], ["name", "note"]),
        ("Assessments", p["assessments"], ["name", "value", "year"]),
    ]
    emit(fmt, _flatten(p, [k for k, v in p.items() if isinstance(v, list) and k not in ("sources", "evidence", "data_quality")]),
         ["section", "id", "name", "details"], document=p,
         text=_profile_text(f"{a['name']}  [actor {a['id']}]", sections, p, intro))


@click.command()
@click.argument("name")
@AS_OF
@format_option
@click.pass_obj
@resolving
def project(state: State, name, as_of, fmt) -> None:
    """A project's profile: lead, partners and their countries, places, target groups,
    objectives, figures (achieved and targets apart), publications, dates and status.

    \b
    Example:
      stakeholder-graph project "From Harm to Safety"
    """
    from queries.profiles import project_profile

    p = project_profile(state.graph(), name, as_of)
    pr = p["project"]
    intro = [f"{k}: {pr[k]}" for k in ("start", "end", "duration", "status", "description", "note") if pr.get(k)]
    intro += ["objectives:"] + [f"  - {o}" for o in p["objectives"]]

    def figures(items):
        return [{**i, "figure": f"{i['value']} {i.get('unit', '')}".strip(),
                 "quality": "see note" if i.get("data_quality") else ""} for i in items]

    sections = [
        ("Lead", p["lead"], ["name", "country"]),
        ("Partners", p["partners"], ["name", "country", "role"]),
        ("Places", p["places"], ["name", "level"]),
        ("Target groups", p["target_groups"], ["name"]),
        ("Achieved", figures(p["achieved"]), ["figure", "name", "quality"]),
        ("Targets (planned, not results)", figures(p["targets"]), ["figure", "name"]),
        ("Publications", p["publications"], ["name", "type"]),
        ("Services", p["services"], ["name", "status"]),
    ]
    for i in p["achieved"] + p["targets"]:
        for note in i.get("data_quality", []):
            p.setdefault("data_quality", []).append(f"{i['name']}: {note}")
    emit(fmt, _flatten(p, ["lead", "partners", "places", "target_groups", "achieved", "targets", "publications", "services"]),
         ["section", "id", "name", "details"], document=p,
         text=_profile_text(f"{pr['name']}  [project {pr['id']}]", sections, p, intro))


@click.command()
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many to list.")
@format_option
@click.pass_obj
def metrics(state: State, top, fmt) -> None:
    """Network measures of the actors: degree, betweenness and eigenvector centrality,
    brokers between sectors, articulation points and bridges of the referral network,
    communities. Exact on small graphs, sampled on large ones (the output says which).

    \b
    Example:
      stakeholder-graph metrics --top 5
    """
    from queries.metrics import network_metrics

    m = network_metrics(state.graph(), top)
    rows = [{"list": "centrality", **r} for r in m["centrality"]] + [{"list": "broker", **r} for r in m["brokers"]]
    ref = m["referral_network"]
    text = "\n".join([
        f"Actors: {m['actors']}, ties: {m['ties']}. Mode: {m['mode']}.", "",
        "Most central:", render_table(m["centrality"], ["name", "sector", "ties", "degree", "betweenness", "eigenvector"]), "",
        "Brokers between sectors:", render_table(m["brokers"], ["name", "sector", "sectors_reached", "cross_sector_pairs", "betweenness"]), "",
        f"Referral network: {ref['actors']} actors, {ref['referrals']} referral ties.",
        "Articulation points (if one stops, the referral network splits): "
        + (", ".join(a["name"] for a in ref["articulation_points"]) or "none"),
        "Bridges: " + ("; ".join(f"{b['from']} - {b['to']}" for b in ref["bridges"]) or "none"), "",
        "Communities:",
        *[textwrap.fill(f"{i}. ({c['size']}) " + ", ".join(c["members"]), 100, subsequent_indent="   ")
          for i, c in enumerate(m["communities"], 1)],
        *m["notes"],
    ])
    emit(fmt, rows, ["list", "name", "sector", "ties", "degree", "betweenness", "eigenvector", "cross_sector_pairs"],
         document=m, text=text)


def _relation_rows(result: dict) -> list[dict]:
    return [{"actor": r["actor"]["name"], "relation": r["relation"],
             "target": (r["target"] or {}).get("name", ""), "basis": r["basis"],
             "sources": _source_ids(r["sources"])} for r in result["results"]]


def _projects_rows(result: dict) -> list[dict]:
    return [{"project": r["project"]["name"], "lead": r["lead"], "partners": r["partners"],
             "coverage": r["coverage"], "status": r["status"], "sources": _source_ids(r["sources"])}
            for r in result["results"]]


@click.command()
@click.argument("question")
@AS_OF
@format_option
@click.pass_obj
def ask(state: State, question, as_of, fmt) -> None:
    """Ask in plain English; the tool says how it understood you, then answers.

    Place names work in Latin or Cyrillic, with or without diacritics. A question it cannot
    map is refused (exit 1) with what it recognised and example questions.

    \b
    Examples:
      stakeholder-graph ask "who handles child victims in Niš?"
      stakeholder-graph ask "what is the pathway for an unaccompanied migrant child in Subotica?"
      stakeholder-graph ask "where is there no shelter for children?"
      stakeholder-graph ask "what did From Harm to Safety achieve?"
    """
    from graph import NameNotFound
    from queries.ask import CannotMap, ask as run

    try:
        result = run(state.graph(), question, as_of)
    except CannotMap as exc:
        recognised = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.recognised.items()) or "nothing"
        examples = "\n".join(f'  stakeholder-graph ask "{e}"' for e in exc.examples)
        raise UserError(f"{exc}.\nRecognised: {recognised}.\nTry questions like:\n{examples}") from None
    except NameNotFound as exc:
        raise UserError(str(exc)) from None
    answer, intent = result["answer"], result["intent"]
    if fmt == "table":
        click.echo(f"Understood: {result['understood_text']}\n")
    render = {
        "who handles": lambda: emit_who(fmt, answer),
        "pathway": lambda: emit(fmt, pathway_rows(answer), ["step", "label", "actor", "service", "status", "refers_to", "sources"], document=result, text=pathway_text(answer)),
        "gaps": lambda: emit(fmt, gaps_rows(answer), ["place", "status", "providers", "services", "ended", "sources"], document=result,
                             text=render_table(gaps_rows(answer), ["place", "status", "providers", "ended"])),
        "who funds": lambda: emit(fmt, _relation_rows(answer), ["actor", "relation", "target", "basis", "sources"], document=result),
        "who monitors": lambda: emit(fmt, _relation_rows(answer), ["actor", "relation", "target", "basis", "sources"], document=result),
        "who leads": lambda: emit(fmt, _relation_rows(answer), ["actor", "relation", "target", "basis", "sources"], document=result),
        "projects in": lambda: emit(fmt, _projects_rows(answer), ["project", "lead", "partners", "coverage", "status", "sources"], document=result),
    }
    if intent in render:
        if fmt == "json" and intent == "who handles":
            emit(fmt, [], [], document=result)
        else:
            render[intent]()
    else:  # actor, partners, project: the profile commands render those
        ctx = click.get_current_context()
        command = project if intent == "project" else actor
        ctx.invoke(command, name=next(iter(result["understood"].values())), as_of=as_of, fmt=fmt)


COMMANDS = [who, pathway, gaps, actor, project, metrics, ask]
