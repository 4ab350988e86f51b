"""Options several commands share: dates, audiences, and the filters of map, diagram and export."""
from __future__ import annotations

import datetime as dt
import functools

import click

from stakeholder_graph.graph import dates
from stakeholder_graph.graph.errors import DateError
from stakeholder_graph.graph.schema import SENSITIVITY


class DateParam(click.ParamType):
    """YYYY, YYYY-MM or YYYY-MM-DD (a partial date means its first day); anything else is a
    usage error (exit 2)."""

    name = "DATE"

    def convert(self, value, param, ctx) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dates.parse_as_of(value)
        except DateError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateParam()

def as_of_option(f=None, *, help="Status of services and projects on this date (YYYY[-MM[-DD]]; default today)."):
    """--as-of DATE (a usage error when it is not a date)."""
    option = click.option("--as-of", "as_of", type=DATE, metavar="DATE", help=help)
    return option(f) if f is not None else option


def age_option(f):
    """--age YEARS: the person's age; services whose stated ages exclude it are left out."""
    return click.option(
        "--age", type=click.IntRange(0, 120), metavar="YEARS",
        help="The person's age: services whose stated ages exclude it are left out (and named).",
    )(f)


LANGUAGE_CHOICES = ("en", "sr-Latn", "sr-Cyrl")


def language_option(f=None, *, help="Language of the answer: en, sr-Latn (Serbian, Latin script) or sr-Cyrl "
                    "(Cyrillic). Record names stay as the data gives them."):
    """--lang en|sr-Latn|sr-Cyrl (case-insensitive)."""
    option = click.option("--lang", "lang", type=click.Choice(LANGUAGE_CHOICES, case_sensitive=False),
                          metavar="en|sr-Latn|sr-Cyrl", help=help)
    return option(f) if f is not None else option


def freshness_option(f):
    """--freshness MONTHS: how recent a source must be to confirm that something runs."""
    return click.option(
        "--freshness", "freshness", type=click.IntRange(0, 600), default=24, show_default=True,
        metavar="MONTHS",
        help="A service is active only when a source dated within this many months before --as-of "
        "states it; otherwise it is unconfirmed (call to verify).",
    )(f)


def stated_only_option(f):
    """--stated-only: leave out what is inferred by a rule rather than stated by a source."""
    return click.option(
        "--stated-only", is_flag=True,
        help="Leave out answers that rest on an inferred fact (by default they are listed after "
        "stated ones and marked).",
    )(f)


def audience_option(default: str = "public", help: str | None = None):
    """--audience, one of the schema's sensitivity levels."""
    return click.option(
        "--audience", type=click.Choice(SENSITIVITY), default=default, show_default=True,
        help=help or "Who will see the output: records above it are left out entirely.",
    )


FILTER_NAMES = ("audience", "place", "country", "population", "service_type", "around", "depth")


def filter_options(f):
    """The filters shared by map, diagram and export, passed on as one `filters` value
    (queries.selection.Filters)."""
    options = [
        audience_option(),
        click.option("--place", help="Keep what answers for this place (and the places above it)."),
        click.option("--country", help="Keep what answers for this country."),
        click.option("--population", help="Keep what serves this population (hierarchically)."),
        click.option("--service", "service_type", metavar="TYPE", help="Keep services of this type."),
        click.option("--around", metavar="NAME", help="Keep the neighbourhood of one record."),
        click.option("--depth", type=click.IntRange(1, 10), default=1, show_default=True,
                     help="How many steps --around reaches."),
    ]

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        from stakeholder_graph.queries.selection import Filters

        kwargs["filters"] = Filters(**{n: kwargs.pop(n) for n in FILTER_NAMES})
        return f(*args, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper
