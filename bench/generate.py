"""Generate a large synthetic stakeholder graph for benchmarks (not real data: ids say so).

    python bench/generate.py --actors 20000 --services 60000 --places 300 --yaml OUT_DIR
    python bench/generate.py --csv OUT_DIR

The records go through the same loaders and graph model as the seed data, so benchmarks
measure the real code paths. Every record cites one synthetic source.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

from stakeholder_graph.graph.errors import Origin
from stakeholder_graph.graph.model import StakeholderGraph, released
from stakeholder_graph.graph.schema import EDGE_ATTRS, NODE_KINDS, REFERRAL_STEPS, VOCABULARIES
from stakeholder_graph.loaders.records import EdgeRecord, NodeRecord

SOURCE = "gen-source"
POPULATIONS = [  # (id, parent)
    ("gen-victims", None), ("gen-children", "gen-victims"),
    ("gen-unaccompanied", "gen-children"), ("gen-adults", "gen-victims"),
    ("gen-women", "gen-victims"), ("gen-migrants", "gen-victims"),
    ("gen-asylum-seekers", "gen-migrants"), ("gen-professionals", None),
]


def generate_records(actors: int = 20000, services: int = 60000, places: int = 300, seed: int = 1):
    """Return (nodes, edges) as loader records: a region, countries, districts, municipalities,
    populations, actors located in places, services covering places and serving populations,
    partnerships and referrals."""
    rng = random.Random(seed)
    origin = Origin("generated")
    nodes: list[NodeRecord] = []
    edges: list[EdgeRecord] = []

    def node(kind, rid, **fields):
        fields.setdefault("name", rid)
        fields["sources"] = [SOURCE]
        fields["sensitivity"] = fields.get("sensitivity", "public")
        nodes.append(NodeRecord(kind, rid, fields, origin))

    def edge(etype, source, target, **attrs):
        attrs.setdefault("sources", [SOURCE])
        attrs.setdefault("sensitivity", "public")
        edges.append(EdgeRecord(etype, source, target, attrs, origin))

    nodes.append(NodeRecord("source", SOURCE, {"name": "Synthetic benchmark data", "sensitivity": "public"}, origin))
    node("place", "gen-region", level="region")
    countries = [f"gen-country-{i}" for i in range(6)]
    for c in countries:
        node("place", c, level="country")
        edge("part_of", c, "gen-region")
    n_districts = max(6, places // 10)
    districts = [f"gen-district-{i}" for i in range(n_districts)]
    for i, d in enumerate(districts):
        node("place", d, level="district")
        edge("part_of", d, countries[i % len(countries)])
    municipalities = [f"gen-municipality-{i}" for i in range(max(1, places - n_districts - 7))]
    for i, m in enumerate(municipalities):
        node("place", m, level="municipality", lat=round(40 + rng.random() * 6, 4),
             lon=round(18 + rng.random() * 5, 4))
        edge("part_of", m, districts[i % len(districts)])
    for pid, parent in POPULATIONS:
        node("population", pid)
        if parent:
            edge("part_of", pid, parent)
    pop_ids = [p for p, _ in POPULATIONS]
    sectors = VOCABULARIES["sector"]
    actor_ids = [f"gen-actor-{i}" for i in range(actors)]
    for a in actor_ids:
        sensitivity = "internal" if rng.random() < 0.02 else "public"
        node("actor", a, sector=rng.choice(sectors), level="local", sensitivity=sensitivity)
        edge("located_in", a, rng.choice(municipalities))
    for i in range(actors // 2):  # partnerships and referrals between actors
        u, v = rng.sample(actor_ids, 2)
        edge("partners_with", u, v)
        u, v = rng.sample(actor_ids, 2)
        edge("refers_to", u, v, populations=[rng.choice(pop_ids)])
    types = VOCABULARIES["service_type"]
    for i in range(services):
        s = f"gen-service-{i}"
        start_year = rng.randint(2000, 2024)
        fields = {"types": [rng.choice(types)], "referral_step": rng.choice(REFERRAL_STEPS),
                  "start": str(start_year)}
        if rng.random() < 0.3:
            fields["end"] = str(start_year + rng.randint(0, 3))
        node("service", s, **fields)
        edge("offers", rng.choice(actor_ids), s)
        edge("serves", s, rng.choice(pop_ids))
        level = rng.random()
        covered = rng.choice(municipalities if level < 0.7 else districts if level < 0.95 else countries)
        edge("covers", s, covered)
    return nodes, edges


def generate_graph(**kwargs) -> StakeholderGraph:
    nodes, edges = generate_records(**kwargs)
    return StakeholderGraph.from_records(released(nodes), released(edges))  # as open_graph does


def write_yaml(directory: Path, nodes, edges) -> None:
    """Write records as seed-data-style YAML files (links as relations.yaml)."""
    import yaml

    directory.mkdir(parents=True, exist_ok=True)
    by_kind: dict[str, list[dict]] = {}
    for n in nodes:
        by_kind.setdefault(n.kind, []).append({"id": n.id, **n.fields})
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for kind, rows in by_kind.items():
        with open(directory / f"{NODE_KINDS[kind].plural}.yaml", "w", encoding="utf-8") as f:
            yaml.dump(rows, f, Dumper=dumper, allow_unicode=True, sort_keys=False)
    relations = [{"type": e.type, "from": e.source, "to": e.target, **e.attrs} for e in edges]
    with open(directory / "relations.yaml", "w", encoding="utf-8") as f:
        yaml.dump(relations, f, Dumper=dumper, allow_unicode=True, sort_keys=False)


def write_csv(directory: Path, nodes, edges) -> None:
    """Write records as the CSV templates (one file per kind, lists joined with ';')."""
    import csv

    directory.mkdir(parents=True, exist_ok=True)

    def text(v):
        return "; ".join(map(str, v)) if isinstance(v, list) else str(v)

    by_kind: dict[str, list] = {}
    for n in nodes:
        by_kind.setdefault(n.kind, []).append(n)
    for kind, records in by_kind.items():
        columns = ["id", *sorted({k for r in records for k in r.fields})]
        with open(directory / f"{NODE_KINDS[kind].plural}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(columns)
            for r in records:
                w.writerow([r.id, *(text(r.fields.get(c, "")) for c in columns[1:])])
    attr_cols = [a for a in EDGE_ATTRS if any(a in e.attrs for e in edges)]
    with open(directory / "relations.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["type", "from", "to", *attr_cols])
        for e in edges:
            w.writerow([e.type, e.source, e.target, *(text(e.attrs.get(a, "")) for a in attr_cols)])


def add_size_options(parser) -> None:
    """--actors, --services and --places of the generated graph, as every benchmark takes them."""
    parser.add_argument("--actors", type=int, default=20000)
    parser.add_argument("--services", type=int, default=60000)
    parser.add_argument("--places", type=int, default=300)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_size_options(parser)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--yaml", type=Path, help="write YAML data files into this directory")
    parser.add_argument("--csv", type=Path, help="write CSV data files into this directory")
    args = parser.parse_args()
    nodes, edges = generate_records(args.actors, args.services, args.places, args.seed)
    if args.yaml:
        write_yaml(args.yaml, nodes, edges)
    if args.csv:
        write_csv(args.csv, nodes, edges)
    print(f"{len(nodes)} records, {len(edges)} relations")


if __name__ == "__main__":
    main()
