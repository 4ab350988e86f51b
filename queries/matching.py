"""The building blocks the coordination queries share: resolving the question's terms,
hierarchical place and population matching, status at a date, evidence and sources."""
from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass

from stakeholder_graph.graph import dates
from stakeholder_graph.graph.errors import NameNotFound, QueryError
from stakeholder_graph.graph.model import StakeholderGraph, per_graph
from stakeholder_graph.graph.names import fold
from stakeholder_graph.graph.schema import COORDINATOR_FIELDS, REFERRAL_STEPS, VOCABULARIES

PLACE_LEVEL_RANK = {"municipality": 0, "district": 1, "country": 2, "region": 3}
# active: a source dated within the freshness window states it; unconfirmed: not ended, but no
# such source (call to verify); unknown: no dates at all, in the record or its sources
STATUS_RANK = {"active": 0, "unconfirmed": 1, "unknown": 2, "planned": 3, "ended": 4}
AVAILABLE = ("active", "unconfirmed", "unknown")  # statuses that count as someone being there
FRESHNESS_MONTHS = 24  # a source this recent (before the as-of date) confirms that something runs
# the coverage of an answer to a question without a place
ANYWHERE = {"level": None, "place": None, "relation": "anywhere"}
LOCAL_LEVELS = ("local", "district", "national")  # actors bound to their own country

@dataclass(frozen=True)
class Question:
    """A who-question with every term resolved to ids."""

    population: str | None
    place: str | None
    service_type: str | None
    form: str | None
    as_of: dt.date
    freshness_months: int = FRESHNESS_MONTHS
    stated_only: bool = False
    age: int | None = None

    def as_dict(self, g: StakeholderGraph) -> dict:
        out = {
            "population": g.name(self.population) if self.population else None,
            **({"age": self.age} if self.age is not None else {}),
            "place": g.describe_place(self.place) if self.place else None,
            "service": self.service_type,
            "form": g.name(self.form) if self.form else None,
            "as_of": self.as_of.isoformat(),
            "confirmed_since": months_before(self.as_of, self.freshness_months).isoformat(),
        }
        if self.stated_only:
            out["stated_only"] = True
        # the same terms as records, for a reader that words them in another language
        terms = {"population": named(g, self.population) if self.population else None,
                 "place": place_term(g, self.place) if self.place else None,
                 "form": named(g, self.form) if self.form else None}
        out["terms"] = {k: v for k, v in terms.items() if v}
        return out


def resolve_service_type(text: str) -> str:
    """A service type of the taxonomy for a user's words in English or Serbian ('shelters',
    'safe house', 'legal aid', 'sklonište'), or NameNotFound with the closest types."""
    from stakeholder_graph.queries.vocabulary import LANGUAGES, lexicon_phrases

    key = fold(text).replace(" ", "_")
    options = VOCABULARIES["service_type"]
    if key in options:
        return key
    named_by = {h.value for lang in LANGUAGES for h in lexicon_phrases(lang).get(fold(text), ()) if h.role == "service"}
    if len(named_by) == 1:
        return named_by.pop()
    if key.endswith("s") and key[:-1] in options:
        return key[:-1]
    import difflib

    close = difflib.get_close_matches(key, options, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known types: {', '.join(options)}"
    raise NameNotFound(f"no service type {text!r}{hint}", close)


def resolve_term(g: StakeholderGraph, text: str, role: str, kind: str, what: str) -> str:
    """The id a user's word names as a population, place or form: a record's name or alias in
    any script, else a word of the lexicon in English or Serbian ('deci', 'Nišu'), else the one
    record whose name holds the words (g.resolve, which raises NameNotFound)."""
    if not g.index.lookup(text, (kind,)):
        from stakeholder_graph.queries.vocabulary import term_of

        found = term_of(g, text, role)
        if found:
            return found
    return g.resolve(text, (kind,), what)


def question(
    g: StakeholderGraph, population=None, place=None, service=None, form=None, as_of=None,
    freshness_months: int = FRESHNESS_MONTHS, stated_only: bool = False, age: int | None = None,
) -> Question:
    """Resolve a question's names (any script, any case) or raise NameNotFound; `as_of` may be
    a date or its text (YYYY[-MM[-DD]]; DateError when it is not one). `age` (a person's age in
    years) must fall in the population's ages where the data defines them (QueryError)."""
    if isinstance(as_of, str):
        as_of = dates.parse_as_of(as_of)
    if not isinstance(freshness_months, int) or freshness_months < 0:
        raise QueryError(f"freshness: {freshness_months!r} is not a number of months")
    population_id = resolve_term(g, population, "population", "population", "population") if population else None
    if age is not None:
        if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 120:
            raise QueryError(f"age: {age!r} is not an age in years")
        if population_id and not age_fits(g.node(population_id), age):
            raise QueryError(f"age {age} is outside the group {g.name(population_id)!r} "
                             f"({ages_text(g.node(population_id))})")
    return Question(
        population_id,
        resolve_term(g, place, "place", "place", "place") if place else None,
        resolve_service_type(service) if service else None,
        resolve_term(g, form, "form", "exploitation_form", "form of exploitation") if form else None,
        as_of or _today(),
        freshness_months,
        stated_only,
        age,
    )


def age_fits(attrs: dict, age: int) -> bool:
    """True unless the record's stated ages (min_age, max_age) exclude `age`."""
    low, high = attrs.get("min_age"), attrs.get("max_age")
    return (low is None or age >= low) and (high is None or age <= high)


def ages_text(attrs: dict) -> str:
    """'16 and over', 'under 18', '5 to 15', or 'any age'."""
    low, high = attrs.get("min_age"), attrs.get("max_age")
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"{low} and over"
    if high is not None:
        return f"under {high + 1}"
    return "any age"


# --- time ---------------------------------------------------------------------------------


@per_graph
def period(g: StakeholderGraph, node_id: str) -> tuple[str | None, str | None]:
    """A record's own start/end, or else those of the project it was delivered through."""
    a = g.node(node_id)
    start, end = a.get("start"), a.get("end")
    if start is None and end is None:
        for project, _ in g.out_edges(node_id, "part_of"):
            if g.kind(project) == "project":
                p = g.node(project)
                return p.get("start"), p.get("end")
    return start, end


@functools.lru_cache(maxsize=1024)
def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the last day of the month where that day does not exist)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@per_graph
def _source_dating(g: StakeholderGraph, source_id: str) -> tuple[dt.date, dt.date | None, str] | None:
    """(first day, last day or None for a lower bound only, the date as people read it) of a
    source, or None when it states no date; read once per graph."""
    a = g.G._node.get(source_id, {})
    if a.get("date"):
        return dates.first_day(a["date"]), dates.last_day(a["date"]), a["date"]
    if a.get("not_before"):
        return dates.first_day(a["not_before"]), None, f"{a['not_before']} or later"
    return None


def source_date(g: StakeholderGraph, source_id: str) -> tuple[dt.date, str] | None:
    """(the earliest day a source can be from, that date as people read it), or None when the
    source states no date: its publication date, or a lower bound its text fixes ('2024 or later')."""
    found = _source_dating(g, source_id)
    return (found[0], found[2]) if found else None


def confirms(g: StakeholderGraph, source_id: str, since: dt.date, as_of: dt.date) -> bool:
    """True when a source is certainly from between `since` and `as_of`: it can confirm that
    something ran then. A source that may be later than `as_of` (a lower bound only, or a date
    reaching past it) confirms nothing about that day."""
    found = _source_dating(g, source_id)
    return found is not None and _dates_confirm(found[0], found[1], since, as_of, _today())


def _dates_confirm(first: dt.date, last: dt.date | None, since: dt.date, as_of: dt.date, today: dt.date) -> bool:
    """confirms() on a source's parsed first and last day (None: a lower bound only)."""
    if last is None:  # 'not before': only today's knowledge can be that late
        return first >= since and as_of >= today
    # a source we cite was out by today: a page dated this month or year confirms today
    return first >= since and min(last, today) <= as_of


def _remembered(known: dict, key, compute):
    """known[key], worked out by compute(key) the first time."""
    try:
        return known[key]
    except KeyError:
        value = known[key] = compute(key)
        return value


def _today() -> dt.date:
    return dt.date.today()


def last_confirmed(g: StakeholderGraph, node_id: str) -> dict | None:
    """The newest dated source a record cites: {"date", "text", "source"}, or None (undated)."""
    found = _last_confirmed(g, node_id)
    return dict(found) if found else None


@per_graph
def _last_confirmed(g: StakeholderGraph, node_id: str) -> dict | None:
    found = [(d, sid) for sid in g.node(node_id).get("sources", []) if (d := source_date(g, sid))]
    if not found:
        return None
    (day, text), sid = max(found, key=lambda item: item[0][0])
    return {"date": day.isoformat(), "text": text, "source": sid}


def status(g: StakeholderGraph, node_id: str, as_of: dt.date, freshness_months: int = FRESHNESS_MONTHS) -> str:
    """ended, planned or (inside a period with an end) active by the record's dates (a project's
    for a service delivered through one); with no end date, active only when a source dated
    within `freshness_months` before `as_of` states it; else unconfirmed, or unknown when
    neither the record nor its sources carry any date."""
    # dates.status_at and confirms() on the record's dates parsed once per graph: this runs
    # for every row of every answer
    known = g.memo("dating")
    if node_id not in known:
        start, end = period(g, node_id)
        known[node_id] = (dates.first_day(start) if start else None, dates.last_day(end) if end else None,
                          [d[:2] for sid in g.node(node_id).get("sources", []) if (d := _source_dating(g, sid))],
                          bool(start))
    first, last, dated, started = known[node_id]
    if last is not None and last < as_of:
        return "ended"
    if first is not None and first > as_of:
        return "planned"
    if last is not None:
        return "active"
    since = months_before(as_of, freshness_months)
    today = _today()
    if any(_dates_confirm(first_day, last_day, since, as_of, today) for first_day, last_day in dated):
        return "active"
    return "unconfirmed" if dated or started else "unknown"


# --- evidence -----------------------------------------------------------------------------


def edge_evidence(g: StakeholderGraph, u: str, v: str, attrs: dict) -> dict:
    """A relation as an answer's evidence: its ends by name and id, basis, rule, locator,
    dates, role, note and sources."""
    # kept per relation for the graph's life, with the relation itself so that its id is not
    # reused by another dictionary
    known = g.memo("edge_evidence")
    found = known.get((u, v, id(attrs)))
    if found is None or found[0] is not attrs:
        found = known[(u, v, id(attrs))] = (attrs, _edge_evidence(g, u, v, attrs))
    item = dict(found[1])
    item["sources"] = list(item["sources"])
    return item


def _edge_evidence(g: StakeholderGraph, u: str, v: str, attrs: dict) -> dict:
    item = {"from": g.name(u), "relation": attrs["type"], "to": g.name(v), "from_id": u, "to_id": v,
            "basis": attrs.get("basis", "stated")}
    for key in ("rule", "locator", "start", "end", "role", "note"):
        if attrs.get(key):
            item[key] = attrs[key]
    item["sources"] = list(attrs.get("sources", []))
    return item


def basis_of(g: StakeholderGraph, node_ids, evidence: list[dict]) -> dict:
    """{"basis": "stated" | "inferred", "rules": [...]}: inferred when any record or relation
    the answer rests on is inferred, with the rules it rests on."""
    inferred = [a for a in (g.node(n) for n in node_ids) if a.get("basis") == "inferred"]
    inferred += [e for e in evidence if e.get("basis") == "inferred"]
    if not inferred:
        return {"basis": "stated", "rules": []}
    rules = {a.get("rule") for a in inferred}
    rules.discard(None)
    return {"basis": "inferred", "rules": sorted(rules)}


def chain_evidence(g: StakeholderGraph, start: str, stop: str) -> list[dict]:
    """The part_of edges from `start` up to its ancestor `stop` (empty when equal)."""
    path: list[dict] = []
    node = start
    while node != stop:
        for parent in g.parents(node):
            if stop in dict(g.ancestors(parent)):
                path.append(edge_evidence(g, node, parent, g.edge(node, parent, "part_of")))
                node = parent
                break
        else:
            break
    return path


def cited(g: StakeholderGraph, node_ids: list[str], evidence: list[dict]) -> list[dict]:
    """Sources of the records and evidence edges behind an answer, in order, each once."""
    ids = [sid for n in node_ids for sid in g.node(n).get("sources", ())]
    ids += [sid for e in evidence for sid in e["sources"]]
    return [g.source_record(sid) for sid in dict.fromkeys(ids)]


def named(g: StakeholderGraph, node_id: str) -> dict:
    """{"id", "name"} of a record, with its "names" in other languages and scripts if any."""
    return _copied(_named(g, node_id))


def _copied(view: dict) -> dict:
    """A memoised view for one answer: its own dictionary, and its own names within it."""
    view = dict(view)
    if "names" in view:
        view["names"] = dict(view["names"])
    return view


