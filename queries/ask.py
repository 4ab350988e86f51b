"""Plain-language questions in English and Serbian mapped onto the queries, deterministically
and offline: answered right or refused, never answered as a different question.

queries.parse accounts for every word. Here the words decide the kind of question (its cue
words: who, pathway, refer, no ..., funds, partners, tier, most central, ...) and the terms
it is about (a group of people, a place, a service, a form of exploitation, an actor, a
project, an age, a year). A question is refused (CannotMap, with what was recognised, what
was not, the closest names and example questions) when a word is unknown, a partial name fits
several records, two terms of one kind do not nest (Niš and Subotica), cue words of two kinds
of question meet, or a term is one the kind of question does not use. Otherwise exactly one
query runs and `understood` lists every term it used.
"""
from __future__ import annotations

import datetime as dt

from stakeholder_graph.graph import dates
from stakeholder_graph.graph.errors import CannotMap
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.graph.names import fold
from stakeholder_graph.queries.matching import (
    FRESHNESS_MONTHS,
    PLACE_LEVEL_RANK,
    age_fits,
    named,
    place_term,
    population_down,
    population_up,
)
from stakeholder_graph.queries.parse import Parsed, parse
from stakeholder_graph.queries.vocabulary import lexicon_phrases, subject_forms, vocabulary

EXAMPLES = {
    "en": (
        "who handles child victims in Niš?",
        "what is the pathway for an unaccompanied migrant child in Subotica?",
        "where is there no shelter for children?",
        "where should police refer a child victim in Niš?",
    ),
    "sr-Latn": (
        "ko pomaže deci žrtvama trgovine u Nišu?",
        "put upućivanja za dete bez pratnje u Subotici",
        "gde nema skloništa za decu?",
        "kome policija upućuje dete žrtvu u Nišu?",
    ),
    "sr-Cyrl": (
        "ко помаже деци жртвама трговине у Нишу?",
        "пут упућивања за дете без пратње у Суботици",
        "где нема склоништа за децу?",
        "коме полиција упућује дете жртву у Нишу?",
    ),
}
GENERAL_CUES = {"who", "where", "asks_who"}
# the cue words each kind of question uses; any other cue of a specific kind is refused
USES_CUES = {
    "pathway": {"pathway"},
    "referral": {"refer"},
    "referred to": {"refer"},
    "gaps": {"gaps", "places"},
    "project": {"achievements", "projects", "profile", "partners"},
    "who funds": {"funds", "projects"},
    "who monitors": {"monitors"},
    "funds by": {"funds", "projects"},
    "monitors by": {"monitors"},
    "who leads": {"leads", "projects"},
    "partners": {"partners", "projects"},
    "assessments": {"assessment"},
    "metrics": {"central"},
    "projects in": {"projects"},
    "who handles": {"refer"},
    "actor": {"profile", "projects", "leads"},
    "show": {"profile"},
}
INVESTIGATES = {"investigate": "investigation", "prosecute": "prosecution"}
TIP_WORDS = {"tip", "tip report", "trafficking in persons report", "tier", "tiers", "watch list", "tip izvestaj",
             "tip izvestaju", "tip rang", "tip rangu"}
OBJECT_PREPOSITIONS = {"u", "na", "kod", "ka", "prema", "do", "za"}  # "šalje u Centar": to the Centre
SOURCE_PREPOSITIONS = {"iz", "od"}  # "žrtve iz policije": from the police


def _refuse(p: Parsed, reason: str, message: str, **details) -> CannotMap:
    recognised: dict[str, list[str]] = {}
    for f in p.found:
        for h in f.hits:
            recognised.setdefault(h.role, [])
            if f.text not in recognised[h.role]:
                recognised[h.role].append(f.text)
    return CannotMap(message, recognised, EXAMPLES[p.language], {
        "reason": reason, "language": p.language, "question": p.question, "unknown": p.unknown_words(), **details})


