"""CLI conventions: help with an example everywhere, formats, exit codes, light start-up."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import click
import pytest

from stakeholder_graph.cli import cli


def all_commands(group=cli, prefix=()):
    for name in group.list_commands(None):  # cli imports a command's module when asked for it
        command = group.get_command(None, name)
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


HEAVY = ("pyvis", "neo4j", "matplotlib", "playwright", "openpyxl", "igraph", "rustworkx")
COMMAND_MODULES = {f"stakeholder_graph.commands.{m}" for m in
                   ("records", "coordination", "interchange", "maps", "neo4j", "serve")}


def modules_loaded_by(args: list[str], cwd, env=None) -> set[str]:
    """The modules a cold process has imported after running the command."""
    code = (
        "import sys\n"
        "from stakeholder_graph.cli import cli\n"
        f"try:\n    cli.main({args!r}, prog_name='stakeholder-graph')\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('LOADED ' + ' '.join(sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env)
    assert "LOADED " in result.stderr, result.stdout + result.stderr
    return set(result.stderr.rsplit("LOADED ", 1)[1].split())


def test_help_imports_no_heavy_library(tmp_path):
    loaded = modules_loaded_by(["--help"], tmp_path)
    assert [m for m in (*HEAVY, "networkx", "yaml") if m in loaded] == []


@pytest.mark.parametrize("args, module", [
    (["stats"], "records"), (["who", "--population", "children", "--place", "Niš"], "coordination"),
])
def test_a_short_command_imports_only_what_it_needs(tmp_path, args, module):
    """A cold start (issue 15: `stats` and `who` within 1.2x of importing networkx, yaml and
    click) imports no heavy library and no other command's module; with the graph in the
    cache, neither the YAML parser nor the readers."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("STAKEHOLDER_GRAPH_NO_CACHE", None)
    modules_loaded_by(args, tmp_path, env)  # fills the cache
    loaded = modules_loaded_by(args, tmp_path, env)
    unwanted = {*HEAVY, *(COMMAND_MODULES - {f"stakeholder_graph.commands.{module}"}), "yaml",
                "stakeholder_graph.loaders.files", "stakeholder_graph.loaders.records"}
    assert sorted(unwanted & loaded) == []
    assert f"stakeholder_graph.commands.{module}" in loaded


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
