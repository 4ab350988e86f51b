"""`export --to ftm`: FollowTheMoney entities checked by the followthemoney library itself (the
export writes them by hand): every entity valid for its schema, nothing changed or dropped when
the library reads it back, every relation's ends in the file, nothing above the audience, the
same bytes every time."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from followthemoney import model
from followthemoney.cli.cli import cli as ftm_cli

from stakeholder_graph.exports.ftm import COUNTRY_CODES, country_code

from helpers import SEED, write_files

# the property of each relation schema that names an entity, and the schemata it may name
ENDS = {
    "ProjectParticipant": {"participant": {"Organization", "PublicBody"}, "project": {"Project"}},
    "Membership": {"member": {"Organization", "PublicBody"}, "organization": {"Organization", "PublicBody"}},
    "UnknownLink": {"subject": {"Organization", "PublicBody"}, "object": {"Organization", "PublicBody"}},
}

PARTNERS = "zzpartners"  # in every partners-only value of the layer below
LAYER = {
    "sources-layer.yaml": f"""
- id: layer-public-page
  name: A public page about the layer's actors
  publisher: Example Publisher
  url: https://example.org
  date: 2024-05
  accessed: 2025-01-20
- id: layer-partner-report
  name: Partner report {PARTNERS}
  publisher: Partner NGO {PARTNERS}
  url: https://example.org/{PARTNERS}/report
  accessed: 2025-03-14
  sensitivity: partners
""",
    "actors-layer.yaml": f"""
- id: layer-hotline-ngo
  name: Hotline NGO
  aliases: ["Hotline  NGO   of Niš"]
  sector: ngo
  type: ngo
  located_in: [nis]
  channels:
    - {{type: hotline, value: "+381 11 123 4567"}}
    - {{type: hotline, value: "0800 123 456"}}
    - {{type: email, value: "Info@Example.ORG"}}
    - {{type: website, value: "https://example.org"}}
  sources: [layer-public-page, layer-partner-report]
- id: layer-partners-ngo
  name: Shelter partner {PARTNERS}
  sector: ngo
  located_in: [belgrade]
  sensitivity: partners
  sources: [layer-public-page]
""",
    "relations-layer.yaml": f"""
- type: funds
  from: european-union
  to: from-harm-to-safety
  sources: [layer-public-page]
- type: funds
  from: european-union
  to: layer-hotline-ngo
  start: 2023
  sources: [layer-public-page]
- type: refers_to
  from: layer-hotline-ngo
  to: layer-partners-ngo
  sources: [layer-public-page]
- type: partners_with
  from: layer-hotline-ngo
  to: atina
  note: Partnership {PARTNERS}
  sensitivity: partners
  sources: [layer-public-page]
""",
}


def read(path: Path) -> list[dict]:
    """The entities of an export file, one JSON object a line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def by_id(entities: list[dict]) -> dict[str, dict]:
    return {e["id"]: e for e in entities}


@pytest.fixture(scope="module")
def layer(tmp_path_factory) -> Path:
    return write_files(tmp_path_factory.mktemp("layer"), LAYER)


