"""Answers no stronger than their sources: every fact stated or inferred by a declared rule,
"active" only when a recent source says so, eligibility explicit or general, every municipality
of Serbia, and gaps that say they are gaps in the data."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from stakeholder_graph.graph.schema import INFERENCE_RULES, ISO_639_1, VOCABULARIES
from stakeholder_graph.loaders import load
from stakeholder_graph.queries.matching import (
    AVAILABLE,
    FRESHNESS_MONTHS,
    last_confirmed,
    months_before,
    source_date,
    status,
)
from stakeholder_graph.queries.who import who_handles

from helpers import MINIMAL_SOURCES, graph_of, write_files

TODAY = dt.date(2026, 11, 28)


def _check_basis(g, attrs, what):
    assert attrs.get("sources"), f"{what} cites no source"
    assert all(s in g.G and g.kind(s) == "source" for s in attrs["sources"]), what
    if attrs.get("basis") == "inferred":
        rule = INFERENCE_RULES.get(attrs.get("rule"))
        assert rule is not None, f"{what} is inferred by no declared rule"
        assert all(s in g.G for s in rule.sources), f"{what}: rule {rule.id} rests on a missing source"
    else:
        assert attrs.get("basis") == "stated" and not attrs.get("rule"), what


def test_every_relation_and_service_is_stated_or_inferred_by_a_declared_rule(seed_graph):
    g = seed_graph
    checked = {"refers_to": 0, "covers": 0, "serves": 0, "member_of": 0}
    for u, v, a in g.G.edges(data=True):
        if a["type"] in checked:
            checked[a["type"]] += 1
            _check_basis(g, a, f"{a['type']} {u} -> {v}")
    assert all(checked.values()), checked
    for s in g.ids_of("service"):
        _check_basis(g, g.node(s), f"service {s}")
    # the four referrals to the Centre that no page states are inferred, and say by which rule
    to_centre = [(u, a) for u, a in g.in_edges("centre-for-protection-of-victims", "refers_to")]
    assert len(to_centre) == 4
    assert all(a["basis"] == "inferred" and a["rule"] == "first-contact-refers-to-centre" for _, a in to_centre)
    assert g.edge("centre-for-protection-of-victims", "centres-for-social-work", "refers_to")["basis"] == "stated"


def test_no_record_is_active_without_a_source_inside_the_freshness_window(seed_graph):
    g = seed_graph
    window_start = months_before(TODAY, FRESHNESS_MONTHS)
    active = 0
    for kind in ("service", "actor", "project"):
        for n in g.ids_of(kind):
            if status(g, n, TODAY) == "active":
                active += 1
                confirmed = last_confirmed(g, n)
                assert confirmed and dt.date.fromisoformat(confirmed["date"]) >= window_start, n
                # and that source really is one the record cites, with a date or a lower bound
                assert confirmed["source"] in g.node(n)["sources"] and source_date(g, confirmed["source"])
    assert active  # the Temporary House: its re-licensing page is from 2025 or later


def test_statuses_come_from_dates_and_the_freshness_of_sources(tmp_path):
    g = graph_of(write_files(tmp_path, {
        "sources.yaml": MINIMAL_SOURCES + (
            "- {id: fresh, name: This year's page, date: 2026-03}\n"
            "- {id: old, name: An old report, date: 2019}\n"
            "- {id: bound, name: A page that discusses the 2025 report, not_before: 2025}\n"
        ),
        "actors.yaml": "- {id: ngo, name: NGO, sources: [src]}\n",
        "services.yaml": (
            "- {id: confirmed, name: Confirmed, provider: [ngo], start: 2010, sources: [old, fresh]}\n"
            "- {id: stale, name: Stale, provider: [ngo], start: 2010, sources: [old]}\n"
            "- {id: undated, name: Undated, provider: [ngo], start: 2010, sources: [src]}\n"
            "- {id: nothing, name: Nothing dated, provider: [ngo], sources: [src]}\n"
            "- {id: bounded, name: Bounded, provider: [ngo], sources: [bound]}\n"
            "- {id: ended, name: Ended, provider: [ngo], start: 2010, end: 2020, sources: [fresh]}\n"
            "- {id: planned, name: Planned, provider: [ngo], start: 2030, sources: [fresh]}\n"
        ),
    }))
    statuses = {s: status(g, s, TODAY) for s in g.ids_of("service")}
    assert statuses == {"confirmed": "active", "stale": "unconfirmed", "undated": "unconfirmed",
                        "nothing": "unknown", "bounded": "active", "ended": "ended", "planned": "planned"}
    assert last_confirmed(g, "confirmed")["text"] == "2026-03"
    assert last_confirmed(g, "bounded")["text"] == "2025 or later"
    assert last_confirmed(g, "undated") is None
    # a window of 6 months leaves the lower bound of 2025 outside it
    assert status(g, "bounded", TODAY, freshness_months=6) == "unconfirmed"
    # a source from after the as-of date confirms nothing about it: only one from the window does
    past = dt.date(2020, 6, 1)
    assert status(g, "stale", past) == "active"  # the 2019 report, inside 2018-06..2020-06
    assert status(g, "bounded", past) == "unconfirmed"  # "2025 or later" is after 2020
    assert status(g, "planned", past) == "planned" and status(g, "ended", past) == "active"  # by its dates
    # a source dated after the as-of date, however old today, does not confirm that day either
    assert status(g, "stale", dt.date(2012, 6, 1)) == "unconfirmed"  # 2019 is after 2012
    assert status(g, "confirmed", dt.date(2026, 2, 1)) == "unconfirmed"  # the March page is after February
    assert status(g, "stale", dt.date(2019, 6, 1)) == "unconfirmed"  # "2019" may be from after June


def test_a_source_dated_this_month_or_year_confirms_today(tmp_path):
    """A page we cite was out by today: dated this month (or year), it confirms today, though
    the month (or year) has not ended."""
    month, year = f"{TODAY.year}-{TODAY.month:02d}", str(TODAY.year)
    g = graph_of(write_files(tmp_path, {
        "sources.yaml": MINIMAL_SOURCES + f"- {{id: month, name: This month, date: '{month}'}}\n"
                                          f"- {{id: year, name: This year, date: '{year}'}}\n",
        "actors.yaml": "- {id: ngo, name: NGO, sources: [src]}\n",
        "services.yaml": "- {id: by-month, name: M, provider: [ngo], start: 2010, sources: [month]}\n"
                         "- {id: by-year, name: Y, provider: [ngo], start: 2010, sources: [year]}\n",
    }))
    assert status(g, "by-month", TODAY) == "active" and status(g, "by-year", TODAY) == "active"
    assert status(g, "by-month", dt.date(TODAY.year - 1, 1, 1)) != "active"  # but not a day before it


def test_a_past_day_is_not_confirmed_by_a_later_source(seed_graph):
    """The Urgent Reception Centre is confirmed by a 2019 source: in 2005 it was not known active."""
    assert status(seed_graph, "centre-urgent-reception", dt.date(2005, 1, 1)) != "active"
    assert status(seed_graph, "centre-urgent-reception", dt.date(2020, 1, 1)) == "active"
    assert all(s in AVAILABLE for s in ("active", "unconfirmed", "unknown"))


def test_who_in_leskovac_answers_with_national_services_and_says_no_local_provider(seed_graph, run):
    result = who_handles(seed_graph, population="children", place="Leskovac", as_of=TODAY)
    assert result["results"] and {r["coverage"]["level"] for r in result["results"]} == {"country"}
    assert result["query"]["place"] == "Leskovac (municipality, Jablanica district, Serbia)"
    assert result["notes"] == [{"code": "no_local_provider", "place": "Leskovac", "newest_source": "2025 or later"}]
    out = run("who", "--population", "children", "--place", "Лесковац").stdout
    assert "Contact first:" in out and "No current local provider for Leskovac" in out
    for place in ("Novi Pazar", "Čačak", "Вршац", "Bačka Topola"):
        assert run("who", "--place", place, "--format", "json").exit_code == 0, place


def test_every_municipality_of_serbia_is_a_place_with_its_district_and_sources(seed_graph):
    g = seed_graph
    units = [p for p in g.ids_of("place") if g.node(p)["level"] == "municipality" and g.country_of(p) == "serbia"]
    kinds = [g.node(p)["unit_type"] for p in units]
    assert (kinds.count("city"), kinds.count("municipality")) == (28, 117)  # outside Kosovo
    districts = {p for p in g.ids_of("place") if g.node(p)["level"] == "district"}
    assert len(districts) == 25  # 24 districts and the City of Belgrade
    for p in units:
        a = g.node(p)
        assert a["names"]["sr-Cyrl"] and a["sources"], p
        parents = g.parents(p)
        assert len(parents) == 1 and parents[0] in districts, p
        assert ("lat" in a) == (p in {"vranje", "subotica", "novi-sad", "nis", "sremska-mitrovica",
                                      "kragujevac", "kraljevo", "belgrade"}), p  # coordinates only where a source gives them
    # Kosovo: a country-level place, as the programme overview names it, and nothing below it
    assert g.node("kosovo")["level"] == "country" and g.children("kosovo") == ["pristina"]


def test_gaps_and_pathway_say_no_provider_recorded_never_nobody_there(seed_graph, run):
    out = run("gaps", "--service", "shelter", "--population", "children", "--country", "Serbia").stdout
    assert "nobody here" not in out.lower() and "GAP" not in out and "gap in the data" in out
    tirana = run("pathway", "--population", "children", "--place", "Tirana").stdout
    assert "no provider recorded in the data for first contact" in tirana
    assert "nobody" not in tirana.lower() and "GAP" not in tirana
    doc = json.loads(run("gaps", "--service", "legal aid", "--population", "children", "--country", "Serbia",
                         "--format", "json").stdout)
    empty = [r for r in doc["results"] if r["status"] == "no provider recorded"]
    assert empty and all(r["newest_source"] for r in empty)


def test_who_prints_whom_to_contact_first_then_the_details_by_actor(run):
    doc = json.loads(run("who", "--population", "children", "--place", "Niš", "--format", "json").stdout)
    assert 0 < len(doc["contact_first"]) <= 5
    assert sorted(i for group in doc["by_actor"] for i in group["rows"]) == list(range(len(doc["results"])))
    first = doc["contact_first"][0]
    assert set(first) == {"actor", "for", "basis", "eligibility", "status", "confirmed"}
    table = run("who", "--population", "children", "--place", "Niš").stdout
    assert table.index("Contact first:") < table.index("Details by actor:")
    assert "children not stated" in table and "inferred (rule: national-hotline)" in table
    assert "call to verify" in table
    stated = run("who", "--population", "children", "--place", "Niš", "--stated-only", "--format", "json").stdout
    assert all(r["basis"] == "stated" for r in json.loads(stated)["results"])


@pytest.mark.parametrize("fields, message", [
    ("basis: inferred", "an inferred fact names its rule"),
    ("basis: inferred, rule: guesswork", "unknown inference rule 'guesswork'"),
    ("rule: first-contact-bodies", "rule 'first-contact-bodies' is given but basis is not 'inferred'"),
    ("basis: inferred, rule: first-contact-bodies", "rests on sources not in the data: centre-about"),
    ("basis: probably", "basis: unknown value 'probably'"),
])
def test_validation_checks_the_basis(tmp_path, fields, message):
    data = write_files(tmp_path, {
        "sources.yaml": MINIMAL_SOURCES,
        "actors.yaml": f"- {{id: ngo, name: NGO, {fields}, sources: [src]}}\n",
    })
    problems = [p.message for p in load([data]).problems.errors]
    assert any(message in m for m in problems), problems


def test_coordinator_fields_are_typed_and_load_from_csv(tmp_path, run):
    data = write_files(tmp_path, {
        "sources.yaml": MINIMAL_SOURCES,
        "actors.yaml": "- {id: ngo, name: NGO, sources: [src]}\n",
        "services.csv": (
            "id,name,provider,min_age,max_age,genders,languages,available_24_7,referrals_from,channels,sources\n"
            "s1,Help line,ngo,12,17,female;male,sr;en,true,police;ngo,hotline=0800 000 000;website=https://example.org/?a=b,src\n"
        ),
    })
    dataset = load([data])
    assert not dataset.problems.errors, dataset.problems.errors
    f = dataset.nodes["s1"].fields
    assert (f["min_age"], f["max_age"], f["available_24_7"]) == (12, 17, True)
    assert f["channels"] == [{"type": "hotline", "value": "0800 000 000"},
                             {"type": "website", "value": "https://example.org/?a=b"}]
    bad = write_files(tmp_path / "bad", {
        "sources.yaml": MINIMAL_SOURCES,
        "services.yaml": "- {id: s, name: S, min_age: -1, languages: [xx], available_24_7: maybe, "
                         "referrals_from: [nobody], channels: [{type: fax, value: '1'}], sources: [src]}\n",
    })
    messages = " | ".join(p.message for p in load([bad]).problems.errors)
    for expected in ("min_age: -1 is not a whole number", "languages: unknown value 'xx'",
                     "available_24_7: 'maybe' is not true or false", "'nobody' is neither an actor type",
                     "channels: unknown value 'fax'"):
        assert expected in messages, (expected, messages)


def test_languages_are_the_iso_639_1_codes():
    import pycountry

    assert set(ISO_639_1) == {lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    assert VOCABULARIES["language"] == ISO_639_1


def test_every_inference_rule_has_a_sentence_and_sources_in_the_seed_data(seed_graph):
    used = {a.get("rule") for _, a in seed_graph.G.nodes(data=True)} | {
        a.get("rule") for _, _, a in seed_graph.G.edges(data=True)}
    for rule in INFERENCE_RULES.values():
        assert rule.text.endswith(".") and rule.sources
        assert all(s in seed_graph.G for s in rule.sources), rule.id
    assert used - {None} == set(INFERENCE_RULES)  # every declared rule is in use
