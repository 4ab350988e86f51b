"""The questions the atlas answers, read from a request's parameters: one function per question,
shared by the pages and the API, calling the same query as the CLI's command of that name
with the same defaults, so `/api/who?population=children&place=Niš` and `stakeholder-graph who
--population children --place Niš --format json` are one answer.

A parameter that is not understood (unknown, repeated, not a number or a date) is refused
with ParameterError naming it, never ignored: an answer to a different question is worse than
none.
"""
from __future__ import annotations

import datetime as dt

from stakeholder_graph.graph import dates
from stakeholder_graph.graph.errors import DateError, QueryError
from stakeholder_graph.queries import matching
from stakeholder_graph.queries.matching import FRESHNESS_MONTHS

MAX_TEXT = 500  # no name or question is longer; longer input is refused unread
TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


class ParameterError(QueryError):
    """A request parameter the question does not take, or a value it cannot read."""


# question -> the parameters it takes (as the CLI's options are named, '-' as '_')
PARAMETERS: dict[str, tuple[str, ...]] = {
    "who": ("population", "place", "service", "form", "age", "active", "stated_only", "as_of", "freshness"),
    "pathway": ("population", "place", "age", "stated_only", "as_of", "freshness"),
    "gaps": ("service", "population", "country", "all", "stated_only", "as_of", "freshness"),
    "show": ("name",),
    "actor": ("name", "as_of", "freshness"),
    "project": ("name", "as_of", "freshness"),
    "ask": ("q", "stated_only", "as_of", "freshness"),
    "sources": (),
    "search": ("q", "kind"),
    "suggest": ("q", "kind"),
    "map": ("population", "place", "country", "service", "around", "depth", "pathway", "layout", "as_of"),
}
ALWAYS = ("lang",)  # every page takes the language switch
KINDS = ("actor", "service", "project", "place", "population", "exploitation_form", "assessment", "indicator",
         "publication", "source")


def read(question: str, params) -> dict:
    """The parameters of `question` from a multi-dict of strings: each once, none unknown,
    empty ones as not given."""
    allowed = PARAMETERS[question]
    out: dict[str, str] = {}
    seen: set[str] = set()
    for key in params.keys():
        values = params.getlist(key) if hasattr(params, "getlist") else [params[key]]
        name = key.replace("-", "_")
        if name in seen or len(values) > 1:  # as_of and as-of are one parameter
            raise ParameterError(f"parameter {key!r} given {max(len(values), 2)} times; give it once")
        seen.add(name)
        if key in ALWAYS:
            from stakeholder_graph.viz.i18n import normal_language

            normal_language(values[0])  # QueryError: an unknown language is refused, not ignored
            continue
        if name not in allowed:
            hint = ", ".join(allowed) if allowed else "none"
            raise ParameterError(f"unknown parameter {key!r} for {question}; it takes: {hint}")
        value = values[0].strip()
        if len(value) > MAX_TEXT:
            raise ParameterError(f"parameter {key!r} is longer than {MAX_TEXT} characters")
        if value:
            out[key.replace("-", "_")] = value
    return out


def flag(p: dict, key: str) -> bool:
    value = p.get(key, "").lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ParameterError(f"parameter {key!r}: {p[key]!r} is not yes or no (use 1 or 0)")


def number(p: dict, key: str, low: int, high: int) -> int | None:
    if key not in p:
        return None
    try:
        value = int(p[key])
    except ValueError:
        raise ParameterError(f"parameter {key!r}: {p[key]!r} is not a whole number") from None
    if not low <= value <= high:
        raise ParameterError(f"parameter {key!r}: {value} is not between {low} and {high}")
    return value


def as_of_date(p: dict) -> dt.date | None:
    if "as_of" not in p:
        return None
    try:
        return dates.parse_as_of(p["as_of"])
    except DateError as exc:
        raise ParameterError(f"parameter 'as_of': {exc}") from None


def _freshness(p: dict) -> int:
    found = number(p, "freshness", 0, 600)  # as the CLI's --freshness
    return FRESHNESS_MONTHS if found is None else found


def who(g, p: dict) -> dict:
    from stakeholder_graph.queries.who import who_handles

    if not any(p.get(k) for k in ("population", "place", "service", "form")):
        raise ParameterError("give at least one of population, place, service, form")
    return who_handles(g, p.get("population"), p.get("place"), p.get("service"), p.get("form"), as_of_date(p),
                       _freshness(p), flag(p, "stated_only"), number(p, "age", 0, 130), flag(p, "active"))


def pathway(g, p: dict) -> dict:
    from stakeholder_graph.queries.pathway import referral_pathway

    if not (p.get("population") and p.get("place")):
        raise ParameterError("a pathway needs both a population and a place")
    return referral_pathway(g, p["population"], p["place"], as_of_date(p), _freshness(p), flag(p, "stated_only"),
                            number(p, "age", 0, 130))


def gaps(g, p: dict) -> dict:
    from stakeholder_graph.queries.gaps import coverage_gaps

    if not (p.get("service") or p.get("population")):
        raise ParameterError("give a service, a population or both")
    return coverage_gaps(g, p.get("service"), p.get("population"), p.get("country"), as_of_date(p), flag(p, "all"),
                         _freshness(p), flag(p, "stated_only"))


def _name(p: dict) -> str:
    if not p.get("name"):
        raise ParameterError("give a name or an id (parameter 'name')")
    return p["name"]


def show(g, p: dict) -> dict:
    from stakeholder_graph.queries.inventory import show as compute

    return compute(g, _name(p))


def actor(g, p: dict) -> dict:
    from stakeholder_graph.queries.profiles import actor_profile

    return actor_profile(g, _name(p), as_of_date(p), _freshness(p))


def project(g, p: dict) -> dict:
    from stakeholder_graph.queries.profiles import project_profile

    return project_profile(g, _name(p), as_of_date(p), _freshness(p))


def ask(g, p: dict) -> dict:
    from stakeholder_graph.queries.ask import ask as run

    if not p.get("q"):
        raise ParameterError("ask a question (parameter 'q')")
    return run(g, p["q"], as_of_date(p), _freshness(p), flag(p, "stated_only"))


def sources(g, p: dict) -> list[dict]:
    from stakeholder_graph.queries.inventory import sources as compute

    return compute(g)


def _kinds(p: dict) -> tuple[str, ...] | None:
    if "kind" not in p:
        return None
    kinds = tuple(k.strip() for k in p["kind"].split(","))
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ParameterError(f"parameter 'kind': unknown kind {unknown[0]!r}; use {', '.join(KINDS)}")
    return kinds


def search(g, p: dict) -> dict:
    from stakeholder_graph.queries.search import search as run

    return run(g, p.get("q", ""), _kinds(p))


def suggest(g, p: dict) -> list[str]:
    from stakeholder_graph.queries.search import suggestions

    return suggestions(g, p.get("q", ""), _kinds(p))


ANSWERS = {"who": who, "pathway": pathway, "gaps": gaps, "show": show, "actor": actor, "project": project,
           "ask": ask, "sources": sources, "search": search, "suggest": suggest}


def answer(question: str, g, params) -> tuple[dict, object]:
    """(the parameters read, the answer) for a question and a request's parameters."""
    p = read(question, params)
    return p, ANSWERS[question](g, p)


def cache_key(question: str, p: dict) -> tuple:
    """What an answer depends on besides the data and the audience: the question, its
    parameters and today's date (the default as-of date)."""
    return question, tuple(sorted(p.items())), matching._today().isoformat()  # the queries' own today (tests pin it)


__all__ = ["ANSWERS", "PARAMETERS", "ParameterError", "answer", "as_of_date", "cache_key", "flag", "number", "read"]
