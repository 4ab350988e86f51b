"""Query answers as the terminal shows them: rows (for CSV and tables) and readable text.

One renderer per kind of answer; `who`, `pathway`, `gaps`, `actor`, `project`, `metrics`,
`show` and `ask` all print through `render(kind, answer)`, so an answer looks the same
whichever command computed it. Periods and source lines come from viz.text.
"""
from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from stakeholder_graph.commands.output import emit, render_table
from stakeholder_graph.viz.text import display_text, period_text, source_line, status_text

WRAP = 100
COVERAGE_WORDS = {"same": "the place itself", "contains": "contains the place", "inside": "inside the place"}


@dataclass
class Rendered:
    rows: list[dict]
    columns: list[str]
    text: str


def coverage_text(coverage: dict) -> str:
    """'country: Serbia (contains the place)', or 'anywhere' for a question without a place."""
    if coverage["relation"] == "anywhere":
        return "anywhere"
    return f"{coverage['level']}: {coverage['place']['name']} ({COVERAGE_WORDS[coverage['relation']]})"


def source_ids(sources: list[dict]) -> str:
    return "; ".join(s["id"] for s in sources)


def sources_block(sources: list[dict]) -> list[str]:
    """'Sources:' and one line per source, each once, in order."""
    seen: dict[str, dict] = {}
    for s in sources:
        seen.setdefault(s["id"], s)
    return ["Sources:", *(f"  {source_line(s)}" for s in seen.values())]


def _cited(results: list[dict]) -> list[dict]:
    return [s for r in results for s in r["sources"]]


def _heading(query: dict) -> str:
    return "; ".join(f"{k}: {v}" for k, v in query.items() if v)


def _wrapped(text: str, indent: str = "    ") -> list[str]:
    return textwrap.wrap(text, WRAP, subsequent_indent=indent)


# --- who, pathway, gaps -------------------------------------------------------------------

WHO_COLUMNS = ["rank", "actor", "sector", "service", "coverage", "eligibility", "basis", "status",
               "confirmed", "period", "sources"]


def eligibility_text(eligibility: dict, asked: str | None) -> str:
    """'for children', 'for victims of trafficking; children not stated', 'only for ...'."""
    match, population = eligibility["match"], eligibility.get("population")
    if match == "any" or population is None:
        return "any population"
    if match == "explicit":
        return f"for {population['name']}"
    if match == "general":
        return f"for {population['name']}; {asked or 'this group'} not stated"
    return f"only for {population['name']}"


def basis_text(item: dict) -> str:
    """'stated', or 'inferred (rule: first-contact-bodies)'."""
    if item.get("basis") != "inferred":
        return "stated"
    rules = item.get("rules") or ([item["rule"]] if item.get("rule") else [])
    return f"inferred (rule: {', '.join(rules)})" if rules else "inferred"


COORDINATOR_LABELS = {  # what a coordinator asks about a service, in the order they ask
    "ages": "ages", "genders": "genders", "nationality": "nationality", "languages": "languages",
    "hours": "hours", "how_to_refer": "how to refer", "referrals_from": "referrals from",
    "channels": "contact", "confidentiality": "confidentiality",
}


def needs_text(service: dict | None, actor: dict | None = None) -> str:
    """'ages 15+; genders female; hours open every day; not stated: nationality, languages, ...'.
    Contact channels are the service's, or else its provider's."""
    if not service:
        return ""
    if not service.get("channels") and actor and actor.get("channels"):
        service = {**service, "channels": actor["channels"]}
    said, missing = [], []
    for key, label in COORDINATOR_LABELS.items():
        if key == "ages":
            low, high = service.get("min_age"), service.get("max_age")
            value = f"{low} to {high}" if low is not None and high is not None else (
                f"{low}+" if low is not None else f"up to {high}" if high is not None else None)
        elif key == "hours":
            value = "24/7" if service.get("available_24_7") else service.get("hours")
        elif key == "channels":
            value = "; ".join(f"{c['type']} {c['value']}" for c in service.get("channels", [])) or None
        else:
            value = display_text(service.get(key)) or None
        if value:
            said.append(f"{label} {value}")
        else:
            missing.append(label)
    return "; ".join(said + ([f"not stated: {', '.join(missing)}"] if missing else []))


def confirmed_text(confirmed: dict | None) -> str:
    return confirmed["text"] if confirmed else "undated"


def who_rows(result: dict) -> list[dict]:
    asked = result["query"].get("population")
    rows = []
    for i, r in enumerate(result["results"], 1):
        service = r["service"]["name"] if r["service"] else f"(project) {r['project']['name']}"
        rows.append({
            "rank": i, "actor": r["actor"]["name"], "sector": r["actor"]["sector"] or "sector not stated",
            "service": service, "coverage": coverage_text(r["coverage"]),
            "eligibility": eligibility_text(r["eligibility"], asked), "basis": basis_text(r),
            "status": status_text(r["status"], r["confirmed"]), "confirmed": confirmed_text(r["confirmed"]),
            "period": period_text(r["period"]["start"], r["period"]["end"]),
            "sources": source_ids(r["sources"]),
        })
    return rows


def render_who(result: dict) -> Rendered:
    """The short answer first (whom to contact, one line each), then the details grouped by
    actor: what, why (coverage, eligibility, basis, status), sources."""
    rows = who_rows(result)
    asked = result["query"].get("population")
    heading = [_heading(result["query"]), ""]
    notes = [line for n in result.get("notes", []) for line in _wrapped(f"Note: {n}", "      ")]
    if not result["results"]:
        return Rendered(rows, WHO_COLUMNS, "\n".join(
            heading + ["No provider is recorded in the data for this question (which is not the "
                       "same as nobody there)."] + notes))
    lines = heading + ["Contact first:"]
    for i, c in enumerate(result["contact_first"], 1):
        what = "; ".join(c["for"][:2]) + (f" (+{len(c['for']) - 2} more)" if len(c["for"]) > 2 else "")
        eligibility = eligibility_text(c["eligibility"], asked) if c["eligibility"]["match"] != "any" else ""
        lines += _wrapped(
            f"  {i}. {c['actor']['name']}: {what} [{c['basis']}; "
            + (f"{eligibility}; " if eligibility else "")
            + f"{status_text(c['status'], c['confirmed'])}]", "       ")
    if not result["contact_first"]:
        lines.append("  no current provider recorded in the data: every answer below has ended or is only planned")
    lines += ["", *notes, *([""] if notes else []), "Details by actor:"]
    for group in result["by_actor"]:
        actor = group["actor"]
        lines.append(f"{actor['name']} ({actor['sector'] or 'sector not stated'})")
        for i in group["rows"]:
            row = rows[i]
            lines += _wrapped(f"  {row['rank']}. {row['service']}", "       ")
            period = f"; {row['period']}" if row["period"] else ""
            lines += _wrapped(f"       covers {row['coverage']}; {row['eligibility']}; {row['basis']}; "
                              f"{row['status']}{period}", "       ")
            needs = needs_text(result["results"][i]["service"], result["results"][i]["actor"])
            if needs:
                lines += _wrapped(f"       {needs}", "       ")
            lines.append(f"       sources: {row['sources']}")
    return Rendered(rows, WHO_COLUMNS, "\n".join(lines + ["", *sources_block(_cited(result["results"]))]))


PATHWAY_COLUMNS = ["step", "label", "actor", "service", "status", "refers_to", "sources"]


def _referred(r: dict) -> list[str]:
    return sorted({e["to"] + ("" if e["basis"] == "stated" else " (inferred)") for e in r.get("refers_to", [])})


def _referrals(r: dict) -> list[dict]:
    """Each onward referral once, in name order."""
    seen: dict[str, dict] = {}
    for e in r.get("refers_to", []):
        seen.setdefault(e["to_id"], e)
    return sorted(seen.values(), key=lambda e: e["to"])


def render_pathway(result: dict) -> Rendered:
    rows, lines, everyone = [], [f"Referral pathway: {_heading(result['query'])}", ""], []
    for step in result["steps"]:
        alongside = " (alongside the other steps)" if step["alongside"] else ""
        lines.append(f"{step['number']}. {step['label'].upper()}{alongside}")
        if step["gap"]:
            rows.append({"step": step["number"], "label": step["label"], "actor": "(no provider recorded)",
                         "service": step["gap_note"], "status": "", "refers_to": "", "sources": ""})
            lines.append(f"   ! {step['gap_note']}")
        for r in step["available"]:
            everyone.append(r)
            rows.append({
                "step": step["number"], "label": step["label"], "actor": r["actor"]["name"],
                "service": r["service"]["name"], "status": status_text(r["status"], r["confirmed"]),
                "refers_to": "; ".join(_referred(r)), "sources": source_ids(r["sources"]),
            })
            lines += _wrapped(f"   - {r['actor']['name']}: {r['service']['name']} [{basis_text(r)}; "
                              f"{status_text(r['status'], r['confirmed'])}; {coverage_text(r['coverage'])}]",
                              "       ")
            lines += [f"       refers to -> {e['to']}" + ("" if e["basis"] == "stated" else f" ({basis_text(e)})")
                      for e in _referrals(r)]
        for r in step["ended"]:
            everyone.append(r)
            lines.append(f"   (ended) {r['actor']['name']}: {r['service']['name']} "
                         f"[{period_text(r['period']['start'], r['period']['end'])}]")
        lines.append("")
    lines += sources_block(_cited(everyone))
    return Rendered(rows, PATHWAY_COLUMNS, "\n".join(lines))


