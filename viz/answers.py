"""Query answers as words: rows (for CSV and tables) and readable text, for the terminal and
the web pages alike.

One renderer per kind of answer; `who`, `pathway`, `gaps`, `actor`, `project`, `metrics`,
`show` and `ask` all print through `render(kind, answer)`, so an answer looks the same
whichever command computed it. Words come from the message catalogue (viz.i18n) in the
language of the moment; CSV and JSON keep the data's own keys and values.
"""
from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from stakeholder_graph.viz.i18n import _, shown_name
from stakeholder_graph.viz.text import (
    ages_text,
    date_text,
    display_text,
    gap_text,
    genders_text,
    note_text,
    period_text,
    place_text,
    render_table,
    source_line,
    status_text,
    term,
)

WRAP = 100


@dataclass
class Rendered:
    rows: list[dict]
    columns: list[str]
    text: str


def headers() -> dict[str, str]:
    """Column titles of the tables, in the language of the moment."""
    return {
        "rank": _("rank"), "actor": _("actor"), "sector": _("sector"), "service": _("service"),
        "coverage": _("coverage"), "eligibility": _("eligibility"), "basis": _("basis"), "status": _("status"),
        "confirmed": _("confirmed"), "period": _("period"), "sources": _("sources"), "place": _("place"),
        "providers": _("providers"), "ended": _("ended"), "newest_source": _("newest source"),
        "name": _("name"), "types": _("types"), "places": _("places"), "populations": _("populations"),
        "role": _("role"), "start": _("start"), "end": _("end"), "country": _("country"), "how": _("how"),
        "note": _("note"), "project": _("project"), "value": _("value"), "year": _("year"),
        "figure": _("figure"), "quality": _("quality"), "level": _("level"), "relation": _("relation"),
        "target": _("target"), "lead": _("lead"), "partners": _("partners"), "ties": _("ties"),
        "instrument": _("instrument"), "assessor": _("assessed by"), "subject": _("subject"),
        "direction": _("direction"), "kind": _("kind"), "dates": _("dates"), "label": _("step"),
        "step": _("step"), "refers_to": _("refers to"), "partner": _("partner"),
        "section": _("section"), "id": _("id"), "details": _("details"),
    }


def table(rows: list[dict], columns: list[str]) -> str:
    return render_table(rows, columns, headers(), empty=_("(no results)"))


def coverage_text(coverage: dict) -> str:
    """'country: Serbia (contains the place)', or 'anywhere' for a question without a place."""
    relation = coverage["relation"]
    if relation == "anywhere":
        return _("anywhere")
    words = {"same": _("the place itself"), "contains": _("contains the place"), "inside": _("inside the place")}
    return f"{term(coverage['level'])}: {shown_name(coverage['place'], 'place')} ({words[relation]})"


def source_ids(sources: list[dict]) -> str:
    return "; ".join(s["id"] for s in sources)


def sources_block(sources: list[dict]) -> list[str]:
    """'Sources:' and one line per source, each once, in order."""
    seen: dict[str, dict] = {}
    for s in sources:
        seen.setdefault(s["id"], s)
    return [_("Sources:"), *(f"  {source_line(s)}" for s in seen.values())]


def _cited(results: list[dict]) -> list[dict]:
    return [s for r in results for s in r["sources"]]


def heading(query: dict) -> str:
    """'population: children; place: Niš (municipality, ...); as of: ...' in the language of
    the moment (record terms from query["terms"], values as given otherwise)."""
    terms = query.get("terms", {})
    labels = {"population": _("population"), "age": _("age"), "place": _("place"), "service": _("service"),
              "form": _("form"), "as_of": _("as of"), "confirmed_since": _("confirmed since"),
              "stated_only": _("stated only"), "relation": _("relation"), "target": _("target"),
              "actor": _("actor"), "country": _("country"), "sector": _("sector")}
    parts = []
    for key, value in query.items():
        if key == "terms" or value in (None, "", False):
            continue
        if key == "population" and "population" in terms:
            value = shown_name(terms["population"], "population")
        elif key == "place" and "place" in terms:
            value = place_text(terms["place"])
        elif key == "form" and "form" in terms:
            value = shown_name(terms["form"], "form")
        elif key in ("service", "sector"):
            value = term(value)
        elif key == "stated_only":
            value = _("yes")
        parts.append(f"{labels.get(key, key)}: {value}")
    return "; ".join(parts)


