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
    assert "left out: the dataset says 'defunct' but not since when" in result.stdout
    assert "not read: attributes of the taxonomy 'Open Eligibility': 1" in result.stdout
    g = graph_of(SEED, path)
    service = g.node("hsds-partner-json.example-drop-in-counselling")
    assert (service["min_age"], service["max_age"], service["languages"], service["hours"]) == \
        (14, 25, ["sr"], "Weekdays 9 to 17")
    assert service["hsds_id"] == "0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0003"
    assert service["sources"] == ["hsds-partner-json"] and g.node("hsds-partner-json")["format"] == "hsds"
    assert not [n for n in g.G if "closed-shelter" in n]
    area = g.node("hsds-partner-json.area-example-valley")
    assert area["level"] == "not stated"  # HSDS gives no level: said so, never guessed
    assert g.node("hsds-partner-json.example-partner-association")["channels"] == [{"type": "website", "value": "https://example.org/partner"}]
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


# --- what a partner's dataset may not do --------------------------------------------------------


def partner(tmp_path: Path, directory: list, name: str = "partner.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(directory, ensure_ascii=False), encoding="utf-8")
    return path


def organization(name: str, services: list, n: int = 1, **fields) -> dict:
    return {"id": f"0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f{n:04x}", "name": name, "description": "Made up for a test.",
            "services": services, **fields}


def service(name: str, n: int, areas=(), **fields) -> dict:
    return {"id": f"1b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f{n:04x}", "name": name, "status": "active",
            "service_areas": [{"id": f"2b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f{n * 16 + i:04x}", "name": a}
                              for i, a in enumerate(areas)], **fields}


def test_a_partners_records_never_merge_into_ours_by_name(tmp_path):
    """Its 'Atina' is the dataset's own record; ours keeps its services and description."""
    path = partner(tmp_path, [organization("Atina", [service("Night shelter for boys", 1)])])
    g = graph_of(SEED, path)
    assert g.node("hsds-partner-json.atina")["name"] == "Atina"
    assert g.node("atina").get("description") == graph_of(SEED).node("atina").get("description")
    assert "hsds_id" not in g.node("atina")


def test_names_in_cyrillic_give_ids_and_places_of_their_own(tmp_path):
    path = partner(tmp_path, [organization("Центар за социјални рад Београд",
                                           [service("Саветовање", 1, areas=["Београд", "Пример долина"])])])
    g = graph_of(SEED, path)
    assert g.node("hsds-partner-json.centar-za-socijalni-rad-beograd")
    counselling = "hsds-partner-json.savetovanje"
    covered = {v for _, v, a in g.G.out_edges(counselling, data=True) if a["type"] == "covers"}
    assert covered == {"belgrade", "hsds-partner-json.area-primer-dolina"}  # Београд is our Belgrade; the other none
    note = next(a["note"] for _, v, a in g.G.out_edges(counselling, data=True) if v == "belgrade")
    assert "names the area 'Београд'" in note
    assert g.node("hsds-partner-json.area-primer-dolina")["name"] == "Пример долина"


def test_a_contact_persons_phone_is_never_taken(tmp_path, run):
    org = organization("Example Partner", [], phones=[
        {"id": "3b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0001", "number": "+381 00 111 111"},
        {"id": "3b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0002", "number": "+381 64 000 000",
         "contact_id": "3b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0003"}],
        contacts=[{"id": "3b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0003", "name": "A Person"}])
    path = partner(tmp_path, [org])
    result = run("--data", SEED, "--data", path, "validate")
    assert "phones of a contact person or location: 1" in result.stdout and "contact rows: 1" in result.stdout
    g = graph_of(SEED, path)
    assert g.node("hsds-partner-json.example-partner")["channels"] == [{"type": "hotline", "value": "+381 00 111 111"}]
    assert "A Person" not in json.dumps(dict(g.G.nodes(data=True)), ensure_ascii=False)


def test_a_datasets_creation_date_confirms_nothing(seed_graph, tmp_path):
    folder = write_files(tmp_path / "dated.hsds", hsds_files(snapshot(seed_graph))[0])
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    (folder / "datapackage.json").write_text(json.dumps({**descriptor, "created": "2026-11-01"}), encoding="utf-8")
    g = graph_of(folder)
    assert "date" not in g.node("hsds-dated-hsds") and "created 2026-11-01" in g.node("hsds-dated-hsds")["note"]
    from stakeholder_graph.queries.matching import status

    day = dt.date(2026, 11, 28)
    assert [status(g, s, day) for s in seed_graph.ids_of("service")] == \
        [status(seed_graph, s, day) for s in seed_graph.ids_of("service")]


def test_unconfirmed_and_inferred_are_said_to_a_directory_platform(exported, seed_graph):
    folder = exported["public"]
    services = {r["id"]: r for r in rows(folder, "services.csv")}
    shelter = services[hsds_uuid("service", "centre-shelter")]
    assert shelter["status"] == "active" and shelter["alert"].startswith("Not confirmed by a source since 2019-02")
    assert "call to verify" in shelter["alert"]
    hotline = [a for a in rows(folder, "service_areas.csv") if a["service_id"] == hsds_uuid("service", "astra-sos-hotline")]
    assert "inferred, not stated by a source" in hotline[0]["description"] and "national-hotline" in hotline[0]["description"]


def edit_cell(folder: Path, file: str, row_id: str, column: str, value: str) -> None:
    table = list(csv.reader(io.StringIO((folder / file).read_text(encoding="utf-8"), newline="")))
    for cells in table[1:]:
        if cells[0] == row_id:
            cells[table[0].index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    (folder / file).write_text(buffer.getvalue(), encoding="utf-8")


def test_a_record_edited_in_the_dataset_cites_the_dataset_only(seed_graph, tmp_path, run):
    folder = write_files(tmp_path / "edited.hsds", hsds_files(snapshot(seed_graph))[0])
    edit_cell(folder, "services.csv", hsds_uuid("service", "centre-shelter"), "minimum_age", "3")
    result = run("--data", folder, "validate")
    assert "centre-shelter: edited in the dataset since stakeholder-graph exported it" in result.stdout
    g = graph_of(folder)
    assert g.node("centre-shelter")["min_age"] == 3
    assert g.node("centre-shelter")["sources"] == ["hsds-edited-hsds"]  # not our sources, which say 16
    assert g.node("astra-sos-hotline")["sources"][:-1] == seed_graph.node("astra-sos-hotline")["sources"]


def test_a_status_hsds_cannot_come_from_us_is_not_taken(seed_graph, tmp_path, run):
    folder = write_files(tmp_path / "closed.hsds", hsds_files(snapshot(seed_graph))[0])
    edit_cell(folder, "services.csv", hsds_uuid("service", "centre-shelter"), "status", "defunct")
    result = run("--data", folder, "validate")
    assert "left out: the dataset says 'defunct'" in result.stdout
    assert "centre-shelter" not in graph_of(folder, allow_errors=True).G


def test_a_partners_records_round_trip_without_piling_up_citations(tmp_path, run):
    path = partner(tmp_path, PARTNER_DIRECTORY, "dir.json")
    first, second, third = (tmp_path / f"{n}.hsds" for n in ("first", "second", "third"))
    assert run("--data", SEED, "--data", path, "export", "--to", "hsds", "-o", first).exit_code == 0
    assert run("--data", first, "export", "--to", "hsds", "-o", second).exit_code == 0
    assert run("--data", second, "export", "--to", "hsds", "-o", third).exit_code == 0
    for name in (p.name for p in first.iterdir()):
        assert (first / name).read_bytes() == (second / name).read_bytes() == (third / name).read_bytes(), name
    assert "0b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0003" in (first / "services.csv").read_text(encoding="utf-8")


def test_ids_that_are_not_uuids_get_derived_ones_and_the_export_stays_valid(tmp_path, run):
    org = organization("Example Partner", [service("Example service", 1)])
    org["id"], org["services"][0]["id"] = "org-1", "svc-1"
    out = tmp_path / "out.hsds"
    assert run("--data", SEED, "--data", partner(tmp_path, [org]), "export", "--to", "hsds", "-o", out).exit_code == 0
    assert errors_of(frictionless_report(out)) == []
    assert hsds_uuid("actor", "hsds-partner-json.example-partner") in (out / "organizations.csv").read_text()


def test_formula_cells_are_guarded_and_read_back(tmp_path, run):
    org = organization("Example Partner", [], website="https://example.org",
                       phones=[{"id": "3b7c3c1e-7d7e-4d1a-9a38-2a0c1f6f0001", "number": "=HYPERLINK(1)"}])
    out = tmp_path / "out.hsds"
    assert run("--data", SEED, "--data", partner(tmp_path, [org]), "export", "--to", "hsds", "-o", out).exit_code == 0
    assert "'=HYPERLINK(1)" in (out / "phones.csv").read_text(encoding="utf-8")
    g = graph_of(out)
    assert {"type": "hotline", "value": "=HYPERLINK(1)"} in g.node("hsds-partner-json.example-partner")["channels"]
    raw = tmp_path / "raw.hsds"
    assert run("--data", SEED, "--data", partner(tmp_path, [org]), "export", "--to", "hsds", "-o", raw,
               "--csv-raw").exit_code == 0
    assert ",=HYPERLINK(1)," in (raw / "phones.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("case, expected", [
    ("no descriptor", "an HSDS folder without datapackage.json"),
    ("outside path", "is not a file of this folder"),
    ("missing services", "resource 'service': services.csv is missing"),
    ("deep value", "nested too deeply"),
    ("resources not a list", '"resources" must be a list'),
])
def test_a_broken_dataset_is_refused_with_a_clear_error(seed_graph, tmp_path, run, case, expected):
    folder = write_files(tmp_path / "broken.hsds", hsds_files(snapshot(seed_graph))[0])
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    if case == "no descriptor":
        (folder / "datapackage.json").unlink()
    elif case == "outside path":
        (tmp_path / "secret.csv").write_text("id,name,description\n", encoding="utf-8")
        descriptor["resources"][0]["path"] = "../secret.csv"
        (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    elif case == "missing services":
        (folder / "services.csv").unlink()
    elif case == "deep value":
        term = next(t["id"] for t in rows(folder, "taxonomy_terms.csv") if t["code"] == "field:sources")
        attribute = next(a["id"] for a in rows(folder, "attributes.csv")
                         if a["link_id"] == hsds_uuid("actor", "astra") and a["taxonomy_term_id"] == term)
        edit_cell(folder, "attributes.csv", attribute, "value", "[" * 5000)  # a list field: read as JSON
    else:
        descriptor["resources"] = {"organization": "organizations.csv"}
        (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    result = run("--data", folder, "validate")
    assert result.exit_code == 1, result.stdout
    assert expected in result.stdout + result.stderr and "Traceback" not in result.stdout + result.stderr


def test_only_an_importer_sets_a_sources_format(run, tmp_path):
    data = write_files(tmp_path / "data", {
        "sources.yaml": "- {id: src, name: A test source, url: https://example.org/s, format: hsds}\n",
        "places.yaml": "- {id: somewhere, name: Somewhere, level: not stated, sources: [src]}\n"})
    result = run("--data", data, "validate")
    assert result.exit_code == 1 and "format: only an importer" in result.stdout


def test_our_export_layered_over_the_seed_data_is_the_same_facts_with_one_more_citation(exported, seed_graph, run):
    """A partner returns our own export: every relation is still one relation (citing the
    dataset too), and the answers are the seed data's."""
    layered = graph_of(SEED, exported["public"])
    assert layered.G.number_of_edges() == seed_graph.G.number_of_edges()
    dataset = "hsds-public-hsds"

    def answer(*data):
        result = run(*(a for d in data for a in ("--data", d)), "who", "--place", "Niš", "--population", "children",
                     "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    def without_dataset(value):
        if isinstance(value, dict):
            return {k: without_dataset(v) for k, v in value.items()}
        if isinstance(value, list):
            return [without_dataset(v) for v in value
                    if dataset not in (v, v.get("id") if isinstance(v, dict) else None)]
        return value

    layered_answer = answer(SEED, exported["public"])
    assert dataset in json.dumps(layered_answer)  # the answer cites the dataset too
    assert without_dataset(layered_answer) == answer(SEED)