@per_graph
def _named(g: StakeholderGraph, node_id: str) -> dict:
    names = g.node(node_id).get("names")
    return {"id": node_id, "name": g.name(node_id), **({"names": dict(names)} if names else {})}


def place_term(g: StakeholderGraph, place: str) -> dict:
    """A place with its level and the places it lies in (district, country; not the region),
    for 'Niš (municipality, Nišava district, Serbia)' in any language."""
    within = [{**named(g, p), "level": g.node(p).get("level")}
              for p, _ in g.ancestors(place)[1:] if g.node(p).get("level") != "region"]
    return {**named(g, place), "level": g.node(place).get("level"), "within": within}


def actor_view(g: StakeholderGraph, actor: str) -> dict:
    """An actor as an answer names it: id, names, sector and public channels."""
    return _copied(_actor_view(g, actor))


@per_graph
def _actor_view(g: StakeholderGraph, actor: str) -> dict:
    a = g.node(actor)
    view = {**named(g, actor), "sector": a.get("sector")}
    if a.get("channels"):
        view["channels"] = a["channels"]
    return view


def service_view(g: StakeholderGraph, service: str) -> dict:
    """A service with what a coordinator needs to know, each field only where a source says it
    (a reader shows the others as "not stated")."""
    view = dict(_service_view(g, service))
    view["types"] = list(view["types"])
    return view


@per_graph
def _service_view(g: StakeholderGraph, service: str) -> dict:
    a = g.node(service)
    view = {
        "id": service,
        "name": a.get("name", service),
        "types": list(a.get("types", [])),
        "referral_step": a.get("referral_step"),
    }
    for key in ("eligibility", *COORDINATOR_FIELDS):
        if a.get(key) not in (None, [], ""):
            view[key] = a[key]
    return view


# --- hierarchical matching ------------------------------------------------------------------


class Scope:
    """A question's place and population with their hierarchies computed once, so each
    candidate service is matched by dictionary look-ups."""

    def __init__(self, g: StakeholderGraph, place: str | None, population: str | None):
        self.g = g
        self.place = place
        self.population = population
        self.place_up = dict(g.ancestors(place)) if place else {}
        self.place_down = g.descendants(place) if place else set()
        self.population_up = population_up(g, population) if population else {}
        self.population_down = population_down(g, population, self.population_up) if population else {}
        self._population_paths: dict[str, list[dict]] = {}
        self.country = g.country_of(place) if place else None
        self._chains: dict[tuple[str, str], list[dict]] = {}
        # one answer's rows share the match of each place and group (read-only, like the graph)
        self._place_matches: dict[str, tuple[int, dict] | None] = {}
        self._population_matches: dict[str, tuple[int, dict] | None] = {}

    def chain(self, start: str, stop: str) -> list[dict]:
        """chain_evidence, computed once per pair for this question."""
        if (start, stop) not in self._chains:
            self._chains[(start, stop)] = chain_evidence(self.g, start, stop)
        return list(self._chains[(start, stop)])

    def places(self) -> list[str]:
        """Every place whose coverage answers the question: the place, above and inside it."""
        return [*self.place_up, *sorted(self.place_down)]

    def place_match(self, covered: str) -> tuple[int, dict] | None:
        """(rank, coverage) for a covered place: the place itself, one containing it (district,
        country, region) or one inside it; rank orders the most local coverage first.
        Coverage is {"level", "place": {"id", "name"}, "relation": "same" | "contains" | "inside"}."""
        return _remembered(self._place_matches, covered, self._place_match)

    def _place_match(self, covered: str) -> tuple[int, dict] | None:
        if self.place is None:
            return 0, ANYWHERE
        if covered == self.place:
            relation = "same"
        elif covered in self.place_up:
            relation = "contains"
        elif covered in self.place_down:
            relation = "inside"
        else:
            return None
        level = self.g.node(covered).get("level", "region")
        coverage = {"level": level, "place": named(self.g, covered), "relation": relation}
        return PLACE_LEVEL_RANK.get(level, 4), coverage

    def population_match(self, served: str) -> tuple[int, dict] | None:
        """(rank, eligibility) for a served population. Eligibility is {"match", "population"}:
        explicit (the source names the group asked about, alone or in a group named as several
        together: women and girls for girls), general (it names a broader group and does not
        say whether this one is taken), narrower (only a group inside it, `only` naming it when
        the served group merely overlaps: women and girls for children, only girls; ranked
        last) or any (no population asked). None when it does not answer (adults for children)."""
        return _remembered(self._population_matches, served, self._population_match)

    def _population_match(self, served: str) -> tuple[int, dict] | None:
        if self.population is None:
            return 0, {"match": "any", "population": None}
        group = named(self.g, served)
        d = self.population_up.get(served)
        if d is not None:
            return d, {"match": "explicit" if d == 0 else "general", "population": group}
        if served in self.population_down:
            via = self.population_down[served]
            only = {"only": named(self.g, via)} if via else {}
            return 100, {"match": "narrower", "population": group, **only}
        return None

    def population_evidence(self, served: str) -> list[dict]:
        """The part_of and includes edges that make a served population match the question's
        (computed once per served group for this question)."""
        if served not in self._population_paths:
            if served in self.population_up:
                path = population_path(self.g, self.population, served)
            elif self.population_down.get(served):
                via = self.population_down[served]
                path = population_path(self.g, via, served) + population_path(self.g, via, self.population)
            else:
                path = population_path(self.g, served, self.population)
            self._population_paths[served] = path
        return list(self._population_paths[served])


