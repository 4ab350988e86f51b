"""Values as display text, the one way the CLI, the maps and the diagrams write them, in the
language of the moment (viz.i18n)."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import textwrap

from stakeholder_graph.graph.schema import DISPLAY_CONTROLS, FORMULA_STARTS, NODE_KINDS
from stakeholder_graph.viz.i18n import N_, _, shown_name

# --- text from data is inert in every medium --------------------------------------------------
#
# A character that would act rather than show is written as a visible escape in the style of
# Python's repr: ESC as the four characters \x1b, NEL as \x85, a lone surrogate as \ud800. The
# escape is ASCII (safe on any terminal and in any file), names the exact character (U+FFFD
# would not), and reads the same in the terminal, the XML of GraphML, GEXF and SVG, and the
# cells of a workbook or CSV file. Validation keeps such characters out of the data; these
# functions keep every writer safe on its own.

# the terminal: C0 but tab and newline (a carriage return can overwrite what a line showed),
# DEL, C1 (U+009B is CSI), lone surrogates (which no encoding writes) and the bidi and
# separator characters that reorder what a line shows (graph.schema.DISPLAY_CONTROLS)
_TERMINAL_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{DISPLAY_CONTROLS}]")
# XML 1.0 forbids C0 but tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF;
# DEL and C1 are allowed but discouraged (XML 1.0, 2.2): escaped too, so that an export written
# to a terminal stays inert there as well
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# a spreadsheet cell: what XML escapes (tab, newline and carriage return stay: a multi-line cell)
_CELL_UNSAFE = _XML_UNSAFE
# in a JSON document, json.dumps(ensure_ascii=False) escapes C0 but writes DEL, C1 and lone
# surrogates (and display controls) as they are; these become \u escapes, which read back as
# the same characters
_JSON_RAW = re.compile(f"[\x7f-\x9f\ud800-\udfff{DISPLAY_CONTROLS}]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def visible_escape(ch: str) -> str:
    """'\\x1b' for ESC, '\\u2028' above U+00FF: the character named, never acting."""
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def _escaped(pattern: re.Pattern, text: str) -> str:
    return pattern.sub(lambda m: visible_escape(m.group()), text)


def terminal_text(text: str) -> str:
    """`text` safe to print: control characters other than tab and newline, and lone
    surrogates, as visible escapes ('\\x1b[31m' shows, never colours)."""
    return _escaped(_TERMINAL_UNSAFE, text) if _TERMINAL_UNSAFE.search(text) else text


def xml_text(text: str) -> str:
    """`text` safe in any XML 1.0 document (GraphML, GEXF, SVG, XLSX): the characters XML
    forbids, DEL and C1 as visible escapes, so the file always parses."""
    return _escaped(_XML_UNSAFE, text) if _XML_UNSAFE.search(text) else text


def json_inert(document: str) -> str:
    """A JSON text (from json.dumps with ensure_ascii=False) with DEL, C1 and lone surrogates
    as \\u escapes: the same JSON value, no raw control character, always encodable."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def csv_cell(value, text: str, raw: bool = False) -> str:
    """A CSV cell for `value` shown as `text`, safe to open in a spreadsheet (OWASP): text
    starting with =, +, -, @, tab or carriage return gets a leading ' so that it is never a
    formula; a real number (int or float in the data) stays a number, -5 included; control
    characters other than tab, newline and carriage return become visible escapes. `raw`
    (for scripts, not spreadsheets) writes the text as it is but for lone surrogates, which
    no encoding writes."""
    if raw:
        return _escaped(_SURROGATES, text) if _SURROGATES.search(text) else text
    if _CELL_UNSAFE.search(text):
        text = _escaped(_CELL_UNSAFE, text)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return text
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def display_text(value, pair: str = "=") -> str:
    """Lists joined with '; ', mappings as key<pair>value ('sr-Cyrl=Ниш', as CSV cells take
    them), dates in ISO form, None as ''."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(display_text(v, pair) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}{pair}{display_text(v, pair)}" for k, v in value.items())
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def period_text(start: str | None, end: str | None) -> str:
    """A period as people read it: '2018-02 to 2020-07', '2019 to open', '? to 2020', or ''
    when neither end is known."""
    if not (start or end):
        return ""
    if end is None:
        return _("{start} to open").format(start=start)
    return _("{start} to {end}").format(start=start or "?", end=end)


def source_line(source: dict) -> str:
    """One cited source: '[id] Title <url>' (the URL when the source has one)."""
    return f"[{source['id']}] {source['title']}" + (f" <{source['url']}>" if source.get("url") else "")


def status_text(status: str, confirmed: dict | None) -> str:
    """'active (confirmed 2025-03)', 'unconfirmed since 2019: call to verify', ..."""
    if status == "active":
        return _("active (confirmed {date})").format(date=confirmed["text"]) if confirmed else _("active")
    if status == "unconfirmed":
        if confirmed is None:
            return _("unconfirmed, undated: call to verify")
        if confirmed["text"].endswith(" or later"):  # a lower bound, not the source's date
            return _("unconfirmed, newest source undated (not before {date}): call to verify").format(
                date=confirmed["text"][:-9])
        return _("unconfirmed since {date}: call to verify").format(date=confirmed["text"])
    if status == "unknown":
        return _("unknown (no date in the record or its sources): call to verify")
    return _(STATUSES.get(status, status))


STATUSES = {"active": N_("active"), "ended": N_("ended"), "planned": N_("planned")}


def date_text(text: str) -> str:
    """A source's date as read: '2024', or '2024 or later' for a lower bound."""
    if text.endswith(" or later"):
        return _("{date} or later").format(date=text[:-9])
    return _("undated") if text == "undated" else text


# Words of the schema's vocabularies, listed so the catalogue holds them: referral steps,
# service types, sectors, place levels.
TERMS = {
    "first_contact": N_("first contact"), "identification": N_("identification"),
    "assessment_and_plan": N_("assessment and plan"), "emergency_assistance": N_("emergency assistance"),
    "protection_and_support": N_("protection and support"), "reintegration_or_return": N_("reintegration or return"),
    "criminal_justice": N_("criminal justice"),
    "hotline": N_("hotline"), "outreach": N_("outreach"), "screening": N_("screening"),
    "risk_assessment": N_("risk assessment"), "referral": N_("referral"), "case_management": N_("case management"),
    "individual_planning": N_("individual planning"), "shelter": N_("shelter"),
    "urgent_intervention": N_("urgent intervention"), "health_care": N_("health care"),
    "psychosocial_support": N_("psychosocial support"), "legal_aid": N_("legal aid"),
    "court_support": N_("court support"), "accompaniment": N_("accompaniment"), "information": N_("information"),
    "guardianship": N_("guardianship"), "social_services": N_("social services"),
    "economic_empowerment": N_("economic empowerment"), "education": N_("education"),
    "reintegration": N_("reintegration"), "voluntary_return": N_("voluntary return"),
    "drop_in_centre": N_("drop-in centre"), "investigation": N_("investigation"), "prosecution": N_("prosecution"),
    "awareness_raising": N_("awareness raising"), "training": N_("training"), "coordination": N_("coordination"),
    "monitoring": N_("monitoring"),
    "government": N_("government"), "ngo": N_("NGO"), "international": N_("international"),
    "region": N_("region"), "country": N_("country"), "district": N_("district"), "municipality": N_("municipality"),
    "funds": N_("funds"), "monitors": N_("monitors"), "leads": N_("leads"), "oversees": N_("oversees"),
    "partner_in": N_("partner in"), "website": N_("website"), "email": N_("email"),
    # audiences (the atlas's pages name them)
    "public": N_("public"), "partners": N_("partners"), "internal": N_("internal"),
}
# the kinds of record, as the map, the diagram's legend and the atlas's pages name them
KIND_WORDS = {
    "actor": N_("actor"), "service": N_("service"), "project": N_("project"), "place": N_("place"),
    "population": N_("population"), "exploitation_form": N_("exploitation form"), "indicator": N_("indicator"),
    "assessment": N_("assessment"), "publication": N_("publication"), "source": N_("source"),
}
assert set(KIND_WORDS) == set(NODE_KINDS), "every node kind needs its words"


