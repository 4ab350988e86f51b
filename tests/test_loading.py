"""Loading at scale: the fast YAML reader reads every file as the full line-recording loader
does (values, lines, problems), and the load cache never serves data that changed."""
from __future__ import annotations

import pytest

from stakeholder_graph.graph.errors import Problems
from stakeholder_graph.loaders import files
from stakeholder_graph.loaders.files import fast_records, read_yaml, yaml_rows

from helpers import SEED


def rows_of(rows):
    return [(r.values, r.origin, r.field_lines, r.from_text) for r in rows]


def both_readers(tmp_path, text: str):
    """(fast reader's rows and problems, full loader's rows and problems) of one YAML text."""
    path = tmp_path / "actors.yaml"
    path.write_text(text, encoding="utf-8")
    fast_problems, full_problems = Problems(), Problems()
    fast = read_yaml(path, "actors.yaml", fast_problems)
    full = yaml_rows(files.read_text(path, "actors.yaml", Problems()), "actors.yaml", full_problems)
    return (rows_of(fast), [str(p) for p in fast_problems]), (rows_of(full), [str(p) for p in full_problems])


# Files the fast reader takes: every kind of scalar YAML 1.1 resolves (PyYAML's SafeLoader),
# quoting, block and flow styles, comments, nesting, repeated keys, odd keys.
PLAIN = {
    "scalars": """\
- id: a
  text: plain words
  yes_word: yes
  off_word: Off
  null_word: ~
  empty:
  int: 42
  octal: 017
  hex: 0x1F
  underscored: 1_000
  sexagesimal: 1:30
  negative: -7
  float: 3.5
  exp: 6.02e+23
  inf: .inf
  nan: .NaN
  date: 2024-01-15
  datetime: 2024-01-15T12:00:00Z
  year: 2021
""",
    "quoting and blocks": """\
# a comment
- id: "b"
  quoted: 'yes'
  double: "42"
  escaped: "tab\\there"
  folded: >
    one
    two
  literal: |
    line one
    line two
  multi line plain: this goes
    on and on
  unicode: Ниш Niš
""",
    "nesting and flow": """\
- {id: c, sources: [s1, s2], names: {sr: Ниш, en: Nis}}
- id: d
  partners:
    - id: e
      role: lead
    - f
  channels: [{type: website, value: "https://example.org"}]
  deep: [[1, [2, [3]]], {a: {b: {c: []}}}]
""",
    "repeated keys": """\
- id: g
  name: one
  name: two
  sector: ngo
- id: h
  nested: {x: 1, x: 2}
  1: int key
  true: bool key
  ~: null key
  3.5: float key
""",
    "empty list": "[]\n",
    "windows line ends": "- id: i\r\n  name: I\r\n",
}

# Files the fast reader hands to the full loader, which reads or reports them as it always did.
UNUSUAL = {
    "anchor": "- &a {id: j}\n- *a\n",
    "alias later": "- id: k\n  name: K\n- id: l\n  name: *x\n",
    "tag": "- id: m\n  n: !!str 5\n",
    "non-specific tag": "- id: m\n  n: ! 5\n",
    "merge key": "- id: n\n  <<: {name: N}\n",
    "value key": "- id: o\n  =: p\n",
    "bookkeeping key": "- id: p\n  __line__: 3\n",
    "non-scalar key": "- id: q\n  [a, b]: c\n",
    "two documents": "- id: r\n---\n- id: s\n",
    "not a list": "id: t\nname: T\n",
    "an item not a record": "- id: u\n- just text\n- [a]\n",
    "only comments": "# nothing here\n",
    "malformed": "- id: v\n  name: [unclosed\n",
    "bad indentation": "- id: w\n   name: W\n  sector: ngo\n",
    "tab indentation": "- id: x\n\tname: X\n",
    "deep": "- " + "[" * 200 + "]" * 200 + "\n",
}


@pytest.mark.parametrize("name", PLAIN)
def test_the_fast_reader_reads_plain_files_as_the_full_loader(tmp_path, name):
    assert fast_records(PLAIN[name]) is not None  # taken by the fast reader
    fast, full = both_readers(tmp_path, PLAIN[name])
    assert fast == full


@pytest.mark.parametrize("name", UNUSUAL)
def test_unusual_files_go_to_the_full_loader(tmp_path, name):
    assert fast_records(UNUSUAL[name]) is None
    fast, full = both_readers(tmp_path, UNUSUAL[name])
    assert fast == full


def test_the_seed_data_reads_alike(tmp_path):
    for path in sorted(SEED.glob("*.yaml")):
        text = files.read_text(path, path.name, Problems())
        assert fast_records(text) is not None, path.name
        fast_problems, full_problems = Problems(), Problems()
        assert rows_of(read_yaml(path, path.name, fast_problems)) == rows_of(yaml_rows(text, path.name, full_problems))
        assert fast_problems == full_problems == []


def test_values_keep_their_types(tmp_path):
    (rows, problems), _ = both_readers(tmp_path, PLAIN["scalars"])
    values = rows[0][0]
    assert values["yes_word"] is True and values["off_word"] is False and values["null_word"] is None
    assert values["octal"] == 15 and values["hex"] == 31 and values["sexagesimal"] == 90
    assert values["date"] == "2024-01-15" and values["datetime"] == "2024-01-15T12:00:00Z"  # dates stay text
    assert values["nan"] != values["nan"] and values["year"] == 2021
    assert rows[0][2]["year"] == 19 and rows[0][1].line == 1  # each field's line, and the record's