def closest_words(g: StakeholderGraph, word: str, lang: str, n: int = 3) -> list[str]:
    """Names and words of the vocabulary nearest to an unknown word ('Nsi': Niš)."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    names = g.index.closest(word, ("place", "population", "actor", "project", "exploitation_form"), n)
    key = fold(word)
    words = [w for w in lexicon_phrases(lang) if " " not in w]
    scored = process.extract(key, words, scorer=DamerauLevenshtein.normalized_similarity, score_cutoff=0.7, limit=n)
    return list(dict.fromkeys([*names, *(w for w, _, _ in scored)]))[:n]


def _one_place(g: StakeholderGraph, p: Parsed, places: list[str]) -> str | None:
    """The most local of places that nest (Niš in Serbia); refused when they do not."""
    if not places:
        return None
    local = min(places, key=lambda x: (PLACE_LEVEL_RANK.get(g.node(x).get("level"), 9), g.name(x)))
    up = dict(g.ancestors(local))
    if any(x not in up for x in places):
        raise _refuse(p, "several", "the question names places that do not lie in one another: "
                      + ", ".join(g.name(x) for x in places), role="place", values=[g.name(x) for x in places])
    return local


def _one_population(g: StakeholderGraph, p: Parsed, groups: list[str]) -> str | None:
    """The most specific of groups that nest (children of victims, women of adults)."""
    if not groups:
        return None
    for candidate in groups:
        up = population_up(g, candidate)
        if all(x in up for x in groups):
            return candidate
    raise _refuse(p, "several", "the question names groups of people that do not lie in one another: "
                  + ", ".join(g.name(x) for x in groups), role="population", values=[g.name(x) for x in groups])


def _inherited_ages(g: StakeholderGraph, group: str) -> dict:
    """min_age/max_age of a group, or of the nearest broader group that defines them."""
    for a, _ in g.ancestors(group):
        attrs = g.node(a)
        if attrs.get("min_age") is not None or attrs.get("max_age") is not None:
            return {"min_age": attrs.get("min_age"), "max_age": attrs.get("max_age")}
    return {}


def _group_for_age(g: StakeholderGraph, p: Parsed, group: str | None, age: int) -> str:
    """The group a person of `age` belongs to: the group asked about when its ages allow it;
    else the broadest group inside it whose ages do (victims aged 14: children; women and
    girls aged 14: girls); refused when none does (a 14-year-old woman)."""
    if group is None:
        group = "victims-of-trafficking" if "victims-of-trafficking" in g.G else None
        if group is None:
            raise _refuse(p, "incomplete", "an age needs a group of people in the data")
    ages = _inherited_ages(g, group)
    if ages and age_fits(ages, age):
        return group
    if not ages and not any(g.node(x).get("min_age") is not None or g.node(x).get("max_age") is not None
                            for x in population_down(g, group)):
        raise _refuse(p, "no ages", f"the data gives no ages for {g.name(group)!r}", group=g.name(group), age=age)
    if not ages:
        inside = sorted(population_down(g, group), key=lambda x: (len(population_up(g, x)), x))
        for x in inside:
            own = g.node(x)
            if (own.get("min_age") is not None or own.get("max_age") is not None) and age_fits(own, age) \
                    and population_down(g, group).get(x) is None:
                return x
    fits = [x for x in g.ids_of("population") if (g.node(x).get("min_age") is not None or
                                                  g.node(x).get("max_age") is not None) and age_fits(g.node(x), age)
            and set(g.node(x).get("genders", [])) == set(g.node(group).get("genders", []))]
    raise _refuse(p, "age", f"age {age} is outside the group {g.name(group)!r}", group=g.name(group), age=age,
                  suggestions=sorted(g.name(x) for x in fits)[:3])


def _instrument(p: Parsed) -> str | None:
    words = {fold(w) for w in p.cue_words("assessment")}
    if words & {"greta"}:
        return "GRETA"
    if words & TIP_WORDS:
        return "TIP"
    return None


def _word_before(p: Parsed, start: int) -> str:
    i = start - 1
    while i >= 0 and p.tokens[i].key in ("the", "a", "an"):
        i -= 1
    return p.tokens[i].key if i >= 0 else ""


def _check_origin_and_kinship(g: StakeholderGraph, p: Parsed) -> None:
    """Refuse what reads like a place or a group but is not one: where people come from
    ("victims from Albania", "žrtve iz Albanije": a country of origin, not where a service
    works) and kin ("children of victims")."""
    for h, f in p.hits("place"):
        if _word_before(p, f.start) in ("from", "iz", "od") and g.node(h.value).get("level") in ("country", "region"):
            raise _refuse(p, "origin", f"{f.text!r} says where someone comes from", text=f.text,
                          place=g.name(h.value))
    spans = sorted({(f.start, f.end) for h, f in p.hits("population")})
    for (_, end), (start, _) in zip(spans, spans[1:]):
        if [t.key for t in p.tokens[end:start] if t.key not in ("the", "a", "an")] == ["of"]:
            raise _refuse(p, "several", "the question names one group of people in relation to another",
                          role="population", values=[" ".join(t.text for t in p.tokens[spans[0][0]:spans[-1][1]])])


def _before_actor(p: Parsed, actor: str) -> str:
    """The word before the actor's name, articles aside."""
    return next((_word_before(p, f.start) for h, f in p.hits("actor") if h.value == actor), "")


