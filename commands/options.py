"""Options several commands share: dates, audiences, and the filters of map, diagram and export."""
from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path

import click

from stakeholder_graph.commands.context import State
from stakeholder_graph.graph import dates
from stakeholder_graph.graph.errors import DateError, SettingError
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


# --- the audience ------------------------------------------------------------------------
#
# Every command that prints, serves or writes data takes --audience. Without the option, the
# value comes from the environment variable, else from the user's config file, else it is
# public: a coordinator with partner data sets it once, a forgetful user never leaks.

AUDIENCE_VARIABLE = "STAKEHOLDER_GRAPH_AUDIENCE"
BUILT_IN_AUDIENCE = "public"
AUDIENCE_HELP = ("Who will see the output: records and relations above it are left out, with no trace "
                 "in answers, counts, messages or suggestions (public < partners < internal).")


def config_file() -> Path:
    """The user's config file: $XDG_CONFIG_HOME/stakeholder-graph/config.toml, else
    ~/.config/stakeholder-graph/config.toml."""
    base = os.environ.get("XDG_CONFIG_HOME")
    return (Path(base) if base else Path.home() / ".config") / "stakeholder-graph" / "config.toml"


def _config_audience(path: Path) -> str | None:
    """The `audience` of the config file, None when there is no file or no such key;
    SettingError naming the file for an unreadable or invalid one."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SettingError(f"{path}: cannot read the config file ({exc.strerror or exc})") from None
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        settings = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingError(f"{path}: not a valid TOML file ({exc})") from None
    unknown = sorted(set(settings) - {"audience"})
    if unknown:
        raise SettingError(f"{path}: unknown setting {unknown[0]!r} (the one setting is audience)")
    value = settings.get("audience")
    if value is not None and value not in SENSITIVITY:
        raise SettingError(f"{path}: audience = {value!r} is not an audience; one of {', '.join(SENSITIVITY)}")
    return value


def audience_setting() -> tuple[str, str]:
    """(audience, where it came from) for a command given no --audience: the environment
    variable, else the user's config file, else public. SettingError, naming the variable or
    the file, for a value that is not an audience."""
    value = os.environ.get(AUDIENCE_VARIABLE)
    if value:  # an empty variable counts as unset
        if value not in SENSITIVITY:
            raise SettingError(f"{AUDIENCE_VARIABLE}={value!r} is not an audience; one of "
                               f"{', '.join(SENSITIVITY)} (or give --audience)")
        return value, f"${AUDIENCE_VARIABLE}"
    path = config_file()
    value = _config_audience(path)
    if value is not None:
        return value, str(path)
    return BUILT_IN_AUDIENCE, "built in"


def audience_default_text() -> str:
    """The default as --help states it: the value and where it comes from (never an error)."""
    try:
        value, origin = audience_setting()
    except SettingError as exc:
        return f"none usable: {exc}"
    if origin == "built in":
        return f"{value}, built in (${AUDIENCE_VARIABLE} or `audience = ...` in {config_file()} sets another)"
    return f"{value}, from {origin}"


class AudienceOption(click.Option):
    """--audience whose help states the effective default and where it comes from, read when
    the help is shown (not when the module is imported)."""

    def get_help_record(self, ctx):
        opts, text = super().get_help_record(ctx)
        return opts, f"{text}  [default: {audience_default_text()}]"


def _remember_audience(ctx: click.Context, param, value):
    """Hand the audience to the command's State, whose graph() then holds only what it may see."""
    state = ctx.find_object(State)
    if state is not None:
        state.audience = value
    return value


def audience_option(help: str | None = None, *, expose: bool = True):
    """--audience public|partners|internal; without it, the user's setting (audience_setting).
    The command's State then serves the graph as that audience may see it; `expose=False`
    when the command needs no more than that."""
    return click.option(
        "--audience", cls=AudienceOption, type=click.Choice(SENSITIVITY), show_default=False,
        default=lambda: audience_setting()[0], callback=_remember_audience, expose_value=expose,
        help=help or AUDIENCE_HELP,
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


def no_empty_path(ctx, param, values):
    """A click callback: an empty data path is a usage error (an unset shell variable, as in
    --data "$PARTNER", would otherwise read the current folder)."""
    if any(not v.strip() for v in ([values] if isinstance(values, str) else values)):
        raise click.BadParameter("empty; give a data folder, a file or a bolt:// server")
    return values
