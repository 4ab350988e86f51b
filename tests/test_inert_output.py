"""Text from the data is inert in every medium (issue 12): on the terminal (stdout and stderr,
every format), in XML (GraphML, GEXF, the diagram's SVG), in the workbook and in CSV (no
formula a spreadsheet would run, unless asked for raw cells).

Validation keeps control characters out of the graph, so the writers are tested directly:
a valid hostile dataset (formula-looking names, markup, quotes and commas) is loaded, then
control characters are put into its graph behind validation's back, and every command and
writer is run on that graph.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import openpyxl
import pytest

from stakeholder_graph.commands.context import State
from stakeholder_graph.exports import export, export_to_stream
from stakeholder_graph.exports.snapshot import snapshot
from stakeholder_graph.graph.model import StakeholderGraph

from helpers import ROOT, graph_of, write_files

FORMULA = '=HYPERLINK("http://evil.example/x","click")'
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOTLINE = '@SUM(1) hotline, "24/7"'
MINUS = "-2+3 Centre"
NOTE = '=HYPERLINK("http://evil.example/y","note"), with a comma'
TITLE = 'Report, "annual" =HYPERLINK("http://evil.example/x","click")'

# valid data: no control characters, but text that a spreadsheet or a browser would run
HOSTILE_FILES = {
    "sources.yaml": f"""\
- id: src
  name: '{TITLE}'
  publisher: '@SUM(1)'
  url: https://example.org/report
  date: 2025-01
""",
    "places.yaml": """\
- id: testland
  name: Testland
  level: country
  sources: [src]
- id: ville
  name: Ville
  level: municipality
  parent: testland
  lat: 44.0
  lon: -20.5
  sources: [src]
""",
    "populations.yaml": """\
- id: victims
  name: victims of trafficking
  sources: [src]
""",
    "actors.yaml": f"""\
- id: formula-actor
  name: '{FORMULA}'
  sector: ngo
  located_in: [ville]
  description: '+1 call us, "now"'
  sources: [src]
- id: xss-actor
  name: '{SCRIPT}'
  sector: government
  located_in: [ville]
  description: '{IMG}'
  sources: [src]
- id: minus-actor
  name: '{MINUS}'
  sector: international
  located_in: [ville]
  description: '@SUM(1)'
  sources: [src]
""",
    "services.yaml": f"""\
- id: formula-hotline
  name: '{HOTLINE}'
  provider: [formula-actor]
  types: [hotline]
  referral_step: first_contact
  serves: [victims]
  covers: [testland]
  start: 2020
  description: '=1+1'
  sources: [src]
- id: xss-shelter
  name: '{IMG} shelter'
  provider: [xss-actor]
  types: [shelter]
  referral_step: emergency_assistance
  serves: [victims]
  covers: [ville]
  start: 2020
  sources: [src]
- id: minus-identification
  name: '-2+3 identification'
  provider: [minus-actor]
  types: [identification]
  referral_step: identification
  serves: [victims]
  covers: [testland]
  start: 2020
  sources: [src]
""",
    "relations.yaml": f"""\
- type: refers_to
  from: formula-actor
  to: xss-actor
  populations: [victims]
  note: '{NOTE}'
  sources: [src]
""",
}

# what validation keeps out, put into the graph directly
RED = "\x1b[31m"
OSC = "\x1b]0;title\x07"
CONTROLS = f"{RED}red{OSC} nul\x00 vt\x0b nel\x85 del\x7f non\ufffe lone\ud800"
INJECTED = {  # node id -> {field: value}
    "formula-actor": {"name": FORMULA + CONTROLS},
    "xss-actor": {"description": IMG + CONTROLS},
    "minus-actor": {"description": "\r@SUM(1)\x00"},
    "formula-hotline": {"name": HOTLINE + OSC, "description": "\t=1+1"},
    "ville": {"name": "Ville" + OSC},
    "src": {"name": TITLE + CONTROLS, "publisher": "@SUM(1)\x1b[5m"},
}
EDGE_NOTE = NOTE + "\x0b\x85" + RED

# anything that acts on a terminal or breaks a file: C0 but tab and newline, DEL, C1, surrogates
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# what XML 1.0 cannot hold, as the exported files must not hold it either
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def assert_inert(text: str, what: str = "output") -> None:
    found = RAW_CONTROL.findall(text)
    assert not found, f"{what} holds raw control characters {found!r}"


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    return write_files(tmp_path_factory.mktemp("hostile") / "data", HOSTILE_FILES)


@pytest.fixture(scope="module")
def hostile_graph(hostile_dir) -> StakeholderGraph:
    """The valid hostile dataset with control characters put into its graph (no validation)."""
    G = graph_of(hostile_dir).G.copy()
    for node, fields in INJECTED.items():
        G.nodes[node].update(fields)
    [(u, v, k)] = [(u, v, k) for u, v, k, a in G.edges(keys=True, data=True) if a["type"] == "refers_to"]
    G.edges[u, v, k]["note"] = EDGE_NOTE
    g = StakeholderGraph(G)
    # the hostile text is really in the graph the writers get
    assert g.G.nodes["formula-actor"]["name"] == FORMULA + CONTROLS
    assert OSC in g.G.nodes["formula-hotline"]["name"] and "\x00" in g.G.nodes["minus-actor"]["description"]
    return g


@pytest.fixture
def run_on(run, hostile_graph, monkeypatch):
    """run(*args) with every command working on the injected graph."""
    monkeypatch.setattr(State, "graph", lambda self: hostile_graph)
    return run


# --- the terminal ------------------------------------------------------------------------

TERMINAL_COMMANDS = {
    "show actor": ("show", "formula-actor"),
    "show service": ("show", "formula-hotline"),
    "show described": ("show", "xss-actor"),
    "show source": ("show", "src"),
    "who": ("who", "--population", "victims", "--place", "ville"),
    "pathway": ("pathway", "--population", "victims", "--place", "ville"),
    "actor": ("actor", "formula-actor"),
    "sources": ("sources",),
    "gaps": ("gaps", "--service", "shelter", "--country", "testland", "--all"),
    "metrics": ("metrics",),
}


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("name", list(TERMINAL_COMMANDS))
def test_terminal_output_holds_no_control_character(run_on, name, fmt):
    result = run_on(*TERMINAL_COMMANDS[name], "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout, f"{name} --format {fmt}")
    assert_inert(result.stderr, f"{name} --format {fmt} (stderr)")
    if fmt == "json":
        json.loads(result.stdout)


def test_the_escapes_show_what_was_there(run_on):
    """The control characters are shown, visibly, where the data has them: the table and CSV
    as escapes, JSON as the same string (json escapes, the reader gets the exact text back)."""
    shown = run_on("show", "formula-actor").stdout
    assert FORMULA + r"\x1b[31mred\x1b]0;title\x07 nul\x00 vt\x0b nel\x85 del\x7f non" in shown
    assert r"lone\ud800" in shown
    assert "\x1b" not in shown and "\x07" not in shown
    who = run_on("who", "--population", "victims", "--place", "ville").stdout
    assert r"@SUM(1) hotline, " in who and r'"24/7"\x1b]0;title\x07' in who
    document = json.loads(run_on("show", "formula-actor", "--format", "json").stdout)
    assert document["name"] == FORMULA + CONTROLS


def test_errors_on_stderr_are_inert(run_on, hostile_graph):
    """A message that quotes a name from the data (here the closest names to a mistyped one)."""
    result = run_on("show", "Vile")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert_inert(result.stderr, "the error")
    assert r"did you mean Ville\x1b]0;title\x07?" in result.stderr  # the suggestion names the hostile record


def test_the_streams_escape_whatever_prints(run, monkeypatch):
    """The chokepoint: any echo or print during a command, and click's own errors, go
    through the inert streams; binary output through `buffer` does not."""
    import click

    from stakeholder_graph.cli import cli

    @click.command("hostile-echo")
    def hostile_echo():
        click.echo(f"out {OSC}{RED}x", color=True)  # color: click would strip the CSI itself
        click.echo(f"err {OSC}", err=True)
        print("print \x9b31m \x00")
        sys.stdout.flush()
        sys.stdout.buffer.write(b"bytes \x1b")

    cli.add_command(hostile_echo)
    try:
        result = run("hostile-echo")
    finally:
        cli.commands.pop("hostile-echo")
    assert result.stdout_bytes.endswith(b"bytes \x1b")  # binary output untouched
    text = result.stdout[: -len("bytes \x1b")]
    assert_inert(text)
    assert r"out \x1b]0;title\x07\x1b[31mx" in text and r"print \x9b31m \x00" in text
    assert result.stderr == "err \\x1b]0;title\\x07\n"
    assert sys.stdout.__class__.__name__ != "InertStream"  # put back after the command


def test_osc_does_not_survive_a_pipe(tmp_path):
    """A real process with stdout and stderr piped: neither carries the title sequence,
    whether the data loads (on its own, the writers escape) or validation refuses it."""
    data = write_files(tmp_path / "osc", {
        "sources.yaml": '- id: src\n  name: "Title\\e]0;pwned\\a"\n',
        "actors.yaml": '- id: a1\n  name: "Atina\\e]0;pwned\\a\\e[31m"\n  sector: ngo\n  sources: [src]\n',
    })
    done = subprocess.run([sys.executable, "-m", "stakeholder_graph", "--data", data, "show", "a1"],
                          capture_output=True, cwd=tmp_path, timeout=120)
    for stream in (done.stdout, done.stderr):
        assert b"\x1b" not in stream and b"\x07" not in stream
    if done.returncode == 0:
        assert rb"Atina\x1b]0;pwned\x07\x1b[31m" in done.stdout
    else:  # validation refuses the record, and says so
        assert done.returncode == 1 and done.stderr.startswith(b"error: ")


def test_the_renderers_are_inert_on_their_own(hostile_graph, capsys):
    """emit (every table, CSV and JSON a command prints) without the CLI's streams."""
    from stakeholder_graph.commands.answers import emit_answer, render
    from stakeholder_graph.commands.output import render_table
    from stakeholder_graph.queries.inventory import show

    answer = show(hostile_graph, "formula-actor")
    assert OSC in render("show", answer).text  # the answer holds it ...
    for fmt in ("table", "csv", "json"):
        emit_answer(fmt, "show", answer)
        out = capsys.readouterr().out
        assert_inert(out, fmt)  # ... what is printed does not
    table = render_table([{"name": FORMULA + CONTROLS, "n": 1}], ["name", "n"])
    assert_inert(table)
    lines = table.splitlines()
    assert len({len(line) for line in lines[:2]}) == 1  # escaped before measuring: aligned


# --- files -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_snapshot(hostile_graph):
    return snapshot(hostile_graph)


def _stream(snap, fmt) -> bytes:
    out = io.BytesIO()
    export_to_stream(snap, fmt, out)
    return out.getvalue()


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_parse(hostile_snapshot, tmp_path, fmt, read):
    data = _stream(hostile_snapshot, fmt)
    text = data.decode("utf-8")
    assert not XML_FORBIDDEN.search(text)
    assert_inert(text.replace("\r", ""), fmt)  # written to a terminal, it stays inert too
    path = tmp_path / f"graph.{fmt}"
    path.write_bytes(data)
    G = read(path)
    assert G.nodes["formula-actor"]["label"].startswith(FORMULA + r"\x1b[31mred\x1b]0;title\x07 nul\x00")
    assert G.nodes["xss-actor"]["label"] == SCRIPT
    assert G.nodes["xss-actor"]["description"].startswith(IMG + r"\x1b[31m")
    notes = [a.get("note") for _, _, a in G.edges(data=True) if a.get("note")]
    assert notes == [NOTE + r"\x0b\x85\x1b[31m"]


def test_json_export_parses_and_keeps_the_text(hostile_snapshot, tmp_path):
    data = _stream(hostile_snapshot, "json")
    assert_inert(data.decode("utf-8"), "the JSON export")
    document = json.loads(data)
    names = {n["id"]: n["name"] for n in document["nodes"]}
    assert names["formula-actor"] == FORMULA + CONTROLS  # exactly, as JSON escapes
    assert [s["name"] for s in document["sources"]] == [TITLE + CONTROLS]


def test_xlsx_writes_cleanly(hostile_snapshot, tmp_path):
    path = tmp_path / "kumu.xlsx"
    export(hostile_snapshot, "xlsx", path)
    wb = openpyxl.load_workbook(path, read_only=True)
    elements = {row[0]: row for row in wb["Elements"].iter_rows(min_row=2, values_only=True)}
    assert elements["formula-actor"][1].startswith(FORMULA + r"\x1b[31mred")  # text, not a formula
    assert elements["xss-actor"][1] == SCRIPT
    assert elements["xss-actor"][3].startswith(IMG)
    assert elements["formula-hotline"][3] == "\t=1+1"
    connections = list(wb["Connections"].iter_rows(min_row=2, values_only=True))
    assert [c[3] for c in connections if c[2] == "refers_to"] == [NOTE + r"\x0b\x85\x1b[31m"]


def _csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _csv_file(path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:  # a carriage return in a cell stays one
        return list(csv.reader(f))


def _assert_neutralised(rows: list[list[str]], numeric: set[str] = frozenset()) -> int:
    """No cell a spreadsheet would run; returns how many cells needed the quote."""
    quoted = 0
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA_START) or cell in numeric, cell
            quoted += cell.startswith("'") and cell[1:].startswith(FORMULA_START)
    return quoted


def test_csv_export_is_neutralised(hostile_snapshot, tmp_path):
    folder = tmp_path / "csv"
    export(hostile_snapshot, "csv", folder)
    nodes = _csv_file(folder / "nodes.csv")
    cells = {(r[0], name): value for r in nodes[1:] for name, value in zip(nodes[0], r)}
    assert cells["formula-actor", "name"].startswith("'" + FORMULA + r"\x1b[31m")
    assert cells["formula-hotline", "description"] == "'\t=1+1"
    assert cells["minus-actor", "description"] == "'\r@SUM(1)\\x00"
    assert cells["ville", "lon"] == "-20.5"  # a number stays a number
    assert _assert_neutralised(nodes, {"-20.5"}) >= 5
    edges = _csv_file(folder / "edges.csv")
    assert "'" + NOTE + r"\x0b\x85\x1b[31m" in [c for r in edges for c in r]
    sources = _csv_file(folder / "sources.csv")
    assert sources[1][sources[0].index("publisher")] == r"'@SUM(1)\x1b[5m"


def test_csv_format_is_neutralised(run_on):
    rows = _csv_cells(run_on("who", "--population", "victims", "--place", "ville", "--format", "csv").stdout)
    actors = [r[rows[0].index("actor")] for r in rows[1:]]
    assert "'-2+3 Centre" in actors and any(a.startswith("'" + FORMULA) for a in actors)
    assert _assert_neutralised(rows) >= 4
    raw = _csv_cells(run_on("who", "--population", "victims", "--place", "ville", "--format", "csv",
                            "--csv-raw").stdout)
    assert "-2+3 Centre" in [r[rows[0].index("actor")] for r in raw[1:]]


def test_diagram_svg_parses(run_on, tmp_path):
    for name, args in {"force": (), "pathway": ("--pathway", "--population", "victims", "--place", "ville")}.items():
        path = tmp_path / f"{name}.svg"
        result = run_on("diagram", *args, "-o", path)
        assert result.exit_code == 0, result.stderr
        root = ET.parse(path).getroot()
        text = " ".join(t for t in root.itertext())
        assert r"\x1b[31m" in text and "\x1b" not in text, name
        if name == "force":
            assert SCRIPT in text  # markup drawn as text
            assert r"Report, \"annual\"" not in text and 'Report, "annual"' in text


def test_map_to_stdout_keeps_the_data_exact(run_on):
    """`map -o -` writes the file's bytes; the data inside is JSON with the text exact."""
    result = run_on("map", "-o", "-")
    assert result.exit_code == 0, result.stderr
    html = result.stdout_bytes.decode("utf-8")
    match = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S)
    assert_inert(match.group(1), "the map's data")
    names = {n["id"]: n["name"] for n in json.loads(match.group(1))["nodes"]}
    assert names["formula-actor"] == FORMULA + CONTROLS and names["xss-actor"] == SCRIPT


# --- the hostile but valid dataset through the command line --------------------------------