def _wrapped(text: str, indent: str = "    ") -> list[str]:
    # never inside a hyphenated word: rule ids and place names stay whole
    return textwrap.wrap(text, WRAP, subsequent_indent=indent, break_on_hyphens=False)


def group_name(view: dict | None) -> str:
    return shown_name(view, "population")


# --- who, pathway, gaps -------------------------------------------------------------------

WHO_COLUMNS = ["rank", "actor", "sector", "service", "coverage", "eligibility", "basis", "status",
               "confirmed", "period", "sources"]


def eligibility_text(eligibility: dict, asked: str | None) -> str:
    """'for children', 'for victims of trafficking; children not stated', 'only for girls (a
    service for women and girls)'."""
    match, population = eligibility["match"], eligibility.get("population")
    if match == "any" or population is None:
        return _("any population")
    if match == "explicit":
        return _("for {group}").format(group=group_name(population))
    if match == "general":
        return _("for {group}; {asked} not stated").format(group=group_name(population),
                                                           asked=asked or _("this group"))
    if eligibility.get("only"):
        return _("only for {part} (a service for {group})").format(part=group_name(eligibility["only"]),
                                                                   group=group_name(population))
    return _("only for {group}").format(group=group_name(population))


def basis_text(item: dict) -> str:
    """'stated', or 'inferred (rule: first-contact-bodies)'."""
    if item.get("basis") != "inferred":
        return _("stated")
    rules = item.get("rules") or ([item["rule"]] if item.get("rule") else [])
    return _("inferred (rule: {rules})").format(rules=", ".join(rules)) if rules else _("inferred")


def sector_text(sector: str | None) -> str:
    return term(sector) if sector else _("sector not stated")


def needs_text(service: dict | None, actor: dict | None = None) -> str:
    """'ages 15 and over; genders female; hours 24/7; not stated: nationality, languages, ...'.
    Contact channels are the service's, or else its provider's."""
    if not service:
        return ""
    if not service.get("channels") and actor and actor.get("channels"):
        service = {**service, "channels": actor["channels"]}
    labels = {  # what a coordinator asks about a service, in the order they ask
        "ages": _("ages"), "genders": _("genders"), "nationality": _("nationality"), "languages": _("languages"),
        "hours": _("hours"), "how_to_refer": _("how to refer"), "referrals_from": _("referrals from"),
        "channels": _("contact"), "confidentiality": _("confidentiality"),
    }
    said, missing = [], []
    for key, label in labels.items():
        if key == "ages":
            low, high = service.get("min_age"), service.get("max_age")
            value = ages_text(low, high) if low is not None or high is not None else None
        elif key == "genders":
            value = genders_text(service["genders"]) if service.get("genders") else None
        elif key == "hours":
            value = "24/7" if service.get("available_24_7") else service.get("hours")
        elif key == "channels":
            value = "; ".join(f"{term(c['type'])} {c['value']}" for c in service.get("channels", [])) or None
        else:
            value = display_text(service.get(key)) or None
        if value:
            said.append(f"{label} {value}")
        else:
            missing.append(label)
    return "; ".join(said + ([_("not stated: {fields}").format(fields=", ".join(missing))] if missing else []))


def confirmed_text(confirmed: dict | None) -> str:
    return date_text(confirmed["text"]) if confirmed else _("undated")


def asked_group(query: dict) -> str | None:
    terms = query.get("terms", {})
    return group_name(terms["population"]) if "population" in terms else query.get("population")


def form_not_stated(r: dict, query: dict) -> str:
    """'forced labour not stated' for an answer to a question about a form of exploitation
    whose service states no form (listed after those that state it, never as if it did)."""
    if r.get("form_match") != "not stated":
        return ""
    return _("{form} not stated").format(form=shown_name(query["terms"]["form"], "form"))


