"""Loading at scale: the fast YAML reader reads every file as the full line-recording loader
does (values, lines, problems), and the load cache never serves data that changed."""
from __future__ import annotations

import os
import shutil

import pytest

import stakeholder_graph.loaders as loaders
from stakeholder_graph.graph.errors import Problems
from stakeholder_graph.loaders import cache, files, load
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


# --- the load cache ------------------------------------------------------------------------------


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A copy of the seed data, and a cache folder of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("STAKEHOLDER_GRAPH_NO_CACHE", raising=False)
    shutil.copytree(SEED, tmp_path / "data")
    return tmp_path / "data"


def entries(data) -> list:
    return sorted((data.parent / "cache" / "stakeholder-graph").glob("data-*.pickle"))


def no_parsing(monkeypatch):
    """Make a load that parses anything fail: what loads now comes from the cache."""
    def refuse(paths, limits):
        raise AssertionError("parsed again")
    monkeypatch.setattr(loaders, "_load", refuse)


def name_of(dataset, record_id):
    return dataset.nodes[record_id].fields["name"]


def test_an_unchanged_load_comes_from_the_cache(data, monkeypatch):
    first = load([data], cached=True)
    assert len(entries(data)) == 1
    no_parsing(monkeypatch)
    again = load([data], cached=True)
    assert again.nodes.keys() == first.nodes.keys() and name_of(again, "atina") == name_of(first, "atina")


def test_an_edit_that_keeps_size_and_modification_time_is_seen(data, monkeypatch):
    actors = data / "actors.yaml"
    assert name_of(load([data], cached=True), "atina") == "Atina"
    before = actors.stat()
    text = actors.read_text(encoding="utf-8")
    actors.write_text(text.replace("name: Atina\n", "name: Atinb\n", 1), encoding="utf-8")
    os.utime(actors, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same size and time as before
    assert actors.stat().st_size == before.st_size and actors.stat().st_mtime_ns == before.st_mtime_ns
    assert name_of(load([data], cached=True), "atina") == "Atinb"


def test_new_and_removed_files_are_seen(data):
    assert "extra-src" not in load([data], cached=True).nodes
    (data / "sources-extra.yaml").write_text("- id: extra-src\n  name: Extra\n", encoding="utf-8")
    assert "extra-src" in load([data], cached=True).nodes
    (data / "sources-extra.yaml").unlink()
    assert "extra-src" not in load([data], cached=True).nodes


def test_a_mode_change_and_a_code_change_change_the_key(data, tmp_path, monkeypatch):
    stamp = cache.data_stamp([data])
    os.chmod(data / "actors.yaml", 0o600)
    assert cache.data_stamp([data]) != stamp
    # the loader's code: an edit that keeps the file's size and time changes the key too
    code = tmp_path / "code.py"
    code.write_text("A = 1\n")
    monkeypatch.setattr(cache, "CODE_FILES", [*cache.CODE_FILES, code])
    stamp = cache.data_stamp([data])
    before = code.stat()
    code.write_text("A = 2\n")
    os.utime(code, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert cache.data_stamp([data]) != stamp


def test_nothing_is_kept_of_a_load_during_which_the_data_changed(data, monkeypatch):
    actors = data / "actors.yaml"
    real = loaders._load

    def load_then_edit(paths, limits):  # the file changes after it was read, before the entry is written
        dataset = real(paths, limits)
        actors.write_text(actors.read_text(encoding="utf-8").replace("name: Atina\n", "name: Atinc\n", 1),
                          encoding="utf-8")
        return dataset

    monkeypatch.setattr(loaders, "_load", load_then_edit)
    assert name_of(load([data], cached=True), "atina") == "Atina"
    assert entries(data) == []
    monkeypatch.setattr(loaders, "_load", real)
    assert name_of(load([data], cached=True), "atina") == "Atinc"


# --- the graph from records ----------------------------------------------------------------------


def graph_by_networkx(nodes, edges):
    """The graph as networkx's own add_node and add_edge build it (what from_records fills directly)."""
    import networkx as nx

    G = nx.MultiDiGraph()
    for record in nodes:
        G.add_node(record.id, kind=record.kind, origin=str(record.origin), **record.fields)
    for edge in edges:
        if edge.source in G and edge.target in G:
            key, n = edge.type, 1
            while G.has_edge(edge.source, edge.target, key):
                n += 1
                key = f"{edge.type}#{n}"
            G.add_edge(edge.source, edge.target, key=key, type=edge.type, origin=str(edge.origin), **edge.attrs)
    return G


def structure(G):
    return (list(G._node.items()), [(u, list(nbrs.items())) for u, nbrs in G._succ.items()],
            [(u, list(nbrs.items())) for u, nbrs in G._pred.items()], list(G.edges(keys=True, data=True)))


def test_from_records_builds_what_networkx_builds():
    from stakeholder_graph.graph.errors import Origin
    from stakeholder_graph.graph.model import StakeholderGraph
    from stakeholder_graph.loaders.records import EdgeRecord, NodeRecord

    dataset = load()
    nodes, edges = list(dataset.nodes.values()), list(dataset.edges)
    here = Origin("x.yaml", 1)
    nodes += [NodeRecord("actor", "a", {"name": "A"}, here), NodeRecord("actor", "b", {"name": "B"}, here),
              NodeRecord("actor", "a", {"sector": "ngo"}, here)]  # given twice: the attributes merge
    edges += [EdgeRecord("partners_with", "a", "b", {"note": "1"}, here),
              EdgeRecord("partners_with", "a", "b", {"note": "2"}, here),  # a second edge of a type: key #2
              EdgeRecord("partners_with", "b", "a", {}, here), EdgeRecord("part_of", "a", "a", {}, here),
              EdgeRecord("partners_with", "a", "nobody", {}, here)]  # dangling: skipped
    built = StakeholderGraph.from_records(nodes, edges).G
    assert structure(built) == structure(graph_by_networkx(nodes, edges))
    assert built.has_edge("a", "b", "partners_with#2") and built._succ["a"]["a"] is built._pred["a"]["a"]
    assert len(built.adj["a"]) == 2 and set(built.successors("a")) == {"a", "b"}  # networkx's views see it
