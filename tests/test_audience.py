"""What is above the audience leaves no trace: in the graph model, and in every command and
format; and the audience setting (option > environment variable > config file > public)."""
from __future__ import annotations

import json

import openpyxl
import pytest

from stakeholder_graph.commands.options import AUDIENCE_VARIABLE, AudienceOption

from helpers import SEED, graph_of, write_files
from layers import (
    CITING_LAYER,
    HIDDEN_FROM,
    INTERNAL_LAYER,
    INTERNAL_TRACES,
    PARTNERS_LAYER,
    PARTNERS_TRACES,
    SHOWN_TO,
)


def test_for_audience_drops_records_edges_and_their_ids(tmp_path):
    data = write_files(tmp_path, {
        "sources.yaml": """\
- {id: public-src, name: Public page, url: "https://example.org"}
- {id: secret-src, name: Internal case notes, sensitivity: internal}
""",
        "populations.yaml": """\
- {id: victims, name: victims, sources: [public-src]}
- {id: secret-group, name: Secret group, parent: victims, sensitivity: partners, sources: [public-src]}
""",
        "actors.yaml": """\
- {id: ngo, name: NGO, sector: ngo, sources: [public-src, secret-src]}
- {id: shelter-operator, name: Shelter operator, sector: ngo, sensitivity: internal, sources: [secret-src]}
- {id: partner-ngo, name: Partner NGO, sector: ngo, sensitivity: partners, sources: [public-src]}
""",
        "relations.yaml": """\
- {type: refers_to, from: ngo, to: shelter-operator, sources: [public-src]}
- {type: partners_with, from: ngo, to: partner-ngo, sources: [public-src], sensitivity: partners}
""",
    })
    g = graph_of(data)
    public = g.for_audience("public")
    assert set(public.G) == {"public-src", "ngo", "victims"}
    assert public.node("ngo")["sources"] == ["public-src"]
    assert public.G.number_of_edges() == 0
    partners = g.for_audience("partners")
    assert "secret-group" in partners.G and "shelter-operator" not in partners.G
    assert sorted(a["type"] for _, _, a in partners.G.edges(data=True)) == ["part_of", "partners_with"]
    everything = g.for_audience("internal")
    assert everything.G.number_of_nodes() == g.G.number_of_nodes()
    assert everything.node("ngo")["sources"] == ["public-src", "secret-src"]
    assert g.node("ngo")["sources"] == ["public-src", "secret-src"]  # the original is untouched


# --- every command, every format: what is above the audience leaves no trace ------------------
#
# Three layers over the seed data: one at `partners`, one at `internal` (records, relations
# between public records, a source, notes, a place only an internal record names), and a
# public service citing the internal source. A public run must show nothing of the partners'
# and internal layers, a partners run nothing of the internal one; an internal run shows them.



@pytest.fixture(scope="module")
def layers(tmp_path_factory) -> dict[str, list]:
    """--data arguments: `all` holds every layer; `public` and `partners` hold what that
    audience may see of `all` (minus the citing layer, whose record is public)."""
    tmp = tmp_path_factory.mktemp("audience")
    partners = write_files(tmp / "partners", PARTNERS_LAYER)
    internal = write_files(tmp / "internal", INTERNAL_LAYER)
    citing = write_files(tmp / "citing", CITING_LAYER)

    def data(*paths):
        return [a for p in (SEED, *paths) for a in ("--data", p)]

    return {"all": data(partners, internal, citing), "without citing": data(partners, internal),
            "public": data(), "partners": data(partners)}


def traces(text: str, words) -> list[str]:
    return [w for w in words if w.lower() in text.lower()]


QUERIES = {
    "who": ("who", "--population", "children", "--place", "Niš"),
    "pathway": ("pathway", "--population", "children", "--place", "Niš"),
    "gaps": ("gaps", "--service", "shelter", "--population", "children", "--country", "Serbia", "--all"),
    "ask who": ("ask", "who handles child victims in Niš?"),
    "ask refer": ("ask", "where should Atina refer a child victim in Niš?"),
    "show actor": ("show", "Atina"),
    "show place": ("show", "Niš"),
    "show service": ("show", "Wren Helpline"),
    "actor": ("actor", "ASTRA"),
    "actor referrals": ("actor", "Atina"),
    "project": ("project", "From Harm to Safety"),
    "sources": ("sources",),
    "metrics": ("metrics", "--top", "1000"),
    "stats": ("stats",),
}
FORMATS = ("table", "json", "csv")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("query", list(QUERIES))
def test_query_commands_show_only_what_the_audience_may_see(run, layers, query, fmt):
    args = [*QUERIES[query], "--format", fmt]
    shown = {}
    for audience in ("internal", "partners", "public"):  # widest first: no cache of a wider graph serves a narrower one
        result = run(*layers["all"], *args, "--audience", audience)
        assert result.exit_code == 0, result.stderr
        shown[audience] = result.stdout + result.stderr
        assert traces(shown[audience], HIDDEN_FROM[audience]) == [], (audience, shown[audience])
    # the test can fail: each wider audience does see more of the layers
    if (query, fmt) != ("show service", "csv"):  # its CSV rows are its relations, not its sources
        assert shown["internal"] != shown["partners"]
    if query not in ("show service", "ask refer"):  # nothing of the partners' layer is about these
        assert shown["partners"] != shown["public"]
    if query in ("who", "pathway", "gaps", "ask who", "show place", "sources", "metrics"):
        assert traces(shown["partners"], PARTNERS_TRACES) and traces(shown["internal"], INTERNAL_TRACES)
    # no trace at all: the same bytes as on data that never held what the audience may not see
    # (CSV holds the rows the table shows)
    for audience in ("public", "partners") if fmt != "csv" else ():
        alone = run(*layers[audience], *args, "--audience", audience)
        hidden = run(*layers["without citing"], *args, "--audience", audience)
        assert (hidden.exit_code, hidden.stdout, hidden.stderr) == (alone.exit_code, alone.stdout, alone.stderr)


@pytest.mark.parametrize("fmt", ("graphml", "gexf", "json", "ftm", "csv", "xlsx"))
def test_export_writes_only_what_the_audience_may_see(run, layers, tmp_path, fmt):
    shown = {}
    for audience in ("internal", "partners", "public"):
        out = tmp_path / f"{audience}.{fmt}"
        result = run(*layers["all"], "export", "--to", fmt, "-o", out, "--audience", audience)
        assert result.exit_code == 0, result.stderr
        if fmt == "csv":
            text = "".join(f.read_text(encoding="utf-8") for f in sorted(out.iterdir()))
        elif fmt == "xlsx":
            book = openpyxl.load_workbook(out, read_only=True)
            text = "\n".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row)
        else:
            text = out.read_text(encoding="utf-8")
        shown[audience] = text + result.stderr
        assert traces(shown[audience], HIDDEN_FROM[audience]) == [], audience
    if fmt == "ftm":  # actors, projects and their ties: no service, no source's id
        assert "Secret Shelter Operator" in shown["internal"] and "Quietwater Outreach" in shown["partners"]
        return
    assert set(traces(shown["internal"], INTERNAL_TRACES)) >= {"Secret Shelter Operator", "zeta-case-file"}
    assert "Quietwater Outreach" in shown["partners"] and "Wren Helpline" in shown["public"]


def test_map_and_diagram_draw_only_what_the_audience_may_see(run, layers, tmp_path):
    for audience in ("internal", "partners", "public"):
        page = run(*layers["all"], "map", "-o", "-", "--place", "Niš", "--audience", audience)
        assert page.exit_code == 0, page.stderr
        assert traces(page.stdout, HIDDEN_FROM[audience]) == [], audience
        svg = tmp_path / f"{audience}.svg"
        drawn = run(*layers["all"], "diagram", "--around", "Atina", "--depth", "1", "-o", svg, "--audience", audience)
        assert drawn.exit_code == 0, drawn.stderr
        assert traces(svg.read_text(encoding="utf-8"), HIDDEN_FROM[audience]) == [], audience
        if audience != "public":
            assert traces(page.stdout, SHOWN_TO[audience])
    assert "Secret Shelter Operator" in (tmp_path / "internal.svg").read_text(encoding="utf-8")