def who_rows(result: dict) -> list[dict]:
    asked = asked_group(result["query"])
    rows = []
    for i, r in enumerate(result["results"], 1):
        service = r["service"]["name"] if r["service"] else _("(project) {name}").format(name=r["project"]["name"])
        rows.append({
            "rank": i, "actor": shown_name(r["actor"]), "sector": sector_text(r["actor"]["sector"]),
            "service": service, "coverage": coverage_text(r["coverage"]),
            "eligibility": "; ".join(filter(None, [eligibility_text(r["eligibility"], asked),
                                                   form_not_stated(r, result["query"])])),
            "basis": basis_text(r),
            "status": status_text(r["status"], r["confirmed"]), "confirmed": confirmed_text(r["confirmed"]),
            "period": period_text(r["period"]["start"], r["period"]["end"]),
            "sources": source_ids(r["sources"]),
        })
    return rows


def note_sentences(notes: list[dict], query: dict | None = None) -> list[str]:
    """'Note: ...' for each note of an answer, the place named in the answer's language."""
    terms = (query or {}).get("terms", {})
    shown = {"place_shown": shown_name(terms["place"], "place")} if "place" in terms else {}
    return [_("Note: {text}").format(text=note_text({**n, **shown})) for n in notes]


def notes_lines(notes: list[dict], query: dict | None = None) -> list[str]:
    return [line for sentence in note_sentences(notes, query) for line in _wrapped(sentence, "      ")]


def render_who(result: dict) -> Rendered:
    """The short answer first (whom to contact, one line each), then the details grouped by
    actor: what, why (coverage, eligibility, basis, status), sources."""
    rows = who_rows(result)
    asked = asked_group(result["query"])
    top = [heading(result["query"]), ""]
    notes = notes_lines(result.get("notes", []), result["query"])
    if not result["results"]:
        return Rendered(rows, WHO_COLUMNS, "\n".join(
            top + [_("No provider is recorded in the data for this question (which is not the same as "
                     "nobody there).")] + notes))
    lines = top + [_("Contact first:")]
    for i, c in enumerate(result["contact_first"], 1):
        what = "; ".join(c["for"][:2]) + (_(" (+{count} more)").format(count=len(c["for"]) - 2)
                                          if len(c["for"]) > 2 else "")
        eligibility = "; ".join(filter(None, [
            eligibility_text(c["eligibility"], asked) if c["eligibility"]["match"] != "any" else "",
            form_not_stated(c, result["query"])]))
        basis = _("stated") if c["basis"] == "stated" else _("inferred")
        lines += _wrapped(
            f"  {i}. {shown_name(c['actor'])}: {what} [{basis}; "
            + (f"{eligibility}; " if eligibility else "")
            + f"{status_text(c['status'], c['confirmed'])}]", "       ")
    if not result["contact_first"]:
        lines.append("  " + _("no current provider recorded in the data: every answer below has ended or is "
                              "only planned"))
    lines += ["", *notes, *([""] if notes else []), _("Details by actor:")]
    for group in result["by_actor"]:
        actor = group["actor"]
        lines.append(f"{shown_name(actor)} ({sector_text(actor['sector'])})")
        for i in group["rows"]:
            row = rows[i]
            lines += _wrapped(f"  {row['rank']}. {row['service']}", "       ")
            period = f"; {row['period']}" if row["period"] else ""
            lines += _wrapped("       " + _("covers {coverage}").format(coverage=row["coverage"])
                              + f"; {row['eligibility']}; {row['basis']}; {row['status']}{period}", "       ")
            needs = needs_text(result["results"][i]["service"], result["results"][i]["actor"])
            if needs:
                lines += _wrapped(f"       {needs}", "       ")
            lines.append("       " + _("sources: {ids}").format(ids=row["sources"]))
    return Rendered(rows, WHO_COLUMNS, "\n".join(lines + ["", *sources_block(_cited(result["results"]))]))


PATHWAY_COLUMNS = ["step", "label", "actor", "service", "status", "refers_to", "sources"]


def onward_referrals(r: dict) -> list[dict]:
    """Each onward referral once, in name order."""
    seen: dict[str, dict] = {}
    for e in r.get("refers_to", []):
        seen.setdefault(e["to_id"], e)
    return sorted(seen.values(), key=lambda e: e["to"])


def referred_names(r: dict) -> list[str]:
    return [e["to"] + ("" if e["basis"] == "stated" else " " + _("(inferred)")) for e in onward_referrals(r)]


def shown_gap(query: dict, detail: dict) -> dict:
    terms = query.get("terms", {})
    shown = dict(detail)
    if "population" in terms:
        shown["population_shown"] = group_name(terms["population"])
    if "place" in terms:
        shown["place_shown"] = shown_name(terms["place"], "place")
    return shown