def test_valid_hostile_data_through_every_export(run, hostile_dir, tmp_path):
    """Formula-looking names, markup, quotes and commas, as real data: every export parses with
    its reader, and every CSV cell is neutralised; with --csv-raw (or the environment
    variable) the cells are as the data has them."""
    data = ("--data", hostile_dir)
    assert run(*data, "validate").exit_code == 0
    out = {}
    for fmt, name in {"graphml": "g.graphml", "gexf": "g.gexf", "json": "g.json", "xlsx": "g.xlsx",
                      "csv": "csv"}.items():
        out[fmt] = tmp_path / name
        result = run(*data, "export", "--to", fmt, "-o", out[fmt])
        assert result.exit_code == 0, result.stderr
    for read in (nx.read_graphml, nx.read_gexf):
        G = read(out["graphml" if read is nx.read_graphml else "gexf"])
        assert G.nodes["formula-actor"]["label"] == FORMULA and G.nodes["xss-actor"]["description"] == IMG
    document = json.loads(out["json"].read_text(encoding="utf-8"))
    assert {n["name"] for n in document["nodes"]} >= {FORMULA, SCRIPT, MINUS}
    wb = openpyxl.load_workbook(out["xlsx"])
    labels = {r[0]: r[1] for r in wb["Elements"].iter_rows(min_row=2, values_only=True)}
    assert labels["formula-actor"] == FORMULA and wb["Elements"]["B2"].data_type == "s"
    nodes = _csv_file(out["csv"] / "nodes.csv")
    names = {r[0]: r[nodes[0].index("name")] for r in nodes[1:]}
    assert names["formula-actor"] == "'" + FORMULA and names["minus-actor"] == "'" + MINUS
    assert names["xss-actor"] == SCRIPT and names["formula-hotline"] == "'" + HOTLINE
    assert _assert_neutralised(nodes, {"-20.5"}) >= 6
    sources = _csv_file(out["csv"] / "sources.csv")
    assert sources[1][sources[0].index("name")] == TITLE  # quotes and commas, as they are

    # the raw switch: the flag and the environment variable
    raw = tmp_path / "raw"
    assert run(*data, "export", "--to", "csv", "-o", raw, "--csv-raw").exit_code == 0
    raw_nodes = _csv_file(raw / "nodes.csv")
    assert {r[0]: r[raw_nodes[0].index("name")] for r in raw_nodes[1:]}["formula-actor"] == FORMULA