# --- names only a hidden record has: the same "not found" as a name nobody has ----------------

NAMED = {
    "show": ("show", "Secret Shelter Operator"),
    "show alias": ("show", "Hidden Haven"),
    "show part of the name": ("show", "Secret Shelter"),
    "show misspelt": ("show", "Secret Shelter Operatr"),
    "show id": ("show", "kestrel-safe-house"),
    "show partners' record": ("show", "Quietwater Outreach"),
    "show partners' source": ("show", "Omega referral memorandum"),
    "actor": ("actor", "Secret Shelter Operator"),
    "actor partners'": ("actor", "Quietwater"),
    "project": ("project", "Nightjar Protection Project"),
    "project part of the name": ("project", "Nightjar"),
    "who place": ("who", "--population", "children", "--place", "Ravenhollow"),
    "pathway place": ("pathway", "--population", "children", "--place", "Ravenhollw"),
    "gaps country": ("gaps", "--service", "shelter", "--country", "Ravenhollow"),
    "ask place": ("ask", "who handles children in Ravenhollow?"),
    "ask actor": ("ask", "where should Secret Shelter Operator refer a child?"),
    "ask partners' actor": ("ask", "where should Quietwater Outreach refer a child?"),
    "map around": ("map", "--around", "Secret Shelter Operator", "-o", "-"),
    "map place": ("map", "--place", "Ravenhollow", "-o", "-"),
    "export around": ("export", "--to", "json", "--around", "Kestrel Safe House for Children"),
    "diagram around": ("diagram", "--around", "Quietwater Outreach", "-o", "never.svg"),
}


@pytest.mark.parametrize("case", list(NAMED))
def test_a_hidden_name_is_not_found_like_a_name_nobody_has(run, layers, case, monkeypatch, tmp_path):
    """Errors go to stderr whatever --format says: one format is enough here."""
    monkeypatch.chdir(tmp_path)
    args = [*NAMED[case]]
    said = {}
    for audience in ("public", "partners"):
        result = said[audience] = run(*layers["all"], *args, "--audience", audience)
        assert traces(unsaid(result, args), HIDDEN_FROM[audience]) == [], (audience, result.stderr)
        alone = run(*layers[audience], *args, "--audience", audience)
        assert (result.exit_code, result.stdout, result.stderr) == (alone.exit_code, alone.stdout, alone.stderr)
        hidden_here = traces(" ".join(NAMED[case]), HIDDEN_FROM[audience])
        if hidden_here:
            assert result.exit_code == 1 and result.stderr.startswith("error: "), result.stderr
    # the test can fail: for those who may see them, the names exist (or are suggested)
    widest = run(*layers["all"], *args, "--audience", "internal")
    public = said["public"]
    assert (widest.exit_code, widest.stdout, widest.stderr) != (public.exit_code, public.stdout, public.stderr)


def unsaid(result, args, words: bool = True) -> str:
    """The output without what the user typed (a message may repeat it, word by word)."""
    said = result.stdout + result.stderr
    typed_words = {w.strip("?") for a in args for w in a.split()} if words else set()
    for typed in sorted({*args, *typed_words}, key=len, reverse=True):
        said = said.replace(typed, "")
    return said


def test_not_found_names_no_hidden_record_and_suggests_none(run, layers):
    result = run(*layers["all"], "show", "Secret Shelter Operator")
    assert result.exit_code == 1
    assert result.stderr == run("show", "Secret Shelter Operator").stderr  # the seed data has no such name
    assert "Secret" not in result.stderr.replace("'Secret Shelter Operator'", "")
    assert run(*layers["all"], "show", "Secret Shelter Operator", "--audience", "internal").exit_code == 0


def test_counts_are_the_audiences_own(run, layers):
    def stats(audience):
        return json.loads(run(*layers["all"], "stats", "--format", "json", "--audience", audience).stdout)

    def partners_of_project(audience):
        doc = json.loads(run(*layers["all"], "project", "From Harm to Safety", "--format", "json",
                             "--audience", audience).stdout)
        return sorted(p["name"] for p in doc["partners"])

    public, partners, internal = stats("public"), stats("partners"), stats("internal")
    assert public["total_nodes"] + 3 == partners["total_nodes"]  # a source, an actor, a service
    assert partners["total_nodes"] + 5 == internal["total_nodes"]  # a source, a place, an actor, a service, a project
    assert public["nodes"]["actor"] < partners["nodes"]["actor"] < internal["nodes"]["actor"]
    assert public["total_edges"] < partners["total_edges"] < internal["total_edges"]
    assert public["sources_cited"] < partners["sources_cited"] < internal["sources_cited"]
    assert partners_of_project("public") == ["Atina"]
    assert partners_of_project("partners") == ["Atina", "Quietwater Outreach"]
    assert partners_of_project("internal") == ["Atina", "Quietwater Outreach", "Secret Shelter Operator"]


# --- the audience setting: option > environment variable > config file > public ---------------


@pytest.fixture
def setting(tmp_path, monkeypatch):
    """A config folder of the test's own and no variable; returns a writer of the config file."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(AUDIENCE_VARIABLE, raising=False)

    def write(text: str):
        path = tmp_path / "config" / "stakeholder-graph" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def sees(run, layers, *args) -> str:
    """The widest level whose record `show` finds: public, partners or internal."""
    if run(*layers["all"], "show", "Secret Shelter Operator", *args).exit_code == 0:
        return "internal"
    return "partners" if run(*layers["all"], "show", "Quietwater Outreach", *args).exit_code == 0 else "public"


def test_the_default_is_public(run, layers, setting):
    assert sees(run, layers) == "public"


def test_the_environment_variable_sets_the_default(run, layers, setting, monkeypatch):
    monkeypatch.setenv(AUDIENCE_VARIABLE, "partners")
    assert sees(run, layers) == "partners"
    monkeypatch.setenv(AUDIENCE_VARIABLE, "")  # empty: as if unset
    assert sees(run, layers) == "public"


def test_the_config_file_sets_the_default(run, layers, setting):
    setting('# my machine\naudience = "internal"\n')
    assert sees(run, layers) == "internal"


def test_the_config_file_falls_back_to_the_home_folder(run, layers, setting, tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = tmp_path / "home" / ".config" / "stakeholder-graph" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('audience = "partners"\n', encoding="utf-8")
    assert sees(run, layers) == "partners"


def test_precedence_option_then_variable_then_file(run, layers, setting, monkeypatch):
    setting('audience = "internal"\n')
    monkeypatch.setenv(AUDIENCE_VARIABLE, "partners")
    assert sees(run, layers) == "partners"  # the variable over the file
    assert sees(run, layers, "--audience", "public") == "public"  # the option over both
    monkeypatch.setenv(AUDIENCE_VARIABLE, "public")
    assert sees(run, layers) == "public"  # a narrower variable narrows a wide file


def test_every_data_command_takes_the_setting(run, layers, setting, monkeypatch, tmp_path):
    """map, diagram, export (and neo4j push, tests/test_neo4j.py) take their default from the
    same setting as the queries."""
    monkeypatch.setenv(AUDIENCE_VARIABLE, "partners")
    exported = run(*layers["all"], "export", "--to", "json")
    assert exported.exit_code == 0 and "Quietwater Outreach" in exported.stdout
    assert "Secret Shelter Operator" not in exported.stdout and "(audience partners)" in exported.stderr
    page = run(*layers["all"], "map", "-o", "-", "--around", "Quietwater Outreach")
    assert page.exit_code == 0 and "Quietwater Outreach" in page.stdout
    picture = tmp_path / "d.svg"
    assert run(*layers["all"], "diagram", "--around", "Quietwater Outreach", "-o", picture).exit_code == 0
    assert "Quietwater Outreach" in picture.read_text(encoding="utf-8")
    stats = json.loads(run(*layers["all"], "stats", "--format", "json").stdout)
    assert stats == json.loads(run(*layers["all"], "stats", "--format", "json", "--audience", "partners").stdout)


@pytest.mark.parametrize("value", ["secret", "Partners", " public", "all"])
def test_an_invalid_variable_is_a_one_line_error_naming_it(run, layers, setting, monkeypatch, value):
    monkeypatch.setenv(AUDIENCE_VARIABLE, value)
    for args in (("show", "Atina"), ("export", "--to", "json"), ("who", "--place", "Niš")):
        result = run(*layers["all"], *args)
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr == (f"error: {AUDIENCE_VARIABLE}={value!r} is not an audience; one of public, "
                                 "partners, internal (or give --audience)\n")
    assert run(*layers["all"], "show", "Atina", "--audience", "public").exit_code == 0  # the option wins


@pytest.mark.parametrize("text, says", [
    ('audience = "everyone"\n', "audience = 'everyone' is not an audience; one of public, partners, internal"),
    ("audience = 1\n", "audience = 1 is not an audience"),
    ('audience = "partners\n', "not a valid TOML file"),
    ('audiance = "partners"\n', "unknown setting 'audiance'"),
    (b"audience = '\xff'\n", "not a valid TOML file"),
])
def test_an_invalid_config_file_is_a_one_line_error_naming_it(run, layers, setting, text, says):
    path = setting("")
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    result = run(*layers["all"], "show", "Atina")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: {path}: ") and says in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert run(*layers["all"], "show", "Atina", "--audience", "partners").exit_code == 0


def test_an_unreadable_config_file_is_an_error_naming_it(run, layers, setting):
    path = setting("")
    path.unlink()
    path.mkdir()  # a folder where the file should be
    result = run(*layers["all"], "show", "Atina")
    assert result.exit_code == 1 and result.stderr.startswith(f"error: {path}: cannot read the config file")


def command_paths(group=None, prefix=()):
    from stakeholder_graph.cli import cli

    group = group or cli
    for name in group.list_commands(None):  # cli imports a command's module when asked for it
        command = group.get_command(None, name)
        if hasattr(command, "commands"):
            yield from command_paths(command, (*prefix, name))
        else:
            yield (*prefix, name), command


# the maintainers' tools see everything; template holds no data; cypher prints the server's copy
NO_SETTING = {("validate",), ("diff",), ("template",), ("neo4j", "cypher"), ("neo4j", "unlock"),
              # the atlas serves each visitor the audience of their login (public without one)
              ("serve",), ("users", "add"), ("users", "remove"), ("users", "list")}


def test_every_command_that_prints_data_takes_the_audience_setting():
    paths = dict(command_paths())
    assert NO_SETTING <= set(paths)
    for path, command in paths.items():
        options = {p.name: p for p in command.params}
        if path in NO_SETTING:
            assert not isinstance(options.get("audience"), AudienceOption), path
        else:
            assert isinstance(options.get("audience"), AudienceOption), f"{' '.join(path)} has no --audience"
    assert len(paths) - len(NO_SETTING) == 14  # ten queries, map, diagram, export, neo4j push


@pytest.mark.parametrize("path", sorted(set(dict(command_paths())) - NO_SETTING))
def test_help_says_the_default_and_where_it_comes_from(run, setting, monkeypatch, path):
    def help_text():  # unwrapped, without spaces (a long path wraps at a hyphen)
        result = run(*path, "--help")
        assert result.exit_code == 0, result.stderr
        return "".join(result.stdout.split())

    def squeezed(text):
        return "".join(text.split())

    assert squeezed(f"[default: public, built in (${AUDIENCE_VARIABLE} or `audience = ...` in") in help_text()
    config = setting('audience = "internal"\n')
    assert squeezed(f"[default: internal, from {config}]") in help_text()
    monkeypatch.setenv(AUDIENCE_VARIABLE, "partners")
    assert squeezed(f"[default: partners, from ${AUDIENCE_VARIABLE}]") in help_text()
    monkeypatch.setenv(AUDIENCE_VARIABLE, "nobody")  # the help still shows, and says what is wrong
    assert squeezed(f"none usable: {AUDIENCE_VARIABLE}='nobody' is not an audience") in help_text()


@pytest.mark.parametrize("path, says", [
    (("validate",), "reads every record whatever its sensitivity"),
    (("diff",), "it compares everything, internal records included"),
    (("neo4j", "cypher"), "the copy is as wide as the --audience of the push that wrote it"),
    (("template",), "The template holds no data"),
    (("neo4j", "unlock"), "It shows only the lock (who pushed, when), no data, so it takes no --audience"),
])
def test_commands_without_the_setting_say_why(run, path, says):
    result = run(*path, "--help")
    assert says in " ".join(result.stdout.split())


def test_diff_sees_everything_whatever_the_setting(run, layers, setting, monkeypatch):
    monkeypatch.setenv(AUDIENCE_VARIABLE, "public")
    result = run("diff", SEED, *layers["all"][1::2], "--format", "json")
    assert result.exit_code == 0, result.stderr
    added = {r["id"] for r in json.loads(result.stdout)["records"]["added"]}
    assert {"secret-shelter-operator", "quietwater-outreach"} <= added


def test_no_cache_built_for_a_wider_audience_serves_a_narrower_one(layers, tmp_path, monkeypatch):
    """The names index and the question vocabulary are cached on disk, keyed on the names they
    hold: the internal graph's entries are never read for the public graph."""
    from stakeholder_graph.graph.errors import CannotMap, NameNotFound
    from stakeholder_graph.queries.ask import ask

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # a cache of the test's own
    monkeypatch.delenv("STAKEHOLDER_GRAPH_NO_CACHE", raising=False)
    g = graph_of(*layers["all"][1::2])
    for audience in ("internal", "public"):  # the wider one first, twice: the second from the disk
        for _ in range(2):
            shown = g.for_audience(audience)
            if audience == "internal":  # the test can fail: here the hidden names are known
                assert shown.resolve("Hidden Haven") == "secret-shelter-operator"
                with pytest.raises(NameNotFound) as missing:
                    shown.resolve("Secret Shelter Operatr")
                assert missing.value.suggestions == ["Secret Shelter Operator"]
                with pytest.raises(CannotMap) as refused:
                    ask(shown, "who handles children in Ravenhollw?")
                assert refused.value.details["closest"] == {"Ravenhollw": ["Ravenhollow"]}
                continue
            with pytest.raises(NameNotFound) as missing:
                shown.resolve("Secret Shelter Operatr")
            assert missing.value.suggestions == [] and str(missing.value) == "no record 'Secret Shelter Operatr'"
            with pytest.raises(NameNotFound):
                shown.resolve("Hidden Haven")
            with pytest.raises(CannotMap) as refused:
                ask(shown, "who handles children in Ravenhollw?")
            assert refused.value.details["closest"] == {"Ravenhollw": []}
    assert any((tmp_path / "cache" / "stakeholder-graph").glob("names-*.pickle"))


def test_for_audience_fills_a_sound_graph_and_keeps_one_with_nothing_hidden(layers):
    """for_audience fills networkx's dictionaries directly: the result is the graph the public
    networkx API builds, in the same order (successors and predecessors), and a copy."""
    import networkx as nx

    from stakeholder_graph.graph.schema import visible_to

    g = graph_of(*layers["all"][1::2])
    assert g.for_audience("internal") is g  # nothing above internal: no copy
    for audience in ("public", "partners"):
        shown = g.for_audience(audience)
        ok = {n for n, a in g.G.nodes(data=True) if visible_to(a["sensitivity"], audience)}
        expected = nx.MultiDiGraph()
        expected.add_nodes_from((n, a) for n, a in g.G.nodes(data=True) if n in ok)
        expected.add_edges_from((u, v, k, a) for u, v, k, a in g.G.edges(keys=True, data=True)
                                if u in ok and v in ok and visible_to(a["sensitivity"], audience))
        assert list(shown.G.nodes) == list(expected.nodes)
        assert list(shown.G.edges(keys=True)) == list(expected.edges(keys=True))
        assert all(list(shown.G.in_edges(n, keys=True)) == list(expected.in_edges(n, keys=True)) for n in ok)
        assert all(shown.G._pred[v][u] is shown.G._succ[u][v] for u, v in shown.G.edges())
        shown.G.add_edge("atina", "astra", key="test", type="test")
        shown.node("atina")["name"] = "changed"
        assert not g.G.has_edge("atina", "astra", "test") and g.node("atina")["name"] == "Atina"