def render_pathway(result: dict) -> Rendered:
    rows, everyone = [], []
    lines = [_("Referral pathway: {query}").format(query=heading(result["query"])), ""]
    for step in result["steps"]:
        alongside = " " + _("(alongside the other steps)") if step["alongside"] else ""
        label = term(step["step"])
        lines.append(f"{step['number']}. {label.upper()}{alongside}")
        if step["gap"]:
            gap = gap_text(step["step"], shown_gap(result["query"], step["gap_detail"]))
            rows.append({"step": step["number"], "label": label, "actor": _("(no provider recorded)"),
                         "service": gap, "status": "", "refers_to": "", "sources": ""})
            lines += _wrapped(f"   ! {gap}", "     ")
        for r in step["available"]:
            everyone.append(r)
            rows.append({
                "step": step["number"], "label": label, "actor": shown_name(r["actor"]),
                "service": r["service"]["name"], "status": status_text(r["status"], r["confirmed"]),
                "refers_to": "; ".join(referred_names(r)), "sources": source_ids(r["sources"]),
            })
            lines += _wrapped(f"   - {shown_name(r['actor'])}: {r['service']['name']} [{basis_text(r)}; "
                              f"{status_text(r['status'], r['confirmed'])}; {coverage_text(r['coverage'])}]",
                              "       ")
            lines += ["       " + _("refers to -> {name}").format(name=e["to"])
                      + ("" if e["basis"] == "stated" else f" ({basis_text(e)})") for e in onward_referrals(r)]
        for r in step["ended"]:
            everyone.append(r)
            lines.append("   " + _("(ended)") + f" {shown_name(r['actor'])}: {r['service']['name']} "
                         f"[{period_text(r['period']['start'], r['period']['end'])}]")
        lines.append("")
    lines += notes_lines(result.get("notes", []), result["query"])
    lines += sources_block(_cited(everyone))
    return Rendered(rows, PATHWAY_COLUMNS, "\n".join(lines))


GAPS_COLUMNS = ["place", "status", "providers", "partly", "inferred", "services", "ended", "newest_source", "sources"]


def gap_status_text(status: str) -> str:
    words = {"no provider recorded": _("no provider recorded"), "single provider": _("single provider"),
             "covered": _("covered")}
    return words.get(status, status)


def render_gaps(result: dict) -> Rendered:
    asked = asked_group(result["query"])
    rows = [
        {"place": r["place"]["where"],
         "status": gap_status_text(r["status"])
         + (" " + _("({group} not stated)").format(group=asked) if r["not_stated_for_population"] else ""),
         "providers": r["providers"],
         "partly": [f"{x['actor']} ({eligibility_text(x['eligibility'], asked)})" for x in r.get("partly", [])],
         "inferred": r["inferred"], "services": r["services"], "ended": r["ended"],
         "newest_source": date_text(r["newest_source"]), "sources": source_ids(r["sources"])}
        for r in result["results"]
    ]
    shown = [{**row, "place": place_text(r["place"]["term"]) if r["place"].get("term") else row["place"]}
             for row, r in zip(rows, result["results"])]
    text = "\n".join([
        heading(result["query"]), "",
        table(shown, ["place", "status", "providers", "ended", "newest_source"]), "",
        _("A place with no provider recorded is a gap in the data, not proof that none is there;"),
        _("the newest source on providers there says how old that knowledge is."),
    ])
    return Rendered(rows, GAPS_COLUMNS, text)


# --- profiles -----------------------------------------------------------------------------

PROFILE_COLUMNS = ["section", "id", "name", "details"]