def actor_role(g: StakeholderGraph, p: Parsed, actor: str) -> str:
    """"subject" when the actor does what the verb says (where the police refer; whom the
    Ombudsman monitors; referrals from the police), "object" when it undergoes it (who refers
    to the police, who monitors the Ombudsman). English: "to X" is the object, "from X", "by
    X" and "does X ..." the subject. Serbian: a preposition of direction (u, ka, za ...)
    makes X the object, one of origin (iz, od) the subject; otherwise X in the nominative
    (policija, Zaštitnik građana) is the subject unless "ko" (who) is, and any other form
    (policiji, Zaštitnika) is the object."""
    spans = [f for h, f in p.hits("actor") if h.value == actor]
    before = [_word_before(p, f.start) for f in spans]
    if p.lang == "en":
        if set(before) & {"to", "towards"}:
            return "object"
        if set(before) & {"from", "by", "does", "did", "do", "will", "can", "should"}:
            return "subject"
        return "object" if "asks_who" in p.cues() and not p.cues() & {"refer", "where"} else "subject"
    if set(before) & SOURCE_PREPOSITIONS:
        return "subject"
    if set(before) & OBJECT_PREPOSITIONS:
        return "object"
    subjects = subject_forms() | {k for k, hits in vocabulary(g).names.items() if any(h.value == actor for h in hits)}
    nominative = any(" ".join(t.key for t in p.tokens[f.start:f.end]) in subjects for f in spans)
    return "subject" if nominative and not any(t.key == "ko" for t in p.tokens) else "object"


def decide(g: StakeholderGraph, p: Parsed) -> tuple[str, dict]:
    """The kind of question and its terms ({"population", "place", "service", "form",
    "actor", "project", "record", "age", "year", "instrument"}), or CannotMap."""
    if p.unknown:
        words = p.unknown_words()
        raise _refuse(p, "unknown", "could not understand " + ", ".join(repr(w) for w in words),
                      closest={w: closest_words(g, w, p.lang) for w in words})
    if p.ambiguous:
        text, hits = p.ambiguous[0]
        raise _refuse(p, "ambiguous", f"{text!r} is part of several names",
                      text=text, candidates=[g.name(h.value) for h in hits][:8])
    if p.conflicts:
        raise _refuse(p, "several", "the question gives two ages or two years: " + ", ".join(p.conflicts),
                      role="number", values=p.conflicts)
    services, sectors = p.values("service"), p.values("sector")
    forms, projects = p.values("form"), p.values("project")
    # "social services", "prosecution" name a kind of service and an actor alike: the service is meant
    actors = list(dict.fromkeys(h.value for h, f in p.hits("actor") if not any(x.role == "service" for x in f.hits)))
    records = p.values("service_record")
    for role, values in (("service", services), ("form", forms), ("actor", actors), ("project", projects),
                         ("service_record", records), ("sector", sectors)):
        if len(values) > 1:
            shown = [v if role in ("service", "sector") else g.name(v) for v in values]
            raise _refuse(p, "several", f"the question names more than one {role.replace('_', ' ')}: "
                          + ", ".join(shown) + "; ask about one at a time", role=role, values=shown)
    terms = {
        "population": _one_population(g, p, p.values("population")),
        "place": _one_place(g, p, p.values("place")),
        "service": services[0] if services else None,
        "form": forms[0] if forms else None,
        "actor": actors[0] if actors else None,
        "project": projects[0] if projects else None,
        "record": records[0] if records else None,
        "sector": sectors[0] if sectors else None,
        "age": p.age,
        "year": p.year,
    }
    _check_origin_and_kinship(g, p)
    if p.age is not None:
        terms["population"] = _group_for_age(g, p, terms["population"], p.age)
    cues = p.cues()
    if "location" in cues:
        raise _refuse(p, "location", "addresses and locations are never given (a shelter's is never public)")
    if p.ranges:
        raise _refuse(p, "range", "a period is not a date: " + ", ".join(p.ranges), values=p.ranges)
    if "works_with" in cues:  # "works with Atina": partners; "works with children": who handles them
        cues = (cues - {"works_with"}) | ({"partners"} if terms["actor"] else {"who"})
    specific = cues - GENERAL_CUES
    t = terms
    if t["service"] == "referral" and "refer" in specific and t["actor"]:
        t["service"] = None  # "referrals from the police": the word asks the referral question
    people = t["population"] or t["place"] or t["service"] or t["form"]
    if "places" in specific and "gaps" not in specific:
        raise _refuse(p, "places", "a list of places is answered only as 'where is there no ...'")
    if "pathway" in specific and (t["population"] or t["place"]):
        intent = "pathway"
    elif "refer" in specific and t["actor"]:
        intent = "referred to" if actor_role(g, p, t["actor"]) == "object" else "referral"
    elif "refer" in specific and (t["service"] not in (None, "referral") or t["sector"]):
        # "where should a doctor refer ...": the one who refers is not an actor of the data
        raise _refuse(p, "referrer", "the data records the referrals of actors, named as such",
                      referrers=sorted({g.name(u) for u, _, a in g.G.edges(data=True) if a["type"] == "refers_to"}))
    elif "gaps" in specific:
        country = t["place"] is None or g.node(t["place"]).get("level") in ("country", "region", "district")
        if not ((t["service"] or t["population"]) and cues & {"where", "places"} and country):
            raise _refuse(p, "gaps", "a question with a negation is answered only as 'where is there no ...' "
                          "for a service or group, in a country or district")
        intent = "gaps"
    elif specific & {"achievements"} and t["project"]:
        intent = "project"
    elif specific & {"funds", "monitors"}:
        kind = "funds" if "funds" in specific else "monitors"
        # "whom does the Ombudsman monitor", "šta finansira EU": what the actor does, not who does it to it
        by_actor = t["actor"] and actor_role(g, p, t["actor"]) == "subject" and (
            p.lang == "sr" or "asks_who" not in cues or _before_actor(p, t["actor"]) in ("does", "did", "do"))
        intent = f"{kind} by" if by_actor else f"who {kind}"
    elif "leads" in specific and t["project"]:
        intent = "who leads"
    elif "leads" in specific and t["actor"] and "projects" not in specific:
        raise _refuse(p, "people", "the data records no people: who leads an organisation is not in it")
    elif "leads" in specific and not t["actor"] and (t["service"] or t["population"]):
        specific -= {"leads"}  # "ko vodi sklonište": who runs a shelter
        intent = "who handles"
    elif "partners" in specific and t["actor"]:
        intent = "partners"
    elif "partners" in specific and t["project"]:
        intent = "project"  # a project's partners are in its profile
    elif "assessment" in specific:
        intent = "assessments"
        t["instrument"] = _instrument(p)
        # 'GRETA', 'the US' name the assessor here, not the subject of the assessment
        assessor_words = {f.start for h, f in p.hits("cue") if h.value == "assessment"}
        if t["actor"] and (g.in_edges(t["actor"], "assessed_by") or
                           all(f.start in assessor_words for h, f in p.hits("actor") if h.value == t["actor"])):
            t["instrument"] = t["instrument"] if not g.in_edges(t["actor"], "assessed_by") else g.name(t["actor"])
            t["actor"] = None
    elif "central" in specific:
        intent = "metrics"
    elif specific & set(INVESTIGATES):
        kinds = specific & set(INVESTIGATES)
        if len(kinds) > 1 or (t["service"] and t["service"] != INVESTIGATES[next(iter(kinds))]):
            raise _refuse(p, "mixed", "the question asks about investigation and prosecution at once")
        t["service"] = INVESTIGATES[next(iter(kinds))]
        specific = specific - kinds
        intent = "who handles"
    elif "projects" in specific and t["place"] and not t["project"]:
        intent = "projects in"
    elif t["record"]:
        intent = "show"
    elif people or t["sector"]:
        intent = "who handles"
        if t["actor"] and "asks_who" in cues:
            # "who helps the police", "who should the police call": the actor is not the answer
            raise _refuse(p, "actor role", "the question asks who else, about an actor: ask where that actor "
                          "refers people, or what it does", actor=g.name(t["actor"]))
    elif t["project"]:
        intent = "project"
    elif t["actor"]:
        intent = "actor"
        if "asks_who" in cues and "who" in cues:
            # "who helps ASTRA", "ko pomaže policiji": someone else, not the actor's profile
            raise _refuse(p, "actor role", "the question asks who else, about an actor", actor=g.name(t["actor"]))
    else:
        missing = sorted(specific) or sorted(cues)
        raise _refuse(p, "incomplete", "the question names nothing to look up"
                      + (f" for its words about {', '.join(missing)}" if missing else ""))
    unused_cues = specific - USES_CUES.get(intent, set()) - set(INVESTIGATES)
    if unused_cues:
        raise _refuse(p, "mixed", "the question mixes kinds of question: "
                      + ", ".join(sorted(unused_cues | (specific & USES_CUES.get(intent, set())))),
                      cues=sorted(specific))
    _check_terms_used(g, p, intent, t)
    return intent, t


USES_TERMS = {
    "pathway": {"population", "place", "age", "year"},
    "referral": {"actor", "population", "place", "age", "year"},
    "referred to": {"actor", "population", "place", "sector", "year"},
    "gaps": {"service", "population", "place", "year"},
    "project": {"project", "year"},
    "who funds": {"project", "actor", "place", "year"},
    "who monitors": {"project", "actor", "place", "year"},
    "funds by": {"actor", "project", "place", "year"},
    "monitors by": {"actor", "place", "year"},
    "who leads": {"project", "year"},
    "partners": {"actor", "place", "sector", "year"},
    "assessments": {"place", "actor", "year", "instrument"},
    "metrics": set(),
    "projects in": {"place", "year"},
    "who handles": {"population", "place", "service", "form", "actor", "sector", "age", "year"},
    "actor": {"actor", "year"},
    "show": {"record", "actor"},
}


def _check_terms_used(g: StakeholderGraph, p: Parsed, intent: str, t: dict) -> None:
    """Refuse a term the kind of question would not use: it would be dropped silently."""
    unused = [k for k, v in t.items() if v is not None and k not in USES_TERMS[intent]]
    targets = [k for k in ("project", "actor", "place") if t.get(k)]
    if intent in ("who funds", "who monitors") and len(targets) > 1:
        unused += targets[1:]
    if intent == "assessments" and t.get("place") and t.get("actor"):
        unused.append("actor")
    if intent == "show" and t.get("actor") and t["actor"] not in {a for a, _ in g.in_edges(t["record"], "offers")}:
        unused.append("actor")  # "Atina's Temporary House" names its provider; another actor would be dropped
    if unused:
        shown = [t[k] if k in ("service", "sector", "age", "year", "instrument") else g.name(t[k]) for k in unused]
        raise _refuse(p, "unused", f"{', '.join(map(str, shown))}: not used by a question of the kind "
                      f"{intent!r}; ask it separately", intent=intent, terms=unused, values=[str(x) for x in shown])


