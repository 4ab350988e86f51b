"""Export, spreadsheet import and diff: every export read back by the real reader, the JSON and
XLSX round trips, the partners' template, and nothing above the audience in any format."""
from __future__ import annotations

import csv
import json
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import networkx as nx
import openpyxl
import pytest

from stakeholder_graph.exports.tables import cell_text
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.loaders import load
from stakeholder_graph.loaders.records import split_cell
from stakeholder_graph.queries.diff import diff

from helpers import MINIMAL_SOURCES, SEED, graph_of, write_files


def canonical(g: StakeholderGraph):
    """A graph as comparable data: records without `origin`, relations as a multiset."""
    nodes = {n: {k: v for k, v in a.items() if k != "origin"} for n, a in g.G.nodes(data=True)}
    edges = Counter(
        (u, v, json.dumps({k: x for k, x in a.items() if k != "origin"}, sort_keys=True))
        for u, v, a in g.G.edges(data=True)
    )
    return nodes, edges


def records_only(g: StakeholderGraph) -> tuple[int, int]:
    """Node and edge counts of an export: source records travel in their own table."""
    return len(g.G) - len(g.ids_of("source")), g.G.number_of_edges()


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """The seed data exported once in every format (audience public)."""
    from click.testing import CliRunner

    from stakeholder_graph.cli import cli

    out = tmp_path_factory.mktemp("exports")
    paths = {fmt: out / (f"seed.{fmt}" if fmt != "csv" else "seed-csv") for fmt in
             ("graphml", "gexf", "json", "csv", "xlsx")}
    for fmt, path in paths.items():
        result = CliRunner().invoke(cli, ["export", "--to", fmt, "-o", str(path)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return paths


# --- each export read back by the real reader ---------------------------------------------


def test_graphml_reads_back_with_typed_attributes(exports, seed_graph):
    G = nx.read_graphml(exports["graphml"])
    assert (G.number_of_nodes(), G.number_of_edges()) == records_only(seed_graph)
    nis = G.nodes["nis"]
    assert isinstance(nis["lat"], float) and nis["label"] == "Niš" and nis["kind"] == "place"
    assert "https://" in nis["source_urls"]
    fhs = G.nodes["from-harm-to-safety"]
    assert fhs["start_date"] == "2018-02" and fhs["start_year"] == 2018
    tier = next(a for _, a in G.nodes(data=True) if a["kind"] == "assessment" and "year" in a)
    assert isinstance(tier["year"], int)
    relations = {a["relation"] for _, _, a in G.edges(data=True)}
    assert {"offers", "serves", "covers", "refers_to"} <= relations


def test_gexf_has_colours_positions_and_time_intervals(exports, seed_graph):
    G = nx.read_gexf(exports["gexf"])
    assert (G.number_of_nodes(), G.number_of_edges()) == records_only(seed_graph)
    assert G.graph["mode"] == "dynamic"
    fhs = G.nodes["from-harm-to-safety"]
    assert fhs["spells"] == [("2018-02-01", "2020-07-31")]  # partial dates cover their span
    assert isinstance(fhs["start_year"], int)
    dated_edges = [a for _, _, a in G.edges(data=True) if a.get("spells")]
    assert dated_edges and all(a["start_date"] for a in dated_edges if a["spells"][0][0])
    colours = {}
    for _, a in G.nodes(data=True):
        assert {"x", "y"} <= set(a["viz"]["position"])
        if a["kind"] == "actor":
            c = a["viz"]["color"]
            colours.setdefault(a.get("sector"), set()).add((c["r"], c["g"], c["b"]))
    assert set(colours) == {"government", "ngo", "international", None}  # None: the sources give no sector
    assert all(len(c) == 1 for c in colours.values()) and len(set.union(*colours.values())) == 4


def test_gexf_positions_are_seeded(exports, tmp_path, run):
    again = tmp_path / "again.gexf"
    run("export", "--to", "gexf", "-o", again)
    first, second = nx.read_gexf(exports["gexf"]), nx.read_gexf(again)
    assert all(first.nodes[n]["viz"]["position"] == second.nodes[n]["viz"]["position"] for n in first)


def test_json_is_node_link_with_sources_and_stable(exports, seed_graph, tmp_path, run):
    data = json.loads(exports["json"].read_text(encoding="utf-8"))
    G = nx.node_link_graph(data, edges="edges")
    assert (G.number_of_nodes(), G.number_of_edges()) == records_only(seed_graph)
    assert {s["id"] for s in data["sources"]} == set(seed_graph.ids_of("source"))
    assert all(s["kind"] == "source" and s["name"] for s in data["sources"])
    assert data["graph"] == {"audience": "public"}
    again = tmp_path / "again.json"
    run("export", "--to", "json", "-o", again)
    assert again.read_bytes() == exports["json"].read_bytes()
    ids = [(n["kind"], n["id"]) for n in data["nodes"] if n["kind"] == "actor"]
    assert ids == sorted(ids)


def test_csv_folder(exports, seed_graph):
    folder = exports["csv"]
    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "nodes.csv", "sources.csv"]

    def rows(name):
        with open(folder / name, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    nodes, edges, sources = rows("nodes.csv"), rows("edges.csv"), rows("sources.csv")
    assert (len(nodes), len(edges)) == records_only(seed_graph)
    assert list(edges[0])[:3] == ["type", "from", "to"]  # the columns of relations.csv
    source_ids = {s["id"] for s in sources}
    cited = {i for row in nodes + edges for i in split_cell(row["sources"])}
    assert cited and cited <= source_ids
    nis = next(n for n in nodes if n["id"] == "nis")
    assert nis["kind"] == "place" and nis["names"] == "sr-Cyrl=Ниш"


def test_xlsx_imports_into_kumu(exports, seed_graph):
    wb = openpyxl.load_workbook(exports["xlsx"], read_only=True)
    assert wb.sheetnames[:2] == ["Elements", "Connections"]
    assert all(name.endswith("(ignore)") for name in wb.sheetnames[2:])
    assert "sources (ignore)" in wb.sheetnames
    elements = list(wb["Elements"].iter_rows(values_only=True))
    connections = list(wb["Connections"].iter_rows(values_only=True))
    assert elements[0][:5] == ("ID", "Label", "Type", "Description", "Tags")
    assert connections[0][:3] == ("From", "To", "Type")
    assert (len(elements) - 1, len(connections) - 1) == records_only(seed_graph)
    ids = {row[0] for row in elements[1:]}
    assert all(row[0] in ids and row[1] in ids for row in connections[1:])
    atina = next(row for row in elements if row[0] == "atina")
    assert atina[2] == "Actor" and atina[5] == "ngo"


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_round_trip_gives_an_equal_graph(run, seed_graph, tmp_path, fmt):
    path = tmp_path / f"export.{fmt}"
    assert run("export", "--to", fmt, "-o", path, "--audience", "internal").exit_code == 0
    again = graph_of(path)
    assert canonical(again) == canonical(seed_graph)
    assert diff(seed_graph, again)["summary"] == dict.fromkeys(
        [f"{w}_{c}" for w in ("records", "relations") for c in ("added", "removed", "changed")], 0
    )


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
@pytest.mark.parametrize("filters", [("--place", "Niš", "--population", "children"),
                                     ("--around", "Atina", "--depth", "2"), ("--country", "Serbia")])
def test_a_filtered_export_loads_back_on_its_own(run, tmp_path, fmt, filters):
    """No id of a record the filter left out stays behind (a cited source, a referral's population)."""
    path = tmp_path / f"part.{fmt}"
    assert run("export", "--to", fmt, "-o", path, *filters).exit_code == 0
    result = run("--data", path, "validate")
    assert result.exit_code == 0, result.stdout
    part = graph_of(path)
    for _, attrs in [*part.G.nodes(data=True), *((None, a) for _, _, a in part.G.edges(data=True))]:
        for key in ("sources", "populations"):
            assert all(i in part.G for i in attrs.get(key, [])), (key, attrs)


def test_list_cells_keep_items_holding_semicolons():
    for items in (["a", "b"], ["one; with a semicolon"], ["x; y", "z"]):
        assert split_cell(cell_text(items)) == items
    assert split_cell("a; b") == ["a", "b"] and split_cell("a; b\nc") == ["a; b", "c"]


def test_json_export_loads_back_with_clear_errors(tmp_path, run):
    path = tmp_path / "bad.json"
    path.write_text('{"nodes": [{"id": "x", "kind": "actor", "name": "X", "sector": "charity"}]', encoding="utf-8")
    result = run("--data", path, "validate")
    assert result.exit_code == 1 and "bad.json:1: error: malformed JSON" in result.stdout
    path.write_text(json.dumps({"nodes": [{"id": "x", "kind": "actor", "name": "X", "sector": "charity"}]}))
    result = run("--data", path, "validate")
    assert "bad.json [nodes #1]: error: x: sector: unknown value 'charity'" in result.stdout


# --- the template ------------------------------------------------------------------------


@pytest.fixture
def template(run, tmp_path) -> Path:
    path = tmp_path / "records.xlsx"
    result = run("template", "-o", path)
    assert result.exit_code == 0, result.output
    return path


def append_row(sheet, values: dict) -> int:
    header = [c.value for c in sheet[1]]
    sheet.append([values.get(h) for h in header])
    return sheet.max_row


def test_template_has_a_sheet_per_kind_headers_and_allowed_values(template):
    wb = openpyxl.load_workbook(template)
    from stakeholder_graph.graph.schema import NODE_KINDS

    assert {k.plural for k in NODE_KINDS.values()} | {"relations", "README", "allowed values"} == set(wb.sheetnames)
    actors = wb["actors"]
    header = [c.value for c in actors[1]]
    assert header[:3] == ["id", "name", "sector"] and "located_in" in header and "sources" in header
    sector = actors.cell(row=1, column=header.index("sector") + 1)
    assert "One of: government, ngo, international" in sector.comment.text
    assert any("sector" not in str(dv.sqref) and dv.formula1.startswith("'allowed values'")
               for dv in actors.data_validations.dataValidation)
    assert actors["A2"].value.startswith("#")  # an example row
    assert "ngo" in [c.value for c in wb["allowed values"]["C"]]


def test_template_alone_loads_nothing(template):
    dataset = load([template])
    assert not dataset.problems and not dataset.nodes and not dataset.edges


def test_filled_template_loads_with_the_seed_data(template):
    wb = openpyxl.load_workbook(template)
    append_row(wb["sources"], {"id": "partner-report", "name": "Partner annual report 2024",
                               "url": "https://example.org/partner-2024", "date": "2025-01"})
    append_row(wb["actors"], {"id": "partner-ngo", "name": "Partner NGO", "sector": "ngo",
                              "roles": "victim_assistance; prevention", "located_in": "nis",
                              "names": "sr-Cyrl=Партнер", "sources": "partner-report"})
    append_row(wb["services"], {"id": "partner-drop-in", "name": "Drop-in centre", "provider": "partner-ngo",
                                "types": "drop_in_centre", "serves": "children", "covers": "nis",
                                "start": 2023, "sources": "partner-report"})
    append_row(wb["relations"], {"type": "refers_to", "from": "partner-ngo",
                                 "to": "centre-for-protection-of-victims", "populations": "children",
                                 "sources": "partner-report"})
    wb.save(template)
    g = graph_of(SEED, template)
    assert g.node("partner-ngo")["names"] == {"sr-Cyrl": "Партнер"}
    assert g.node("partner-ngo")["roles"] == ["victim_assistance", "prevention"]
    assert g.node("partner-drop-in")["start"] == "2023"
    assert g.node("partner-ngo")["origin"].endswith("records.xlsx [actors]:3")
    assert "example-ngo" not in g.G  # the examples stay examples
    assert {a["type"] for _, a in g.out_edges("partner-ngo")} == {"offers", "located_in", "refers_to"}


def test_template_examples_load_when_kept(template):
    wb = openpyxl.load_workbook(template)
    for sheet in wb.worksheets:
        for row in sheet.iter_rows(min_row=2):
            if isinstance(row[0].value, str) and row[0].value.startswith("#"):
                row[0].value = row[0].value.lstrip("# ")
    wb.save(template)
    g = graph_of(SEED, template)
    assert {"example-ngo", "example-ngo-counselling", "example-annual-report"} <= set(g.G)


def test_wrong_cell_is_reported_with_sheet_row_and_column(template, run):
    wb = openpyxl.load_workbook(template)
    append_row(wb["sources"], {"id": "partner-report", "name": "Partner report", "date": "2024-13"})
    row = append_row(wb["actors"], {"id": "partner-ngo", "name": "Partner NGO", "sector": "charity",
                                     "sources": "partner-report"})
    wb.save(template)
    result = run("--data", SEED, "--data", template, "validate")
    assert result.exit_code == 1
    assert f"records.xlsx [actors]:{row} (column sector): error: partner-ngo: sector: unknown value 'charity'" in result.stdout
    assert "records.xlsx [sources]:3 (column date): error: partner-report: date: month 13" in result.stdout
    problems = json.loads(run("--data", SEED, "--data", template, "validate", "--format", "json").stdout)["problems"]
    assert {"sheet": "actors", "line": row, "column": "sector"}.items() <= problems[0].items()


def test_workbook_layout_problems(tmp_path, run):
    wb = openpyxl.Workbook()
    wb.active.title = "actors"
    wb.active.append(["id", "name", "name"])
    notes = wb.create_sheet("notes")
    notes.append(["anything"])
    places = wb.create_sheet("places")
    places.append(["id", "name", "level"])
    places.append(["x", "X", "municipality", "stray"])
    wb.save(tmp_path / "book.xlsx")
    result = run("--data", tmp_path / "book.xlsx", "validate")
    assert "book.xlsx [actors]:1: error: column names repeated: name" in result.stdout
    assert "book.xlsx [notes]: warning: sheet ignored" in result.stdout
    assert "book.xlsx [places]:2 (column D): error: a value in a column without a name" in result.stdout
    (tmp_path / "broken.xlsx").write_text("not a workbook")
    result = run("--data", tmp_path / "broken.xlsx", "validate")
    assert result.exit_code == 1 and "broken.xlsx: error: cannot read the workbook" in result.stdout


# --- diff ----------------------------------------------------------------------------------


def test_diff_reports_exactly_the_three_changes(run, tmp_path):
    copy = Path(shutil.copytree(SEED, tmp_path / "copy"))
    actors = copy / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace(
        "  name: Ministry of Interior\n", "  name: Ministry of the Interior\n", 1), encoding="utf-8")
    sources = copy / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8")
                       + "\n- id: new-source\n  name: A new source\n  url: https://example.org/new\n",
                       encoding="utf-8")
    indicators = copy / "indicators.yaml"
    text = indicators.read_text(encoding="utf-8")
    start = text.index("- id: fhs-asylum-centres")
    indicators.write_text(text[:start] + text[text.index("\n- ", start) + 1:], encoding="utf-8")

    result = run("diff", SEED, copy, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["summary"] == {
        "records_added": 1, "records_removed": 1, "records_changed": 1,
        "relations_added": 0, "relations_removed": 0, "relations_changed": 0,
    }
    assert [r["id"] for r in doc["records"]["added"]] == ["new-source"]
    assert [r["id"] for r in doc["records"]["removed"]] == ["fhs-asylum-centres"]
    assert [r["type"] for r in doc["records"]["removed"][0]["relations"]] == ["reports"]
    assert doc["records"]["changed"] == [{
        "id": "ministry-of-interior", "kind": "actor", "name": "Ministry of the Interior",
        "fields": [{"field": "name", "old": "Ministry of Interior", "new": "Ministry of the Interior"}],
    }]
    table = run("diff", SEED, copy).stdout
    assert table.strip().endswith("records: 1 added, 1 removed, 1 changed")


def test_diff_of_relations_and_no_differences(run, tmp_path):
    assert run("diff", SEED, SEED).stdout.strip() == "no differences"
    copy = Path(shutil.copytree(SEED, tmp_path / "copy"))
    relations = copy / "relations.yaml"
    text = relations.read_text(encoding="utf-8")
    relations.write_text(text.replace("  note: After identification and planning the Centre refers",
                                      "  note: Having identified them, the Centre refers", 1), encoding="utf-8")
    doc = json.loads(run("diff", SEED, copy, "--format", "json").stdout)
    assert doc["summary"]["relations_changed"] == 1 and doc["summary"]["records_changed"] == 0
    change = doc["relations"]["changed"][0]
    assert (change["type"], change["from"], change["to"]) == (
        "refers_to", "centre-for-protection-of-victims", "centres-for-social-work")
    assert [f["field"] for f in change["fields"]] == ["note"]


def test_diff_previews_a_partner_workbook(run, template):
    wb = openpyxl.load_workbook(template)
    append_row(wb["sources"], {"id": "partner-report", "name": "Partner report"})
    wb.save(template)
    doc = json.loads(run("diff", SEED, SEED, template, "--format", "json").stdout)
    assert [r["id"] for r in doc["records"]["added"]] == ["partner-report"]


def test_diff_refuses_data_with_errors(run, tmp_path):
    result = run("diff", SEED, tmp_path / "missing")
    assert result.exit_code == 1 and "error:" in result.stderr and "Traceback" not in result.output


# --- audience ------------------------------------------------------------------------------

SECRET = "zzsecret"
AUDIENCE_FIXTURE = {
    "sources.yaml": MINIMAL_SOURCES + f"""
- id: {SECRET}-source
  name: Internal note {SECRET}
  url: https://example.org/{SECRET}
  sensitivity: internal
""",
    "places.yaml": """
- id: town
  name: Town
  level: municipality
  lat: 43.3
  lon: 21.9
  sources: [src]
""",
    "populations.yaml": f"""
- id: children
  name: Children
  sources: [src]
- id: {SECRET}-group
  name: Group {SECRET}
  sensitivity: internal
  sources: [src]
""",
    "actors.yaml": f"""
- id: open-ngo
  name: Open NGO
  sector: ngo
  located_in: [town]
  sources: [src, {SECRET}-source]
- id: open-office
  name: Open Office
  sector: government
  located_in: [town]
  sources: [src]
- id: {SECRET}-shelter-operator
  name: Shelter operator {SECRET}
  sector: ngo
  located_in: [town]
  sensitivity: internal
  sources: [src]
""",
    "services.yaml": f"""
- id: {SECRET}-shelter
  name: Shelter {SECRET}
  provider: [open-ngo]
  types: [shelter]
  serves: [children]
  covers: [town]
  start: 2019
  sensitivity: internal
  sources: [src]
- id: counselling
  name: Counselling
  provider: [open-ngo]
  serves: [children, {SECRET}-group]
  covers: [town]
  start: 2020
  sources: [src]
""",
    "relations.yaml": f"""
- type: refers_to
  from: open-office
  to: open-ngo
  populations: [children, {SECRET}-group]
  sources: [src]
- type: partners_with
  from: open-office
  to: open-ngo
  note: Partnership {SECRET}
  sensitivity: internal
  sources: [src]
""",
}


def export_bytes(path: Path) -> list[bytes]:
    """Everything an export holds: the file, every file of a folder, every part of a workbook."""
    if path.is_dir():
        return [p.read_bytes() for p in sorted(path.iterdir())]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return [z.read(name) for name in z.namelist()]
    return [path.read_bytes()]


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "ftm", "csv", "xlsx"])
def test_internal_records_never_reach_a_public_export(run, tmp_path, fmt):
    data = write_files(tmp_path / "data", AUDIENCE_FIXTURE)
    out = tmp_path / f"out.{fmt}"
    internal = tmp_path / f"internal.{fmt}"
    assert run("--data", data, "export", "--to", fmt, "-o", out).exit_code == 0
    assert run("--data", data, "export", "--to", fmt, "-o", internal, "--audience", "internal").exit_code == 0
    public = b"".join(export_bytes(out))
    assert SECRET.encode() not in public
    assert b"Open NGO" in public and (b"Counselling" in public or fmt == "ftm")  # ftm has no services
    assert SECRET.encode() in b"".join(export_bytes(internal))  # the fixture does hold secrets