def _profile_text(title: str, intro: list[str], sections: list[tuple[str, list[dict], list[str]]],
                  profile: dict, data_quality: list[str]) -> str:
    lines = [title, *intro, ""]
    for title_, rows, columns in sections:
        if rows:
            lines += [f"{title_}:", table(rows, columns), ""]
    lines += [_("DATA QUALITY: {note}").format(note=note) for note in data_quality]
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
    labels = {"sector": _("sector"), "type": _("type"), "level": _("level"), "country": _("country"),
              "roles": _("roles"), "start": _("start"), "description": _("description")}
    intro = [f"{labels[k]}: {term(a[k]) if k == 'sector' else display_text(a[k])}"
             for k in labels if a.get(k)]
    intro += [f"{c['type']}: {c['value']}" for c in a.get("channels", [])]
    if a.get("names"):
        intro.insert(0, _("in Serbian: {names}").format(names=" / ".join(dict.fromkeys(a["names"].values()))))
    if not a.get("sector"):
        intro.insert(0, _("sector: not stated"))
    sections = [
        (_("Offers"), _with_basis(p["offers"], status=True), ["name", "types", "places", "populations", "basis", "status"]),
        (_("Projects"), _with_basis(p["projects"]), ["name", "role", "basis", "status", "start", "end"]),
        (_("Partners"), p["partners"], ["name", "sector", "country", "how"]),
        (_("Member of"), _with_basis(p["member_of"]), ["name", "basis", "note"]),
        (_("Members"), _with_basis(p["members"]), ["name", "basis"]),
        (_("Part of"), p["part_of"], ["name"]), (_("Units"), p["units"], ["name"]),
        (_("Funders"), p["funders"], ["name", "project"]),
        (_("Refers to"), _with_basis(p["refers_to"]), ["name", "basis", "note"]),
        (_("Referred from"), _with_basis(p["referred_from"]), ["name", "basis"]),
        (_("Oversees"), p["oversees"], ["name"]), (_("Overseen by"), p["overseen_by"], ["name"]),
        (_("Monitors"), p["monitors"], ["name", "start", "end", "note"]),
        (_("Monitored by"), p["monitored_by"], ["name", "note"]),
        (_("Assessments"), p["assessments"], ["name", "value", "year"]),
    ]
    listed = [k for k, v in p.items() if isinstance(v, list) and k not in ("sources", "evidence", "data_quality")]
    text = _profile_text(f"{a['name']}  [{_('actor')} {a['id']}]", intro, sections, p, p.get("data_quality", []))
    return Rendered(_flatten(p, listed), PROFILE_COLUMNS, text)


def render_project(p: dict) -> Rendered:
    pr = p["project"]
    labels = {"start": _("start"), "end": _("end"), "duration": _("duration"), "status": _("status"),
              "description": _("description"), "note": _("note")}
    intro = [f"{labels[k]}: {pr[k]}" for k in labels if pr.get(k)]
    intro += [_("objectives:")] + [f"  - {o}" for o in p["objectives"]]

    def figures(items):
        return [{**i, "figure": f"{i['value']} {i.get('unit', '')}".strip(),
                 "quality": _("see note") if i.get("data_quality") else ""} for i in items]

    sections = [
        (_("Lead"), _with_basis(p["lead"]), ["name", "country", "basis"]),
        (_("Partners"), p["partners"], ["name", "country", "role"]),
        (_("Places"), p["places"], ["name", "level"]),
        (_("Target groups"), p["target_groups"], ["name"]),
        (_("Achieved"), figures(p["achieved"]), ["figure", "name", "quality"]),
        (_("Targets (planned, not results)"), figures(p["targets"]), ["figure", "name"]),
        (_("Publications"), p["publications"], ["name", "type"]),
        (_("Services"), _with_basis(p["services"]), ["name", "providers", "basis", "status"]),
    ]
    rows = _flatten(p, ["lead", "partners", "places", "target_groups", "achieved", "targets", "publications", "services"])
    text = _profile_text(f"{pr['name']}  [{_('project')} {pr['id']}]", intro, sections, p, p["data_quality"])
    return Rendered(rows, PROFILE_COLUMNS, text)


# --- relations, projects, metrics, one record ------------------------------------------------

RELATION_COLUMNS = ["actor", "relation", "target", "basis", "sources"]


def render_relations(result: dict) -> Rendered:
    rows = [{"actor": shown_name(r["actor"]), "relation": term(r["relation"]),
             "target": (r["target"] or {}).get("name", ""),
             "basis": basis_text(r) if r["basis"] in ("stated", "inferred") else r.get("note", r["basis"]),
             "sources": source_ids(r["sources"])} for r in result["results"]]
    if not rows:
        asked = result["query"].get("target") or result["query"].get("actor") or _("anyone")
        text = _("No such relation is recorded in the data: {target} (which is not the same as none).").format(
            target=asked)
        return Rendered(rows, RELATION_COLUMNS, "\n".join([heading(result["query"]), "", *_wrapped(text)]))
    return Rendered(rows, RELATION_COLUMNS, "\n".join([heading(result["query"]), "", table(rows, RELATION_COLUMNS)]))


PROJECTS_COLUMNS = ["project", "lead", "partners", "coverage", "status", "sources"]


def render_projects_in(result: dict) -> Rendered:
    rows = [{"project": r["project"]["name"], "lead": r["lead"], "partners": r["partners"],
             "coverage": coverage_text(r["coverage"]), "status": status_text(r["status"], None),
             "sources": source_ids(r["sources"])} for r in result["results"]]
    return Rendered(rows, PROJECTS_COLUMNS, "\n".join([heading(result["query"]), "", table(rows, PROJECTS_COLUMNS)]))


PARTNER_COLUMNS = ["partner", "sector", "country", "how", "basis", "sources"]


def render_partners(result: dict) -> Rendered:
    rows = [{"partner": shown_name(r["partner"]), "sector": sector_text(r["partner"].get("sector")),
             "country": shown_name(r["country"], "place") if r.get("country") else _("not stated"),
             "how": "; ".join(r["how"]), "basis": basis_text(r), "sources": source_ids(r["sources"])}
            for r in result["results"]]
    lines = [heading(result["query"]), "", table(rows, PARTNER_COLUMNS)]
    if not rows:
        lines.append(_("No partner is recorded in the data for this question (which is not the same as none)."))
    return Rendered(rows, PARTNER_COLUMNS, "\n".join(lines + ["", *sources_block(_cited(result["results"]))]))


ASSESSMENT_COLUMNS = ["subject", "instrument", "year", "value", "assessor", "sources"]


def render_assessments(result: dict) -> Rendered:
    rows = [{"subject": ", ".join(shown_name(s, "place") for s in r["subjects"]), "instrument": r["instrument"],
             "year": r.get("year") or _("no year stated"), "value": r["value"],
             "assessor": ", ".join(shown_name(a) for a in r["assessors"]), "sources": source_ids(r["sources"])}
            for r in result["results"]]
    lines = [heading(result["query"]), "", table(rows, ["subject", "year", "value", "assessor"])]
    for r in result["results"]:
        for note in r.get("data_quality", []):
            lines += _wrapped(_("DATA QUALITY: {note}").format(note=note))
    if len({r["value"] for r in result["results"] if r.get("year")}) > 1:
        lines += _wrapped(_("The sources disagree; each value is shown with its source."))
    return Rendered(rows, ASSESSMENT_COLUMNS, "\n".join(lines + ["", *sources_block(_cited(result["results"]))]))


def _referral_row(referrer: str, r: dict, asked: str | None) -> dict:
    """One refers_to relation as a table row (where an actor refers, and who refers to one)."""
    return {"actor": referrer, "refers_to": shown_name(r["to"]), "basis": basis_text(r),
            "eligibility": eligibility_text(r["eligibility"], asked), "sources": source_ids(r["sources"])}


REFERRAL_COLUMNS = ["actor", "refers_to", "basis", "eligibility", "sources"]


def render_referral(result: dict) -> Rendered:
    """Where an actor refers a person: its stated (or inferred) referrals, then who is there at
    the steps after its own."""
    asked = asked_group(result["query"])
    actor = shown_name(result["actor"])
    rows = [_referral_row(actor, r, asked) for r in result["referrals"]]
    lines = [heading(result["query"]), ""]
    if rows:
        lines.append(_("{actor} refers on to:").format(actor=actor))
        for row in rows:
            lines += _wrapped(f"  - {row['refers_to']} [{row['basis']}; {row['eligibility']}]", "      ")
    else:
        lines += _wrapped(_("No referral from {actor} is recorded in the data for this question (which is "
                            "not the same as none).").format(actor=actor))
    if result["own_steps"]:
        lines += ["", _("{actor} works at: {steps}").format(actor=actor, steps=", ".join(
            term(s) for s in result["own_steps"]))]
    if result["next_steps"]:
        lines += ["", _("Next on the referral pathway:")]
        for step in result["next_steps"]:
            lines.append(f"  {step['number']}. {term(step['step'])}")
            for r in step["available"]:
                lines += _wrapped(f"     - {shown_name(r['actor'])}: {r['service']['name']} "
                                  f"[{basis_text(r)}; {eligibility_text(r['eligibility'], asked)}; "
                                  f"{status_text(r['status'], r['confirmed'])}]", "       ")
            if not step["available"]:
                lines += _wrapped("     ! " + gap_text(step["step"], shown_gap(result["query"], step["gap_detail"])),
                                  "       ")
    cited = _cited(result["referrals"]) + [s for st in result["next_steps"] for r in st["available"]
                                            for s in r["sources"]]
    return Rendered(rows, REFERRAL_COLUMNS, "\n".join(lines + ["", *sources_block(cited)]))


