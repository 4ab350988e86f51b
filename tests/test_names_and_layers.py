"""Forgiving names; a second data directory adds to the first and conflicts are reported."""
from __future__ import annotations

import json
import shutil

import pytest

from stakeholder_graph.graph.names import fold

from helpers import SEED, write_files


@pytest.mark.parametrize("text", ["nis", "Niš", "NIŠ", "Ниш", "  niš "])
def test_place_spellings_resolve_to_nis(seed_graph, text):
    assert seed_graph.resolve(text, ("place",)) == "nis"


@pytest.mark.parametrize("text", ["atina", "Atina", "Атина", "ATINA", "NGO Atina"])
def test_atina_spellings(seed_graph, text):
    assert seed_graph.resolve(text) == "atina"


@pytest.mark.parametrize("text", ["ASTRA", "Anti-Trafficking Action", "anti trafficking action", "АСТРА"])
def test_astra_aliases(seed_graph, text):
    assert seed_graph.resolve(text) == "astra"


def test_fold_handles_both_scripts_and_dj():
    assert fold("Ђорђевић") == fold("Đorđević") == fold("Djordjevic") == "djordjevic"
    assert fold("Сремска Митровица") == "sremska mitrovica"
    assert fold("Šumadija") == fold("Шумадија") == "sumadija"


def test_unknown_name_suggests_closest(seed_graph):
    from stakeholder_graph.graph.errors import NameNotFound

    with pytest.raises(NameNotFound) as err:
        seed_graph.resolve("Nsi", ("place",))
    assert "did you mean Niš" in str(err.value)


def test_show_nis_and_atina_in_cyrillic(run):
    nis = run("show", "Nis")
    assert nis.exit_code == 0
    assert "Niš  [place nis]" in nis.stdout and "Ниш" in nis.stdout
    assert "https://en.wikipedia.org/wiki/Ni%C5%A1" in nis.stdout
    atina = run("show", "Атина")
    assert atina.exit_code == 0 and "Atina  [actor atina]" in atina.stdout
    assert "http://www.atina.org.rs/en/victims-protection" in atina.stdout


def test_show_unknown_name_exit_1_with_suggestion(run):
    result = run("show", "Nsi")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: no record 'Nsi'; did you mean Niš?"


def test_show_json_lists_relations_and_sources(run):
    doc = json.loads(run("show", "ASTRA", "--format", "json").stdout)
    assert doc["id"] == "astra" and doc["kind"] == "actor"
    assert {"type": "member_of", "id": "national-coordination-body"}.items() <= next(
        r for r in doc["relations"] if r["type"] == "member_of").items()
    assert all("title" in s for s in doc["sources"])
    assert any(s.get("url") == "https://astra.rs/en/types-of-support/" for s in doc["sources"])


PARTNER_ACTORS = (
    "id,name,sector,type,level,located_in,sources\n"
    "partner-ngo,Partner NGO Niš,ngo,ngo,local,nis,partner-src\n"
)
PARTNER_SOURCES = "id,name,url\npartner-src,Partner's own register,https://example.org/register\n"
PARTNER_SERVICES = (
    "id,name,provider,types,referral_step,serves,covers,sources\n"
    "partner-drop-in,Drop-in centre for children,partner-ngo,drop_in_centre;shelter,emergency_assistance,children,nis,partner-src\n"
)


def test_second_directory_of_csv_adds_records(run, tmp_path):
    partner = write_files(tmp_path / "partner", {
        "actors.csv": PARTNER_ACTORS, "sources.csv": PARTNER_SOURCES, "services.csv": PARTNER_SERVICES})
    assert run("--data", SEED, "--data", partner, "validate").exit_code == 0
    stats = json.loads(run("--data", SEED, "--data", partner, "stats", "--format", "json").stdout)
    base = json.loads(run("stats", "--format", "json").stdout)
    assert stats["nodes"]["actor"] == base["nodes"]["actor"] + 1
    assert stats["nodes"]["service"] == base["nodes"]["service"] + 1
    shown = run("--data", SEED, "--data", partner, "show", "Partner NGO Nis")
    assert shown.exit_code == 0 and "Drop-in centre for children" in shown.stdout


def test_conflicting_duplicate_is_reported(run, tmp_path):
    partner = write_files(tmp_path / "partner", {
        "actors.csv": "id,name,sector,sources\natina,Atina,government,irc-serbia-country-program\n"})
    result = run("--data", SEED, "--data", partner, "validate")
    assert result.exit_code == 1
    assert "atina: conflicting definition: sector is 'government' here but 'ngo'" in result.stdout
    assert "actors.csv:2 (column sector)" in result.stdout