def _as_of(p: Parsed, year: int | None, as_of) -> dt.date | None:
    if isinstance(as_of, str):
        as_of = dates.parse_as_of(as_of)
    if year is None:
        return as_of
    from_question = dates.parse_as_of(str(year))
    if as_of is not None and as_of != from_question:
        raise _refuse(p, "several", f"the question says {year} but --as-of says {as_of.isoformat()}",
                      role="date", values=[str(year), as_of.isoformat()])
    return from_question


def run(g: StakeholderGraph, intent: str, t: dict, as_of, freshness_months: int, stated_only: bool) -> dict:
    """The answer of the one query a question maps onto (each query's module is imported
    only when asked: a cold `ask` loads what it needs)."""
    if intent in ("pathway", "referral", "referred to"):
        from stakeholder_graph.queries.pathway import referral_from, referral_pathway, referred_to

        if intent == "pathway":
            return referral_pathway(g, t["population"], t["place"], as_of, freshness_months, stated_only, t["age"])
        if intent == "referred to":
            result = referred_to(g, t["actor"], t["population"], t["place"], as_of, stated_only)
            if t["sector"]:  # "which NGO refers victims to the Centre"
                result["referrers"] = [r for r in result["referrers"] if g.node(r["from"]["id"]).get("sector") == t["sector"]]
                result["query"]["sector"] = t["sector"]
            return result
        return referral_from(g, t["actor"], t["population"], t["place"], as_of, freshness_months, stated_only, t["age"])
    if intent == "gaps":
        from stakeholder_graph.queries.gaps import coverage_gaps

        return coverage_gaps(g, t["service"], t["population"], t["place"], as_of, False, freshness_months, stated_only)
    if intent in ("project", "actor"):
        from stakeholder_graph.queries.profiles import actor_profile, project_profile

        if intent == "project":
            return project_profile(g, t["project"], as_of, freshness_months)
        return actor_profile(g, t["actor"], as_of, freshness_months)
    if intent in ("funds by", "monitors by"):
        from stakeholder_graph.queries.relations import related_from

        return related_from(g, intent.split()[0], t["actor"], t["project"] or t["place"], as_of)
    if intent in ("who funds", "who monitors", "who leads", "partners", "assessments", "projects in"):
        from stakeholder_graph.queries import relations

        if intent == "partners":
            result = relations.partners_of(g, t["actor"], t["place"], as_of)
            if t["sector"]:
                result["results"] = [r for r in result["results"] if r["partner"].get("sector") == t["sector"]]
                result["query"]["sector"] = t["sector"]
            return result
        if intent == "projects in":
            return relations.projects_in(g, t["place"], as_of)
        if intent == "assessments":
            result = relations.assessments_of(g, t["place"] or t["actor"], t.get("instrument"))
            if t["year"] is not None:  # an undated claim ("consistently Tier 2") is no answer for one year
                result["results"] = [r for r in result["results"] if r["year"] == t["year"]]
                result["query"]["year"] = t["year"]
            return result
        return relations.related(g, intent.split()[1], t["project"] or t["actor"] or t["place"], as_of)
    if intent == "metrics":
        from stakeholder_graph.queries.metrics import network_metrics

        return network_metrics(g, 10)
    if intent == "who handles":
        from stakeholder_graph.queries.who import contact_first_of, group_by_actor, who_handles

        result = who_handles(g, t["population"], t["place"], t["service"], t["form"], as_of, freshness_months,
                             stated_only, t["age"])
        # "does ASTRA help children in Niš?", "which NGO helps ...": those actors' answers only
        units = {t["actor"], *g.descendants(t["actor"])} if t["actor"] else set()  # IRC and IRC Serbia
        keep = {"actor": lambda a: a["id"] in units, "sector": lambda a: a.get("sector") == t["sector"]}
        for key, wanted in keep.items():
            if t[key]:
                result["results"] = [r for r in result["results"] if wanted(r["actor"])]
                result["contact_first"] = contact_first_of(result["results"])
                result["by_actor"] = group_by_actor(result["results"])
                result["query"][key] = g.name(t[key]) if key == "actor" else t[key]
        return result
    from stakeholder_graph.queries.inventory import show

    return show(g, t["record"])


