"""When things are active: the status of a record, a relation or a pathway step as periods
of time, for the map's timeline. The rules are those of `--as-of` (queries.matching.status);
this module only finds the days on which a status can change and asks those rules on them.

    >>> status_changes(g, "centre-shelter")  # from 2019-02; its newest source is from 2019
    [(None, 'planned'), (datetime.date(2019, 2, 1), 'active'), (datetime.date(2020, 7, 31), 'unconfirmed')]

A status is a function of the day asked about. status() changes only on a few days, all
found from the record and its sources: its start, and the day after its end (its project's,
for a service delivered through one); for each dated source, the day after the freshness
window leaves it behind and, for a source dated later than today, its last day; today itself
(a source dated only "not before" a year confirms from today on). `status_changes` asks
status() on each of those days, so each period's status is what `who --as-of DAY` says for
any day in it, by construction; the tests check that against status() day by day.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Iterable

from stakeholder_graph.graph import dates
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.queries import matching
from stakeholder_graph.queries.matching import AVAILABLE, FRESHNESS_MONTHS, months_before, period, status

ONE_DAY = dt.timedelta(days=1)
STATUS_KINDS = ("service", "project")  # the records the queries give a status (who, profiles, pathway)

Runs = list[tuple[dt.date | None, str]]  # [(None, status at first), (day, status from that day on), ...]


def today() -> dt.date:
    """The default --as-of day (queries.matching's, so one clock rules both)."""
    return matching._today()


def as_day(value) -> dt.date:
    """A day from a date, a YYYY[-MM[-DD]] text (its first day) or None (today)."""
    if value is None:
        return today()
    if isinstance(value, dt.date):
        return value
    return dates.parse_as_of(str(value))


def last_day_within(first: dt.date, months: int) -> dt.date:
    """The last day whose freshness window (`months` back from it) still reaches `first`: the
    last day d with months_before(d, months) <= first (months_before never decreases)."""
    lo, hi = first.toordinal(), (first + dt.timedelta(days=31 * (months + 1))).toordinal()
    while lo < hi:  # the largest ordinal with the property, between lo (has it) and hi (has not)
        mid = (lo + hi + 1) // 2
        if months_before(dt.date.fromordinal(mid), months) <= first:
            lo = mid
        else:
            hi = mid - 1
    return dt.date.fromordinal(lo)


def change_days(g: StakeholderGraph, node_id: str, freshness_months: int = FRESHNESS_MONTHS) -> set[dt.date]:
    """Every day on which status(g, node_id, day) may differ from the day before (a superset)."""
    start, end = period(g, node_id)
    days = {today()}
    if start:
        days.add(dates.first_day(start))
    if end:
        days.add(dates.last_day(end) + ONE_DAY)
        return days  # with an end, the dates alone decide
    for sid in g.node(node_id).get("sources", []):
        a = g.G.nodes[sid] if sid in g.G else {}
        text = a.get("date") or a.get("not_before")
        if not text:
            continue
        days.add(last_day_within(dates.first_day(text), freshness_months) + ONE_DAY)
        if a.get("date"):
            days.add(dates.last_day(text))  # a source dated later than today confirms from its last day
    return days


def runs(status_on: Callable[[dt.date], str], days: Iterable[dt.date]) -> Runs:
    """The statuses `status_on` gives, as runs: it may change only on `days`."""
    ordered = sorted(set(days))
    if not ordered:
        return [(None, status_on(today()))]
    out: Runs = [(None, status_on(ordered[0] - ONE_DAY))]
    for day in ordered:
        now = status_on(day)
        if now != out[-1][1]:
            out.append((day, now))
    return out


def status_changes(g: StakeholderGraph, node_id: str, freshness_months: int = FRESHNESS_MONTHS) -> Runs:
    """A service's or project's status (queries.matching.status) over time, as runs: the
    status before the first day listed, then each day it changes and the status from then on."""
    return runs(lambda day: status(g, node_id, day, freshness_months), change_days(g, node_id, freshness_months))


def dated_changes(start, end) -> Runs | None:
    """The status the dates alone give (graph.dates.status_at: planned before `start`, ended
    after `end`, active between), as runs; None without any date."""
    if start is None and end is None:
        return None
    days = set()
    if start is not None:
        days.add(dates.first_day(str(start)))
    if end is not None:
        days.add(dates.last_day(str(end)) + ONE_DAY)
    return runs(lambda day: dates.status_at(str(start) if start is not None else None,
                                            str(end) if end is not None else None, day), days)


def gap_changes(g: StakeholderGraph, services: list[str], freshness_months: int = FRESHNESS_MONTHS) -> Runs:
    """A pathway step over time: 'gap' when none of its services is available (active,
    unconfirmed or unknown: queries.pathway's rule), else 'provided'."""
    def state(day: dt.date) -> str:
        return "provided" if any(status(g, s, day, freshness_months) in AVAILABLE for s in services) else "gap"

    days: set[dt.date] = set()
    for s in services:
        days |= change_days(g, s, freshness_months)
    return runs(state, days)


def status_on(changes: Runs, day) -> str:
    """The status the runs give on `day` (a date or YYYY[-MM[-DD]])."""
    day = as_day(day)
    starts = [d for d, _ in changes[1:]]
    return changes[bisect_right(starts, day)][1]


def record_changes(g: StakeholderGraph, node_id: str, freshness_months: int = FRESHNESS_MONTHS,
                   cache: dict | None = None) -> Runs | None:
    """The runs a drawn record has on the timeline: a service's or a project's status (the
    rules of --as-of); for any other record with its own start or end (an actor founded in
    2004), what those dates alone say; None for a record without dates.

    With a `cache` (a dict kept across calls), records that status() cannot tell apart share
    one answer: status() reads a record's period and the dates of its sources, nothing else,
    so records alike in those (a generated map's thousands of services) are asked once."""
    a = g.node(node_id)
    if a.get("kind") not in STATUS_KINDS:
        return dated_changes(a.get("start"), a.get("end"))
    if cache is None:
        return status_changes(g, node_id, freshness_months)
    key = (period(g, node_id), freshness_months, tuple(sorted(
        (str(s.get("date")), str(s.get("not_before")))
        for s in (g.G.nodes[sid] for sid in a.get("sources", []) if sid in g.G))))
    if key not in cache:
        cache[key] = status_changes(g, node_id, freshness_months)
    return cache[key]
