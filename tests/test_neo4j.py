"""The Neo4j sync against a real Bolt server: ArcadeDB (PyPI `arcadedb-embedded`) with its Bolt
plugin, started once for the session (tests/bolt_server.py). No mocks.

Each test gets its own fresh database on that server. Nothing here skips: a server
that cannot start fails the run.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from stakeholder_graph.exports.neo4j import all_statements, is_schema_or_admin, push, run_cypher
from stakeholder_graph.exports.neo4j.encoding import encode_properties
from stakeholder_graph.exports.neo4j.statements import merge_nodes_statement, merge_relationships_statement
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.graph.schema import EDGE_TYPES, NODE_KINDS
from stakeholder_graph.loaders.bolt.connection import ConnectionSettings, is_server_uri
from stakeholder_graph.loaders.bolt.mapping import LABELS, LOCK_LABEL, REL_TYPES, decode_properties

from helpers import SEED, graph_of, write_files

HOSTILE = "O'Brien \"quoted\" `back` {braces} }) DETACH DELETE n // Ниш \\ $param"

EXTRA_LAYER = {  # a partner layer on top of the seed data: records above `public`
    "actors.yaml": """\
- id: partner-only-ngo
  name: An NGO known to partners only
  sector: ngo
  located_in: [nis]
  sources: [irc-serbia-country-program]
  sensitivity: partners
- id: internal-contact-point
  name: An internal contact point
  sector: government
  sources: [irc-serbia-country-program]
  sensitivity: internal
- id: public-ngo-with-a-memo
  name: A public NGO also known from an internal memo
  sector: ngo
  sources: [irc-serbia-country-program, internal-memo]
""",
    "sources.yaml": """\
- id: internal-memo
  name: An internal memo
  sensitivity: internal
""",
    "relations.yaml": """\
- type: partners_with
  from: partner-only-ngo
  to: atina
  sources: [irc-serbia-country-program]
  sensitivity: partners
""",
}


# --- the server ----------------------------------------------------------------------------


@pytest.fixture
def layered(tmp_path) -> list[Path]:
    """seed_data plus a partner layer holding a partners and an internal record."""
    return [SEED, write_files(tmp_path / "partner", EXTRA_LAYER)]


def copy_seed(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SEED, tmp_path / "data"))


def cypher(settings, query, **params) -> list[dict]:
    return run_cypher(settings, query, params)[1]


def server_counts(settings) -> tuple[dict, dict]:
    labels: dict[str, int] = {}
    for row in cypher(settings, "MATCH (n) RETURN labels(n) AS labels, count(*) AS n"):
        for label in row["labels"]:
            labels[label] = labels.get(label, 0) + row["n"]
    types = {r["type"]: r["n"] for r in cypher(settings, "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")}
    return labels, types


def graph_counts(g: StakeholderGraph) -> tuple[dict, dict]:
    kinds, types = g.counts()
    return ({LABELS[k]: n for k, n in kinds.items() if n},
            {REL_TYPES[t]: n for t, n in types.items() if n})


def assert_same_graph(pulled: StakeholderGraph, expected: StakeholderGraph) -> None:
    a, b = pulled.G, expected.G
    assert set(a.nodes) == set(b.nodes)
    for n, attrs in b.nodes(data=True):
        assert a.nodes[n] == attrs, n
        assert list(a.nodes[n]) == list(attrs), f"{n}: attribute order"
    edges_a = {(u, v, k): d for u, v, k, d in a.edges(keys=True, data=True)}
    edges_b = {(u, v, k): d for u, v, k, d in b.edges(keys=True, data=True)}
    assert set(edges_a) == set(edges_b)
    for key, attrs in edges_b.items():
        assert edges_a[key] == attrs, key


def one_error_line(result) -> str:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


# --- the statements as text (no server) ----------------------------------------------------


def test_statements_are_neo4j5_cypher_with_whitelisted_names():
    statements = all_statements()
    labels = set(LABELS.values())
    rels = set(REL_TYPES.values())
    assert labels == {"Actor", "Service", "Project", "Place", "Population", "ExploitationForm",
                      "Indicator", "Assessment", "Publication", "Source"}
    assert REL_TYPES["part_of"] == "PART_OF" and len(rels) == len(EDGE_TYPES)
    constraints = [s for s in statements if s.startswith("CREATE CONSTRAINT")]
    assert len(constraints) == len(NODE_KINDS) + 1  # and the push lock's
    assert ("CREATE CONSTRAINT sg_lock_name IF NOT EXISTS FOR (l:StakeholderGraphLock) "
            "REQUIRE l.name IS UNIQUE") in constraints
    for s in (s for s in constraints if LOCK_LABEL not in s):
        # Neo4j 5 syntax; not 4.x's `ON (n:L) ASSERT n.id IS UNIQUE`
        assert re.fullmatch(r"CREATE CONSTRAINT sg_[a-z]+_id IF NOT EXISTS FOR \(n:([A-Za-z]+)\) "
                            r"REQUIRE n\.id IS UNIQUE", s), s
    assert merge_nodes_statement("Actor") == (
        "UNWIND $rows AS props MERGE (n:Actor {id: props.id}) ON CREATE SET n = props "
        "WITH n, props WHERE properties(n) <> props SET n = props RETURN count(n) AS updated")
    assert merge_relationships_statement("OFFERS", "Actor", "Service") == (
        "UNWIND $rows AS row MATCH (a:Actor {id: row.source}) MATCH (b:Service {id: row.target}) "
        "MERGE (a)-[r:OFFERS {_sg_key: row.props._sg_key}]->(b) ON CREATE SET r = row.props "
        "WITH r, row WHERE properties(r) <> row.props SET r = row.props RETURN count(r) AS updated")
    for s in statements:
        # only whitelisted labels and relationship types
        for label in re.findall(r"\((?:\w+)?:(\w+)", s):
            assert label in labels | {LOCK_LABEL}, (label, s)
        for rel in re.findall(r"\[\w*:(\w+)", s):
            assert rel in rels, (rel, s)
        # every value a parameter: no quoted literals; no removed or deprecated Neo4j 4 forms
        assert not re.search(r"['\"]", s), s
        assert not re.search(r"\bASSERT\b|\bexists\s*\(|\bid\s*\(|\{\w+\}|\bCALL\b", s, re.I), s
        assert "USING PERIODIC COMMIT" not in s
    for writes in (s for s in statements if "MERGE" in s and LOCK_LABEL not in s):
        assert writes.startswith("UNWIND $rows AS ")
    for deleting in (s for s in statements if "DELETE" in s):
        # a record only if the tool wrote it; the lock only if it is still the one taken
        assert "_sg_managed = true" in deleting or (
            f"(l:{LOCK_LABEL} {{name: $name}}) WHERE l.token = $token DELETE l" in deleting), deleting
    with pytest.raises(ValueError):
        merge_nodes_statement("Actor) DETACH DELETE n //")
    with pytest.raises(ValueError):
        merge_relationships_statement("OFFERS]->() DELETE r //", "Actor", "Service")


def test_property_encoding_round_trips():
    attrs = {"name": HOSTILE, "names": {"sr-Cyrl": "Ниш"}, "aliases": [], "mixed": ["a", 1],
             "lat": 43.3208, "tiny": 1e-9, "year": 2024, "flag": True, "sources": ["a", "b"]}
    props = encode_properties(attrs)
    assert props["name"] == HOSTILE and props["sources"] == ["a", "b"] and props["tiny"] == 1e-9
    assert set(props["_sg_json"].split()) == {"names", "aliases", "mixed"}
    assert props["_sg_managed"] is True
    decoded = decode_properties(props)
    assert decoded == attrs and list(decoded) == list(attrs)


def test_read_mode_refuses_schema_commands_before_sending():
    for q in ("CREATE CONSTRAINT c IF NOT EXISTS FOR (n:X) REQUIRE n.id IS UNIQUE",
              "create index i for (n:X) on (n.y)", "DROP INDEX i", "CREATE DATABASE x",
              "// comment\nCREATE OR REPLACE DATABASE x", "GRANT ROLE r TO u",
              "CYPHER 5 CREATE TEXT INDEX t FOR (n:X) ON (n.y)"):
        assert is_schema_or_admin(q), q
    for q in ("CREATE (n:Index {x: 1})", "MATCH (n) RETURN n", "SHOW CONSTRAINTS", "CREATE (:User)"):
        assert not is_schema_or_admin(q), q


def test_server_uri_detection_and_password_never_shown():
    assert all(is_server_uri(u) for u in ("bolt://h:7687", "neo4j://h", "neo4j+s://x.io", "bolt+s://h"))
    assert not any(is_server_uri(u) for u in ("seed_data", "http://h", "C:\\data", "file:///x"))
    s = ConnectionSettings("neo4j+s://user:secret@x.databases.neo4j.io", "u", "hunter2", "db")
    assert "secret" not in s.shown_uri and "hunter2" not in repr(s) and "hunter2" not in s.describe()


# --- push ----------------------------------------------------------------------------------


def test_push_counts_equal_the_graph(run, db, layered, bolt_server):
    g = graph_of(*layered)
    data = [a for p in layered for a in ("--data", p)]
    result = run(*data, "neo4j", "push", "--audience", "internal", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    nodes, rels = report["counts"]
    assert nodes["created"] == g.G.number_of_nodes() and rels["created"] == g.G.number_of_edges()
    assert server_counts(db) == graph_counts(g)
    assert "pushing to" in result.stderr and bolt_server.password not in result.stderr + result.stdout


def test_audience_leaves_out_what_is_above_it(run, db, layered):
    g = graph_of(*layered)
    data = [a for p in layered for a in ("--data", p)]
    assert run(*data, "neo4j", "push", "--audience", "partners").exit_code == 0
    assert server_counts(db) == graph_counts(g.for_audience("partners"))
    ids = {r["id"] for r in cypher(db, "MATCH (n:Actor) RETURN n.id AS id")}
    assert "partner-only-ngo" in ids and "internal-contact-point" not in ids
    # the same server pushed again for the public: --prune takes the partners' records away
    result = run(*data, "neo4j", "push", "--prune", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert server_counts(db) == graph_counts(g.for_audience("public"))
    levels = cypher(db, "MATCH (n) RETURN DISTINCT n.sensitivity AS s")
    levels += cypher(db, "MATCH ()-[r]->() RETURN DISTINCT r.sensitivity AS s")
    assert {r["s"] for r in levels} == {"public"}
    assert not cypher(db, "MATCH (n) WHERE n.name CONTAINS $word RETURN n", word="partners only")
    # a hidden record leaves no trace: not even its id among a public record's sources
    assert cypher(db, "MATCH (a:Actor {id: 'public-ngo-with-a-memo'}) RETURN a.sources AS s") == [
        {"s": ["irc-serbia-country-program"]}]
    assert not cypher(db, "MATCH (n) WHERE any(s IN n.sources WHERE s = $memo) RETURN n.id", memo="internal-memo")


def test_push_and_reading_back_take_the_audience_setting(run, db, layered, monkeypatch):
    """Without --audience, push sends what $STAKEHOLDER_GRAPH_AUDIENCE may see; a command
    reading the server back shows what its own audience may see of that copy."""
    g = graph_of(*layered)
    data = [a for p in layered for a in ("--data", p)]
    monkeypatch.setenv("STAKEHOLDER_GRAPH_AUDIENCE", "partners")
    result = run(*data, "neo4j", "push", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["audience"] == "partners"
    assert server_counts(db) == graph_counts(g.for_audience("partners"))
    assert run("--data", db.uri, "show", "An NGO known to partners only").exit_code == 0
    monkeypatch.setenv("STAKEHOLDER_GRAPH_AUDIENCE", "public")
    hidden = run("--data", db.uri, "show", "An NGO known to partners only")
    assert hidden.exit_code == 1 and hidden.stderr == run("show", "An NGO known to partners only").stderr


def test_push_twice_changes_nothing_and_one_change_updates_one_node(run, db, tmp_path, seed_graph):
    # a copy to edit (a record's origin, file:line, goes along: edit in place, as a user would)
    data = copy_seed(tmp_path)
    first = json.loads(run("--data", data, "neo4j", "push", "--format", "json").stdout)
    counts = server_counts(db)
    again = run("--data", data, "neo4j", "push", "--format", "json")
    assert again.exit_code == 0
    nodes, rels = json.loads(again.stdout)["counts"]
    assert (nodes["created"], nodes["updated"], nodes["unchanged"]) == (0, 0, seed_graph.G.number_of_nodes())
    assert (rels["created"], rels["updated"], rels["unchanged"]) == (0, 0, seed_graph.G.number_of_edges())
    assert server_counts(db) == counts == graph_counts(seed_graph)
    assert first["counts"][0]["created"] == seed_graph.G.number_of_nodes()
    duplicates = cypher(db, "MATCH (n) WITH labels(n) AS l, n.id AS id, count(*) AS c WHERE c > 1 RETURN l, id")
    assert duplicates == []

    actors = data / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace(
        "- id: atina\n  name: Atina\n", "- id: atina\n  name: Atina (renamed)\n"), encoding="utf-8")
    changed = run("--data", data, "neo4j", "push", "--format", "json")
    assert changed.exit_code == 0, changed.stderr
    nodes, rels = json.loads(changed.stdout)["counts"]
    assert (nodes["created"], nodes["updated"]) == (0, 1)
    assert (rels["created"], rels["updated"]) == (0, 0)
    assert cypher(db, "MATCH (a:Actor {id: 'atina'}) RETURN a.name AS name") == [{"name": "Atina (renamed)"}]
    assert server_counts(db) == counts


def test_prune_removes_only_what_the_tool_wrote(run, db, tmp_path, seed_graph):
    data = copy_seed(tmp_path)
    assert run("--data", data, "neo4j", "push").exit_code == 0
    # made by hand on the server: a node of a schema label, one of another label, relationships
    assert run("neo4j", "cypher", "--write",
               "CREATE (:Actor {id: 'hand-made', name: 'Made by hand', phone: '123'}), "
               "(:Note {text: 'keep me'})").exit_code == 0
    assert run("neo4j", "cypher", "--write",
               "MATCH (a:Actor {id: 'atina'}), (h:Actor {id: 'hand-made'}), (n:Note) "
               "CREATE (a)-[:REFERS_TO {note: 'by hand'}]->(h), (n)-[:MENTIONS]->(a)").exit_code == 0
    gone = "centre-shelter"
    gone_edges = seed_graph.G.degree(gone)
    assert gone_edges > 0
    services = data / "services.yaml"
    text = services.read_text(encoding="utf-8")
    block = re.search(r"^- id: centre-shelter\n(?:  .*\n)*", text, re.M).group(0)
    # keep the line numbers of the other records (so only the removal shows)
    services.write_text(text.replace(block, "#\n" * block.count("\n")), encoding="utf-8")

    kept = run("--data", data, "neo4j", "push", "--format", "json")
    nodes, rels = json.loads(kept.stdout)["counts"]
    assert nodes["stale"] == 1 and rels["stale"] == gone_edges and nodes["deleted"] == 0
    assert cypher(db, "MATCH (s:Service {id: $id}) RETURN s.id AS id", id=gone) == [{"id": gone}]
    table = run("--data", data, "neo4j", "push")
    assert "--prune" in table.stdout

    pruned = run("--data", data, "neo4j", "push", "--prune", "--format", "json")
    assert pruned.exit_code == 0, pruned.stderr
    nodes, rels = json.loads(pruned.stdout)["counts"]
    assert nodes["deleted"] == 1
    assert cypher(db, "MATCH (s:Service {id: $id}) RETURN s", id=gone) == []
    assert cypher(db, "MATCH (a)-[r]-(b) WHERE a.id = $id RETURN r", id=gone) == []
    # untouched: the hand-made nodes and the hand-made relationship between kept nodes
    assert cypher(db, "MATCH (a:Actor {id: 'hand-made'}) RETURN a.name AS name") == [{"name": "Made by hand"}]
    assert cypher(db, "MATCH (n:Note)-[:MENTIONS]->(a:Actor) RETURN n.text AS t, a.id AS a") == [
        {"t": "keep me", "a": "atina"}]
    assert cypher(db, "MATCH (:Actor {id: 'atina'})-[r:REFERS_TO]->(:Actor {id: 'hand-made'}) "
                      "RETURN r.note AS note") == [{"note": "by hand"}]
    labels, types = server_counts(db)
    expected_labels, expected_types = graph_counts(graph_of(data))
    assert labels == {**expected_labels, "Actor": expected_labels["Actor"] + 1, "Note": 1}
    assert types == {**expected_types, "MENTIONS": 1, "REFERS_TO": expected_types["REFERS_TO"] + 1}
    again = json.loads(run("--data", data, "neo4j", "push", "--prune", "--format", "json").stdout)
    assert [c["deleted"] for c in again["counts"]] == [0, 0]

    # the shared copy is checked like files: the hand-made actor cites nothing
    checked = run("--data", db.uri, "validate", "--format", "json")
    assert checked.exit_code == 1
    problems = json.loads(checked.stdout)["problems"]
    assert any(p["record"] == "hand-made" and "no sources" in p["message"] for p in problems)
    assert any(p["severity"] == "warning" and "'phone'" in p["message"] for p in problems)
    refused = run("--data", db.uri, "stats")
    assert refused.exit_code == 1 and "error(s)" in refused.stderr


# --- pull ----------------------------------------------------------------------------------


def test_pull_gives_the_file_graph_and_the_same_answers(run, db, layered):
    g = graph_of(*layered)
    push(g, db, audience="internal")
    assert_same_graph(graph_of(db), g)

    files = [a for p in layered for a in ("--data", p)]
    server = ("--data", db.uri)
    for command in (("stats", "--format", "json"), ("show", "Niš", "--format", "json"),
                    ("validate", "--format", "json")):
        from_files, from_server = run(*files, *command), run(*server, *command)
        assert from_server.exit_code == 0, from_server.stderr
        if command[0] != "validate":
            assert from_server.stdout == from_files.stdout, command
        else:
            assert json.loads(from_server.stdout)["ok"] is True
    from stakeholder_graph.cli import cli

    assert "who" in cli.list_commands(None), "the `who` command is missing: the same-answer check needs it"
    question = ("who", "--population", "children", "--place", "Niš", "--format", "json")
    from_files, from_server = run(*files, *question), run(*server, *question)
    assert from_files.exit_code == 0, from_files.stderr
    assert from_server.exit_code == 0, from_server.stderr
    assert json.loads(from_files.stdout)["results"], "the question should have answers"
    assert from_server.stdout == from_files.stdout
    if "ask" in cli.list_commands(None):  # the "done when": the same cited answer from the server
        ask = ("ask", "who handles child victims in Niš?")
        from_files, from_server = run(*files, *ask), run(*server, *ask)
        assert from_server.exit_code == from_files.exit_code == 0, from_server.stderr
        assert from_server.stdout == from_files.stdout


def test_hostile_values_are_stored_and_read_back_literally(run, db, tmp_path):
    data = write_files(tmp_path / "hostile", {
        "sources.yaml": "- id: src\n  name: A test source\n  url: https://example.org/source\n",
        "places.yaml": (
            "- id: hostile-place\n"
            f"  name: {json.dumps(HOSTILE, ensure_ascii=False)}\n"
            "  level: municipality\n"
            f"  names: {{sr-Cyrl: {json.dumps(HOSTILE + ' Ћ', ensure_ascii=False)}}}\n"
            f"  aliases: [{json.dumps('}) MATCH (m) DETACH DELETE m //', ensure_ascii=False)}, \"a'b\"]\n"
            "  sources: [src]\n"
            "- id: plain-place\n  name: Plain\n  level: country\n  sources: [src]\n"
            "  description: \"`; MATCH (n) DETACH DELETE n; //\"\n"
        ),
    })
    g = graph_of(data)
    assert g.node("hostile-place")["name"] == HOSTILE
    result = run("--data", data, "neo4j", "push")
    assert result.exit_code == 0, result.stderr
    assert server_counts(db) == ({"Source": 1, "Place": 2}, {})
    rows = json.loads(run("neo4j", "cypher", "MATCH (p:Place) WHERE p.name = $name RETURN p.name AS name",
                          "--param", f"name={HOSTILE}", "--format", "json").stdout)
    assert rows == [{"name": HOSTILE}]
    assert_same_graph(graph_of(db), g)
    again = json.loads(run("--data", data, "neo4j", "push", "--format", "json").stdout)
    assert [c["unchanged"] for c in again["counts"]] == [3, 0]


def test_interrupted_push_then_push_again_ends_with_exactly_the_file_graph(db, seed_graph):
    push(seed_graph, db)
    # the new data: one record renamed, one removed, one added
    G = seed_graph.G.copy()
    G.nodes["atina"]["name"] = "Atina (renamed)"
    G.remove_node("centre-shelter")
    G.add_node("new-ngo", kind="actor", origin="partner/actors.yaml:1", name="New NGO",
               sector="ngo", sources=["irc-serbia-country-program"], sensitivity="public", basis="stated")
    G.add_edge("new-ngo", "nis", key="located_in", type="located_in", origin="partner/actors.yaml:1",
               sources=["irc-serbia-country-program"], sensitivity="public", basis="stated")
    new = StakeholderGraph(G)

    class Interrupted(Exception):
        pass

    batches = []

    def fail_on_the_fourth_batch(n):
        batches.append(n)
        if len(batches) == 4:
            raise Interrupted

    with pytest.raises(Interrupted):
        push(new, db, prune=True, batch_size=10, progress=fail_on_the_fourth_batch)
    half = graph_of(db, allow_errors=True)  # half pushed: sources come last
    assert "centre-shelter" in half.G  # the prune never ran
    report = push(new, db, prune=True, batch_size=10)
    assert report.nodes_deleted == 1
    assert_same_graph(graph_of(db), new)
    assert server_counts(db) == graph_counts(new)


# --- cypher --------------------------------------------------------------------------------


def test_cypher_read_mode_refuses_writes_and_write_mode_runs_them(run, db):
    refused = run("neo4j", "cypher", "CREATE (n:Thing {x: 1}) RETURN n")
    assert "refused" in one_error_line(refused) and "--write" in refused.stderr
    assert cypher(db, "MATCH (n:Thing) RETURN count(n) AS c") == [{"c": 0}]
    schema = run("neo4j", "cypher", "CREATE INDEX thing_x IF NOT EXISTS FOR (n:Thing) ON (n.x)")
    assert "refused" in one_error_line(schema)
    assert not [r for r in cypher(db, "SHOW INDEXES") if "thing_x" in json.dumps(r)]

    written = run("neo4j", "cypher", "--write", "CREATE (n:Thing {x: $x, name: $name}) RETURN n.x AS x",
                  "--param", "x=1", "--param", f"name={HOSTILE}", "--format", "json")
    assert written.exit_code == 0, written.stderr
    assert json.loads(written.stdout) == [{"x": 1}]
    assert cypher(db, "MATCH (n:Thing) RETURN n.name AS name") == [{"name": HOSTILE}]

    table = run("neo4j", "cypher", "MATCH (n:Thing) RETURN n.x AS x, n AS node")
    assert table.exit_code == 0 and table.stdout.splitlines()[0].split() == ["X", "NODE"]
    as_csv = run("neo4j", "cypher", "MATCH (n:Thing) RETURN n.x AS x, n.name AS name", "--format", "csv")
    assert as_csv.stdout.splitlines()[0] == "x,name"
    typed = run("neo4j", "cypher", "RETURN $a AS a, $b AS b, $c AS c", "--param", "a=[1, 2]",
                "--param", "b=007", "--param", 'c="007"', "--format", "json")
    assert json.loads(typed.stdout) == [{"a": [1, 2], "b": "007", "c": "007"}]
    assert run("neo4j", "cypher", "RETURN 1", "--param", "no-equals-sign").exit_code == 2
    syntax = run("neo4j", "cypher", "MATCH (n RETURN n")
    assert "refused the query" in one_error_line(syntax)


# --- connection errors ---------------------------------------------------------------------


def test_connection_problems_are_one_clear_line(run, db, bolt_server, monkeypatch):
    from bolt_server import free_port

    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{free_port()}")
    assert "cannot reach" in one_error_line(run("neo4j", "cypher", "RETURN 1"))
    assert "cannot reach" in one_error_line(run("neo4j", "push"))
    assert "cannot reach" in one_error_line(run("--data", f"bolt://127.0.0.1:{free_port()}", "stats"))

    monkeypatch.setenv("NEO4J_URI", bolt_server.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", "wrong-Secret-42")
    line = one_error_line(run("neo4j", "cypher", "RETURN 1"))
    assert "credentials" in line and "wrong-Secret-42" not in line
    line = one_error_line(run("neo4j", "--password", "wrong-Secret-42", "push"))
    assert "credentials" in line and "wrong-Secret-42" not in line

    monkeypatch.setenv("NEO4J_PASSWORD", bolt_server.password)
    line = one_error_line(run("neo4j", "--database", "no_such_db", "cypher", "RETURN 1"))
    assert "no database 'no_such_db'" in line and bolt_server.password not in line
    monkeypatch.setenv("NEO4J_DATABASE", "no_such_db")
    assert "no database" in one_error_line(run("--data", bolt_server.uri, "stats"))

    assert "not a Neo4j server URI" in one_error_line(run("neo4j", "--uri", "http://127.0.0.1:1", "cypher", "RETURN 1"))
    mixed = run("--data", bolt_server.uri, "--data", SEED, "stats")
    assert "give it alone" in one_error_line(mixed)


# --- every statement checked by Neo4j's own parser ----------------------------------------

NODE_DIR = Path(__file__).resolve().parent / ".node"  # git-ignored; .ci/run installs the linter here
LINTER = NODE_DIR / "node_modules" / "@neo4j-cypher" / "language-support" / "package.json"


def cypher_linter_pin() -> str:
    """The @neo4j-cypher/language-support version .ci/run installs (the one place it is pinned)."""
    found = re.search(r"^CYPHER_LINTER=(@neo4j-cypher/language-support@\S+)",
                      (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8"), re.M)
    assert found, ".ci/run no longer pins @neo4j-cypher/language-support (CYPHER_LINTER=...)"
    return found.group(1)


def lint(statements: list[dict]) -> list[dict]:
    """Diagnostics of Neo4j's Cypher language support for [{"query", "parameters"}]."""
    import subprocess

    install = f"npm install --no-audit --no-fund --prefix {NODE_DIR} {cypher_linter_pin()}"
    assert shutil.which("node"), f"Node.js is missing: apt-get install nodejs npm, then {install}"
    assert LINTER.exists(), f"Neo4j's Cypher language support is missing: {install}"
    assert json.loads(LINTER.read_text())["version"] == cypher_linter_pin().rsplit("@", 1)[1], install
    done = subprocess.run(["node", str(Path(__file__).resolve().parent / "lint_cypher.mjs"), str(NODE_DIR)],
                          input=json.dumps(statements), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_statement_the_sync_sends_passes_neo4js_own_cypher_parser(db, seed_graph, tmp_path, monkeypatch):
    """Push (with prune and the lock), push again, pull and `cypher`'s schema look-up run against
    the server while every statement the driver sends is recorded with its parameters; Neo4j's
    Cypher language support (the parser and linter of its own tools) finds no error and no
    warning in any of them. A broken statement is found, so the check can fail."""
    import neo4j
    from neo4j._sync.work.transaction import TransactionBase

    from stakeholder_graph import open_graph

    sent: dict[tuple[str, tuple[str, ...]], None] = {}

    def recording(run):
        def wrapper(self, query, parameters=None, **kwargs):
            text = getattr(query, "text", query)
            sent[(str(text), tuple(sorted({*(parameters or {}), *kwargs})))] = None
            return run(self, query, parameters, **kwargs)
        return wrapper

    monkeypatch.setattr(neo4j.Session, "run", recording(neo4j.Session.run))
    monkeypatch.setattr(TransactionBase, "run", recording(TransactionBase.run))
    push(seed_graph, db, prune=True)
    smaller = StakeholderGraph(seed_graph.G.copy())
    smaller.G.remove_node("centre-shelter")
    push(smaller, db, prune=True)  # deletes what left the data
    open_graph(f"{db.uri}")  # pull, with the NEO4J_* the db fixture set
    statements = [{"query": q, "parameters": list(p)} for q, p in sent]
    assert len(statements) >= 20 and any("DELETE" in s["query"] for s in statements)
    assert lint(statements) == []
    broken = lint([{"query": "MATCH (n:Actor {id: $id} RETURN n", "parameters": ["id"]},
                   {"query": "MATCH (n) WHERE id(n) = $id RETURN n", "parameters": ["id"]}])
    assert {(d["query"].startswith("MATCH (n:"), d["severity"]) for d in broken} == {(True, 1), (False, 2)}