def kind_word(kind: str) -> str:
    """A kind of record: 'exploitation form', 'oblik eksploatacije'."""
    return _(KIND_WORDS[kind]) if kind in KIND_WORDS else kind.replace("_", " ")



def term(value: str | None) -> str:
    """A vocabulary value ('legal_aid', 'first_contact', 'ngo') as words of the language."""
    if not value:
        return ""
    return _(TERMS[value]) if value in TERMS else value.replace("_", " ")


def gap_text(step: str, detail: dict) -> str:
    """What a pathway gap means: no provider recorded (not nobody there), for whom and where,
    how old the data's knowledge is, what --stated-only hid."""
    text = _("no provider recorded in the data for {step} for {population} in {place} (newest source on "
             "providers there: {newest})").format(
        step=term(step), population=detail.get("population_shown") or detail["population"] or _("anyone"),
        place=detail.get("place_shown") or detail["place"] or _("any place"),
        newest=date_text(detail["newest_source"]))
    if detail.get("hidden_inferred"):
        text += _("; {count} inferred left out by stated-only").format(count=detail["hidden_inferred"])
    return text


def note_text(note: dict) -> str:
    """A query's note ({"code", ...}) as a sentence."""
    if note["code"] == "no_local_provider":
        return _("No current local provider for {place} is recorded in the data (newest source on providers "
                 "there: {newest}); the answers are services for the wider area. No provider recorded is not "
                 "the same as none there.").format(place=note.get("place_shown") or note["place"],
                                               newest=date_text(note["newest_source"]))
    if note["code"] == "left_out":
        items = "; ".join(f"{x['service']} ({ages_text(x.get('min_age'), x.get('max_age')) if note['reason'] == 'age' else genders_text(x['stated'])})"
                          for x in note["services"])
        if note["reason"] == "age":
            return _("Left out because their stated ages exclude age {age}: {services}.").format(
                age=note["age"], services=items)
        return _("Left out because they are for another gender: {services}.").format(services=items)
    return note.get("text", note["code"])


def genders_text(genders: list[str]) -> str:
    words = {"female": N_("female"), "male": N_("male"), "any": N_("any gender")}
    return ", ".join(_(words.get(g, g)) for g in genders)


def ages_text(low: int | None, high: int | None) -> str:
    """'16 and over', 'under 18', '5 to 15' (the words of matching.ages_text, translated)."""
    if low is not None and high is not None:
        return _("{low} to {high}").format(low=low, high=high)
    if low is not None:
        return _("{low} and over").format(low=low)
    if high is not None:
        return _("under {age}").format(age=high + 1)
    return _("any age")


def place_text(place: dict) -> str:
    """'Niš (municipality, Nišava district, Serbia)' from a place term ({"id", "name", "names",
    "level", "within": [...]}), in the language of the moment."""
    within = []
    for p in place.get("within", []):
        name = shown_name(p, "place")
        if p.get("level") == "district" and name == p["name"]:
            name = _("{name} district").format(name=name)
        within.append(name)
    return f"{shown_name(place, 'place')} ({', '.join([term(place.get('level')) or _('place')] + within)})"


# --- ask: how a question was understood, and why one was refused -----------------------------

INTENTS = {
    "who handles": N_("who handles"), "pathway": N_("referral pathway"), "referral": N_("where to refer"),
    "referred to": N_("who refers to"), "gaps": N_("where no provider is recorded"), "project": N_("project"), "who funds": N_("who funds"),
    "who monitors": N_("who monitors"), "who leads": N_("who leads"), "funds by": N_("what an actor funds"),
    "monitors by": N_("what an actor monitors"), "partners": N_("partners"),
    "assessments": N_("assessments"), "metrics": N_("most central actors"), "projects in": N_("projects in a place"),
    "actor": N_("actor profile"), "show": N_("record"),
}
ROLES = {
    "place": N_("place"), "population": N_("group of people"), "service": N_("service"), "form": N_("form of exploitation"),
    "actor": N_("actor"), "project": N_("project"), "service_record": N_("service"), "cue": N_("question word"),
    "generic": N_("general word"), "sector": N_("sector"), "age": N_("age"), "year": N_("year"), "number": N_("number"), "date": N_("date"),
}


def understood_text(result: dict) -> str:
    """'query: who handles; group of people: children; place: Niš (municipality, ...)' for an
    `ask` result: every term the answer used, in the language of the moment."""
    u = result["understood"]
    parts = [_("query: {intent}").format(intent=_(INTENTS.get(result["intent"], result["intent"])))]
    if "population" in u:
        parts.append(_("group of people: {name}").format(name=shown_name(u["population"], "population")))
    if "age" in u:
        parts.append(_("age: {age}").format(age=u["age"]))
    if "place" in u:
        parts.append(_("place: {place}").format(place=place_text(u["place"])))
    if "service" in u:
        parts.append(_("service: {service}").format(service=term(u["service"])))
    if "sector" in u:
        parts.append(_("sector: {sector}").format(sector=term(u["sector"])))
    if "form" in u:
        parts.append(_("form of exploitation: {form}").format(form=shown_name(u["form"], "form")))
    for key, label in (("actor", N_("actor: {name}")), ("project", N_("project: {name}")), ("record", N_("record: {name}"))):
        if key in u:
            parts.append(_(label).format(name=shown_name(u[key])))
    if "instrument" in u:
        parts.append(_("assessment: {instrument}").format(instrument=u["instrument"]))
    if "year" in u:
        parts.append(_("year: {year}").format(year=u["year"]))
    if "as_of" in u:
        text = _("as of: {date}").format(date=u["as_of"]["date"])
        if u["as_of"].get("year"):
            text += " " + _("(the first day of {year}, as --as-of {year})").format(year=u["as_of"]["year"])
        parts.append(text)
    if result.get("stated_only"):
        parts.append(_("stated only"))
    for item in result.get("partial", []):
        parts.append(_("'{text}' taken as {name} (the one name holding those words)").format(
            text=item["text"], name=item["name"]))
    return "; ".join(parts)


def refusal_text(message: str, details: dict, recognised: dict, examples) -> str:
    """Why `ask` did not answer, what it recognised, what it did not (with the closest known
    names), and questions it can answer, in the language of the moment."""
    reason = details.get("reason")
    lines = [_("Cannot answer {question!r} as asked.").format(question=details.get("question", ""))]
    if reason == "unknown":
        lines.append(_("Not understood: {words}.").format(words=", ".join(repr(w) for w in details["unknown"])))
        for word, close in details.get("closest", {}).items():
            if close:
                lines.append(_("  nearest to {word!r}: {names}").format(word=word, names=", ".join(close)))
    elif reason == "ambiguous":
        lines.append(_("{text!r} is part of several names: {names}. Give more of the name.").format(
            text=details["text"], names="; ".join(details["candidates"])))
    elif reason == "several":
        lines.append(_("The question names more than one {role}: {values}. Ask about one at a time.").format(
            role=_(ROLES.get(details.get("role"), details.get("role", ""))), values=", ".join(details["values"])))
    elif reason == "mixed":
        lines.append(_("The question mixes kinds of question; ask one at a time."))
    elif reason == "unused":
        lines.append(_("{values}: not used by a question of the kind '{intent}'; ask it separately.").format(
            intent=_(INTENTS.get(details["intent"], details["intent"])), values=", ".join(details["values"])))
    elif reason == "origin":
        lines.append(_("{text!r} says where someone comes from; the data answers for where a person is now: ask "
                       "'in {place}' or name the place where the person is.").format(text=details["text"],
                                                                                   place=details["place"]))
    elif reason == "location":
        lines.append(_("Addresses and locations are never given: a shelter's location is never public. Ask who "
                       "runs a service, and contact them through the channels the answer lists."))
    elif reason == "range":
        lines.append(_("A period ({values}) is not a date: ask with a year ('in 2020') or use --as-of.").format(
            values=", ".join(details["values"])))
    elif reason == "places":
        lines.append(_("A list of places is answered only as 'where is there no ...' (the gaps in the data); ask "
                       "'who runs ...' for the services and the places they cover."))
    elif reason == "referrer":
        lines.append(_("Who refers is not an actor of the data; the data records the referrals of: {names}.").format(
            names=", ".join(details["referrers"])))
    elif reason == "people":
        lines.append(_("The data records organisations, never people: it cannot say who leads one."))
    elif reason == "actor role":
        lines.append(_("The question asks who else, about {actor}: ask where {actor} refers people "
                       "('where should ... refer ...') or what it does ('does ... help ...').").format(
            actor=details["actor"]))
    elif reason == "gaps":
        lines.append(_("A question with a negation is answered only as 'where is there no ...', for a service or a "
                       "group of people, in a country or district."))
    elif reason == "no ages":
        lines.append(_("The data gives no ages for the group {group!r}; ask about children or adults.").format(
            group=details["group"]))
    elif reason == "age":
        lines.append(_("Age {age} is outside the group {group!r}.").format(age=details["age"], group=details["group"])
                     + (" " + _("Did you mean: {names}?").format(names=", ".join(details["suggestions"]))
                        if details.get("suggestions") else ""))
    else:
        lines.append(_("The question names nothing to look up."))
    if recognised:
        items = "; ".join(f"{_(ROLES.get(role, role))}: {', '.join(words)}" for role, words in recognised.items())
        lines.append(_("Recognised: {items}.").format(items=items))
    else:
        lines.append(_("Recognised: nothing."))
    lines.append(_("Try questions like:"))
    lines += [f'  stakeholder-graph ask "{e}"' for e in examples]
    return "\n".join(lines)


MAX_CELL = 48


def render_table(rows: list[dict], columns: list[str], headers: dict[str, str] | None = None,
                 empty: str = "(no results)") -> str:
    """Aligned columns; long cells wrap inside their column. `headers` words the column keys
    (in the answer's language); `empty` is what an empty table says."""
    if not rows:
        return empty
    width = shutil.get_terminal_size((120, 20)).columns
    cells = [[terminal_text(display_text(r.get(c))) for c in columns] for r in rows]
    titles = [(headers or {}).get(c, c.replace("_", " ")) for c in columns]
    widths = [
        min(max(len(t), *(len(row[i]) for row in cells)), MAX_CELL) for i, t in enumerate(titles)
    ]
    # shrink the widest columns until the table fits the terminal
    while sum(widths) + 2 * len(widths) > width and max(widths) > 12:
        widths[widths.index(max(widths))] -= 1
    lines = ["  ".join(t.upper().ljust(w) for t, w in zip(titles, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        wrapped = [textwrap.wrap(text, w) or [""] for text, w in zip(row, widths)]
        for i in range(max(len(w) for w in wrapped)):
            lines.append(
                "  ".join((w[i] if i < len(w) else "").ljust(n) for w, n in zip(wrapped, widths)).rstrip()
            )
    return "\n".join(lines)


def answer_json(data) -> str:
    """An answer as JSON, the same bytes for `--format json` and the web API: indented, UTF-8
    as is, no raw control character (DEL and C1 as \\u escapes; json escapes the rest)."""
    import json  # here: a table or CSV answer, the usual, needs no json

    return json_inert(json.dumps(data, ensure_ascii=False, indent=2, default=str))
