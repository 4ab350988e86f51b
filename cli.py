"""stakeholder-graph: who does what, for whom and where against human trafficking in Serbia
and the Western Balkans, every fact cited.

The CLI only parses options, calls one query and renders its result (table, json or csv).
"""
from __future__ import annotations

import sys
import textwrap

import click

from cli_common import State, cell_text, emit, format_option, render_table, resolving

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
        text = cell_text(value)
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


def _register_command_modules() -> None:
    """Add the command families defined in commands/*.py (each lists its COMMANDS)."""
    import importlib
    import pkgutil

    import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"commands.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            cli.add_command(command)


_register_command_modules()


def main() -> None:
    try:
        cli.main(prog_name="stakeholder-graph")
    except BrokenPipeError:  # output piped into `head`
        sys.stderr.close()
        sys.exit(0)


if __name__ == "__main__":
    main()
