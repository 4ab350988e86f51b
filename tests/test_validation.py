"""Each validation error, produced by a small broken fixture, reported with file and line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import MINIMAL_SOURCES, write_files

PLACES = """\
- id: serbia
  name: Serbia
  level: country
  sources: [src]
- id: nis
  name: Niš
  names: {sr-Cyrl: Ниш}
  level: municipality
  parent: serbia
  sources: [src]
"""


def problems_of(run, directory):
    result = run("--data", directory, "validate", "--format", "json")
    doc = json.loads(result.stdout)
    for p in doc["problems"]:  # fixtures live in tmp_path: compare file names only
        p["file"] = Path(p["file"]).name
    return result.exit_code, doc["problems"]


def only(problems, text):
    found = [p for p in problems if text in p["message"]]
    assert found, f"no problem mentioning {text!r} in {problems}"
    return found


def test_clean_fixture_validates(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "places.yaml": PLACES})
    code, problems = problems_of(run, d)
    assert code == 0 and problems == []


def test_unknown_reference_suggests_closest_ids(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "places.yaml": PLACES, "actors.yaml": """\
- id: ngo
  name: An NGO
  sector: ngo
  located_in: [nsi]
  sources: [src]
"""})
    code, problems = problems_of(run, d)
    assert code == 1
    p = only(problems, "unknown place 'nsi'")[0]
    assert "did you mean nis" in p["message"]
    assert (p["file"], p["line"], p["record"]) == ("actors.yaml", 4, "ngo")


def test_duplicate_id(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "places.yaml": PLACES + """\
- id: nis
  name: Nis again
  level: municipality
  sources: [src]
"""})
    code, problems = problems_of(run, d)
    p = only(problems, "duplicate id")[0]
    assert code == 1 and p["line"] == 11 and "places.yaml:5" in p["message"]


def test_edge_between_wrong_kinds(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "places.yaml": PLACES, "relations.yaml": """\
- type: located_in
  from: serbia
  to: nis
  sources: [src]
"""})
    code, problems = problems_of(run, d)
    p = only(problems, "located_in cannot link place 'serbia' to place 'nis'")[0]
    assert code == 1 and p["line"] == 1 and "actor -> place" in p["message"]


def test_unknown_vocabulary_value_lists_allowed(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": """\
- id: ngo
  name: An NGO
  sector: charity
  sources: [src]
"""})
    code, problems = problems_of(run, d)
    p = only(problems, "unknown value 'charity'")[0]
    assert code == 1 and p["line"] == 3 and "allowed: government, ngo, international" in p["message"]


def test_missing_and_unknown_source(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": """\
- id: a
  name: A
  sector: ngo
- id: b
  name: B
  sector: ngo
  sources: [scr]
"""})
    code, problems = problems_of(run, d)
    assert code == 1
    assert only(problems, "no sources")[0]["line"] == 1
    p = only(problems, "unknown source 'scr'")[0]
    assert p["line"] == 7 and "did you mean src" in p["message"]


@pytest.mark.parametrize("field, value, message", [
    ("start", "2018-13", "month 13"),
    ("start", "1066", "out of range"),
    ("start", "someday", "not a date"),
])
def test_bad_dates(run, tmp_path, field, value, message):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": f"""\
- id: a
  name: A
  sector: ngo
  {field}: "{value}"
  sources: [src]
"""})
    code, problems = problems_of(run, d)
    assert code == 1 and only(problems, message)[0]["line"] == 4


def test_coordinate_out_of_range(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "places.yaml": """\
- id: x
  name: X
  level: municipality
  lat: 95.0
  lon: 20.0
  sources: [src]
"""})
    code, problems = problems_of(run, d)
    assert code == 1 and only(problems, "lat 95.0 is out of range")[0]["line"] == 4


def test_end_before_start(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "projects.yaml": """\
- id: p
  name: P
  start: 2020-05
  end: 2019
  sources: [src]
"""})
    code, problems = problems_of(run, d)
    assert code == 1 and only(problems, "end 2019 is before start 2020-05")[0]["line"] == 4


def test_place_hierarchy_cycle(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "places.yaml": """\
- {id: a, name: A, level: district, parent: b, sources: [src]}
- {id: b, name: B, level: district, parent: c, sources: [src]}
- {id: c, name: C, level: district, parent: a, sources: [src]}
"""})
    code, problems = problems_of(run, d)
    cycles = only(problems, "hierarchy has a cycle")
    assert code == 1 and len(cycles) == 1 and cycles[0]["file"] == "places.yaml"


def test_malformed_yaml_reports_line(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": """\
- id: a
  name: A
  sector: ngo
  sources: [src
- id: b
"""})
    code, problems = problems_of(run, d)
    p = only(problems, "malformed YAML")[0]
    assert code == 1 and p["file"] == "actors.yaml" and p["line"] in (5, 6)


def test_malformed_csv_row(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.csv": (
        "id,name,sector,sources\n"
        "a,A,ngo,src\n"
        "b,B,ngo,src,extra,cells\n"
    )})
    code, problems = problems_of(run, d)
    p = only(problems, "malformed CSV row")[0]
    assert code == 1 and (p["file"], p["line"]) == ("actors.csv", 3)


def test_csv_error_names_row_and_column(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.csv": (
        "id,name,sector,sources\n"
        "a,A,ngo,src\n"
        "b,B,charity,src\n"
    )})
    code, problems = problems_of(run, d)
    p = only(problems, "unknown value 'charity'")[0]
    assert code == 1 and (p["line"], p["column"], p["record"]) == (3, "sector", "b")


def test_non_utf8_bytes(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES,
                               "actors.yaml": "- id: a\n  name: Ni\xe8 A\n".encode("latin-1")})
    code, problems = problems_of(run, d)
    p = only(problems, "not UTF-8")[0]
    assert code == 1 and (p["file"], p["line"]) == ("actors.yaml", 2)


def test_empty_file(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": "\n  \n"})
    code, problems = problems_of(run, d)
    assert code == 1 and only(problems, "file is empty")[0]["file"] == "actors.yaml"


def test_unknown_field_suggests(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": """\
- id: a
  name: A
  sectr: ngo
  sources: [src]
"""})
    code, problems = problems_of(run, d)
    assert code == 1 and "did you mean sector" in only(problems, "unknown field 'sectr'")[0]["message"]


def test_several_errors_in_one_file_all_reported(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": """\
- id: a
  name: A
  sector: charity
  sources: [src]
- id: b
  name: B
  sector: ngo
  start: 2020-02-30
  sources: [src]
- id: c
  name: C
  sector: ngo
  located_in: [atlantis]
  sources: [src]
"""})
    code, problems = problems_of(run, d)
    lines = sorted(p["line"] for p in problems if p["severity"] == "error")
    assert code == 1 and lines == [3, 8, 13]


def test_table_output_names_file_line_and_record(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": """\
- id: a
  name: A
  sector: charity
  sources: [src]
"""})
    result = run("--data", d, "validate")
    assert result.exit_code == 1
    assert "actors.yaml:3: error: a: sector: unknown value 'charity'" in result.stdout
    assert "Traceback" not in result.output


def test_query_commands_refuse_broken_data_without_traceback(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": "- id: a\n  name: A\n"})
    result = run("--data", d, "stats")
    assert result.exit_code == 1
    assert "error(s)" in result.stderr and "validate" in result.stderr
    assert "Traceback" not in result.output


def test_missing_data_directory(run, tmp_path):
    result = run("--data", tmp_path / "nope", "validate")
    assert result.exit_code == 1 and "no such data directory" in result.stdout
