"""Coordination queries on the real seed data (exact sets) and on small known graphs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from stakeholder_graph.graph.schema import REFERRAL_STEPS
from stakeholder_graph.queries.gaps import coverage_gaps
from stakeholder_graph.queries.metrics import network_metrics
from stakeholder_graph.queries.pathway import referral_pathway
from stakeholder_graph.queries.who import who_handles

from helpers import MINIMAL_SOURCES, graph_of, write_files

TODAY = "2026-11-28"
CHILDREN_IN_NIS = {
    "atina", "irc-serbia", "astra", "anti-trafficking-police-teams",
    "centre-for-protection-of-victims", "centres-for-social-work", "criminal-police-directorate",
    "public-prosecutors",
}


def actors(result):
    return {r["actor"]["id"] for r in result["results"]}


def test_who_children_in_nis_exact_set(seed_graph):
    result = who_handles(seed_graph, population="children", place="Niš", as_of=TODAY)
    assert actors(result) == CHILDREN_IN_NIS
    # other countries' NGOs (partners in a regional project) and a Belgrade-only shelter are out
    assert not actors(result) & {"vatra", "pvpt", "vasa-prava", "centre-for-youth-integration"}
    # no invented record remains: the local networks offer no service the sources do not give
    assert not [s for s in seed_graph.ids_of("service") if s.startswith("local-coordination")]
    assert "local-network-nis" not in actors(result)


def test_who_children_in_nis_lists_what_a_source_states_first(seed_graph):
    """Stated before inferred, every inferred answer and every general match marked."""
    results = who_handles(seed_graph, population="children", place="Niš", as_of=TODAY)["results"]
    available = [r for r in results if r["status"] in ("active", "unconfirmed", "unknown")]
    bases = [r["basis"] for r in available]
    assert bases[0] == "stated" and bases == sorted(bases, key=["stated", "inferred"].index)
    for r in results:
        inferred = any(e["basis"] == "inferred" for e in r["evidence"])
        assert (r["basis"] == "inferred") == inferred and (r["rules"] != []) == inferred
        assert r["eligibility"]["match"] in ("explicit", "general", "narrower")
    hotline = next(r for r in results if r["service"] and r["service"]["id"] == "astra-sos-hotline")
    assert hotline["eligibility"]["match"] == "explicit"  # the source names children
    assert hotline["basis"] == "inferred" and hotline["rules"] == ["national-hotline"]
    general = [r for r in results if r["service"] and r["service"]["id"] == "centre-identification"]
    assert general[0]["eligibility"] == {"match": "general", "population": {
        "id": "victims-of-trafficking", "name": "victims of trafficking",
        "names": {"sr-Latn": "žrtve trgovine ljudima", "sr-Cyrl": "жртве трговине људима"}}}
    stated_only = who_handles(seed_graph, population="children", place="Niš", as_of=TODAY, stated_only=True)["results"]
    assert stated_only == [r for r in results if r["basis"] == "stated"] and len(stated_only) < len(results)


def test_who_includes_the_national_identification_body(seed_graph):
    result = who_handles(seed_graph, population="children", place="Niš", as_of=TODAY)
    identification = [r for r in result["results"] if r["service"] and r["service"]["id"] == "centre-identification"]
    assert len(identification) == 1
    row = identification[0]
    assert row["coverage"] == {"level": "country", "relation": "contains", "place": {
        "id": "serbia", "name": "Serbia", "names": {"sr-Latn": "Srbija", "sr-Cyrl": "Србија"}}}
    assert row["eligibility"]["match"] == "general"
    # no source inside the window (24 months before the as-of date) confirms it: call to verify
    assert row["status"] == "unconfirmed" and row["confirmed"]["text"] == "2024 or later"
    assert row["basis"] == "stated" and row["rules"] == []
    relations = [(e["from_id"], e["relation"], e["to_id"]) for e in row["evidence"]]
    assert ("centre-for-protection-of-victims", "offers", "centre-identification") in relations
    assert ("nis", "part_of", "nisava-district") in relations and ("nisava-district", "part_of", "serbia") in relations


@pytest.mark.parametrize("spelling", ["Nis", "Ниш", "NIŠ"])
def test_who_same_answer_in_any_spelling(seed_graph, spelling):
    assert who_handles(seed_graph, population="children", place=spelling, as_of=TODAY) == \
        who_handles(seed_graph, population="children", place="Niš", as_of=TODAY)


def test_a_service_only_another_countrys_local_actors_offer_is_neither_an_answer_nor_a_note(tmp_path):
    """A local actor answers in its own country only (bound_elsewhere); its service for adults
    across the region is no answer in Town, so the age note does not name it either."""
    g = graph_of(write_files(tmp_path, {
        "sources.yaml": MINIMAL_SOURCES,
        "places.yaml": """\
- {id: region, name: Region, level: region, sources: [src]}
- {id: land, name: Land, level: country, parent: region, sources: [src]}
- {id: other, name: Other, level: country, parent: region, sources: [src]}
- {id: town, name: Town, level: municipality, parent: land, sources: [src]}
- {id: village, name: Village, level: municipality, parent: other, sources: [src]}
""",
        "populations.yaml": "- {id: victims, name: victims, sources: [src]}\n",
        "actors.yaml": """\
- {id: near, name: Near NGO, level: local, located_in: [town], sources: [src]}
- {id: far, name: Far NGO, level: local, located_in: [village], sources: [src]}
- {id: both, name: Regional NGO, level: regional, located_in: [village], sources: [src]}
""",
        "services.yaml": """\
- {id: near-adults, name: Near adults, provider: [near], serves: [victims], covers: [region], min_age: 18, sources: [src]}
- {id: far-adults, name: Far adults, provider: [far], serves: [victims], covers: [region], min_age: 18, sources: [src]}
- {id: far-any, name: Far any age, provider: [far], serves: [victims], covers: [region], sources: [src]}
- {id: regional-any, name: Regional any age, provider: [both, far], serves: [victims], covers: [region], sources: [src]}
""",
    }))
    result = who_handles(g, population="victims", place="Town", age=12, as_of=TODAY)
    assert {(r["actor"]["id"], r["service"]["id"]) for r in result["results"]} == {("both", "regional-any")}
    assert [s["id"] for n in result["notes"] if n["code"] == "left_out" for s in n["services"]] == ["near-adults"]
    in_village = who_handles(g, population="victims", place="Village", as_of=TODAY)
    assert {(r["actor"]["id"], r["service"]["id"]) for r in in_village["results"]} == {
        ("far", "far-adults"), ("far", "far-any"), ("both", "regional-any"), ("far", "regional-any")}


def test_who_looks_candidates_up_and_answers_as_a_scan_of_every_service(monkeypatch):
    """The (place, group, country) index only skips what cannot answer: on a generated graph
    each answer equals the one computed from every service and project of the graph."""
    import sys

    import stakeholder_graph.queries.who as who

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from generate import generate_graph

    g = generate_graph(actors=1500, services=4500, places=80)
    places = sorted(g.ids_of("place"))[::3]
    questions = [(population, place) for i, place in enumerate(places)
                 for population in sorted(g.ids_of("population"))[i % 3::3]]
    indexed = [who_handles(g, population=p, place=pl, as_of="2022-01-01") for p, pl in questions]
    monkeypatch.setattr(who, "_candidates", lambda g, scope, kind, edge: sorted(g.ids_of(kind)))
    scanned = [who_handles(g, population=p, place=pl, as_of="2022-01-01") for p, pl in questions]
    assert sum(len(r["results"]) for r in indexed) > 500
    assert indexed == scanned


RANKING_FIXTURE = {
    "sources.yaml": MINIMAL_SOURCES + """\
- {id: fresh, name: A page of this year, date: 2026-06}
""",
    "places.yaml": """\
- {id: land, name: Land, level: country, sources: [src]}
- {id: town, name: Town, level: municipality, parent: land, sources: [src]}
""",
    "populations.yaml": """\
- {id: victims, name: victims, sources: [src]}
- {id: children, name: children, parent: victims, sources: [src]}
""",
    "actors.yaml": "- {id: ngo, name: NGO, sources: [src]}\n",
    "services.yaml": """\
- {id: ended-local, name: Ended local, provider: [ngo], types: [shelter], serves: [children], covers: [town], end: 2020, sources: [src]}
- {id: inferred-local, name: Inferred local, provider: [ngo], types: [shelter], serves: [children], covers: [town], basis: inferred, rule: national-hotline, sources: [src]}
- {id: general-local, name: General local, provider: [ngo], types: [shelter], serves: [victims], covers: [town], sources: [src]}
- {id: explicit-national, name: Explicit national, provider: [ngo], types: [shelter], serves: [children], covers: [land], sources: [src]}
- {id: explicit-local-unconfirmed, name: Explicit local unconfirmed, provider: [ngo], types: [shelter, outreach], serves: [children], covers: [town], sources: [src]}
- {id: explicit-local-confirmed, name: Explicit local confirmed, provider: [ngo], types: [shelter, outreach], serves: [children], covers: [town], sources: [fresh]}
- {id: explicit-local-specific, name: Explicit local specific, provider: [ngo], types: [shelter], serves: [children], covers: [town], sources: [fresh]}
""",
}


def test_ranking_follows_the_documented_order(tmp_path):
    """Not ended; stated before inferred; explicit before general; most local; confirmed before
    unconfirmed; most specific service type."""
    files = {**RANKING_FIXTURE, "sources.yaml": RANKING_FIXTURE["sources.yaml"] + "- {id: astra-types-of-support, name: rule source}\n"}
    g = graph_of(write_files(tmp_path, files))
    results = who_handles(g, population="children", place="Town", service="shelter", as_of=TODAY)["results"]
    assert [r["service"]["id"] for r in results] == [
        "explicit-local-specific", "explicit-local-confirmed", "explicit-local-unconfirmed",
        "explicit-national", "general-local", "inferred-local", "ended-local",
    ]
    assert [r["status"] for r in results][:3] == ["active", "active", "unknown"]


def test_municipality_provider_ranks_above_national(seed_graph):
    results = who_handles(seed_graph, population="children", place="Niš", as_of=TODAY)["results"]
    available = [r for r in results if r["status"] in ("active", "unconfirmed", "unknown")]
    assert results[:len(available)] == available  # available answers first
    rank = {"stated": 0, "inferred": 1}
    eligibility = {"explicit": 0, "general": 1, "narrower": 2}
    keys = [(rank[r["basis"]], eligibility[r["eligibility"]["match"]],
             ["municipality", "district", "country", "region"].index(r["coverage"]["level"])) for r in available]
    assert keys == sorted(keys)


def test_adults_only_service_never_answers_for_children(seed_graph):
    # the brochure for adults is the one adult-only record; a shelter for women and girls is
    # not for children either
    results = who_handles(seed_graph, population="children", place="Belgrade", service="shelter", as_of=TODAY)["results"]
    services = {r["service"]["id"] for r in results}
    assert "atina-temporary-house" not in services
    assert "cyi-drop-in-shelter" in services


def test_ended_project_service_status_by_date(seed_graph):
    def status_on(day):
        results = who_handles(seed_graph, population="children", place="Niš", as_of=day)["results"]
        return {r["status"] for r in results if r["service"] and r["service"]["id"] == "fhs-client-centred-care"}

    assert status_on(TODAY) == {"ended"}
    assert status_on("2019-06-01") == {"active"}
    assert status_on("2017-12") == {"planned"}


def test_every_result_row_cites_a_source(seed_graph):
    for population, place in [("children", "Niš"), ("women", "Belgrade"), ("asylum seekers", "Sarajevo")]:
        for r in who_handles(seed_graph, population=population, place=place)["results"]:
            assert r["sources"] and all(s.get("url") or s.get("title") for s in r["sources"])


def test_who_json_shape(run):
    result = run("who", "--population", "children", "--place", "Niš", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert set(doc) >= {"query", "results"}
    row = doc["results"][0]
    assert {"id", "name", "sector"} <= set(row["actor"]) <= {"id", "name", "names", "sector", "channels"}
    assert {"service", "coverage", "status", "evidence", "sources"} <= set(row)
    assert {"id", "title"} <= set(row["sources"][0])


def test_who_unknown_place_exit_1_with_suggestions(run):
    result = run("who", "--population", "children", "--place", "Nsi")
    assert result.exit_code == 1
    assert "no place 'Nsi'; did you mean" in result.stderr and "Niš" in result.stderr
    assert run("who", "--population", "kids in space", "--place", "Niš").exit_code == 1
    assert "no service type" in run("who", "--place", "Niš", "--service", "spaceship").stderr


def test_pathway_steps_in_order_with_named_actors(seed_graph):
    result = referral_pathway(seed_graph, "unaccompanied children", "Subotica", TODAY)
    assert [s["step"] for s in result["steps"]] == list(REFERRAL_STEPS)
    by_step = {s["step"]: {r["actor"]["id"] for r in s["available"]} for s in result["steps"]}
    assert by_step["first_contact"] == {"astra", "anti-trafficking-police-teams"}
    assert by_step["identification"] == {"centre-for-protection-of-victims"}
    assert "centres-for-social-work" in by_step["assessment_and_plan"]  # the temporary guardian
    assert all(not s["gap"] for s in result["steps"])
    police = next(r for r in result["steps"][0]["available"] if r["actor"]["id"] == "anti-trafficking-police-teams")
    assert [e["to_id"] for e in police["refers_to"]] == ["centre-for-protection-of-victims"]
    assert police["refers_to"][0]["basis"] == "inferred"  # no page states it: marked, never silent
    assert police["refers_to"][0]["rule"] == "first-contact-refers-to-centre"
    stated_only = referral_pathway(seed_graph, "unaccompanied children", "Subotica", TODAY, stated_only=True)
    for step in stated_only["steps"]:
        for r in step["available"] + step["ended"]:
            assert r["basis"] == "stated" and all(e["basis"] == "stated" for e in r.get("refers_to", []))


def test_pathway_names_a_gap(seed_graph):
    result = referral_pathway(seed_graph, "children", "Tirana", TODAY)
    first = result["steps"][0]
    assert first["gap"] and first["available"] == []
    assert first["gap_detail"] == {"population": "children", "place": "Tirana", "newest_source": "2024 or later",
                                   "hidden_inferred": 0}
    from stakeholder_graph.viz.text import gap_text

    assert gap_text("first_contact", first["gap_detail"]) == (
        "no provider recorded in the data for first contact for children in Tirana "
        "(newest source on providers there: 2024 or later)")


def test_pathway_cli_reads_as_steps(run):
    result = run("pathway", "--population", "unaccompanied children", "--place", "Subotica")
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("1. FIRST CONTACT") < out.index("2. IDENTIFICATION") < out.index("7. CRIMINAL JUSTICE")
    assert "refers to -> Centre for Protection of Victims of Trafficking in Human Beings (inferred" in out
    assert "refers to -> Centres for Social Work\n" in out  # stated by the Centre's page: unmarked


GAPS_FIXTURE = {
    "sources.yaml": MINIMAL_SOURCES,
    "places.yaml": """\
- {id: land, name: Land, level: country, sources: [src]}
- {id: alpha, name: Alpha, level: municipality, parent: land, sources: [src]}
- {id: beta, name: Beta, level: municipality, parent: land, sources: [src]}
- {id: gamma, name: Gamma, level: municipality, parent: land, sources: [src]}
""",
    "populations.yaml": """\
- {id: victims, name: victims, sources: [src]}
- {id: children, name: children, parent: victims, sources: [src]}
- {id: adults, name: adults, parent: victims, sources: [src]}
""",
    "actors.yaml": """\
- {id: one, name: One, sector: ngo, sources: [src]}
- {id: two, name: Two, sector: ngo, sources: [src]}
- {id: three, name: Three, sector: government, sources: [src]}
""",
    "services.yaml": """\
- {id: s1, name: S1, provider: [one], types: [shelter], serves: [children], covers: [beta, gamma], sources: [src]}
- {id: s2, name: S2, provider: [two], types: [shelter], serves: [victims], covers: [gamma], sources: [src]}
- {id: s3, name: S3, provider: [three], types: [shelter], serves: [adults], covers: [land], sources: [src]}
- {id: s4, name: S4, provider: [three], types: [shelter], serves: [children], covers: [alpha], end: 2010, sources: [src]}
""",
}


def fixture_graph(tmp_path, files):
    return graph_of(write_files(tmp_path, files))


def test_gaps_finds_uncovered_and_single_provider_places(tmp_path):
    g = fixture_graph(tmp_path, GAPS_FIXTURE)
    result = coverage_gaps(g, "shelter", "children", "Land", TODAY, include_covered=True)
    by_place = {r["place"]["id"]: (r["status"], r["providers"], r["ended"]) for r in result["results"]}
    assert by_place == {
        "alpha": ("no provider recorded", [], ["S4"]),  # only an ended service; the adults' one does not count
        "beta": ("single provider", ["One"], []),
        "gamma": ("covered", ["One", "Two"], []),
    }


def test_gaps_on_seed_data_single_providers(seed_graph):
    result = coverage_gaps(seed_graph, "shelter", "children", "Serbia", TODAY)
    single = {r["place"]["id"] for r in result["results"] if r["status"] == "single provider"}
    municipalities = {p for p in seed_graph.ids_of("place") if seed_graph.node(p)["level"] == "municipality"
                      and seed_graph.country_of(p) == "serbia"}
    assert len(municipalities) == 145
    # Belgrade has one (the Centre for Youth Integration's drop-in shelter, for children aged 5
    # to 15); the Centre's shelters are for women and girls over 16, so no other municipality
    # has a provider the data records, which the rows say with the newest source on providers
    assert single == {"belgrade"}
    belgrade = next(r for r in result["results"] if r["place"]["id"] == "belgrade")
    assert belgrade["providers"] == ["Centre for Youth Integration"] and not belgrade["not_stated_for_population"]
    empty = {r["place"]["id"] for r in result["results"] if r["status"] == "no provider recorded"}
    assert empty == municipalities - {"belgrade"}
    assert all(r["newest_source"] for r in result["results"])


METRICS_FIXTURE = {
    "sources.yaml": MINIMAL_SOURCES,
    "actors.yaml": """\
- {id: a, name: A, sector: ngo, sources: [src]}
- {id: b, name: B, sector: government, sources: [src]}
- {id: c, name: C, sector: international, sources: [src]}
- {id: d, name: D, sector: ngo, sources: [src]}
""",
    "relations.yaml": """\
- {type: refers_to, from: a, to: b, sources: [src]}
- {type: refers_to, from: b, to: c, sources: [src]}
- {type: refers_to, from: c, to: d, sources: [src]}
""",
}


def test_metrics_on_a_known_path_graph(tmp_path):
    g = fixture_graph(tmp_path, METRICS_FIXTURE)
    m = network_metrics(g, top=4)
    assert m["mode"] == "exact"
    betweenness = {r["id"]: r["betweenness"] for r in m["centrality"]}
    assert betweenness == {"a": 0.0, "b": pytest.approx(2 / 3, abs=1e-4), "c": pytest.approx(2 / 3, abs=1e-4), "d": 0.0}
    ref = m["referral_network"]
    assert {a["id"] for a in ref["articulation_points"]} == {"b", "c"}
    assert {(b["from_id"], b["to_id"]) for b in ref["bridges"]} == {("a", "b"), ("b", "c"), ("c", "d")}
    assert {r["id"] for r in m["brokers"]} == {"b", "c"}  # each joins two sectors


def test_metrics_switches_to_sampling_above_the_threshold(monkeypatch, tmp_path):
    import stakeholder_graph.queries.metrics as metrics

    monkeypatch.setattr(metrics, "EXACT_LIMIT", 2)
    m = metrics.network_metrics(fixture_graph(tmp_path, METRICS_FIXTURE))
    assert m["mode"].startswith("approximate")


def test_metrics_on_seed_data(seed_graph, run):
    m = network_metrics(seed_graph)
    assert m["centrality"][0]["id"] == "centre-for-protection-of-victims"
    assert {a["id"] for a in m["referral_network"]["articulation_points"]} == {"centre-for-protection-of-victims"}
    assert run("metrics", "--top", "3").exit_code == 0


@pytest.mark.parametrize("command", [
    ("who", "--population", "children", "--place", "Niš"),
    ("pathway", "--population", "children", "--place", "Niš"),
    ("gaps", "--service", "shelter", "--population", "children"),
    ("actor", "Atina"), ("project", "From Harm to Safety"), ("metrics",),
    ("ask", "who handles child victims in Niš?"),
])
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_query_commands_render_every_format(run, command, fmt):
    result = run(*command, "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        json.loads(result.stdout)


def test_project_profile_keeps_targets_apart(run):
    doc = json.loads(run("project", "Countering Human Trafficking and GBV Among Afghan Asylum Seekers", "--format", "json").stdout)
    assert {i["value"] for i in doc["targets"]} == {2000, 280}
    assert {i["value"] for i in doc["achieved"]} == {52, 3}
    assert {(p["name"], p["country"]) for p in doc["partners"]} == {
        ("Atina", "Serbia"), ("Vatra", "Albania"),
        ("Center for Protection of Victims and Prevention of Trafficking in Human Beings", "Kosovo"),
        ("Vaša prava BiH", "Bosnia and Herzegovina")}
    assert doc["project"]["status"] == "ended"
    text = run("project", "From Harm to Safety").stdout
    assert "8/5" in text and "DATA QUALITY" in text


def test_actor_profile(run):
    doc = json.loads(run("actor", "Атина", "--format", "json").stdout)
    assert doc["actor"]["id"] == "atina"
    assert {p["id"] for p in doc["projects"]} == {"from-harm-to-safety", "afghan-asylum-seekers-project"}
    assert "irc-serbia" in {p["id"] for p in doc["partners"]}
    assert "national-coordination-body" in {m["id"] for m in doc["member_of"]}
    assert run("actor", "Tirana").exit_code == 1  # a place, and no actor's name holds it
    partial = run("actor", "Niš")  # part of one actor's name: that actor, and it says so
    assert partial.exit_code == 0 and "[actor local-network-nis]" in partial.stdout
    assert "note: 'Niš' taken as the actor 'Local anti-trafficking network, Niš'" in partial.stderr


def test_metrics_in_compiled_libraries_agree_with_networkx(seed_graph):
    """Betweenness (igraph) and eigenvector centrality (rustworkx) give networkx's numbers:
    exact on the seed data, and on a generated 2,000-actor network both exact and sampled
    from the 200 sources networkx's seeded sample draws; articulation points and bridges of
    the referral network (igraph) are networkx's."""
    import sys

    import networkx as nx

    from stakeholder_graph.queries.metrics import (
        actor_network,
        betweenness,
        cut_points_and_bridges,
        eigenvector,
        referral_network,
    )

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from generate import generate_graph

    generated = generate_graph(actors=2000, services=3000, places=60)
    for N in (actor_network(seed_graph), actor_network(generated)):
        assert N.number_of_edges() > 30
        for k in (None, 200):
            if k and N.number_of_nodes() < 1000:
                continue
            ours = betweenness(N, k=k, seed=42)
            theirs = nx.betweenness_centrality(N, k=k, seed=42)
            assert max(abs(ours[v] - theirs[v]) for v in N) < 1e-12
            top = sorted(N, key=lambda v: (-theirs[v], v))[:10]
            assert sorted(N, key=lambda v: (-ours[v], v))[:10] == top
        ours = eigenvector(N)
        theirs = nx.eigenvector_centrality(N, max_iter=1000, tol=1e-6)
        assert max(abs(ours[v] - theirs[v]) for v in N) < 1e-9
    for R in (referral_network(seed_graph), referral_network(generated)):
        points, bridges = cut_points_and_bridges(R)
        assert points and bridges
        assert points == set(nx.articulation_points(R))
        assert sorted(bridges) == sorted(nx.bridges(R))  # in networkx's orientation too


def test_communities_of_a_large_network_come_from_igraph_and_agree_with_networkx(monkeypatch):
    """Above EXACT_LIMIT actors Louvain runs in igraph: seeded (the same partition twice), every
    actor in one community, and as many communities of two or more as networkx finds, within 5 %."""
    import sys

    import networkx as nx

    import stakeholder_graph.queries.metrics as metrics

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from generate import generate_graph

    N = metrics.actor_network(generate_graph(actors=2000, services=3000, places=60))
    monkeypatch.setattr(metrics, "EXACT_LIMIT", 100)
    ours = metrics.louvain(N)
    assert sorted(map(sorted, ours)) == sorted(map(sorted, metrics.louvain(N)))
    assert sorted(v for c in ours for v in c) == sorted(N)
    theirs = nx.community.louvain_communities(N, seed=42)
    big = lambda parts: sum(1 for c in parts if len(c) > 1)  # noqa: E731
    assert abs(big(ours) - big(theirs)) <= 0.05 * big(theirs)


def test_metrics_import_neither_matplotlib_nor_its_pyplot():
    """igraph's drawing module imports matplotlib's pyplot when it is installed (one to two
    seconds); metrics draw nothing, so they import igraph without it."""
    import subprocess
    import sys

    code = ("import sys\nfrom stakeholder_graph import open_graph\n"
            "from stakeholder_graph.queries.metrics import network_metrics\n"
            "network_metrics(open_graph(), top=3)\n"
            "print(sorted(m for m in ('igraph', 'rustworkx', 'matplotlib', 'matplotlib.pyplot') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[-2] == "['igraph', 'rustworkx']"