def test_identical_redefinition_and_added_alias_merge(run, tmp_path):
    partner = write_files(tmp_path / "partner", {
        "actors.csv": "id,name,sector,aliases,sources\natina,Atina,ngo,Udruženje Atina,irc-serbia-country-program\n"})
    assert run("--data", SEED, "--data", partner, "validate").exit_code == 0
    shown = run("--data", SEED, "--data", partner, "show", "Udruzenje Atina")
    assert shown.exit_code == 0 and "[actor atina]" in shown.stdout


def test_duplicate_inside_one_directory_is_an_error(run, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SEED, data)
    (data / "actors-extra.yaml").write_text(
        "- id: atina\n  name: Atina\n  sector: ngo\n  sources: [irc-serbia-country-program]\n", encoding="utf-8")
    result = run("--data", data, "validate")
    assert result.exit_code == 1 and "duplicate id: also defined at" in result.stdout


def test_load_cache_sees_every_change(run, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SEED, data)
    assert run("--data", data, "validate").exit_code == 0
    assert run("--data", data, "validate").exit_code == 0  # served from the cache
    actors = data / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace("sector: ngo", "sector: charity", 1), encoding="utf-8")
    result = run("--data", data, "validate")
    assert result.exit_code == 1 and "unknown value 'charity'" in result.stdout


def test_graph_cache_sees_every_change(run, tmp_path):
    """Commands that answer from the graph read it back built (loaders.cache.graph_cached):
    an edit shows at once, and data an edit made invalid is refused, never served stale."""
    data = tmp_path / "data"
    shutil.copytree(SEED, data)
    for _ in range(2):  # built, then read back from the cache
        result = run("--data", data, "show", "atina")
        assert result.exit_code == 0 and result.stdout.split()[:3] == ["Atina", "[actor", "atina]"], result.stderr
    actors = data / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    actors.write_text(text.replace("  name: Atina\n", "  name: Atina Centre\n", 1), encoding="utf-8")
    assert run("--data", data, "show", "atina").stdout.split()[:4] == ["Atina", "Centre", "[actor", "atina]"]
    actors.write_text(text.replace("sector: ngo", "sector: charity", 1), encoding="utf-8")
    result = run("--data", data, "show", "atina")
    assert result.exit_code == 1 and "unknown value 'charity'" in result.stderr


def test_csv_templates_match_the_schema_and_load(run, tmp_path):
    import csv as csvmodule

    from stakeholder_graph.graph.schema import NODE_KINDS, RELATIONS_PLURAL, columns, plural

    # the templates ship inside the package; `template --to csv` writes them out for a partner
    partner = tmp_path / "partner"
    result = run("template", "--to", "csv", "-o", partner)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in partner.iterdir()) == sorted(
        f"{plural(kind)}.csv" for kind in [*NODE_KINDS, RELATIONS_PLURAL])
    for kind in [*NODE_KINDS, RELATIONS_PLURAL]:
        with open(partner / f"{plural(kind)}.csv", encoding="utf-8") as f:
            header = next(csvmodule.reader(f))
        assert header == columns(kind, imported=False), kind
    # the partner fills two templates and they load over the seed data
    rows = {
        "sources": {"id": "my-src", "name": "Our register", "publisher": "Partner NGO",
                    "url": "https://example.org", "date": "2026"},
        "actors": {"id": "my-ngo", "name": "My NGO", "sector": "ngo", "located_in": "nis", "sources": "my-src"},
    }
    for stem, row in rows.items():
        header = (partner / f"{stem}.csv").read_text(encoding="utf-8").strip().split(",")
        with open(partner / f"{stem}.csv", "a", encoding="utf-8") as f:
            f.write(",".join(row.get(c, "") for c in header) + "\n")
    result = run("--data", SEED, "--data", partner, "validate")
    assert result.exit_code == 0, result.output
    assert "[actor my-ngo]" in run("--data", SEED, "--data", partner, "show", "My NGO").stdout
    # written again over the filled folder: refused, nothing lost
    again = run("template", "--to", "csv", "-o", partner)
    assert again.exit_code == 1 and "already holds other files" in again.stderr
    assert "my-ngo" in (partner / "actors.csv").read_text(encoding="utf-8")
