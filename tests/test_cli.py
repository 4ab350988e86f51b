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


@pytest.mark.parametrize("command", [
    ("who", "--population", "children"), ("pathway", "--population", "children", "--place", "Niš"),
    ("gaps", "--service", "shelter"), ("actor", "Atina"), ("project", "From Harm to Safety"),
    ("ask", "who handles child victims in Niš?"), ("map", "-o", "x.html"), ("diagram", "-o", "x.png"),
])
def test_a_bad_as_of_is_a_usage_error(run, command):
    for bad in ("2026-13", "yesterday", "2026-02-30"):
        result = run(*command, "--as-of", bad)
        assert result.exit_code == 2, (command, bad, result.stdout)
        assert "--as-of" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [
    ("export", "--to", "json"), ("map", "-o", "x.html"), ("diagram", "-o", "x.png"),
    ("neo4j", "push"), ("diff", "seed_data", "seed_data"),
])
def test_audience_is_one_of_the_schema_levels(run, command):
    from stakeholder_graph.graph.schema import SENSITIVITY

    result = run(*command, "--audience", "everyone")
    assert result.exit_code == 2
    assert all(level in result.stderr for level in SENSITIVITY), result.stderr


def test_who_json_gives_coverage_as_data_and_the_table_words_it(run):
    doc = json.loads(run("who", "--population", "children", "--place", "Niš", "--format", "json").stdout)
    coverages = [r["coverage"] for r in doc["results"]]
    assert {"level": "municipality", "place": {"id": "nis", "name": "Niš", "names": {"sr-Cyrl": "Ниш"}},
            "relation": "same"} in coverages
    assert all(set(c) == {"level", "place", "relation"} for c in coverages)
    table = run("who", "--population", "children", "--place", "Niš").stdout
    assert "covers municipality: Niš (the place itself)" in table
    assert "covers country: Serbia (contains the place)" in table


def test_ask_prints_the_answer_it_computed_for_every_intent(run):
    for question, intent in (("who is Atina?", "actor"), ("what did From Harm to Safety achieve?", "project"),
                             ("who handles child victims in Niš?", "who handles")):
        doc = json.loads(run("ask", question, "--format", "json").stdout)
        assert doc["question"] == question and doc["intent"] == intent and doc["answer"]
    table = run("ask", "what did From Harm to Safety achieve?")
    assert table.exit_code == 0 and table.stdout.startswith("Understood: query: project")
    assert "Achieved:" in table.stdout and "168 " in table.stdout
    as_csv = run("ask", "who is Atina?", "--format", "csv")
    assert as_csv.stdout.splitlines()[0] == "section,id,name,details"


def test_query_errors_are_one_line_and_exit_1(run):
    for command in (("gaps", "--service", "shelter", "--country", "Niš"),
                    ("who", "--place", "Nsi"), ("ask", "what is the weather like?"),
                    ("show", "no such record at all")):
        result = run(*command)
        assert result.exit_code == 1, command
        assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert "is a municipality, not a country" in run("gaps", "--service", "shelter", "--country", "Niš").stderr
