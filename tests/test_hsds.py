"""HSDS 3.0 (Open Referral) out and in: `export --to hsds` validated by the standard's own
tools (frictionless for the tabular form, check-jsonschema for the JSON form) against the
reference copy in ../shared/standards/hsds-3.0, and read back with --data."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stakeholder_graph.exports.hsds import JSON_FORM, TABLES, hsds_files
from stakeholder_graph.exports.snapshot import snapshot
from stakeholder_graph.loaders.hsds import COMPANION, hsds_uuid
from stakeholder_graph.queries.selection import Filters

from helpers import ROOT, SEED, graph_of, write_files
from layers import HIDDEN_FROM, INTERNAL_LAYER, PARTNERS_LAYER

REFERENCE = ROOT.parent / "shared" / "standards" / "hsds-3.0"
if not REFERENCE.is_dir():  # the checkout's own copy of the shared folder, wherever CI puts it
    REFERENCE = Path(os.environ.get("HSDS_REFERENCE", "/work/shared/standards/hsds-3.0"))
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A validator installed with the test extra (frictionless, check-jsonschema)."""
    path = BIN / name
    assert path.exists(), f"{name} is missing: pip install -e '.[test]'"
    return str(path)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    """The seed data exported for the public and, with a partners' layer, for partners."""
    base = tmp_path_factory.mktemp("hsds")
    partners = write_files(base / "partners-data", PARTNERS_LAYER)
    out = {}
    for audience, data in (("public", [SEED]), ("partners", [SEED, partners])):
        snap = snapshot(graph_of(*data), Filters(audience=audience))
        files, _ = hsds_files(snap)
        out[audience] = write_files(base / f"{audience}.hsds", files)
    return out


def frictionless_report(folder: Path) -> dict:
    result = subprocess.run([tool("frictionless"), "validate", "--json", str(folder / "datapackage.json")],
                            capture_output=True, text=True, timeout=300)
    return json.loads(result.stdout)


def errors_of(report: dict) -> list[str]:
    return [f"{task['name']}: {e['type']}: {e['message']}" for task in report["tasks"] for e in task["errors"]]


# --- the tabular form ---------------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["public", "partners"])
def test_tabular_export_passes_frictionless_with_foreign_keys(exported, audience):
    report = frictionless_report(exported[audience])
    assert errors_of(report) == []
    assert report["valid"] is True
    assert len(report["tasks"]) == 21


def test_tabular_export_passes_against_hsds_own_descriptor(exported, tmp_path):
    """The CSV files against the reference datapackage.json itself, not our copy of it."""
    folder = shutil.copytree(exported["public"], tmp_path / "against-reference")
    shutil.copy(REFERENCE / "datapackage.json", folder / "datapackage.json")
    assert errors_of(frictionless_report(folder)) == []


def test_frictionless_catches_a_broken_foreign_key(exported, tmp_path):
    """The check above can fail: a service naming an organization the dataset lacks."""
    folder = shutil.copytree(exported["public"], tmp_path / "broken")
    services = (folder / "services.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    row = services[1].split(",")
    row[1] = hsds_uuid("actor", "nobody")
    services[1] = ",".join(row)
    (folder / "services.csv").write_text("".join(services), encoding="utf-8")
    assert any("foreign-key" in e for e in errors_of(frictionless_report(folder)))


def _declared(descriptor: dict) -> dict:
    """What the test compares: per resource its path, fields (name, type, format, required,
    unique, enum), primary key and foreign keys."""
    out = {}
    for r in descriptor["resources"]:
        schema = r["schema"]
        fields = [(f["name"], f.get("type"), f.get("format"), bool(f.get("constraints", {}).get("required")),
                   bool(f.get("constraints", {}).get("unique")), f.get("constraints", {}).get("enum"))
                  for f in schema["fields"]]
        keys = sorted((fk["fields"], fk["reference"]["resource"], fk["reference"]["fields"])
                      for fk in schema.get("foreignKeys", []))
        out[r["name"]] = (r["path"], fields, schema.get("primaryKey"), keys)
    return out


def test_datapackage_declares_what_the_reference_declares(exported):
    ours = json.loads((exported["public"] / "datapackage.json").read_text(encoding="utf-8"))
    reference = json.loads((REFERENCE / "datapackage.json").read_text(encoding="utf-8"))
    assert _declared(ours) == _declared(reference)
    assert list(_declared(ours)) == [r["name"] for r in reference["resources"]]


def test_every_table_is_written_and_no_address_ever(exported):
    files = {p.name for p in exported["public"].iterdir()}
    assert {path for path, _, _ in TABLES.values()} <= files
    for name in ("addresses.csv", "locations.csv", "contacts.csv"):
        assert (exported["public"] / name).read_text(encoding="utf-8").count("\n") == 1  # the header only


def rows(folder: Path, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((folder / name).read_text(encoding="utf-8"))))


def test_records_map_to_hsds_tables(exported, seed_graph):
    folder = exported["public"]
    g = seed_graph
    actors = g.ids_of("actor")
    provided = {s for s in g.ids_of("service") if any(a["type"] == "offers" for *_, a in g.G.in_edges(s, data=True))}
    assert len(rows(folder, "organizations.csv")) == len(actors)
    services = {r["id"]: r for r in rows(folder, "services.csv")}
    assert set(services) == {hsds_uuid("service", s) for s in provided}
    # the same record always gets the same UUID, derived from its id
    astra = next(r for r in rows(folder, "organizations.csv") if r["id"] == hsds_uuid("actor", "astra"))
    assert astra["name"] == g.name("astra")
    # a service under its provider, with what a coordinator reads
    shelter = services[hsds_uuid("service", "centre-shelter")]
    node = g.node("centre-shelter")
    assert shelter["eligibility_description"] == node["eligibility"]
    assert int(shelter["minimum_age"]) == node["min_age"]
    # coverage as service areas naming our places
    areas = [r for r in rows(folder, "service_areas.csv") if r["service_id"] == hsds_uuid("service", "astra-sos-hotline")]
    assert [a["name"] for a in areas] == ["Serbia"]


def test_taxonomies_and_attributes(exported, seed_graph):
    folder = exported["public"]
    terms = {r["id"]: r for r in rows(folder, "taxonomy_terms.csv")}
    taxonomies = {r["name"] for r in rows(folder, "taxonomies.csv")}
    assert {"stakeholder-graph service types", "stakeholder-graph referral steps",
            "stakeholder-graph populations", "stakeholder-graph exploitation forms", "stakeholder-graph basis"} <= taxonomies
    hotline = hsds_uuid("service", "astra-sos-hotline")
    codes = {terms[a["taxonomy_term_id"]]["code"]: a for a in rows(folder, "attributes.csv") if a["link_id"] == hotline}
    node = seed_graph.node("astra-sos-hotline")
    assert {c for c in codes if c.startswith("service_type:")} == {f"service_type:{t}" for t in node["types"]}
    assert f"referral_step:{node['referral_step']}" in codes
    served = {v for _, v, a in seed_graph.G.out_edges("astra-sos-hotline", data=True) if a["type"] == "serves"}
    assert {c for c in codes if c.startswith("population:")} == {f"population:{p}" for p in served}
    assert codes[f"basis:{node['basis']}"]["value"] == node.get("rule", "")
    assert json.loads(codes["field:sources"]["value"]) == node["sources"]


def test_status_mapping(seed_graph):
    """active -> active; unconfirmed -> active with the date a source last stated it; ended
    and planned -> inactive; each with a metadata row saying what our status was."""
    from stakeholder_graph.queries.matching import last_confirmed, status

    day = dt.date(2026, 11, 28)
    files, _ = hsds_files(snapshot(seed_graph), as_of=day)
    services = {r["id"]: r for r in csv.DictReader(io.StringIO(files["services.csv"].decode()))}
    metadata = list(csv.DictReader(io.StringIO(files["metadata.csv"].decode())))
    seen = set()
    for s in seed_graph.ids_of("service"):
        sid = hsds_uuid("service", s)
        if sid not in services:
            continue
        ours = status(seed_graph, s, day)
        seen.add(ours)
        assert services[sid]["status"] == ("inactive" if ours in ("ended", "planned") else "active")
        mapped = [m for m in metadata if m["resource_id"] == sid and m["last_action_type"] == "status mapped"]
        assert [(m["previous_value"], m["replacement_value"]) for m in mapped] == [(ours, services[sid]["status"])]
        confirmed = [m for m in metadata if m["resource_id"] == sid and m["last_action_type"] != "status mapped"]
        if ours == "unconfirmed":
            assert [m["last_action_date"] for m in confirmed] == [last_confirmed(seed_graph, s)["date"]]
        else:
            assert confirmed == []
    assert {"active", "unconfirmed", "ended"} <= seen


# --- the JSON form ------------------------------------------------------------------------------


def check_jsonschema(schema: str, documents: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run([tool("check-jsonschema"), "--schemafile", str(REFERENCE / "schema" / schema),
                           "--base-uri", (REFERENCE / "schema").as_uri() + "/", *map(str, documents)],
                          capture_output=True, text=True, timeout=300)


def split_json_form(folder: Path, out: Path) -> tuple[list[Path], list[Path]]:
    """Each organization and each service of organizations.json as its own file."""
    out.mkdir()
    organizations, services = [], []
    for i, org in enumerate(json.loads((folder / JSON_FORM).read_text(encoding="utf-8"))):
        organizations.append(out / f"organization-{i}.json")
        organizations[-1].write_text(json.dumps(org), encoding="utf-8")
        for j, service in enumerate(org.get("services", [])):
            services.append(out / f"service-{i}-{j}.json")
            services[-1].write_text(json.dumps(service), encoding="utf-8")
    return organizations, services


@pytest.mark.parametrize("audience", ["public", "partners"])
def test_json_form_passes_check_jsonschema(exported, tmp_path, audience):
    organizations, services = split_json_form(exported[audience], tmp_path / "objects")
    assert len(services) == len(rows(exported[audience], "services.csv"))
    for schema, documents in (("organization.json", organizations), ("service.json", services)):
        result = check_jsonschema(schema, documents)
        assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_catches_a_wrong_status(exported, tmp_path):
    _, services = split_json_form(exported["public"], tmp_path / "objects")
    service = json.loads(services[0].read_text(encoding="utf-8"))
    services[0].write_text(json.dumps({**service, "status": "unconfirmed"}), encoding="utf-8")
    result = check_jsonschema("service.json", services[:1])
    assert result.returncode == 1 and "status" in result.stdout


def test_json_form_nests_services_under_their_provider(exported):
    organizations = json.loads((exported["public"] / JSON_FORM).read_text(encoding="utf-8"))
    astra = next(o for o in organizations if o["id"] == hsds_uuid("actor", "astra"))
    assert hsds_uuid("service", "astra-sos-hotline") in {s["id"] for s in astra["services"]}
    attribute = astra["attributes"][0]
    assert attribute["taxonomy_term"]["taxonomy"].startswith("stakeholder-graph")


# --- audience -----------------------------------------------------------------------------------


def test_partners_export_holds_partners_records_and_public_does_not(exported):
    for audience, folder in exported.items():
        text = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))
        assert [t for t in HIDDEN_FROM[audience] if t in text] == [], audience
    partners = "".join(p.read_text(encoding="utf-8") for p in exported["partners"].iterdir())
    assert "Quietwater Drop-in for Children" in partners


def test_internal_layer_never_reaches_a_partners_export(tmp_path, run):
    data = [SEED, write_files(tmp_path / "p", PARTNERS_LAYER), write_files(tmp_path / "i", INTERNAL_LAYER)]
    args = [a for d in data for a in ("--data", d)]
    result = run(*args, "export", "--to", "hsds", "-o", tmp_path / "out.hsds", "--audience", "partners")
    assert result.exit_code == 0, result.stderr
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out.hsds").iterdir())
    assert [t for t in HIDDEN_FROM["partners"] if t in text] == []


# --- reading HSDS back --------------------------------------------------------------------------


def test_round_trip_is_stable_byte_for_byte(run, tmp_path):
    first, second = tmp_path / "first.hsds", tmp_path / "second.hsds"
    assert run("export", "--to", "hsds", "-o", first).exit_code == 0
    result = run("--data", first, "export", "--to", "hsds", "-o", second)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in second.iterdir())
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def without(sources: list, dataset: str) -> list:
    return [s for s in sources if s != dataset]


def test_read_back_gives_the_same_records_and_relations_citing_the_dataset(seed_graph, tmp_path):
    folder = write_files(tmp_path / "seed.hsds", hsds_files(snapshot(seed_graph))[0])
    back = graph_of(folder)
    dataset = "hsds-seed-hsds"
    assert back.node(dataset)["format"] == "hsds"
    original = snapshot(seed_graph).graph.G
    assert set(back.G) - {dataset} == set(original) | {s for s in seed_graph.ids_of("source")}
    for n, attrs in original.nodes(data=True):
        got = dict(back.node(n))
        assert dataset in got["sources"], n  # every record from the dataset cites it
        got["sources"] = without(got["sources"], dataset)
        assert {k: v for k, v in got.items() if k != "origin"} == attrs, n
    edges = lambda G: sorted((u, v, a["type"], json.dumps({k: x for k, x in a.items() if k not in ("origin", "sources")},
                                                         sort_keys=True)) for u, v, a in G.edges(data=True))
    assert edges(back.G) == edges(original)


def test_json_form_alone_layers_over_the_seed_data(seed_graph, exported):
    """organizations.json without the companion file: the organizations and services, their
    areas and attributes, over the seed data that has the places and populations."""
    back = graph_of(SEED, exported["public"] / JSON_FORM)
    for s in ("astra-sos-hotline", "centre-shelter"):
        got = back.node(s)
        assert got["name"] == seed_graph.name(s)
        assert got["types"] == seed_graph.node(s)["types"]
        assert {v for _, v, a in back.G.out_edges(s, data=True) if a["type"] in ("covers", "serves")} == \
            {v for _, v, a in seed_graph.G.out_edges(s, data=True) if a["type"] in ("covers", "serves")}


def test_export_folder_holds_the_companion_for_what_hsds_cannot(exported):
    companion = json.loads((exported["public"] / COMPANION).read_text(encoding="utf-8"))
    kinds = {n["kind"] for n in companion["nodes"]}
    assert {"place", "population", "exploitation_form"} <= kinds and "actor" not in kinds
    types = {e["type"] for e in companion["edges"]}
    assert {"refers_to", "member_of", "partners_with", "located_in"} <= types
    assert len(companion["sources"]) > 100


PARTNER_DIRECTORY = [{
    "id": "0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0001", "name": "Example Partner Association",
    "description": "A made-up organization of a test.", "website": "https://example.org/partner",
    "services": [
        {"id": "0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0003", "name": "Example drop-in counselling", "status": "active",
         "eligibility_description": "Young people", "minimum_age": 14, "maximum_age": 25.0,
         "languages": [{"id": "0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0004", "name": "Serbian", "code": "sr"}],
         "schedules": [{"id": "0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0005", "description": "Weekdays 9 to 17"}],
         "service_areas": [{"id": "0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0006", "name": "Example Valley"}],
         "attributes": [{"id": "0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0007",
                         "taxonomy_term_id": "0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0008",
                         "taxonomy_term": {"id": "0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0008", "code": "BD-1800",
                                           "name": "Counseling", "description": "x", "taxonomy": "Open Eligibility"}}]},
        {"id": "0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0009", "name": "Example closed shelter", "status": "defunct"},
    ],
}]


def test_a_partners_directory_is_read_as_cited_records(run, tmp_path):
    path = tmp_path / "partner.json"
    path.write_text(json.dumps(PARTNER_DIRECTORY), encoding="utf-8")
    result = run("--data", SEED, "--data", path, "validate")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "left out: its status is 'defunct'" in result.stdout + result.stderr
    assert "1 attribute of the taxonomy 'Open Eligibility' not kept" in result.stdout + result.stderr
    g = graph_of(SEED, path)
    service = g.node("example-drop-in-counselling")
    assert (service["min_age"], service["max_age"], service["languages"], service["hours"]) == \
        (14, 25, ["sr"], "Weekdays 9 to 17")
    assert service["hsds_id"] == "0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0003"
    assert service["sources"] == ["hsds-partner-json"] and g.node("hsds-partner-json")["format"] == "hsds"
    assert "example-closed-shelter" not in g.G
    area = g.node("hsds-area-example-valley")
    assert area["level"] == "not stated"  # HSDS gives no level: said so, never guessed
    assert g.node("example-partner-association")["channels"] == [{"type": "website", "value": "https://example.org/partner"}]
    # its UUIDs are kept when it is exported again
    files, _ = hsds_files(snapshot(g))
    assert "0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0003" in files["services.csv"].decode()


def test_not_stated_is_refused_outside_an_imported_dataset(run, tmp_path):
    data = write_files(tmp_path / "data", {
        "sources.yaml": "- {id: src, name: A test source, url: https://example.org/s}\n",
        "places.yaml": "- {id: somewhere, name: Somewhere, level: not stated, sources: [src]}\n"})
    result = run("--data", data, "validate")
    assert result.exit_code == 1
    assert "places.yaml:1" in result.stdout + result.stderr and "'not stated' is only for a record imported" in \
        result.stdout + result.stderr


def test_bad_hsds_cells_name_file_row_and_column(run, seed_graph, tmp_path):
    folder = write_files(tmp_path / "bad.hsds", hsds_files(snapshot(seed_graph))[0])
    services = (folder / "services.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header = services[0].rstrip("\r\n").split(",")
    centre = next(i for i, line in enumerate(services) if line.startswith(hsds_uuid("service", "centre-shelter")))
    cells = next(csv.reader([services[centre]]))
    cells[header.index("minimum_age")] = "sixteen"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    services[centre] = buffer.getvalue()
    (folder / "services.csv").write_text("".join(services), encoding="utf-8")
    result = run("--data", folder, "validate")
    assert result.exit_code == 1
    text = result.stdout + result.stderr
    assert f"bad.hsds/services.csv:{centre + 1} (column minimum_age)" in text and "Traceback" not in text


def test_export_to_hsds_needs_a_folder(run, tmp_path):
    result = run("export", "--to", "hsds")
    assert result.exit_code == 2 and "give a folder with -o" in result.stderr
    out = tmp_path / "dir.hsds"
    result = run("export", "--to", "hsds", "-o", out)
    assert result.exit_code == 0
    assert "36 organization, 1 program, 33 service" in result.stderr
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("export", "--to", "hsds", "-o", out)
    assert result.exit_code == 1 and "already holds other files" in result.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
