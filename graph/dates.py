"""Dates as sources state them: a year, a month or a day ("2018", "2018-02", "2022-04-01")."""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from stakeholder_graph.graph.errors import DateError

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


def normalise(value: object) -> str:
    """Return the canonical text form of a date value, or raise DateError saying why."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise DateError(f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    m = _PARTIAL.match(text)
    if not m:
        raise DateError(f"{text!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(g) if g else None for g in m.groups())
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DateError(f"year {year} in {text!r} is out of range {EARLIEST_YEAR}-{LATEST_YEAR}")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month {month} in {text!r} is out of range 1-12")
    if day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(f"day {day} in {text!r} is out of range 1-{last}")
    return text


# the queries read the same few dates of records and sources for every answer row
@functools.lru_cache(maxsize=65536)
def first_day(text: str) -> dt.date:
    """The earliest day a partial date can mean: '2018-02' -> 2018-02-01."""
    parts = [int(p) for p in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


@functools.lru_cache(maxsize=65536)
def last_day(text: str) -> dt.date:
    """The latest day a partial date can mean: '2020-07' -> 2020-07-31."""
    parts = [int(p) for p in text.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)


def parse_as_of(text: str) -> dt.date:
    """Parse a user's --as-of date (a partial date means its first day)."""
    return first_day(normalise(text))


def status_at(start: str | None, end: str | None, as_of: dt.date) -> str:
    """active, ended, planned, or unknown (no dates at all) at a given day."""
    if start is None and end is None:
        return "unknown"
    if end is not None and last_day(end) < as_of:
        return "ended"
    if start is not None and first_day(start) > as_of:
        return "planned"
    return "active"