@pytest.fixture(scope="module")
def exports(tmp_path_factory, layer) -> dict[str, Path]:
    """The seed data exported as FtM (public), and the seed data with the layer for the
    public and the partners audience."""
    from stakeholder_graph.cli import cli

    out = tmp_path_factory.mktemp("ftm")
    runs = {
        "seed": [],
        "layer-public": ["--data", SEED, "--data", layer],
        "layer-partners": ["--data", SEED, "--data", layer],
    }
    paths = {}
    for name, data in runs.items():
        paths[name] = out / f"{name}.ftm.json"
        audience = ["--audience", "partners"] if name.endswith("partners") else []
        result = CliRunner().invoke(cli, [*map(str, data), "export", "--to", "ftm", "-o", str(paths[name]), *audience],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return paths


def cleaned(entity: dict) -> dict:
    """The entity as the library reads it: every value re-parsed and normalised (cleaned=False
    treats the input as untrusted), values compared as multisets."""
    again = model.get_proxy(entity, cleaned=False).to_dict()
    return {"id": again["id"], "schema": again["schema"],
            "properties": {k: sorted(v) for k, v in again["properties"].items()}}


@pytest.mark.parametrize("name", ["seed", "layer-public", "layer-partners"])
def test_every_entity_is_valid_and_reads_back_unchanged(exports, name):
    entities = read(exports[name])
    assert entities
    for entity in entities:
        assert list(entity) == ["id", "schema", "properties"]
        schema = model.get(entity["schema"])
        assert schema is not None and not schema.abstract, entity
        # validate() passes over names the schema lacks and over required properties left out
        assert set(entity["properties"]) <= set(schema.properties), entity
        assert set(schema.required) <= set(entity["properties"]), entity
        assert schema.validate(entity) is None
        assert all(values and all(isinstance(v, str) and v for v in values) for values in entity["properties"].values())
        assert cleaned(entity) == {**entity, "properties": {k: sorted(v) for k, v in entity["properties"].items()}}
    assert len({e["id"] for e in entities}) == len(entities)


@pytest.mark.parametrize("name", ["seed", "layer-public", "layer-partners"])
def test_every_relation_points_at_entities_in_the_file(exports, name):
    entities = by_id(read(exports[name]))
    relations = [e for e in entities.values() if e["schema"] in ENDS]
    assert {e["schema"] for e in relations} == set(ENDS)
    for entity in relations:
        for prop, schemata in ENDS[entity["schema"]].items():
            (target,) = entity["properties"][prop]
            assert target in entities and entities[target]["schema"] in schemata, (entity, prop)


def test_the_library_s_own_validate_command_keeps_every_entity(exports, tmp_path):
    """`ftm validate`, as the README tells a user to run it, re-parses each entity."""
    out = tmp_path / "validated.ftm.json"
    result = CliRunner().invoke(ftm_cli, ["validate", "-i", str(exports["seed"]), "-o", str(out)])
    assert result.exit_code == 0, result.output

    def comparable(e):
        return e["id"], e["schema"], json.dumps({k: sorted(v) for k, v in e["properties"].items()}, sort_keys=True)

    assert sorted(map(comparable, read(out))) == sorted(map(comparable, read(exports["seed"])))


def test_seed_mapping(exports, seed_graph):
    entities = by_id(read(exports["seed"]))
    counts = Counter(e["schema"] for e in entities.values())
    actors, projects = seed_graph.ids_of("actor"), seed_graph.ids_of("project")
    assert counts["Organization"] + counts["PublicBody"] == len(actors) and counts["Project"] == len(projects)
    types = Counter((a["type"], seed_graph.kind(u), seed_graph.kind(v)) for u, v, a in seed_graph.G.edges(data=True))
    assert counts["Membership"] == types["member_of", "actor", "actor"]
    assert counts["ProjectParticipant"] == sum(types[t, "actor", "project"] for t in ("leads", "partner_in", "funds"))
    links = ("refers_to", "partners_with", "oversees", "monitors", "part_of", "funds")
    assert counts["UnknownLink"] == sum(types[t, "actor", "actor"] for t in links)
    assert set(counts) == {"Organization", "PublicBody", "Project", "ProjectParticipant", "Membership", "UnknownLink"}
    # services, places and the other kinds have no entity
    records = {i.removeprefix("sg-") for i, e in entities.items() if e["schema"] not in ENDS}
    assert records == {*actors, *projects}

    moi = entities["sg-ministry-of-interior"]["properties"]
    assert entities["sg-ministry-of-interior"]["schema"] == "PublicBody"
    assert moi["country"] == ["rs"] and moi["sector"] == ["government"]
    assert moi["classification"] == ["ministry", "national"]
    assert "Министарство унутрашњих послова" in moi["alias"] and "MUP" in moi["weakAlias"]
    assert entities["sg-us-department-of-state"]["schema"] == "PublicBody"  # type foreign_government
    assert entities["sg-national-coordination-body"]["schema"] == "Organization"  # no sector stated
    assert "sector" not in entities["sg-national-coordination-body"]["properties"]
    atina = entities["sg-atina"]["properties"]
    assert atina["website"] == ["http://www.atina.org.rs/en"] and atina["country"] == ["rs"]
    assert entities["sg-vatra"]["properties"]["country"] == ["al"]
    assert entities["sg-pvpt"]["properties"]["country"] == ["xk"]  # Kosovo
    assert entities["sg-astra"]["properties"]["incorporationDate"] == ["2000"]
    project = entities["sg-from-harm-to-safety"]["properties"]
    assert (project["startDate"], project["endDate"], project["country"]) == (["2018-02"], ["2020-07"], ["rs"])
    assert sorted(entities["sg-afghan-asylum-seekers-project"]["properties"]["country"]) == ["al", "ba", "rs", "xk"]

    def relation(schema, **ends):
        found = [e["properties"] for e in entities.values() if e["schema"] == schema
                 and all(e["properties"][k] == [f"sg-{v}"] for k, v in ends.items())]
        assert len(found) == 1, (schema, ends)
        return found[0]

    assert relation("ProjectParticipant", participant="irc-serbia", project="from-harm-to-safety")["role"] == ["lead"]
    assert relation("ProjectParticipant", participant="atina", project="from-harm-to-safety")["role"] == [
        "partner", "partner: local leadership"]
    referral = relation("UnknownLink", subject="atina", object="centre-for-protection-of-victims")
    assert referral["role"] == ["refers_to"] and "For: victims of trafficking" in referral["summary"]
    assert any(s.startswith("Inferred, not stated by the sources (rule first-contact-refers-to-centre)")
               for s in referral["summary"])
    assert relation("UnknownLink", subject="greta", object="council-of-europe")["role"] == ["part_of"]
    assert relation("UnknownLink", subject="ministry-of-labour", object="centre-for-protection-of-victims")["role"] == [
        "oversees"]
    stated = relation("Membership", member="vatra", organization="albania-referral-mechanism")
    assert "summary" not in stated


def test_every_entity_cites_its_sources(exports, seed_graph):
    """sourceUrl and publisher are those of the sources the record or relation cites (the URL as
    the library cleans it); retrievedAt is a source's `accessed`, which no seed source has."""
    from followthemoney.types import registry

    sources = {n: a for n, a in seed_graph.G.nodes(data=True) if a["kind"] == "source"}
    edge_types = {"lead": "leads", "partner": "partner_in", "funder": "funds"}
    for entity in read(exports["seed"]):
        props = entity["properties"]
        if entity["schema"] in ENDS:  # a relation: its ends and its role say which one
            source, target = (props[p][0].removeprefix("sg-") for p in ENDS[entity["schema"]])
            edge_type = {"Membership": "member_of", "UnknownLink": props.get("role", [""])[0]}.get(
                entity["schema"], edge_types.get(props.get("role", [""])[0]))
            (attrs,) = [a for v, a in seed_graph.out_edges(source, edge_type) if v == target]
        else:
            attrs = seed_graph.node(entity["id"].removeprefix("sg-"))
        cited = [sources[s] for s in attrs["sources"] + attrs.get("names_sources", [])]
        assert cited, entity
        assert sorted(props.get("publisher", [])) == sorted({s["publisher"] for s in cited if s.get("publisher")})
        urls = {registry.url.clean(s["url"]) for s in cited if s.get("url")}
        assert sorted(props.get("sourceUrl", [])) == sorted(urls)
        assert "retrievedAt" not in props
        assert "publisher" in props or "sourceUrl" in props, entity


def test_every_seed_country_has_a_code(seed_graph):
    countries = [a["name"] for _, a in seed_graph.G.nodes(data=True)
                 if a["kind"] == "place" and a["level"] == "country"]
    assert len(countries) >= 6
    assert {name: country_code(name) for name in countries} == {
        "Serbia": "rs", "Albania": "al", "Bosnia and Herzegovina": "ba", "Kosovo": "xk", "Montenegro": "me",
        "North Macedonia": "mk",
    }
    for code in COUNTRY_CODES.values():  # codes FtM knows, as it writes them
        assert model.get_proxy({"id": "x", "schema": "Organization", "properties": {"name": ["x"], "country": [code]}},
                               cleaned=False).get("country") == [code]
    assert country_code("Atlantis") is None


def test_nothing_above_the_audience_and_the_layer_s_values(exports):
    public_bytes = exports["layer-public"].read_bytes()
    partners_bytes = exports["layer-partners"].read_bytes()
    assert PARTNERS.encode() not in public_bytes and b"layer-partners-ngo" not in public_bytes
    assert PARTNERS.encode() in partners_bytes  # the layer does hold partners-only values

    public, partners = by_id(read(exports["layer-public"])), by_id(read(exports["layer-partners"]))
    ngo = public["sg-layer-hotline-ngo"]["properties"]
    assert ngo["sourceUrl"] == ["https://example.org/"] and ngo["publisher"] == ["Example Publisher"]
    assert ngo["retrievedAt"] == ["2025-01-20"]  # the source's `accessed`, not its date
    assert ngo["phone"] == ["+381111234567"]  # a number without its country code is left out
    assert ngo["email"] == ["Info@example.org"] and ngo["website"] == ["https://example.org/"]
    assert ngo["country"] == ["rs"] and ngo["weakAlias"] == ["Hotline NGO of Niš"]  # spaces as FtM keeps them
    assert partners["sg-layer-hotline-ngo"]["properties"]["retrievedAt"] == ["2025-01-20", "2025-03-14"]
    assert "sg-layer-partners-ngo" in partners

    def roles(entities, subject):
        return sorted((e["schema"], *e["properties"].get("role", [])) for e in entities.values()
                      if subject in e["properties"].get("subject", []) + e["properties"].get("participant", []))

    assert roles(public, "sg-european-union") == [("ProjectParticipant", "funder"), ("UnknownLink", "funds")]
    assert roles(public, "sg-layer-hotline-ngo") == []  # the referral and the partnership are partners-only
    assert roles(partners, "sg-layer-hotline-ngo") == [("UnknownLink", "partners_with"), ("UnknownLink", "refers_to")]
    funding = next(e for e in public.values() if e["schema"] == "UnknownLink"
                   and e["properties"]["subject"] == ["sg-european-union"])
    assert funding["properties"]["startDate"] == ["2023"]


def test_same_bytes_every_time_to_a_file_and_to_stdout(exports, run, tmp_path):
    again = tmp_path / "again.ftm.json"
    result = run("export", "--to", "ftm", "-o", again)
    assert result.exit_code == 0
    assert again.read_bytes() == exports["seed"].read_bytes()
    entities = read(again)
    counts = Counter(e["schema"] for e in entities)
    listed = ", ".join(f"{n} {schema}" for schema, n in sorted(counts.items()))
    assert result.stderr.strip() == f"wrote {len(entities)} entities ({listed}) (audience public) to {again}"

    stdout = run("export", "--to", "ftm", "-o", "-")
    assert stdout.exit_code == 0 and stdout.stdout_bytes == again.read_bytes()
    assert stdout.stderr.strip().endswith("(audience public) to stdout")
    assert run("export", "--to", "ftm").stdout_bytes == again.read_bytes()  # stdout is the default


def test_a_filtered_export_holds_only_what_the_filter_keeps(run, tmp_path, seed_graph):
    from stakeholder_graph.exports.snapshot import snapshot
    from stakeholder_graph.queries.selection import Filters

    path = tmp_path / "part.ftm.json"
    assert run("export", "--to", "ftm", "-o", path, "--around", "Atina", "--depth", "1").exit_code == 0
    kept = snapshot(seed_graph, Filters(around="Atina", depth=1)).graph
    entities = by_id(read(path))
    records = {i.removeprefix("sg-") for i, e in entities.items() if e["schema"] not in ENDS}
    assert records == {*kept.ids_of("actor"), *kept.ids_of("project")}
    assert "atina" in records and len(records) < len(seed_graph.ids_of("actor"))
    for entity in entities.values():  # every relation's ends are in the file, as for a whole export
        for prop in ENDS.get(entity["schema"], {}):
            assert entity["properties"][prop][0] in entities