REFERRED_COLUMNS = ["actor", "refers_to", "basis", "eligibility", "sources"]


def render_referred_to(result: dict) -> Rendered:
    """Who refers people to an actor."""
    asked = asked_group(result["query"])
    actor = shown_name(result["actor"])
    rows = [_referral_row(shown_name(r["from"]), r, asked) for r in result["referrers"]]
    lines = [heading(result["query"]), ""]
    if rows:
        lines.append(_("Referred to {actor} by:").format(actor=actor))
        for row in rows:
            lines += _wrapped(f"  - {row['actor']} -> {row['refers_to']} [{row['basis']}; {row['eligibility']}]",
                              "      ")
    else:
        lines += _wrapped(_("No referral to {actor} is recorded in the data for this question (which is not the "
                            "same as none).").format(actor=actor))
    return Rendered(rows, REFERRED_COLUMNS, "\n".join(lines + ["", *sources_block(_cited(result["referrers"]))]))


METRICS_COLUMNS = ["list", "name", "sector", "ties", "degree", "betweenness", "eigenvector", "cross_sector_pairs"]


def render_metrics(m: dict) -> Rendered:
    rows = [{"list": "centrality", **r} for r in m["centrality"]] + [{"list": "broker", **r} for r in m["brokers"]]
    ref = m["referral_network"]
    text = "\n".join([
        _("Actors: {actors}, ties: {ties}. Mode: {mode}.").format(actors=m["actors"], ties=m["ties"], mode=m["mode"]),
        "",
        _("Most central:"), table(m["centrality"], ["name", "sector", "ties", "degree", "betweenness", "eigenvector"]),
        "",
        _("Brokers between sectors:"),
        table(m["brokers"], ["name", "sector", "sectors_reached", "cross_sector_pairs", "betweenness"]), "",
        _("Referral network: {actors} actors, {referrals} referral ties.").format(
            actors=ref["actors"], referrals=ref["referrals"]),
        _("Articulation points (if one stops, the referral network splits): {names}").format(
            names=", ".join(a["name"] for a in ref["articulation_points"]) or _("none")),
        _("Bridges: {pairs}").format(pairs="; ".join(f"{b['from']} - {b['to']}" for b in ref["bridges"]) or _("none")),
        "",
        _("Communities:"),
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
        lines.extend(_wrapped(_("for a coordinator: {needs}").format(needs=needs_text(result["fields"]))))
    for note in result["data_quality"]:
        lines.extend(_wrapped(_("DATA QUALITY: {note}").format(note=note)))
    lines += ["", _("Relations:"), table(rows, ["direction", "relation", "kind", "name", "basis", "dates"]), "",
              *sources_block(result["sources"]), "\n" + _("Defined at {origin}").format(origin=result["origin"])]
    return Rendered(rows, SHOW_COLUMNS, "\n".join(lines))


# --- one way in ----------------------------------------------------------------------------

RENDERERS: dict[str, Callable[[dict], Rendered]] = {
    "who handles": render_who,
    "pathway": render_pathway,
    "gaps": render_gaps,
    "actor": render_actor,
    "partners": render_partners,
    "project": render_project,
    "who funds": render_relations,
    "who monitors": render_relations,
    "who leads": render_relations,
    "funds by": render_relations,
    "monitors by": render_relations,
    "projects in": render_projects_in,
    "assessments": render_assessments,
    "referral": render_referral,
    "referred to": render_referred_to,
    "metrics": render_metrics,
    "show": render_show,
}


def render(kind: str, answer: dict) -> Rendered:
    """Rows, columns and text for an answer of one kind (an `ask` intent or a command)."""
    return RENDERERS[kind](answer)


__all__ = ["RENDERERS", "Rendered", "render"]