def test_public_export_drops_internal_ids_inside_attributes(run, tmp_path):
    data = write_files(tmp_path / "data", AUDIENCE_FIXTURE)
    out = tmp_path / "out.json"
    run("--data", data, "export", "--to", "json", "-o", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    ngo = next(n for n in doc["nodes"] if n["id"] == "open-ngo")
    assert ngo["sources"] == ["src"]
    referral = next(e for e in doc["edges"] if e["type"] == "refers_to")
    assert referral["populations"] == ["children"]
    assert [e["type"] for e in doc["edges"] if e["source"] == "open-office" and e["target"] == "open-ngo"] == ["refers_to"]


# --- the command ---------------------------------------------------------------------------


def test_export_filters_and_stdout(run, seed_graph):
    result = run("export", "--to", "json", "-o", "-", "--place", "Niš", "--population", "children")
    assert result.exit_code == 0 and "wrote" in result.stderr
    doc = json.loads(result.stdout)
    assert doc["graph"]["filters"] == {"place": "Niš", "population": "children"}
    assert 0 < len(doc["nodes"]) < records_only(seed_graph)[0]
    assert run("export", "--to", "xlsx", "-o", "-").exit_code == 2
    assert run("export", "--to", "csv").exit_code == 2  # no -o: stdout, which a folder cannot use
    assert json.loads(run("export", "--to", "json").stdout)["nodes"]
    assert run("export", "--to", "json", "-o", "x.json", "--around", "Nowhere").exit_code == 1


def test_export_is_atomic(run, tmp_path, monkeypatch):
    from stakeholder_graph.exports import nodelink

    target = tmp_path / "graph.json"
    target.write_text("earlier export")

    def broken(document, f, **options):
        f.write("half a file")
        raise RuntimeError("interrupted")

    monkeypatch.setattr(nodelink.json, "dump", broken)
    with pytest.raises(RuntimeError):
        run("export", "--to", "json", "-o", target)
    assert target.read_text() == "earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.json"]  # no temporary file left


def test_csv_export_replaces_only_an_earlier_export(run, tmp_path):
    folder = tmp_path / "csv"
    assert run("export", "--to", "csv", "-o", folder).exit_code == 0
    assert run("export", "--to", "csv", "-o", folder).exit_code == 0  # an earlier export: replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]
    (folder / "notes.txt").write_text("mine")
    result = run("export", "--to", "csv", "-o", folder)
    assert result.exit_code == 1 and "already holds other files (notes.txt)" in result.stderr
    assert (folder / "notes.txt").read_text() == "mine"
    result = run("export", "--to", "json", "-o", tmp_path / "no" / "such" / "x.json")
    assert result.exit_code == 1 and "no such folder" in result.stderr
