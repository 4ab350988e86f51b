"""Interchange commands: export (Gephi, JSON, FollowTheMoney, CSV, Kumu, HSDS), template (the partners' workbook),
diff.

openpyxl and the exporters are imported inside the commands, so `--help` stays fast.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import click

from stakeholder_graph.commands.context import State
from stakeholder_graph.commands.options import filter_options, no_empty_path
from stakeholder_graph.commands.output import csv_raw, csv_raw_option, emit, format_option, render_table
from stakeholder_graph.exports import FOLDER_FORMATS, FORMATS, STREAM_FORMATS
from stakeholder_graph.graph.errors import MissingDependency
from stakeholder_graph.graph.schema import SENSITIVITY
from stakeholder_graph.viz.text import display_text


def _openpyxl_or_fail(what: str) -> None:
    if importlib.util.find_spec("openpyxl") is None:
        raise MissingDependency(f"{what} needs openpyxl: pip install 'stakeholder-graph[export]'")


@click.command()
@click.option("--to", "fmt", type=click.Choice(FORMATS), required=True,
              help="graphml or gexf (Gephi), json (node-link), ftm (FollowTheMoney, for Aleph), csv (a folder), "
              "hsds (an HSDS 3.0 folder), "
              "xlsx (Kumu).")
@click.option("-o", "--output", default="-", metavar="PATH",
              help="File to write; a folder for csv and hsds. '-' (the default) writes graphml, gexf, "
              "json or ftm to stdout.")
@filter_options
@csv_raw_option
@click.pass_obj
def export(state: State, fmt: str, output: str, filters) -> None:
    """Export the graph, or part of it, for Gephi, Kumu, Aleph, spreadsheets, service
    directories or scripts.

    \b
    graphml  typed attributes (numbers as numbers), for Gephi, Cytoscape, yEd
    gexf     the same plus node colours by sector, seeded positions and the
             dates of projects, services and relations as time intervals
             (Gephi's timeline)
    json     networkx node-link data plus the sources table, stably sorted;
             loads back with --data FILE.json
    ftm      FollowTheMoney entities, one JSON object a line, for OCCRP's Aleph
             and the ftm tools: actors (Organization, PublicBody), projects,
             participants, memberships and the other ties between actors
             (UnknownLink), each citing its sources' URLs and publishers
    csv      a folder with nodes.csv, edges.csv and sources.csv (sources as ids);
             a cell starting with =, +, -, @, tab or CR gets a leading ' so a
             spreadsheet never runs it (--csv-raw: as the data has it)
    xlsx     sheets Elements and Connections for Kumu, plus one sheet per kind
             and relations, which load back with --data FILE.xlsx
    hsds     a folder in Open Referral's Human Services Data Specification 3.0
             for service directory platforms: the CSV tables with
             datapackage.json, organizations.json (organizations with their
             services) and stakeholder-graph.json (what HSDS has no table for);
             loads back with --data FOLDER

    Only what --audience may see is written: a record or relation above it leaves no trace
    in any attribute, column or sheet. Without --audience, the audience setting applies
    ($STAKEHOLDER_GRAPH_AUDIENCE, else the config file, else public). Filters are those of `map`. The file is written
    atomically: an interrupted export leaves any earlier file intact.

    \b
    Examples:
      stakeholder-graph export --to gexf -o balkans.gexf
      stakeholder-graph export --to json -o graph.json --audience partners
      stakeholder-graph export --to ftm -o actors.ftm.json
      stakeholder-graph export --to csv -o nis-children/ --place Niš --population children
      stakeholder-graph export --to xlsx -o kumu.xlsx --around Atina --depth 2
      stakeholder-graph export --to hsds -o directory.hsds --audience partners
    """
    from stakeholder_graph.exports import export as write
    from stakeholder_graph.exports import export_to_stream
    from stakeholder_graph.exports.snapshot import snapshot

    if output == "-" and fmt not in STREAM_FORMATS:
        raise click.UsageError(f"--to {fmt} cannot go to stdout; give a {'folder' if fmt in FOLDER_FORMATS else 'file'} "
                               "with -o")
    if fmt == "xlsx":
        _openpyxl_or_fail("--to xlsx")
    snap = snapshot(state.graph(), filters)
    if output == "-":
        stdout = sys.stdout.buffer
        export_to_stream(snap, fmt, stdout)
        stdout.flush()
        rows = None
    else:
        rows = write(snap, fmt, output, csv_raw=csv_raw())
    if rows is not None:  # hsds: what went into which table
        counts = ", ".join(f"{n} {table}" for table, n in rows.items() if n)
    else:
        counts = f"{len(snap.graph.G)} records, {snap.graph.G.number_of_edges()} relations, {len(snap.sources)} sources"
    if fmt == "ftm":  # what the file holds is entities, not records: how many of each schema
        from stakeholder_graph.exports.ftm import schema_counts

        by_schema = schema_counts(snap)
        counts = f"{sum(by_schema.values())} entities ({', '.join(f'{n} {s}' for s, n in by_schema.items()) or 'none'})"
    where = "stdout" if output == "-" else output
    click.echo(f"wrote {counts} (audience {snap.audience}) to {where}", err=True)


@click.command()
@click.option("-o", "--output", required=True, metavar="FILE.xlsx|FOLDER",
              help="The workbook to write, or with --to csv the folder for the CSV templates.")
@click.option("--to", "fmt", type=click.Choice(("xlsx", "csv")), default="xlsx", show_default=True,
              help="xlsx: one workbook; csv: one CSV file per kind of record and relations.csv.")
def template(output: str, fmt: str) -> None:
    """Write the template partner organisations fill in: a workbook, or CSV files.

    The workbook has one sheet per kind of record (actors, services, projects, places, ...) and
    "relations", with the column names in row 1 (yellow when required; point at one for what
    it holds and its allowed values), drop-down lists for single-choice columns, a README sheet
    and an "allowed values" sheet. The example rows start with '#' in their first cell and are
    never loaded; delete the '#' to keep one. The CSV templates (`--to csv`) have the same
    columns, one file per kind. Load the filled workbook or folder like a data directory.
    The template holds no data (its example rows are made up), so it takes no --audience.

    \b
    Examples:
      stakeholder-graph template -o records.xlsx
      stakeholder-graph template --to csv -o partner/
      stakeholder-graph --data seed_data --data records.xlsx validate
    """
    from stakeholder_graph.exports.files import write_file, write_folder
    from stakeholder_graph.exports.template import csv_templates, write_template

    if output == "-":
        raise click.UsageError("-o -: a template is a file or a folder, not standard output")
    if fmt == "csv":
        write_folder(Path(output), csv_templates(), owned=())  # never over a partner's filled files
    else:
        _openpyxl_or_fail("template")
        write_file(Path(output), write_template)
    click.echo(f"wrote the template to {output}", err=True)


DIFF_COLUMNS = ["change", "what", "kind", "id", "field", "old", "new"]


def _diff_rows(result: dict) -> list[dict]:
    """One row per record or relation added or removed (with its name or its sources), and
    one per field changed."""
    rows = []
    for what in ("records", "relations"):
        for change in ("added", "removed", "changed"):
            for r in result[what][change]:
                if what == "records":
                    base = {"what": "record", "kind": r["kind"], "id": r["id"]}
                    links = len(r.get("relations", []))
                    shown = r["name"] + (f" (with {links} relation{'s' * (links > 1)})" if links else "")
                else:
                    base = {"what": "relation", "kind": r["type"], "id": f"{r['from']} -> {r['to']}"}
                    shown = r["attrs"].get("sources")
                base["change"] = change
                if change == "changed":
                    rows += [{**base, **f} for f in r["fields"]]
                else:
                    rows.append({**base, "new" if change == "added" else "old": shown})
    return [{k: display_text(v) if k in ("old", "new") else v for k, v in row.items()} for row in rows]


def _diff_summary(summary: dict) -> str:
    """'records: 1 added, 2 changed; relations: 1 removed', or 'no differences'."""
    parts = []
    for what in ("records", "relations"):
        counts = [f"{n} {change}" for change in ("added", "removed", "changed") if (n := summary[f"{what}_{change}"])]
        if counts:
            parts.append(f"{what}: {', '.join(counts)}")
    return "; ".join(parts) or "no differences"


@click.command()
@click.argument("old", metavar="OLD", callback=no_empty_path)
@click.argument("new", nargs=-1, required=True, metavar="NEW...", callback=no_empty_path)
@format_option
@click.option("--audience", type=click.Choice(SENSITIVITY), default="internal", show_default=True,
              help="Compare only what this audience may see. Not read from the audience setting.")
def diff(old: str, new: tuple[str, ...], fmt: str, audience: str) -> None:
    """Show what changed from OLD to NEW: records added, removed and changed (field by
    field), and relations added, removed and changed.

    A maintainer's tool: it compares everything, internal records included, unless --audience
    says otherwise ($STAKEHOLDER_GRAPH_AUDIENCE and the config file do not apply here); give
    --audience public for a change log to publish.

    OLD is a data directory or file (YAML, CSV, XLSX, JSON export). NEW is one or more,
    combined as repeated --data options combine them: to review what a partner's workbook
    would change, compare the seed data with the seed data plus the workbook. Both sides
    must load without errors (`validate` lists them).

    \b
    Examples:
      stakeholder-graph diff seed_data seed_data partner.xlsx
      stakeholder-graph diff old-export.json seed_data --format json
    """
    from stakeholder_graph.queries.diff import diff as compare

    group = click.get_current_context().find_object(State)
    limit = group.max_file_mb if group is not None else None
    before = State((old,), audience, limit).graph()
    after = State(new, audience, limit).graph()
    result = compare(before, after)
    rows = _diff_rows(result)
    summary = _diff_summary(result["summary"])
    text = None
    if fmt == "table":
        text = (render_table(rows, DIFF_COLUMNS) + "\n\n" if rows else "") + summary
    emit(fmt, rows, DIFF_COLUMNS, document=result, text=text)