def understood_terms(g: StakeholderGraph, intent: str, t: dict, as_of: dt.date | None) -> dict:
    """Every term the query used, as records a reader can word in any language."""
    out: dict = {}
    for key in ("population", "actor", "project", "form", "record"):
        if t.get(key):
            out[key] = named(g, t[key])
    if t.get("place"):
        out["place"] = place_term(g, t["place"])
    for key in ("service", "sector", "age", "instrument"):
        if t.get(key) is not None:
            out[key] = t[key]
    if intent == "assessments" and t.get("year") is not None:
        out["year"] = t["year"]  # the year of the assessments asked about, not a date to check status on
    elif as_of is not None:
        out["as_of"] = {"date": as_of.isoformat(), "year": t.get("year")}
    return out


def words_accounted(p: Parsed) -> list[dict]:
    """Every word of the question and what it was read as (every meaning it has)."""
    out = [{"text": f.text, "as": f.hits[0].role, "values": list(dict.fromkeys(h.value for h in f.hits)),
            "how": f.hits[0].how} for f in p.found]
    out += [{"text": p.tokens[i].text, "as": "function word"} for i in p.stop]
    return out


def ask(g: StakeholderGraph, text: str, as_of=None, freshness_months: int = FRESHNESS_MONTHS,
        stated_only: bool = False) -> dict:
    """Map a question (English or Serbian, Latin or Cyrillic) onto one query and run it.

    Returns {"question", "language" (en, sr-Latn, sr-Cyrl), "intent", "understood" (every term
    used: population, place, service, form, actor, project, age, as_of, ...), "partial" (names
    taken from part of them), "words" (what each word was read as), "answer"}; raises
    CannotMap when the question cannot be answered as asked (its `details` say why).

    >>> result = ask(g, "who handles child victims in Niš?", as_of="2026-11-28")
    >>> result["intent"], result["understood"]["population"]["name"], result["understood"]["place"]["name"]
    ('who handles', 'children', 'Niš')
    >>> ask(g, "ко помаже деци у Нишу?", as_of="2026-11-28")["language"]
    'sr-Cyrl'
    """
    p = parse(g, text)
    intent, t = decide(g, p)
    # the year of an assessment is what it is about, not a date to check status on
    when = _as_of(p, None if intent == "assessments" else t["year"], as_of)
    answer = run(g, intent, t, when, freshness_months, stated_only)
    return {
        "question": text,
        "language": p.language,
        "intent": intent,
        "understood": understood_terms(g, intent, t, when if t["year"] is not None or as_of is not None else None),
        "stated_only": stated_only,
        "partial": [{"text": f.text, "kind": h.role, "name": g.name(h.value)}
                    for f in p.found for h in f.hits if h.how == "partial"],
        "words": words_accounted(p),
        "answer": answer,
    }


__all__ = ["EXAMPLES", "ask", "closest_words", "decide"]
