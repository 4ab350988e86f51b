"""The seed data validates clean and holds everything the source document states."""
from __future__ import annotations

import json

import pytest

IRC = "irc-serbia-country-program"


def test_seed_data_validates_clean(run):
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_validate_json_reports_ok(run):
    result = run("validate", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["ok"] is True and doc["errors"] == 0 and doc["problems"] == []


def _names(g, kind):
    return {g.name(n) for n in g.ids_of(kind)}


def _out(g, node, etype):
    return {v for v, _ in g.out_edges(node, etype)}


def _in(g, node, etype):
    return {u for u, _ in g.in_edges(node, etype)}


def test_every_record_and_edge_cites_a_source(seed_graph):
    g = seed_graph
    for n, a in g.G.nodes(data=True):
        if a["kind"] != "source":
            assert a.get("sources"), n
            assert all(g.kind(s) == "source" for s in a["sources"]), n
    for u, v, a in g.G.edges(data=True):
        assert a.get("sources"), (u, v, a["type"])


@pytest.mark.parametrize("actor_id, name, sector, roles", [
    ("centre-for-protection-of-victims", "Centre for Protection of Victims of Trafficking in Human Beings", "government", {"identification", "referral", "victim_assistance"}),
    ("criminal-police-directorate", "Ministry of Interior – Criminal Police Directorate", "government", {"investigation", "prosecution"}),
    ("ministry-of-labour", "Ministry of Labour, Employment, Veteran and Social Affairs", "government", {"social_protection"}),
    ("ministry-of-justice", "Ministry of Justice", "government", {"legal_reform", "judicial_response"}),
    ("astra", "ASTRA – Anti-Trafficking Action", "ngo", {"victim_assistance", "hotline", "policy_advocacy"}),
    ("atina", "Atina", "ngo", {"rehabilitation", "social_inclusion"}),
    ("centre-for-youth-integration", "Centre for Youth Integration", "ngo", {"child_protection", "prevention"}),
    ("iom", "IOM", "international", {"capacity_building", "research", "coordination"}),
    ("unodc", "UNODC", "international", {"capacity_building", "research", "coordination"}),
    ("osce", "OSCE", "international", {"capacity_building", "research", "coordination"}),
    ("european-union", "European Union", "international", {"funding", "policy_guidance"}),
    ("greta", "GRETA", "international", {"monitoring"}),
    # it brings together government institutions, NGOs and international partners: no one sector
    ("national-coordination-body", "National Anti-Trafficking Coordination Body", None, {"coordination"}),
    ("irc-serbia", "IRC Serbia", "international", {"capacity_building", "technical_assistance"}),
])
def test_actors_named_by_the_source_with_their_roles(seed_graph, actor_id, name, sector, roles):
    a = seed_graph.node(actor_id)
    assert a["kind"] == "actor" and a["name"] == name and a.get("sector") == sector
    assert roles <= set(a["roles"])
    assert IRC in a["sources"]


def test_coordination_body_members(seed_graph):
    """The source names no member: the key actors it lists take part by a declared rule, each
    membership marked inferred; GRETA (which monitors) and the EU (funding) are not members."""
    g = seed_graph
    members = _in(g, "national-coordination-body", "member_of")
    assert members == {
        "centre-for-protection-of-victims", "criminal-police-directorate", "ministry-of-labour",
        "ministry-of-justice", "astra", "atina", "centre-for-youth-integration", "iom", "unodc", "osce",
    }
    for m in members:
        edge = g.edge(m, "national-coordination-body", "member_of")
        assert edge["basis"] == "inferred" and edge["rule"] == "coordination-body-participants", m
        assert edge["sources"] == [IRC]


def test_greta_part_of_council_of_europe_and_monitors_serbia(seed_graph):
    assert _out(seed_graph, "greta", "part_of") == {"council-of-europe"}
    assert "serbia" in _out(seed_graph, "greta", "monitors")


def test_regional_partners_by_country(seed_graph):
    g = seed_graph
    partners = _in(g, "afghan-asylum-seekers-project", "partner_in")
    assert partners == {"atina", "vatra", "pvpt", "vasa-prava"}
    countries = {p: g.country_of(p) for p in partners}
    assert countries == {"atina": "serbia", "vatra": "albania", "pvpt": "kosovo",
                         "vasa-prava": "bosnia-and-herzegovina"}


def test_western_balkan_countries(seed_graph):
    g = seed_graph
    countries = {n for n in g.ids_of("place") if g.node(n)["level"] == "country"}
    assert countries == {"serbia", "albania", "bosnia-and-herzegovina", "kosovo", "montenegro", "north-macedonia"}
    assert all(g.parents(c) == ["western-balkans"] for c in countries)


def test_projects_with_dates_lead_partners_and_places(seed_graph):
    g = seed_graph
    fhs = g.node("from-harm-to-safety")
    assert (fhs["start"], fhs["end"], fhs["duration"]) == ("2018-02", "2020-07", "30 months")
    assert _in(g, "from-harm-to-safety", "leads") == {"irc-serbia"}
    assert _in(g, "from-harm-to-safety", "partner_in") == {"atina"}
    assert _out(g, "from-harm-to-safety", "covers") == {
        "vranje", "subotica", "novi-sad", "nis", "sremska-mitrovica", "kragujevac", "kraljevo"}
    assert len(fhs["objectives"]) == 3
    afg = g.node("afghan-asylum-seekers-project")
    assert (afg["start"], afg["end"], afg["duration"]) == ("2022-04-01", "2023-03-31", "one year")
    assert _out(g, "afghan-asylum-seekers-project", "covers") == {
        "serbia", "bosnia-and-herzegovina", "albania", "kosovo"}


def test_seven_municipalities_with_districts_cyrillic_and_coordinates(seed_graph):
    g = seed_graph
    expected = {
        "vranje": ("Врање", "pcinja-district"), "subotica": ("Суботица", "north-backa-district"),
        "novi-sad": ("Нови Сад", "south-backa-district"), "nis": ("Ниш", "nisava-district"),
        "sremska-mitrovica": ("Сремска Митровица", "srem-district"),
        "kragujevac": ("Крагујевац", "sumadija-district"), "kraljevo": ("Краљево", "raska-district"),
    }
    for place, (cyrillic, district) in expected.items():
        a = g.node(place)
        assert a["level"] == "municipality" and a["names"]["sr-Cyrl"] == cyrillic
        assert g.parents(place) == [district] and g.parents(district) == ["serbia"]
        assert -90 <= a["lat"] <= 90 and -180 <= a["lon"] <= 180


def _indicators(g, project):
    return {g.node(i)["statement"]: g.node(i) for i in _out(g, project, "reports")}


def test_figures_achieved_and_targets_kept_apart(seed_graph):
    g = seed_graph
    values = {(g.node(i)["value"], g.node(i)["type"]) for i in _out(g, "from-harm-to-safety", "reports")}
    assert {(168, "achieved"), (54, "achieved"), (55, "achieved"), (100, "achieved"),
            (500, "achieved"), (5, "achieved"), (99, "achieved"), (439, "achieved"),
            (50, "achieved"), (83, "achieved"), ("8/5", "achieved")} <= values
    afg = {(g.node(i)["value"], g.node(i)["type"]) for i in _out(g, "afghan-asylum-seekers-project", "reports")}
    assert {(2000, "target"), (280, "target"), (52, "achieved"), (3, "achieved")} == afg


def test_doubtful_figure_kept_verbatim_with_a_note(seed_graph, run):
    a = seed_graph.node("fhs-training-satisfaction")
    assert a["value"] == "8/5" and a["data_quality"]
    result = run("show", "fhs-training-satisfaction")
    assert result.exit_code == 0
    assert "DATA QUALITY" in result.stdout and "8/5" in result.stdout


def test_publications_of_each_project(seed_graph):
    g = seed_graph
    assert {g.name(p) for p in _out(g, "from-harm-to-safety", "produced")} >= {
        "Baseline Study",
        "Your rights to protection and support (info brochure for adults)",
        "Your rights to protection and support (info brochure for children)",
    }
    assert {g.name(p) for p in _out(g, "afghan-asylum-seekers-project", "produced")} == {"Afghans on the Balkan Route"}
    assert _in(g, "fhs-information-leaflets", "adopted") == {"ministry-of-interior"}


def test_populations_and_their_hierarchy(seed_graph):
    g = seed_graph
    assert _names(g, "population") >= {
        "children", "unaccompanied and separated children", "refugees and migrants",
        "asylum seekers", "women and girls", "Roma", "people living in poverty",
    }
    assert [p for p, _ in g.ancestors("unaccompanied-children")] == [
        "unaccompanied-children", "children", "victims-of-trafficking"]
    assert g.parents("asylum-seekers") == ["refugees-and-migrants"]


def test_forms_of_exploitation(seed_graph):
    assert _names(seed_graph, "exploitation_form") == {
        "sexual exploitation", "forced labour", "forced begging", "forced criminality"}
    assert _out(seed_graph, "children", "vulnerable_to") == {"forced-begging", "forced-criminality"}


def test_direct_assistance_services(seed_graph):
    """From Harm to Safety's services are what the source gives for the project (care delivered
    through Atina's Temporary House, Reintegration Center and Mobile Teams; workshops; training),
    not IRC Serbia's programme-wide list; IRC Serbia offers no shelter."""
    g = seed_graph
    fhs_services = {s for s in _in(g, "from-harm-to-safety", "part_of")}
    types = {t for s in fhs_services for t in g.node(s).get("types", [])}
    assert types == {"health_care", "psychosocial_support", "shelter", "case_management",
                     "economic_empowerment", "reintegration", "awareness_raising", "training"}
    care = [s for s in fhs_services if "shelter" in g.node(s).get("types", [])]
    assert [_in(g, s, "offers") for s in care] == [{"atina"}]
    assert not any("shelter" in g.node(s).get("types", []) for s in _out(g, "irc-serbia", "offers"))
    assert "meals, clothing" in g.node("irc-serbia")["description"]  # the programme's list, unattributed


def test_disagreeing_tip_assessments_kept_side_by_side(seed_graph):
    g = seed_graph
    serbia_2024 = {g.node(a)["value"]: g.node(a)["sources"] for a in _in(g, "serbia", "assesses")
                   if g.node(a).get("year") == 2024}
    assert serbia_2024 == {"Tier 2": [IRC], "Tier 2 Watch List": ["tip-2024-serbia"]}


def test_shelter_locations_are_never_recorded(seed_graph):
    g = seed_graph
    for s in g.ids_of("service"):
        if "shelter" in g.node(s).get("types", []):
            covered = [g.node(p)["level"] for p, _ in g.out_edges(s, "covers")]
            assert "address" not in g.node(s) and "location" not in g.node(s)
            # coverage names an area served (or nothing, when no source gives one), never the house
            assert set(covered) <= {"municipality", "district", "country", "region"}, s
            assert not any(f in g.node(s) for f in ("lat", "lon")), s


def test_no_contact_details_invented(seed_graph):
    """No phone number, e-mail or address anywhere: only websites (the addresses of cited pages
    are not contact details) and, where a cited source publishes one, a hotline number."""
    import re

    texts = []

    def collect(value, key=None):
        if isinstance(value, dict):
            if value.get("type") in ("website", "hotline") and set(value) == {"type", "value"}:
                return  # a public channel: websites, and hotlines a source publishes
            for k, v in value.items():
                collect(v, k)
        elif isinstance(value, list):
            for v in value:
                collect(v, key)
        elif key != "url" and isinstance(value, str):
            texts.append(value)

    collect([a for _, a in seed_graph.G.nodes(data=True)])
    text = "\n".join(texts).replace("2019-2020", "")
    assert not re.search(r"\+?\d{3}[ -]?\d{2,3}[ -]?\d{3,4}", text)
    assert "@" not in text
    channels = [c for _, a in seed_graph.G.nodes(data=True) for c in a.get("channels", [])]
    assert channels and all(c["type"] == "website" and c["value"].startswith("http") for c in channels)