GAPS_COLUMNS = ["place", "status", "providers", "inferred", "services", "ended", "newest_source", "sources"]


def render_gaps(result: dict) -> Rendered:
    rows = [
        {"place": r["place"]["where"],
         "status": r["status"] + (f" ({result['query']['population']} not stated)" if r["not_stated_for_population"] else ""),
         "providers": r["providers"],
         "inferred": r["inferred"], "services": r["services"], "ended": r["ended"],
         "newest_source": r["newest_source"], "sources": source_ids(r["sources"])}
        for r in result["results"]
    ]
    text = "\n".join([
        _heading(result["query"]), "",
        render_table(rows, ["place", "status", "providers", "ended", "newest_source"]), "",
        "A place with no provider recorded is a gap in the data, not proof that none is there;",
        "the newest source on providers there says how old that knowledge is.",
    ])
    return Rendered(rows, GAPS_COLUMNS, text)


# --- profiles -----------------------------------------------------------------------------

PROFILE_COLUMNS = ["section", "id", "name", "details"]


def _profile_text(title: str, intro: list[str], sections: list[tuple[str, list[dict], list[str]]],
                  profile: dict, data_quality: list[str]) -> str:
    lines = [title, *intro, ""]
    for heading, rows, columns in sections:
        if rows:
            lines += [f"{heading}:", render_table(rows, columns), ""]
    lines += [f"DATA QUALITY: {note}" for note in data_quality]
    return "\n".join(lines + sources_block(profile["sources"]))


def _flatten(profile: dict, sections: list[str]) -> list[dict]:
    """Profile sections as rows for CSV: section, id, name and the rest as text."""
    rows = []
    for section in sections:
        for item in profile.get(section, []):
            rest = {k: v for k, v in item.items() if k not in ("id", "name")}
            rows.append({"section": section, "id": item.get("id"), "name": item.get("name"),
                         "details": "; ".join(f"{k}={display_text(v)}" for k, v in rest.items())})
    return rows


def _with_basis(items: list[dict], status: bool = False) -> list[dict]:
    """Profile rows with their basis (and status) worded for a table."""
    return [{**i, "basis": basis_text(i), **({"status": status_text(i["status"], i.get("confirmed"))} if status else {})}
            for i in items]


def render_actor(p: dict) -> Rendered:
    a = p["actor"]
    intro = [f"{k}: {display_text(a[k])}" for k in ("sector", "type", "level", "country", "roles", "start", "description") if a.get(k)]
    intro += [f"{c['type']}: {c['value']}" for c in a.get("channels", [])]
    if not a.get("sector"):
        intro.insert(0, "sector: not stated")
    sections = [
        ("Offers", _with_basis(p["offers"], status=True), ["name", "types", "places", "populations", "basis", "status"]),
        ("Projects", _with_basis(p["projects"]), ["name", "role", "basis", "status", "start", "end"]),
        ("Partners", p["partners"], ["name", "sector", "country", "how"]),
        ("Member of", _with_basis(p["member_of"]), ["name", "basis", "note"]),
        ("Members", _with_basis(p["members"]), ["name", "basis"]),
        ("Part of", p["part_of"], ["name"]), ("Units", p["units"], ["name"]),
        ("Funders", p["funders"], ["name", "project"]),
        ("Refers to", _with_basis(p["refers_to"]), ["name", "basis", "note"]),
        ("Referred from", _with_basis(p["referred_from"]), ["name", "basis"]),
        ("Oversees", p["oversees"], ["name"]), ("Overseen by", p["overseen_by"], ["name"]),
        ("Monitors", p["monitors"], ["name", "start", "end", "note"]), ("Monitored by", p["monitored_by"], ["name", "note"]),
        ("Assessments", p["assessments"], ["name", "value", "year"]),
    ]
    listed = [k for k, v in p.items() if isinstance(v, list) and k not in ("sources", "evidence", "data_quality")]
    text = _profile_text(f"{a['name']}  [actor {a['id']}]", intro, sections, p, p.get("data_quality", []))
    return Rendered(_flatten(p, listed), PROFILE_COLUMNS, text)


def render_project(p: dict) -> Rendered:
    pr = p["project"]
    intro = [f"{k}: {pr[k]}" for k in ("start", "end", "duration", "status", "description", "note") if pr.get(k)]
    intro += ["objectives:"] + [f"  - {o}" for o in p["objectives"]]

    def figures(items):
        return [{**i, "figure": f"{i['value']} {i.get('unit', '')}".strip(),
                 "quality": "see note" if i.get("data_quality") else ""} for i in items]

    sections = [
        ("Lead", _with_basis(p["lead"]), ["name", "country", "basis"]),
        ("Partners", p["partners"], ["name", "country", "role"]),
        ("Places", p["places"], ["name", "level"]),
        ("Target groups", p["target_groups"], ["name"]),
        ("Achieved", figures(p["achieved"]), ["figure", "name", "quality"]),
        ("Targets (planned, not results)", figures(p["targets"]), ["figure", "name"]),
        ("Publications", p["publications"], ["name", "type"]),
        ("Services", _with_basis(p["services"]), ["name", "providers", "basis", "status"]),
    ]
    rows = _flatten(p, ["lead", "partners", "places", "target_groups", "achieved", "targets", "publications", "services"])
    text = _profile_text(f"{pr['name']}  [project {pr['id']}]", intro, sections, p, p["data_quality"])
    return Rendered(rows, PROFILE_COLUMNS, text)


# --- relations, projects, metrics, one record ------------------------------------------------

RELATION_COLUMNS = ["actor", "relation", "target", "basis", "sources"]


def render_relations(result: dict) -> Rendered:
    rows = [{"actor": r["actor"]["name"], "relation": r["relation"],
             "target": (r["target"] or {}).get("name", ""), "basis": r["basis"],
             "sources": source_ids(r["sources"])} for r in result["results"]]
    return Rendered(rows, RELATION_COLUMNS, render_table(rows, RELATION_COLUMNS))


PROJECTS_COLUMNS = ["project", "lead", "partners", "coverage", "status", "sources"]


def render_projects_in(result: dict) -> Rendered:
    rows = [{"project": r["project"]["name"], "lead": r["lead"], "partners": r["partners"],
             "coverage": coverage_text(r["coverage"]), "status": r["status"],
             "sources": source_ids(r["sources"])} for r in result["results"]]
    return Rendered(rows, PROJECTS_COLUMNS, render_table(rows, PROJECTS_COLUMNS))


METRICS_COLUMNS = ["list", "name", "sector", "ties", "degree", "betweenness", "eigenvector", "cross_sector_pairs"]


def render_metrics(m: dict) -> Rendered:
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
        *[textwrap.fill(f"{i}. ({c['size']}) " + ", ".join(c["members"]), WRAP, subsequent_indent="   ")
          for i, c in enumerate(m["communities"], 1)],
        *m["notes"],
    ])
    return Rendered(rows, METRICS_COLUMNS, text)


SHOW_COLUMNS = ["direction", "relation", "kind", "name", "id", "basis", "dates", "note"]


def render_show(result: dict) -> Rendered:
    rows = [
        {"direction": r["direction"], "relation": r["type"], "kind": r["kind"], "name": r["name"],
         "id": r["id"], "basis": basis_text(r), "dates": period_text(r.get("start"), r.get("end")),
         "note": r.get("note", "")}
        for r in result["relations"]
    ]
    lines = [f"{result['name']}  [{result['kind']} {result['id']}]", ""]
    for key, value in result["fields"].items():
        lines.extend(_wrapped(f"{key}: {display_text(value)}") or [f"{key}:"])
    if result["kind"] == "service":
        lines.extend(_wrapped(f"for a coordinator: {needs_text(result['fields'])}"))
    for note in result["data_quality"]:
        lines.extend(_wrapped(f"DATA QUALITY: {note}"))
    lines += ["", "Relations:", render_table(rows, ["direction", "relation", "kind", "name", "basis", "dates"]), "",
              *sources_block(result["sources"]), f"\nDefined at {result['origin']}"]
    return Rendered(rows, SHOW_COLUMNS, "\n".join(lines))


# --- one way in ----------------------------------------------------------------------------

RENDERERS: dict[str, Callable[[dict], Rendered]] = {
    "who handles": render_who,
    "pathway": render_pathway,
    "gaps": render_gaps,
    "actor": render_actor,
    "partners": render_actor,
    "project": render_project,
    "who funds": render_relations,
    "who monitors": render_relations,
    "who leads": render_relations,
    "projects in": render_projects_in,
    "metrics": render_metrics,
    "show": render_show,
}


def render(kind: str, answer: dict) -> Rendered:
    """Rows, columns and text for an answer of one kind (an `ask` intent or a command)."""
    return RENDERERS[kind](answer)


def emit_answer(fmt: str, kind: str, answer: dict, document=None) -> None:
    """Print an answer in `fmt`; JSON prints `document` (default the answer itself)."""
    shown = render(kind, answer)
    emit(fmt, shown.rows, shown.columns, document=answer if document is None else document, text=shown.text)
