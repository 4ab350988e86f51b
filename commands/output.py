"""How every command prints: an aligned table, CSV or JSON (`--format table|json|csv`), and
the streams it prints to.

Text from the data never acts on the terminal: while a command runs, cli.Group puts
`inert_streams` around stdout and stderr, so whatever is printed, by any command or by click
itself, shows control characters as visible escapes (viz.text.terminal_text); binary output
(an export or a map to `-o -`) goes to the stream's `buffer` untouched. CSV cells are safe to
open in a spreadsheet (viz.text.csv_cell) unless --csv-raw or STAKEHOLDER_GRAPH_CSV_RAW=1.
"""
from __future__ import annotations

import contextlib
import csv
import io
import sys

import click

from stakeholder_graph.viz.text import answer_json, csv_cell, display_text, render_table, terminal_text  # noqa: F401 (render_table: re-exported)

FORMATS = ("table", "json", "csv")


def render_csv(rows: list[dict], columns: list[str], raw: bool | None = None) -> str:
    """CSV whose cells a spreadsheet never runs as formulas (viz.text.csv_cell); `raw` (default:
    --csv-raw or STAKEHOLDER_GRAPH_CSV_RAW) writes them as the data has them."""
    raw = csv_raw() if raw is None else raw
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([csv_cell(r.get(c), display_text(r.get(c)), raw) for c in columns])
    return buffer.getvalue().rstrip("\n")


render_json = answer_json  # one JSON for the CLI and the web API


def emit(fmt: str, rows: list[dict], columns: list[str], document=None, text: str | None = None) -> None:
    """Print a result: `document` (default rows) as JSON, rows as CSV, `text` or rows as a table,
    with any control character from the data as a visible escape."""
    if fmt == "json":
        out = render_json(rows if document is None else document)
    elif fmt == "csv":
        out = render_csv(rows, columns)
    else:
        out = text if text is not None else render_table(rows, columns)
    click.echo(terminal_text(out))


CSV_RAW_ENV = "STAKEHOLDER_GRAPH_CSV_RAW"


def _remember_csv_raw(ctx: click.Context, param, value: bool) -> bool:
    if value:
        ctx.meta["csv_raw"] = True
    return value


def csv_raw() -> bool:
    """Whether this command was asked for raw CSV (--csv-raw, or STAKEHOLDER_GRAPH_CSV_RAW=1)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get("csv_raw"))


def csv_raw_option(f):
    """--csv-raw (or STAKEHOLDER_GRAPH_CSV_RAW=1): CSV cells exactly as the data has them. Read
    with csv_raw(), so commands take no parameter for it."""
    return click.option(
        "--csv-raw", is_flag=True, expose_value=False, envvar=CSV_RAW_ENV, callback=_remember_csv_raw,
        help=f"CSV for scripts, not spreadsheets: cells as the data has them, without the ' put before a "
        f"leading =, +, -, @, tab or carriage return. Also {CSV_RAW_ENV}=1.",
    )(f)


def format_option(f):
    return csv_raw_option(click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
        help="Output format.",
    )(f))


# --- the streams a command prints to ---------------------------------------------------------

class InertStream:
    """A text stream that writes what it is given with control characters as visible
    escapes (viz.text.terminal_text). Everything else, `buffer` (binary output) included, is
    the wrapped stream's. `raw` is the wrapped stream, for the one writer that means its
    escape sequences (click's progress bar)."""

    def __init__(self, stream):
        self.raw = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click probes text streams with b""
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        return self.raw.write(terminal_text(text))

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self.raw, name)


def raw_stream(stream):
    """The stream under an InertStream (itself otherwise)."""
    return stream.raw if isinstance(stream, InertStream) else stream


@contextlib.contextmanager
def inert_streams():
    """sys.stdout and sys.stderr as InertStreams for the duration (as they were after)."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None and not isinstance(sys.stdout, InertStream):
        sys.stdout = InertStream(sys.stdout)
    if sys.stderr is not None and not isinstance(sys.stderr, InertStream):
        sys.stderr = InertStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
