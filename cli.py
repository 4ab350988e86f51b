"""stakeholder-graph: who does what, for whom and where against human trafficking in Serbia
and the Western Balkans, every fact cited.

The CLI only parses options, calls one query and renders its result (table, json or csv).
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import textwrap
from pathlib import Path

import click

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


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return str(value)


def render_table(rows: list[dict], columns: list[str]) -> str:
    """Aligned columns; long cells wrap inside their column."""
    if not rows:
        return "(no results)"
    width = shutil.get_terminal_size((120, 20)).columns
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
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
        writer.writerow([_cell(r.get(c)) for c in columns])
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
        self.data = [Path(d) for d in data] if data else [DEFAULT_DATA]
        self._dataset = None
        self._graph = None

    def dataset(self):
        if self._dataset is None:
            from loaders import load

            self._dataset = load(self.data)
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


def resolving(func):
    """Turn a name that matches nothing into a clear error with the closest names."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from graph import NameNotFound

        try:
            return func(*args, **kwargs)
        except NameNotFound as exc:
            raise UserError(str(exc)) from None

    return wrapper


# --- commands -----------------------------------------------------------------------------


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: stakeholder-graph show Niš",
)
@click.option(
    "--data", "data", multiple=True, metavar="DIR",
    help="Data directory or file (YAML, CSV). Repeat to add a partner's data over the seed "
    "data; later ones add to earlier ones. Default: the packaged seed_data.",
)
@click.version_option("0.1.0", prog_name="stakeholder-graph")
@click.pass_context
def cli(ctx: click.Context, data: tuple[str, ...]) -> None:
    """A cited knowledge graph of who fights human trafficking in Serbia and the Western
    Balkans: actors, services, projects, places and referral pathways."""
    ctx.obj = State(data)


@cli.command()
@format_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors too.")
@click.pass_obj
def validate(state: State, fmt: str, strict: bool) -> None:
    """Check the data and report every problem with file, line and record.

    Exit 0 when clean (warnings allowed), 1 when there are errors.

    \b
    Example:
      stakeholder-graph --data seed_data --data partner/ validate
    """
    dataset = state.dataset()
    problems = dataset.problems
    rows = [p.as_dict() for p in problems]
    errors, warnings = len(problems.errors), len(problems.warnings)
    summary = (
        f"{errors} error(s), {warnings} warning(s) in {', '.join(map(str, state.data))} "
        f"({len(dataset.nodes)} records, {len(dataset.edges)} relations)"
    )
    if fmt == "table":
        click.echo("\n".join([str(p) for p in problems] + [summary if problems else f"ok: {summary}"]))
    else:
        emit(fmt, rows, ["severity", "file", "sheet", "line", "column", "record", "message"],
             document={"ok": errors == 0, "errors": errors, "warnings": warnings, "problems": rows})
    if errors or (strict and warnings):
        sys.exit(1)


@cli.command()
@format_option
@click.pass_obj
def stats(state: State, fmt: str) -> None:
    """Count records by kind and relations by type, and the sources cited.

    \b
    Example:
      stakeholder-graph stats --format json
    """
    from queries.inventory import stats as compute

    result = compute(state.graph())
    rows = [{"what": "node", "name": k, "count": n} for k, n in result["nodes"].items()]
    rows += [{"what": "edge", "name": k, "count": n} for k, n in result["edges"].items()]
    rows.append({"what": "total", "name": "nodes", "count": result["total_nodes"]})
    rows.append({"what": "total", "name": "edges", "count": result["total_edges"]})
    rows.append({"what": "total", "name": "sources cited", "count": result["sources_cited"]})
    emit(fmt, rows, ["what", "name", "count"], document=result)


@cli.command()
@click.argument("name")
@format_option
@click.pass_obj
@resolving
def show(state: State, name: str, fmt: str) -> None:
    """Show one record: its fields, relations in and out, and its sources with URLs.

    NAME may be an id, a name or an alias, in Latin or Cyrillic, with or without diacritics.

    \b
    Examples:
      stakeholder-graph show Nis
      stakeholder-graph show "Атина"
      stakeholder-graph show "Anti-Trafficking Action" --format json
    """
    from queries.inventory import show as compute

    result = compute(state.graph(), name)
    rows = [
        {"direction": r["direction"], "relation": r["type"], "kind": r["kind"], "name": r["name"],
         "id": r["id"], "dates": _period(r), "note": r.get("note", "")}
        for r in result["relations"]
    ]
    emit(fmt, rows, ["direction", "relation", "kind", "name", "id", "dates", "note"],
         document=result, text=_show_text(result, rows))


def _period(r: dict) -> str:
    if r.get("start") or r.get("end"):
        return f"{r.get('start', '?')} – {r.get('end', '')}".strip()
    return ""


def _show_text(result: dict, rows: list[dict]) -> str:
    lines = [f"{result['name']}  [{result['kind']} {result['id']}]", ""]
    for key, value in result["fields"].items():
        text = _cell(value)
        lines.extend(textwrap.wrap(f"{key}: {text}", 100, subsequent_indent="    ") or [f"{key}:"])
    for note in result["data_quality"]:
        lines.extend(textwrap.wrap(f"DATA QUALITY: {note}", 100, subsequent_indent="    "))
    lines += ["", "Relations:", render_table(rows, ["direction", "relation", "kind", "name", "dates"]), "", "Sources:"]
    for s in result["sources"]:
        lines.append(f"  [{s['id']}] {s['title']}" + (f" <{s['url']}>" if s.get("url") else ""))
    lines.append(f"\nDefined at {result['origin']}")
    return "\n".join(lines)


@cli.command()
@format_option
@click.pass_obj
def sources(state: State, fmt: str) -> None:
    """List every source and how many records and relations cite it.

    \b
    Example:
      stakeholder-graph sources --format csv > sources.csv
    """
    from queries.inventory import sources as compute

    rows = compute(state.graph())
    emit(fmt, rows, ["id", "facts", "title", "url"])


def main() -> None:
    try:
        cli.main(prog_name="stakeholder-graph")
    except BrokenPipeError:  # output piped into `head`
        sys.stderr.close()
        sys.exit(0)


if __name__ == "__main__":
    main()