@pytest.mark.parametrize("args", [
    ("who", "--population", "victims", "--place", "Ville"),
    ("pathway", "--population", "victims", "--place", "Ville"),
    ("actor", "formula-actor"),
    ("show", "formula-hotline"),
    ("sources",),
    ("stats",),
])
def test_valid_hostile_data_through_format_csv(run, hostile_dir, monkeypatch, args):
    data = ("--data", hostile_dir)
    result = run(*data, *args, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = _csv_cells(result.stdout)
    assert len(rows) >= 2 and len({len(r) for r in rows}) == 1  # quotes and commas parse
    _assert_neutralised(rows)
    monkeypatch.setenv("STAKEHOLDER_GRAPH_CSV_RAW", "1")
    raw = _csv_cells(run(*data, *args, "--format", "csv").stdout)
    assert len(raw) == len(rows)
    changed = [(a, b) for r, s in zip(rows, raw) for a, b in zip(r, s) if a != b]
    assert all(a == "'" + b and b.startswith(FORMULA_START) for a, b in changed)
    if args[0] in ("who", "pathway", "actor", "show"):
        assert changed  # the hostile names are in these answers, and only the quote differs


def test_readme_says_how_to_turn_neutralisation_off():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Safe output" in readme
    assert "--csv-raw" in readme and "STAKEHOLDER_GRAPH_CSV_RAW=1" in readme


# --- one hostile dataset, end to end -------------------------------------------------------

WITH_CONTROLS = {  # file -> (text in the valid file, the same with control characters, field)
    "sources.yaml": (f"name: '{TITLE}'", f'name: "{TITLE.replace(chr(34), chr(92) + chr(34))}\\e[31m"', "name"),
    "actors.yaml": ("description: '+1 call us, \"now\"'", 'description: "+1 call us\\e]0;title\\a"', "description"),
    "services.yaml": ("description: '=1+1'", 'description: "=1+1\\x0b\\x85"', "description"),
    "relations.yaml": (f"note: '{NOTE}'", 'note: "a note\\x00"', "note"),
}


def test_one_hostile_dataset_end_to_end(run, tmp_path):
    """The issue's whole path: the hostile dataset with control characters is refused by
    validation, which names each bad file, line and field; with them removed the same data goes
    through every command and export, terminals see no ESC and CSV cells are neutralised."""
    files = dict(HOSTILE_FILES)
    for name, (valid, bad, _field) in WITH_CONTROLS.items():
        assert valid in files[name], name
        files[name] = files[name].replace(valid, bad)
    files["actors-partner.csv"] = 'id,name,sector,sources\ncsv-actor,"Quoted, ""partner""\x1b[2J",ngo,src\n'
    bad_dir = write_files(tmp_path / "bad", files)
    result = run("--data", bad_dir, "validate")
    assert result.exit_code == 1
    report = result.stdout + result.stderr
    assert "\x1b" not in report and "\x00" not in report
    for name, (_valid, _bad, field) in WITH_CONTROLS.items():
        assert re.search(rf"{re.escape(name)}:\d+: error: [^\n]*{field}: control character", report), name
    assert re.search(r"actors-partner\.csv:2 \(column name\): error: csv-actor: name: control character U\+001B",
                     report)
    # a command that needs the graph refuses the same data, naming the first problem
    who = run("--data", bad_dir, "who", "--population", "victims")
    assert who.exit_code == 1 and "control character" in who.stderr and "\x1b" not in who.stderr

    # without the control characters: quotes and commas in the CSV load exactly
    files["actors-partner.csv"] = 'id,name,sector,sources\ncsv-actor,"=Quoted, ""partner""",ngo,src\n'
    for name, (valid, _bad, _field) in WITH_CONTROLS.items():
        files[name] = HOSTILE_FILES[name]
    good_dir = write_files(tmp_path / "good", files)
    data = ("--data", good_dir)
    assert run(*data, "validate").exit_code == 0
    shown = run(*data, "show", "csv-actor", "--format", "json")
    assert json.loads(shown.stdout)["name"] == '=Quoted, "partner"'
    for args in (("show", "formula-actor"), ("who", "--population", "victims", "--place", "Ville"),
                 ("pathway", "--population", "victims", "--place", "Ville"), ("actor", "csv-actor")):
        out = run(*data, *args)
        assert out.exit_code == 0, out.stderr
        assert "\x1b" not in out.stdout + out.stderr
    exports = {fmt: tmp_path / f"g.{fmt}" for fmt in ("graphml", "gexf", "json", "xlsx")}
    for fmt, path in exports.items():
        assert run(*data, "export", "--to", fmt, "-o", path).exit_code == 0
    assert nx.read_graphml(exports["graphml"]).nodes["csv-actor"]["label"] == '=Quoted, "partner"'
    assert nx.read_gexf(exports["gexf"]).nodes["formula-actor"]["label"] == FORMULA
    assert {n["id"] for n in json.loads(exports["json"].read_text(encoding="utf-8"))["nodes"]} >= {"csv-actor"}
    assert openpyxl.load_workbook(exports["xlsx"])["Elements"].max_row > 5
    assert run(*data, "export", "--to", "csv", "-o", tmp_path / "csv").exit_code == 0
    nodes = _csv_file(tmp_path / "csv" / "nodes.csv")
    names = {r[0]: r[nodes[0].index("name")] for r in nodes[1:]}
    assert names["csv-actor"] == "'=Quoted, \"partner\"" and names["formula-actor"] == "'" + FORMULA
    _assert_neutralised(nodes, {"-20.5"})


def test_display_controls_never_reach_the_terminal(run_on, hostile_graph, monkeypatch):
    """Bidi overrides, isolates and line separators reorder what a terminal shows (found in
    review): printed as escapes, like the C0 and C1 controls."""
    from stakeholder_graph.viz.text import terminal_text

    spoof = "Centre \u202eelif.exe\u202c \u2066x\u2069 \u2028next"
    assert terminal_text(spoof) == r"Centre \u202eelif.exe\u202c \u2066x\u2069 \u2028next"
    G = hostile_graph.G.copy()
    G.nodes["xss-actor"]["name"] = spoof
    monkeypatch.setattr(State, "graph", lambda self: StakeholderGraph(G))
    for fmt in ("table", "json"):
        out = run_on("show", "xss-actor", "--format", fmt).stdout
        assert r"\u202eelif.exe" in out and not re.search("[\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]", out)
    assert json.loads(run_on("show", "xss-actor", "--format", "json").stdout)["name"] == spoof