def _broader(g: StakeholderGraph, group: str):
    """(broader group, evidence edge) one step up: its parents, and the groups named as several
    together that name it (girls: children; women and girls)."""
    for parent in g.parents(group):
        yield parent, edge_evidence(g, group, parent, g.edge(group, parent, "part_of"))
    for union, attrs in g.in_edges(group, "includes"):
        yield union, edge_evidence(g, union, group, attrs)


def population_up(g: StakeholderGraph, population: str) -> dict[str, int]:
    """{group: distance} for every group a service for which serves `population`: itself (0),
    the broader ones, and groups named as several together that name one of these at that
    one's distance (women and girls for girls: 0, explicit)."""
    up = dict(g.ancestors(population))
    for member, d in sorted(up.items(), key=lambda item: item[1]):
        for union, _ in g.in_edges(member, "includes"):
            if up.get(union, d + 1) > d:
                up[union] = d
    return up


def population_down(g: StakeholderGraph, population: str, up: dict[str, int] | None = None) -> dict[str, str | None]:
    """{group: the shared member or None} for the groups narrower than `population`: its
    sub-groups and the groups its name joins (and theirs), and groups that merely overlap it
    through one of those (for children: girls, boys, ... and women and girls through girls)."""
    down: dict[str, str | None] = {}
    frontier = [population]
    while frontier:
        nxt = []
        for n in frontier:
            for c in [*g.children(n), *(m for m, _ in g.out_edges(n, "includes"))]:
                if c not in down and c != population:
                    down[c] = None
                    nxt.append(c)
        frontier = nxt
    up = population_up(g, population) if up is None else up
    for member in sorted(k for k, v in down.items() if v is None):
        for union, _ in g.in_edges(member, "includes"):
            if union not in down and union not in up:
                down[union] = member
    return down


def population_path(g: StakeholderGraph, narrow: str, broad: str) -> list[dict]:
    """The evidence edges from a group up to a broader one (shortest), or [] when equal."""
    if narrow == broad:
        return []
    paths: dict[str, list[dict]] = {narrow: []}
    frontier = [narrow]
    while frontier:
        nxt = []
        for n in frontier:
            for b, edge in _broader(g, n):
                if b not in paths:
                    paths[b] = paths[n] + [edge]
                    if b == broad:
                        return paths[b]
                    nxt.append(b)
        frontier = nxt
    return []


def bound_elsewhere(g: StakeholderGraph, actor: str, country: str | None) -> bool:
    """True for a local or national actor based in another country than the question's."""
    if country is None or g.node(actor).get("level") not in LOCAL_LEVELS:
        return False
    home = g.country_of(actor)
    return home is not None and home != country


__all__ = [
    "ANYWHERE", "AVAILABLE", "FRESHNESS_MONTHS", "Question", "REFERRAL_STEPS", "STATUS_RANK", "Scope",
    "actor_view", "age_fits", "named", "place_term", "ages_text", "population_down", "population_path", "population_up", "basis_of", "bound_elsewhere", "chain_evidence", "cited", "edge_evidence",
    "last_confirmed", "months_before", "period", "question", "resolve_service_type", "resolve_term", "service_view",
    "source_date", "status",
]