def test_every_field_of_ids_and_words_is_cleaned_for_an_audience():
    # a new "references" field in the schema must be cleaned of hidden ids too
    from stakeholder_graph.graph.schema import EDGE_TYPES, NODE_KINDS, REFERENCE_FIELDS

    declared = {name for kind in NODE_KINDS.values() for name, f in kind.all_fields.items() if f.type == "references"}
    declared |= {name for e in EDGE_TYPES.values() for name, f in getattr(e, "fields", {}).items()
                 if f.type == "references"}
    assert declared and declared <= set(REFERENCE_FIELDS)


def test_data_errors_name_only_what_the_audience_may_see(run, tmp_path):
    """A query command on data with errors names the errors of records its audience sees and
    only counts the others (found in review); validate, the maintainers' tool, names them all."""
    bad = write_files(tmp_path / "bad", {
        "actors.yaml": """\
- {id: gannet-refuge, name: Gannet Refuge, sector: charity, sensitivity: internal, sources: [irc-serbia-country-program]}
- {id: plover-aid, name: Plover Aid, sector: charity, sources: [irc-serbia-country-program]}
""",
        "relations.yaml": """\
- {type: refers_to, from: gannet-refuge, to: gannet-refuge, sensitivity: internal, sources: [irc-serbia-country-program]}
""",
    })
    data = ("--data", SEED, "--data", bad)
    public = run(*data, "who", "--population", "children", "--place", "Niš")
    assert public.exit_code == 1 and "plover-aid: sector: unknown value 'charity'" in public.stderr
    assert "gannet" not in public.stderr.lower() and "and 2 about records above this command's audience" in public.stderr
    internal = run(*data, "who", "--population", "children", "--place", "Niš", "--audience", "internal")
    assert internal.exit_code == 1 and "gannet-refuge: sector" in internal.stderr
    everything = run(*data, "validate")
    assert everything.exit_code == 1 and everything.stdout.count("gannet-refuge") >= 2



@pytest.mark.parametrize("level", ["Internal", "secret"])
def test_a_mistyped_sensitivity_hides_the_record_from_error_messages(run, tmp_path, level):
    """Found in the second review: a record marked 'Internal' is meant to be hidden; its
    error must not name it to the public audience."""
    bad = write_files(tmp_path / "bad", {"actors.yaml": f"""\
- {{id: gannet-refuge, name: Gannet Refuge, sector: ngo, sensitivity: {level}, sources: [irc-serbia-country-program]}}
"""})
    public = run("--data", SEED, "--data", bad, "who", "--population", "children", "--place", "Niš")
    assert public.exit_code == 1 and "gannet" not in public.stderr.lower()
    assert "about records above this command's audience" in public.stderr
    internal = run("--data", SEED, "--data", bad, "who", "--population", "children", "--audience", "internal")
    assert internal.exit_code == 1 and "gannet-refuge: sensitivity" in internal.stderr
