"""What every command shares: data loading, clear user errors and the table/json/csv output."""
from __future__ import annotations

import csv
import functools
import io
import json
import shutil
import textwrap
from pathlib import Path

import click

from graph.text import display_text

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE / "seed_data"
FORMATS = ("table", "json", "csv")
MAX_CELL = 48


class UserError(click.ClickException):
    """A problem with the user's data or question: one clear line, exit 1, no traceback."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


# --- output -------------------------------------------------------------------------------


def cell_text(value) -> str:
    return display_text(value)


def render_table(rows: list[dict], columns: list[str]) -> str:
    """Aligned columns; long cells wrap inside their column."""
    if not rows:
        return "(no results)"
    width = shutil.get_terminal_size((120, 20)).columns
    cells = [[cell_text(r.get(c)) for c in columns] for r in rows]
    widths = [
        min(max(len(c), *(len(row[i]) for row in cells)), MAX_CELL) for i, c in enumerate(columns)
    ]
    # shrink the widest columns until the table fits the terminal
    while sum(widths) + 2 * len(widths) > width and max(widths) > 12:
        widths[widths.index(max(widths))] -= 1
    lines = ["  ".join(c.upper().ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        wrapped = [textwrap.wrap(text, w) or [""] for text, w in zip(row, widths)]
        for i in range(max(len(w) for w in wrapped)):
            lines.append(
                "  ".join((w[i] if i < len(w) else "").ljust(n) for w, n in zip(wrapped, widths)).rstrip()
            )
    return "\n".join(lines)


def render_csv(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([cell_text(r.get(c)) for c in columns])
    return buffer.getvalue().rstrip("\n")


def render_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def emit(fmt: str, rows: list[dict], columns: list[str], document=None, text: str | None = None) -> None:
    """Print a result: `document` (default rows) as JSON, rows as CSV, `text` or rows as a table."""
    if fmt == "json":
        click.echo(render_json(rows if document is None else document))
    elif fmt == "csv":
        click.echo(render_csv(rows, columns))
    else:
        click.echo(text if text is not None else render_table(rows, columns))


def format_option(f):
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
        help="Output format.",
    )(f)


# --- loading ------------------------------------------------------------------------------


class State:
    def __init__(self, data: tuple[str, ...]):
        # an entry like bolt://host:7687 names a Neo4j server (kept as text; see _server_dataset)
        self.data = [d if "://" in str(d) else Path(d) for d in data] if data else [DEFAULT_DATA]
        self._dataset = None
        self._graph = None

    def dataset(self):
        if self._dataset is None:
            if any(isinstance(d, str) for d in self.data):
                self._dataset = _server_dataset(self.data)
            else:
                from loaders.cache import load_cached

                self._dataset = load_cached(self.data)
        return self._dataset

    def graph(self):
        """The graph, or a clear error when the data has errors (validate lists them)."""
        if self._graph is None:
            from graph import StakeholderGraph

            dataset = self.dataset()
            errors = dataset.problems.errors
            if errors:
                shown = "\n".join(f"  {p}" for p in errors[:5])
                more = f"\n  ... and {len(errors) - 5} more" if len(errors) > 5 else ""
                raise UserError(
                    f"the data has {len(errors)} error(s); fix them first "
                    f"(`stakeholder-graph validate` lists all):\n{shown}{more}"
                )
            self._graph = StakeholderGraph.from_records(dataset.nodes.values(), dataset.edges)
        return self._graph


def _server_dataset(entries: list):
    """--data bolt://HOST:PORT: the graph on a Neo4j server, checked like data files are."""
    from graph.neo4j_sync import ConnectionSettings, is_server_uri, read_records
    from loaders import Dataset, EdgeRecord, NodeRecord, Origin
    from loaders.validate import validate

    uri = str(entries[0])
    if len(entries) > 1:
        raise UserError(
            "--data with a server URI reads the whole graph from that server: give it alone, "
            "not together with other --data entries"
        )
    if not is_server_uri(uri):
        raise UserError(f"--data {uri}: not a data directory, and not a bolt://, neo4j://, "
                        "neo4j+s:// or bolt+s:// server URI")
    records = read_records(ConnectionSettings.from_env(uri=uri))
    dataset = Dataset(inputs=[ConnectionSettings(uri=uri).shown_uri])
    for kind, rid, fields, origin in records.nodes:
        dataset.nodes[rid] = NodeRecord(kind, rid, fields, Origin(origin))
    dataset.edges = [EdgeRecord(t, u, v, attrs, Origin(origin)) for t, u, v, attrs, origin, _ in records.edges]
    for where, message in records.notes:
        dataset.problems.warning(Origin(where), message)
    validate(dataset.nodes, dataset.edges, dataset.problems)
    return dataset


def resolving(func):
    """Turn a name that matches nothing into a clear error with the closest names."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from graph import NameNotFound

        try:
            return func(*args, **kwargs)
        except NameNotFound as exc:
            raise UserError(str(exc)) from None

    return wrapper


def filter_options(f):
    """The filters shared by map, diagram and export; passed on as `filters` (a dict)."""
    options = [
        click.option("--audience", type=click.Choice(["public", "partners", "internal"]),
                     default="public", show_default=True,
                     help="Who will see the output: records above it are left out entirely."),
        click.option("--place", help="Keep what answers for this place (and the places above it)."),
        click.option("--country", help="Keep what answers for this country."),
        click.option("--population", help="Keep what serves this population (hierarchically)."),
        click.option("--service", "service_type", metavar="TYPE", help="Keep services of this type."),
        click.option("--around", metavar="NAME", help="Keep the neighbourhood of one record."),
        click.option("--depth", type=click.IntRange(1, 10), default=1, show_default=True,
                     help="How many steps --around reaches."),
    ]
    names = ("audience", "place", "country", "population", "service_type", "around", "depth")

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        kwargs["filters"] = {n: kwargs.pop(n) for n in names}
        return f(*args, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper

