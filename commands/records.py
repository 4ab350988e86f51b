"""Commands about the data itself: validate, stats, show, sources."""
from __future__ import annotations

import sys

import click

from stakeholder_graph.commands.answers import emit_answer
from stakeholder_graph.commands.context import State
from stakeholder_graph.commands.options import audience_option
from stakeholder_graph.commands.output import emit, format_option

PROBLEM_COLUMNS = ["severity", "file", "sheet", "line", "column", "record", "message"]


@click.command()
@format_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors too.")
@click.pass_obj
def validate(state: State, fmt: str, strict: bool) -> None:
    """Check the data and report every problem with file, line and record.

    Exit 0 when clean (warnings allowed), 1 when there are errors. A maintainer's tool: it
    reads every record whatever its sensitivity, and its problems may name internal ones
    (there is no --audience, and the audience setting does not apply).

    \b
    Example:
      stakeholder-graph --data seed_data --data partner/ validate
    """
    dataset = state.dataset()
    problems = dataset.problems
    rows = [p.as_dict() for p in problems]
    errors, warnings = len(problems.errors), len(problems.warnings)
    summary = (
        f"{errors} error(s), {warnings} warning(s) in {state.shown} "
        f"({len(dataset.nodes)} records, {len(dataset.edges)} relations)"
    )
    if fmt == "table":
        click.echo("\n".join([str(p) for p in problems] + [summary if problems else f"ok: {summary}"]))
    else:
        emit(fmt, rows, PROBLEM_COLUMNS,
             document={"ok": errors == 0, "errors": errors, "warnings": warnings, "problems": rows})
    if errors or (strict and warnings):
        sys.exit(1)


@click.command()
@format_option
@audience_option(expose=False)
@click.pass_obj
def stats(state: State, fmt: str) -> None:
    """Count records by kind and relations by type (stated and inferred), and the sources cited.

    Counts only what --audience may see.

    \b
    Example:
      stakeholder-graph stats --format json
    """
    from stakeholder_graph.queries.inventory import stats as compute

    result = compute(state.graph())
    rows = [{"what": "node", "name": k, "count": n} for k, n in result["nodes"].items()]
    rows += [{"what": "edge", "name": k, "count": n, **result["edges_by_basis"].get(k, {})}
             for k, n in result["edges"].items()]
    rows.append({"what": "total", "name": "nodes", "count": result["total_nodes"]})
    rows.append({"what": "total", "name": "edges", "count": result["total_edges"]})
    rows.append({"what": "total", "name": "sources cited", "count": result["sources_cited"]})
    rows.append({"what": "total", "name": "records", "count": sum(result["records_by_basis"].values()),
                 **result["records_by_basis"]})
    emit(fmt, rows, ["what", "name", "count", "stated", "inferred"], document=result)


@click.command()
@click.argument("name")
@format_option
@audience_option(expose=False)
@click.pass_obj
def show(state: State, name: str, fmt: str) -> None:
    """Show one record: its fields, relations in and out, and its sources with URLs.

    NAME may be an id, a name or an alias, in Latin or Cyrillic, with or without diacritics.

    \b
    Examples:
      stakeholder-graph show Nis
      stakeholder-graph show "Атина"
      stakeholder-graph show "Anti-Trafficking Action" --format json
    """
    from stakeholder_graph.queries.inventory import show as compute

    emit_answer(fmt, "show", compute(state.graph(), name))


@click.command()
@format_option
@audience_option(expose=False)
@click.pass_obj
def sources(state: State, fmt: str) -> None:
    """List every source and how many records and relations cite it.

    \b
    Example:
      stakeholder-graph sources --format csv > sources.csv
    """
    from stakeholder_graph.queries.inventory import sources as compute

    emit(fmt, compute(state.graph()), ["id", "facts", "title", "url"])
