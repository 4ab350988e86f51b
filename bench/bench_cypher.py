"""The `who` question in process against the same question as Cypher on a Bolt server.

    python bench/bench_cypher.py                      # starts its own ArcadeDB Bolt server
    python bench/bench_cypher.py --runs 20 --rounds 1 --warmup 5   # quicker
    python bench/bench_cypher.py --check-seed         # also every place x group on the seed data
    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... python bench/bench_cypher.py --server env
        (uses databases named sgbench*, which must exist there; they are emptied first)

What a user would otherwise run: push the graph to a Neo4j server once, then ask it in Cypher.
On the generated graph (bench/generate.py; 20,000 actors / 60,000 services / 300 places by
default) pushed once (timed) with the project's push (exports.neo4j, audience internal: the
whole graph), the same question, "who handles children in <municipality> as of 2022-01-01",
for `--runs` municipalities (50 by default, as bench/bench_queries.py), is answered

  (a) in process: queries.who.who_handles on the graph in memory (its indexes built once, by a
      first call that is timed and shown apart), the whole answer: ranked rows with evidence,
      sources, contact list and notes;
  (b) by one parameterised Cypher query (WHO_CYPHER below) through the official neo4j driver
      (driver.execute_query, one read transaction; the driver and its connection pool are
      made once), the rows as records on the client: for each actor and service (or project)
      the most local coverage, the nearest eligible group and the status at the date. The
      server's own time (result_available_after) and a `RETURN 1` round trip are shown too.

Every answer of both is compared first (unmeasured). Then the Cypher query runs `--warmup`
unmeasured passes over the questions (20 by default, each pass's median printed): the server's
JVM compiles its hot paths as it goes, and the first passes take several times as long as the
later ones (on the 2k graph the median fell from about 50 ms to 8 ms after some 800 queries
here). Then `--rounds`
measured passes alternate (a) and (b) per question; printed: median and max of each (ms),
the ratio of the medians, and the load average (the machine's cores may be shared).

The check: for every question the Cypher rows and who_handles' rows must be the same set of
(actor, service, project) with the same coverage place and relation, eligibility group and
match, and status; the bench prints the mismatches and exits with 1 if there is any. The
query follows queries/who.py and queries/matching.py; what it leaves out of who's semantics:

- the evidence, sources, ranking, contact list and notes of who's answer (not the question);
- population hierarchies: the narrower groups are reached through chains of sub-groups
  (part_of) with at most one `includes` step (a group named as several together: "women and
  girls"), where matching.population_down follows any number of `includes` steps in a chain;
- an actor located in places in several countries is bound to its country if any of those is
  the question's (who_handles takes the country of the first located_in it finds); a service
  delivered through several projects reports one of them (who: the first part_of edge);
- a service that two `offers` edges of one actor link (keys "offers", "offers#2") is one row
  here, two in who's answer (the comparison is of sets);
- who's --service, --form, --age, --stated-only and --active options are not in the question.

On the seed data every place x every population (2,928 questions) agrees at as-of dates in
2019, 2022, 2025, 2026 and 2027 (run `--check-seed --as-of ...` to repeat it).
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
from pathlib import Path

from bench_neo4j import Databases

from stakeholder_graph import open_graph
from stakeholder_graph.exports.neo4j import push
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.loaders.bolt.connection import connect
from stakeholder_graph.loaders.bolt.mapping import LABELS, REL_TYPES
from stakeholder_graph.queries.matching import FRESHNESS_MONTHS, LOCAL_LEVELS, PLACE_LEVEL_RANK
from stakeholder_graph.queries.who import who_handles

from generate import add_size_options, generate_graph
from timing import timed

# Who serves $population in $place as of $asOf (YYYY-MM-DD): the services covering the place,
# a place above it or one inside it, serving the group, a broader one or a narrower one, with
# the actors offering them; and the projects likewise, with the actors leading or partnering.
WHO_CYPHER = """
MATCH (here:Place {id: $place}), (asked:Population {id: $population})
OPTIONAL MATCH (here)-[:PART_OF*0..]->(country:Place {level: 'country'})
// the place's scope: itself and the places above it, the places inside it; the group's scope:
// itself and the broader groups (rank: steps up) with the groups named together with one of
// these ("women and girls" for girls), the narrower ones and the groups named with those
WITH here, asked, country, date($asOf) AS asOf,
     [(here)-[:PART_OF*0..]->(p:Place) | p] AS above,
     [(p:Place)-[:PART_OF*1..]->(here) | p] AS inside,
     [path = (asked)-[:PART_OF*0..]->(:Population)<-[:INCLUDES*0..1]-(g:Population) |
      {group: g, rank: size([r IN relationships(path) WHERE type(r) = 'PART_OF'])}] AS up,
     [(asked)<-[:PART_OF*0..]-(:Population)-[:INCLUDES*0..1]->(:Population)<-[:PART_OF*0..]-(g:Population)
      WHERE g <> asked | g] AS down
WITH here, asked, country, asOf, above, inside, up, down, [u IN up | u.group] AS upGroups
WITH here, asked, country, asOf, above, inside, up, upGroups,
     down + [(g:Population)-[:INCLUDES]->(m:Population) WHERE m IN down AND NOT g IN down | g] AS down
// the services and projects covering a place of the scope and serving (a service) or
// targeting (a project) a group of the scope; the most local coverage, the nearest group
UNWIND above + inside AS covered
MATCH (covered)<-[:COVERS]-(x)-[:SERVES|TARGETS]->(served:Population)
WHERE served IN upGroups OR served IN down
WITH here, asked, country, asOf, above, up, upGroups, x, covered, served
ORDER BY coalesce($levelRank[covered.level], 4), covered.name, covered.id
WITH here, asked, country, asOf, up, upGroups, x, served,
     collect({place: covered.id, level: covered.level,
              relation: CASE WHEN covered = here THEN 'same' WHEN covered IN above THEN 'contains'
                        ELSE 'inside' END})[0] AS coverage
WITH asked, country, asOf, x, coverage, served,
     CASE WHEN served IN upGroups
          THEN reduce(d = 99, u IN up | CASE WHEN u.group = served AND u.rank < d THEN u.rank ELSE d END)
          ELSE 100 END AS rank
ORDER BY rank, served.id
WITH asked, country, asOf, x, coverage,
     collect({group: served.id,
              match: CASE rank WHEN 0 THEN 'explicit' WHEN 100 THEN 'narrower' ELSE 'general' END})[0] AS eligibility
// a service whose stated genders leave out the group asked about does not answer
WITH asked, country, asOf, x, coverage, eligibility, [gd IN coalesce(x.genders, []) WHERE gd <> 'any'] AS stated
WHERE x:Project OR size(stated) = 0 OR size(coalesce(asked.genders, [])) = 0
      OR any(gd IN stated WHERE gd IN asked.genders)
// status at the date: by the record's period (a service's project's when it has none);
// with no end date, active only when a source dated within the freshness window says so
OPTIONAL MATCH (x)-[:PART_OF]->(project:Project)
WITH country, asOf, x, coverage, eligibility, head(collect(project)) AS project
WITH country, asOf, x, coverage, eligibility, project,
     CASE WHEN x.start IS NULL AND x.end IS NULL AND project IS NOT NULL THEN [project.start, project.end]
          ELSE [x.start, x.end] END AS period
WITH country, asOf, x, coverage, eligibility, project, period[0] AS start, period[1] AS end
OPTIONAL MATCH (src:Source) WHERE src.id IN x.sources
WITH country, asOf, x, coverage, eligibility, project, start, end, collect(src) AS sources,
     asOf - duration({months: $freshnessMonths}) AS since
// dates are partial ("2019", "2019-02"): a period's day after is its start plus one year, month or day
WITH country, x, coverage, eligibility, project,
     CASE
       WHEN end IS NOT NULL
            AND date(end) + duration(CASE size(end) WHEN 4 THEN 'P1Y' WHEN 7 THEN 'P1M' ELSE 'P1D' END) <= asOf
         THEN 'ended'
       WHEN start IS NOT NULL AND date(start) > asOf THEN 'planned'
       WHEN end IS NOT NULL THEN 'active'
       WHEN any(s IN sources WHERE
              (s.date IS NOT NULL AND date(s.date) >= since
               AND (date(s.date) + duration(CASE size(s.date) WHEN 4 THEN 'P1Y' WHEN 7 THEN 'P1M' ELSE 'P1D' END)
                    <= asOf + duration('P1D') OR date() <= asOf))
              OR (s.date IS NULL AND s.not_before IS NOT NULL AND date(s.not_before) >= since AND asOf >= date()))
         THEN 'active'
       WHEN start IS NOT NULL OR any(s IN sources WHERE s.date IS NOT NULL OR s.not_before IS NOT NULL)
         THEN 'unconfirmed'
       ELSE 'unknown'
     END AS status
// the actors offering the service, leading the project or partners in it, unless a local,
// district or national actor based in another country than the place's
MATCH (actor:Actor)-[:OFFERS|LEADS|PARTNER_IN]->(x)
OPTIONAL MATCH (actor)-[:LOCATED_IN]->(:Place)-[:PART_OF*0..]->(home:Place {level: 'country'})
WITH country, x, coverage, eligibility, project, status, actor, collect(home) AS homes
WHERE country IS NULL OR NOT coalesce(actor.level, '') IN $localLevels OR size(homes) = 0 OR country IN homes
WITH collect({actor: actor.id, service: CASE WHEN x:Service THEN x.id END,
              project: CASE WHEN x:Service THEN project.id ELSE x.id END,
              coverage: coverage, eligibility: eligibility, status: status}) AS rows
// an actor's project once: not again when a service of theirs in that project answers
WITH rows, [r IN rows WHERE r.service IS NOT NULL AND r.project IS NOT NULL | [r.actor, r.project]] AS seen
UNWIND rows AS r
WITH r WHERE r.service IS NOT NULL OR NOT [r.actor, r.project] IN seen
RETURN DISTINCT r.actor AS actor, r.service AS service, r.project AS project,
       r.coverage AS coverage, r.eligibility AS eligibility, r.status AS status
ORDER BY actor, service, project
"""


def _check_names(query: str) -> None:
    """The labels and relationship types of the query are the push's (loaders.bolt.mapping)."""
    labels = set(re.findall(r"\w:([A-Z][A-Za-z]*)\b", query))
    rels = {t for found in re.findall(r"\[\w*:([A-Z_|]+)", query) for t in found.split("|")}
    assert labels <= set(LABELS.values()), labels - set(LABELS.values())
    assert rels <= set(REL_TYPES.values()), rels - set(REL_TYPES.values())


_check_names(WHO_CYPHER)


def cypher_parameters(place: str, population: str, as_of: str) -> dict:
    """The query's parameters: the question, and who's constants (queries.matching)."""
    return {"place": place, "population": population, "asOf": as_of,
            "freshnessMonths": FRESHNESS_MONTHS, "levelRank": PLACE_LEVEL_RANK,
            "localLevels": list(LOCAL_LEVELS)}


def who_rows(answer: dict) -> dict[tuple, tuple]:
    """(actor, service, project) -> (covered place, relation, eligible group, match, status)."""
    return {(r["actor"]["id"], (r["service"] or {}).get("id"), (r["project"] or {}).get("id")):
            (r["coverage"]["place"]["id"], r["coverage"]["relation"],
             r["eligibility"]["population"]["id"], r["eligibility"]["match"], r["status"])
            for r in answer["results"]}


def cypher_rows(records) -> dict[tuple, tuple]:
    """The same, from the Cypher query's records."""
    return {(r["actor"], r["service"], r["project"]):
            (r["coverage"]["place"], r["coverage"]["relation"],
             r["eligibility"]["group"], r["eligibility"]["match"], r["status"])
            for r in records}


def differences(ours: dict, theirs: dict) -> tuple[int, int, list[str]]:
    """(pairs in one answer only, pairs in both with other details, lines describing them)."""
    only = (ours.keys() - theirs.keys()) | (theirs.keys() - ours.keys())
    other = [k for k in ours.keys() & theirs.keys() if ours[k] != theirs[k]]
    lines = [f"  only in {'who' if k in ours else 'Cypher'}: {k} {ours.get(k) or theirs.get(k)}" for k in sorted(only, key=str)]
    lines += [f"  {k}: who {ours[k]}, Cypher {theirs[k]}" for k in sorted(other, key=str)]
    return len(only), len(other), lines


class Cypher:
    """The query through one driver (and its connection pool), made once as an application
    keeps it."""

    def __init__(self, driver, database: str | None):
        self.driver = driver
        self.database = database

    def who(self, place: str, population: str, as_of: str):
        """(records, the server's milliseconds until the result was available: ArcadeDB counts
        its result_consumed_after from the start too, so the two are not added)."""
        from neo4j import RoutingControl

        records, summary, _ = self.driver.execute_query(
            WHO_CYPHER, cypher_parameters(place, population, as_of),
            database_=self.database, routing_=RoutingControl.READ)
        return records, summary.result_available_after or 0

    def ping(self) -> None:
        from neo4j import RoutingControl

        self.driver.execute_query("RETURN 1 AS ok", database_=self.database, routing_=RoutingControl.READ)


def check_seed(dbs: Databases, as_of: str) -> int:
    """Every place x every population on the seed data, both ways; returns the mismatches."""
    seed = open_graph().for_audience("internal")
    settings = dbs.fresh()
    t, _ = timed(lambda: push(seed, settings, audience="internal"))
    bad = 0
    with connect(settings) as driver:
        cypher = Cypher(driver, settings.database)
        questions = [(p, q) for p in sorted(seed.ids_of("place")) for q in sorted(seed.ids_of("population"))]
        for place, population in questions:
            ours = who_rows(who_handles(seed, population=population, place=place, as_of=as_of))
            theirs = cypher_rows(cypher.who(place, population, as_of)[0])
            only, other, lines = differences(ours, theirs)
            if only or other:
                bad += 1
                print(f"seed data, {population} in {place}: {only} pairs in one answer only, {other} differ")
                print("\n".join(lines))
    print(f"seed data (pushed in {t:.1f} s): {len(questions):,} questions (every place x every population) "
          f"as of {as_of}: {bad} differ")
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_size_options(parser)
    parser.add_argument("--runs", type=int, default=50, help="questions: one municipality each")
    parser.add_argument("--rounds", type=int, default=3, help="measured passes over the questions")
    parser.add_argument("--warmup", type=int, default=20,
                        help="unmeasured passes of the Cypher query over the questions before the measured ones")
    parser.add_argument("--population", default="gen-children")
    parser.add_argument("--as-of", default="2022-01-01")
    parser.add_argument("--check-seed", action="store_true",
                        help="also compare every place x population question on the seed data")
    parser.add_argument("--server", choices=["arcadedb", "env"], default="arcadedb",
                        help="arcadedb: start a local ArcadeDB Bolt server; env: use NEO4J_URI etc.")
    args = parser.parse_args()

    t, g = timed(lambda: generate_graph(actors=args.actors, services=args.services, places=args.places))
    n, m = g.G.number_of_nodes(), g.G.number_of_edges()
    print(f"graph: {n:,} nodes, {m:,} relationships, generated in {t:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        dbs = Databases(args.server, Path(tmp))
        try:
            import neo4j

            print(f"server: {dbs.banner} at {dbs.base.shown_uri}; neo4j driver {neo4j.__version__}; "
                  f"{os.cpu_count()} CPUs")
            bad = run(args, g, dbs)
            if args.check_seed:
                bad += check_seed(dbs, args.as_of)
        finally:
            dbs.close()
    if bad:
        raise SystemExit(1)


def warm_up(cypher: Cypher, places: list[str], population: str, as_of: str, passes: int) -> list[float]:
    """`passes` unmeasured passes of the Cypher query over the questions, for the server's JIT;
    the median of each pass (ms), to show it has settled."""
    return [statistics.median(timed(lambda: cypher.who(p, population, as_of))[0] for p in places) * 1000
            for _ in range(passes)]


def run(args, g: StakeholderGraph, dbs: Databases) -> int:
    settings = dbs.fresh()
    t, report = timed(lambda: push(g, settings, audience="internal"))
    assert report.nodes_created == g.G.number_of_nodes(), report
    print(f"push, once (into an empty database): {t:.1f} s")
    # the graph pushed is the audience's; who is asked on the same graph
    graph = g.for_audience("internal")
    # the municipalities bench/bench_queries.py asks about
    municipalities = sorted(p for p in graph.ids_of("place") if graph.node(p).get("level") == "municipality")
    places = [municipalities[i % len(municipalities)] for i in range(args.runs)]
    population, as_of = args.population, args.as_of
    with connect(settings) as driver:
        cypher = Cypher(driver, settings.database)
        t, _ = timed(lambda: who_handles(graph, population=population, place=places[0], as_of=as_of))
        print(f"who in process: first call (builds its indexes) {t * 1000:.0f} ms")
        t, _ = timed(lambda: cypher.who(places[0], population, as_of))
        print(f"Cypher: first query (the server parses and plans it) {t * 1000:.0f} ms")

        # compare every answer (unmeasured)
        pairs_only = details = questions_bad = 0
        rows = []
        for place in places:
            ours = who_rows(who_handles(graph, population=population, place=place, as_of=as_of))
            theirs = cypher_rows(cypher.who(place, population, as_of)[0])
            only, other, lines = differences(ours, theirs)
            rows.append(len(ours))
            if only or other:
                questions_bad += 1
                pairs_only += only
                details += other
                print(f"{population} in {place}: {only} pairs in one answer only, {other} with other details")
                print("\n".join(lines[:20]))
        print(f"check, {len(places)} questions ({population} in one municipality, as of {as_of}): "
              f"{questions_bad} differ; {pairs_only} (actor, service/project) pairs in one answer only, "
              f"{details} pairs with another coverage, eligibility or status; "
              f"rows per answer: median {statistics.median(rows):.0f}, max {max(rows)}")

        medians = warm_up(cypher, places, population, as_of, args.warmup)
        print(f"Cypher warm-up: {len(medians)} unmeasured passes, medians (ms) "
              f"{', '.join(f'{m:.0f}' for m in medians)}")

        ours_s, theirs_s, server_ms = [], [], []
        for _ in range(args.rounds):
            for place in places:
                t, _ = timed(lambda: who_handles(graph, population=population, place=place, as_of=as_of))
                ours_s.append(t)
                t, (_, server) = timed(lambda: cypher.who(place, population, as_of))
                theirs_s.append(t)
                server_ms.append(server)
        pings = [timed(cypher.ping)[0] for _ in places]
    a, b = statistics.median(ours_s), statistics.median(theirs_s)
    k = len(ours_s)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{args.rounds} round(s) x {len(places)} municipalities, the two alternating "
          f"(load average now {load} on {os.cpu_count()} CPUs):")
    print(f"  who_handles in process: median {a * 1000:.1f} ms, max {max(ours_s) * 1000:.1f} ms ({k} answers)")
    print(f"  Cypher over Bolt:       median {b * 1000:.1f} ms, max {max(theirs_s) * 1000:.1f} ms ({k} answers)")
    print(f"    of which the server's (result available after): median {statistics.median(server_ms):.0f} ms; "
          f"a `RETURN 1` round trip: median {statistics.median(pings) * 1000:.1f} ms")
    print(f"  ratio of the medians: Cypher / in process = {b / a:.1f}x")
    return questions_bad


if __name__ == "__main__":
    main()
