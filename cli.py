"""stakeholder-graph: who does what, for whom and where against human trafficking in Serbia
and the Western Balkans, every fact cited.

The command group, the list of its commands, and the one place where the library's errors
become exit codes: 1, with a clear message on stderr and no traceback, for a problem with the
data, a question or an output; 2 for a usage error (click's own). The commands live in
commands/; cli.py sits above them because it lists them.

While the group runs, stdout and stderr show control characters as visible escapes
(commands.output.inert_streams): a name holding an escape sequence never acts on the terminal,
whichever command, message or error prints it.
"""
from __future__ import annotations

import importlib
import sys

import click

from stakeholder_graph.commands.context import State
from stakeholder_graph.commands.options import no_empty_path
from stakeholder_graph.commands.output import inert_streams
from stakeholder_graph.graph import VERSION
from stakeholder_graph.graph.errors import CannotMap, DataError, StakeholderGraphError
from stakeholder_graph.graph.names import on_resolution


def error_message(exc: StakeholderGraphError) -> str:
    """What the user reads for a library error (after 'error: ')."""
    if isinstance(exc, DataError):
        return str(exc).replace(
            "error(s):", "error(s); fix them first (`stakeholder-graph validate` lists all):", 1)
    if isinstance(exc, CannotMap):
        from stakeholder_graph.viz.i18n import use_language
        from stakeholder_graph.viz.text import refusal_text

        details = getattr(exc, "details", {})
        with use_language(details.get("language")):
            return refusal_text(str(exc), details, exc.recognised, exc.examples)
    return str(exc)


class UserError(click.ClickException):
    """A library error as click shows it: 'error: ...' on stderr, exit 1, no traceback."""

    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def resolution_note(note: dict) -> None:
    """Say on stderr that a name was taken from part of it (stdout stays the answer)."""
    click.echo(f"note: {note['text']!r} taken as the {note['kind'].replace('_', ' ')} {note['name']!r} "
               "(the one name holding those words)", err=True)


# Each command's module (commands/<module>.py) is imported when the command runs or help lists
# it: a short command does not pay for the imports and options of all the others.
COMMANDS = {
    "validate": "records.validate", "stats": "records.stats", "show": "records.show",
    "sources": "records.sources",
    "who": "coordination.who", "pathway": "coordination.pathway", "gaps": "coordination.gaps",
    "ask": "coordination.ask", "actor": "coordination.actor", "project": "coordination.project",
    "metrics": "coordination.metrics",
    "export": "interchange.export", "template": "interchange.template", "diff": "interchange.diff",
    "map": "maps.map_command", "diagram": "maps.diagram_command",
    "neo4j": "neo4j.neo4j",
    "serve": "serve.serve", "users": "serve.users",
}


class Group(click.Group):
    def list_commands(self, ctx: click.Context | None) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context | None, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            module, function = COMMANDS[name].split(".")
            self.add_command(getattr(importlib.import_module(f"stakeholder_graph.commands.{module}"), function), name)
        return super().get_command(ctx, name)

    def main(self, *args, **kwargs):
        with inert_streams():  # around click's own messages too (usage errors, UserError.show)
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        try:
            with on_resolution(resolution_note):
                return super().invoke(ctx)
        except StakeholderGraphError as exc:
            raise UserError(error_message(exc)) from None


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: stakeholder-graph show Niš",
)
@click.option(
    "--data", "data", multiple=True, metavar="DIR", callback=no_empty_path,
    help="Data directory or file (YAML, CSV, XLSX, a JSON export, an HSDS 3.0 folder or JSON file), or a "
    "bolt:// server. Repeat "
    "to add a partner's data over the seed data; later ones add to earlier ones. Default: the "
    "packaged seed data, which 'seed_data' also names where no folder of that name is here.",
)
@click.option(
    "--max-file-size", "max_file_mb", type=click.FloatRange(min=0, min_open=True, max=1_000_000), metavar="MB",
    help="Refuse a data file larger than this (a workbook: inflating to ten times this). "
    "Default: STAKEHOLDER_GRAPH_MAX_FILE_MB, else 50. Raise it for a big dataset.",
)
@click.version_option(VERSION, prog_name="stakeholder-graph")
@click.pass_context
def cli(ctx: click.Context, data: tuple[str, ...], max_file_mb: float | None) -> None:
    """A cited knowledge graph of who fights human trafficking in Serbia and the Western
    Balkans: actors, services, projects, places and referral pathways."""
    ctx.obj = State(data, max_file_mb=max_file_mb)


def main() -> None:
    try:
        cli.main(prog_name="stakeholder-graph")
    except BrokenPipeError:  # output piped into `head`
        sys.stderr.close()
        sys.exit(0)


if __name__ == "__main__":  # python cli.py ... (with the package installed)
    main()
