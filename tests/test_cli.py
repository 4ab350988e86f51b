"""CLI conventions: help with an example everywhere, formats, exit codes, light start-up."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import click
import pytest

from stakeholder_graph.cli import cli


def all_commands(group=cli, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))


@pytest.mark.parametrize("path", [p for p, _ in all_commands()], ids=" ".join)
def test_every_command_has_help_with_an_example(run, path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout, f"{' '.join(path)} --help shows no example"


def test_top_level_help(run):
    result = run("--help")
    assert result.exit_code == 0 and "Example" in result.stdout


def test_usage_error_exits_2(run):
    assert run("no-such-command").exit_code == 2
    assert run("stats", "--format", "xml").exit_code == 2


@pytest.mark.parametrize("command", [("stats",), ("sources",), ("show", "Niš"), ("validate",)])
def test_listing_formats(run, command):
    as_json = run(*command, "--format", "json")
    assert as_json.exit_code == 0
    json.loads(as_json.stdout)
    as_csv = run(*command, "--format", "csv")
    assert as_csv.exit_code == 0
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert len(rows) >= 1 and all(len(r) == len(rows[0]) for r in rows)


def test_stats_counts(run, seed_graph):
    doc = json.loads(run("stats", "--format", "json").stdout)
    assert doc["total_nodes"] == seed_graph.G.number_of_nodes()
    assert doc["nodes"]["project"] == 2 and doc["sources_uncited"] == []


def test_sources_lists_every_source_with_counts(run, seed_graph):
    rows = json.loads(run("sources", "--format", "json").stdout)
    assert {r["id"] for r in rows} == set(seed_graph.ids_of("source"))
    top = rows[0]
    assert top["id"] == "irc-serbia-country-program" and top["facts"] > 100


def test_python_m_works_like_the_console_command(tmp_path):
    result = subprocess.run([sys.executable, "-m", "stakeholder_graph", "show", "Ниш"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and "[place nis]" in result.stdout, result.stderr


def test_help_imports_no_heavy_library(tmp_path):
    code = (
        "import sys\n"
        "from stakeholder_graph.cli import cli\n"
        "try:\n    cli.main(['--help'], prog_name='stakeholder-graph')\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pyvis', 'neo4j', 'matplotlib', 'playwright', 'openpyxl', 'networkx', 'yaml') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr
