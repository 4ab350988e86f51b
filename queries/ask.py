"""Plain-language questions mapped onto the queries, deterministically and offline.

The question's words are matched against the graph's own vocabulary (place names in Latin and
Cyrillic, population, service-type and actor names and aliases); a few cue words pick the
query. Nothing is guessed: a question that maps onto no query is refused with what was
recognised and example questions.
"""
from __future__ import annotations

import re

from stakeholder_graph.graph.errors import CannotMap
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.graph.names import fold
from stakeholder_graph.graph.schema import VOCABULARIES
from stakeholder_graph.queries.gaps import coverage_gaps
from stakeholder_graph.queries.matching import FRESHNESS_MONTHS, PLACE_LEVEL_RANK, SERVICE_TYPE_ALIASES
from stakeholder_graph.queries.pathway import referral_pathway
from stakeholder_graph.queries.profiles import actor_profile, project_profile
from stakeholder_graph.queries.relations import projects_in, related
from stakeholder_graph.queries.who import who_handles

EXAMPLES = (
    "who handles child victims in Niš?",
    "what is the pathway for an unaccompanied migrant child in Subotica?",
    "where is there no shelter for children?",
)
MAX_WORDS = 8
KINDS = {"place": "place", "population": "population", "actor": "actor", "project": "project",
         "exploitation_form": "form"}


def _service_keys() -> dict[str, str]:
    keys = {fold(t.replace("_", " ")): t for t in VOCABULARIES["service_type"]}
    keys.update({fold(k): v for k, v in SERVICE_TYPE_ALIASES.items()})
    return keys


def recognise(g: StakeholderGraph, text: str) -> tuple[dict[str, list[str]], str]:
    """Longest-first matches of the question's words against names and aliases.

    Returns ({role: [ids or service types]}, folded question)."""
    folded = fold(text)
    words = folded.split()
    used = [False] * len(words)
    found: dict[str, list[str]] = {}
    keys = g.index.keys()
    services = _service_keys()
    for n in range(min(MAX_WORDS, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            if any(used[i:i + n]):
                continue
            window = " ".join(words[i:i + n])
            candidates = [window] + ([window[:-1]] if window.endswith("s") else [])
            hit = False
            for key in candidates:
                for rid in keys.get(key, {}):
                    role = KINDS.get(g.kind(rid))
                    if role and rid not in found.get(role, []):
                        found.setdefault(role, []).append(rid)
                        hit = True
                if key in services and services[key] not in found.get("service", []):
                    found.setdefault("service", []).append(services[key])
                    hit = True
                if hit:
                    break
            if hit:
                used[i:i + n] = [True] * n
    return found, folded


def _most_local(g: StakeholderGraph, places: list[str]) -> str:
    return min(places, key=lambda p: (PLACE_LEVEL_RANK.get(g.node(p).get("level"), 9), g.name(p)))


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


def understood_text(g: StakeholderGraph, intent: str, terms: dict) -> str:
    parts = [f"query: {intent}"]
    for role, value in terms.items():
        if value is None:
            continue
        if role == "place":
            parts.append(f"place: {g.describe_place(value)}")
        elif role in ("population", "actor", "project", "form", "target"):
            parts.append(f"{role}: {g.name(value)}")
        else:
            parts.append(f"{role}: {value}")
    return "; ".join(parts)


def ask(g: StakeholderGraph, text: str, as_of=None, freshness_months: int = FRESHNESS_MONTHS,
        stated_only: bool = False) -> dict:
    """Map a question onto one query and run it.

    Returns {"question", "intent", "understood" (the resolved terms), "understood_text",
    "answer"}; raises CannotMap when no query fits.

    >>> result = ask(g, "who handles child victims in Niš?", as_of="2026-11-28")
    >>> result["intent"], result["understood_text"]
    ('who handles', 'query: who handles; population: children; place: Niš (municipality, Nišava district, Serbia)')
    """
    found, q = recognise(g, text)
    first = {role: ids[0] for role, ids in found.items()}
    place = _most_local(g, found["place"]) if found.get("place") else None
    population, actor, project = first.get("population"), first.get("actor"), first.get("project")
    service, form = first.get("service"), first.get("form")
    target = project or actor or place

    if (population or place) and _has(r"\b(pathway|referral path|referral route|route|steps?)\b", q):
        intent, terms = "pathway", {"population": population, "place": place}
        answer = referral_pathway(g, population, place, as_of, freshness_months, stated_only)
    elif _has(r"\b(no|not any|without|lacks?|lacking|missing|gaps?)\b", q) and (service or population) \
            and _has(r"\b(where|which (places|municipalities|towns|cities)|gaps?)\b", q):
        country = place if place and g.node(place).get("level") in ("country", "region", "district") else None
        intent, terms = "gaps", {"service": service, "population": population, "place": country}
        answer = coverage_gaps(g, service, population, country, as_of, False, freshness_months, stated_only)
    elif project and _has(r"\b(achiev\w*|results?|outcomes?|accomplish\w*|figures?|deliver\w*|targets?)\b", q):
        intent, terms = "project", {"project": project}
        answer = project_profile(g, project, as_of, freshness_months)
    elif _has(r"\b(funds?|funded|funding|financ\w*|donors?|pays?)\b", q):
        intent, terms = "who funds", {"target": target}
        answer = related(g, "funds", target, as_of)
    elif _has(r"\b(monitors?|monitored|monitoring|rapporteur|assess\w*|evaluat\w*)\b", q):
        intent, terms = "who monitors", {"target": target}
        answer = related(g, "monitors", target, as_of)
    elif project and _has(r"\b(leads?|led|leading|runs?|implement\w*)\b", q):
        intent, terms = "who leads", {"project": project}
        answer = related(g, "leads", project, as_of)
    elif actor and _has(r"\b(works? with|partners?|partnering|collaborat\w*|cooperat\w*)\b", q):
        intent, terms = "partners", {"actor": actor}
        answer = actor_profile(g, actor, as_of, freshness_months)
    elif place and _has(r"\bprojects?\b", q):
        intent, terms = "projects in", {"place": place}
        answer = projects_in(g, place, as_of)
    elif (population or place or service) and _has(
        r"\b(who|which|where|whom)\b|handl|help|support|shelter|assist|serv|protect|provid|offer|care", q
    ):
        intent = "who handles"
        terms = {"population": population, "place": place, "service": service, "form": form}
        answer = who_handles(g, population, place, service, form, as_of, freshness_months, stated_only)
    elif actor and not (population or place):
        intent, terms = "actor", {"actor": actor}
        answer = actor_profile(g, actor, as_of, freshness_months)
    else:
        recognised = {role: [g.name(i) if role != "service" else i for i in ids] for role, ids in found.items()}
        raise CannotMap(f"could not map the question {text!r} onto a query", recognised, EXAMPLES)
    return {
        "question": text,
        "intent": intent,
        "understood": {k: v for k, v in terms.items() if v is not None},
        "understood_text": understood_text(g, intent, terms),
        "answer": answer,
    }
