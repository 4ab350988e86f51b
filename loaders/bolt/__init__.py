"""Reading the graph back from a Neo4j server: `load(["bolt://host:7687"])` comes here.

    settings = ConnectionSettings.from_env(uri="bolt://localhost:7687")
    nodes, edges = read_server(settings, problems)

For data the tool pushed, the records read are those that were pushed: same ids, fields,
`origin` and relationship keys, so the graph is the file graph at the pushed audience.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stakeholder_graph.graph.errors import Origin, Problems
from stakeholder_graph.graph.schema import EDGE_TYPES
from stakeholder_graph.loaders.bolt.connection import (
    ConnectionSettings,
    connect,
    is_server_uri,
    open_session,
    read_rows,
)
from stakeholder_graph.loaders.bolt.mapping import (
    KEY,
    LABELS,
    MANAGED,
    REL_TYPES,
    canonical_order,
    check_label,
    check_rel,
    decode_properties,
)

if TYPE_CHECKING:
    from stakeholder_graph.loaders.records import EdgeRecord, NodeRecord

__all__ = ["ConnectionSettings", "is_server_uri", "read_server"]


def read_nodes_statement(label: str) -> str:
    check_label(label)
    return f"MATCH (n:{label}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"


def read_relationships_statement(rel_type: str) -> str:
    check_rel(rel_type)
    return (
        f"MATCH (a)-[r:{rel_type}]->(b) "
        "RETURN a.id AS source, labels(a) AS source_labels, b.id AS target, "
        "labels(b) AS target_labels, properties(r) AS props"
    )


def _natural(text: str) -> tuple:
    """'actors.yaml:9' before 'actors.yaml:12'."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _key_index(key: str) -> int:
    _, sep, n = key.rpartition("#")
    return int(n) if sep and n.isdigit() else 1


def read_server(settings: ConnectionSettings, problems: Problems) -> tuple[list[NodeRecord], list[EdgeRecord]]:
    """Every node with a schema label and an id, and every schema-typed relationship between
    them, as records in file order where known. Records made by hand are read too; what is
    left out (properties outside the schema, relationships to other nodes) is a warning."""
    # here, not above: loaders finds out whether an entry is a server through this package,
    # and a load from the cache needs no record classes
    from stakeholder_graph.loaders.records import EdgeRecord, NodeRecord

    notes: list[tuple[str, str]] = []
    where_server = settings.shown_uri
    nodes: dict[str, tuple] = {}
    managed: dict[str, bool] = {}
    with connect(settings) as driver, open_session(driver, settings, read=True) as session:
        for kind, label in LABELS.items():
            known = canonical_order(kind)
            for r in session.execute_read(read_rows, read_nodes_statement(label)):
                nid, props = r["id"], r["props"]
                if not isinstance(nid, str) or not nid:
                    notes.append((f"{where_server} ({label})", "a node without a text id; left out"))
                    continue
                where = props.get("origin") or f"{where_server} ({label} {nid})"
                attrs = decode_properties(props, known, notes, where)
                attrs.setdefault("origin", where)
                is_managed = props.get(MANAGED) is True
                if nid in nodes:
                    other = nodes[nid]
                    if managed[nid] or not is_managed:
                        notes.append((where, f"another node with id {nid!r} ({other[0]}) came first; this {kind} is left out"))
                        continue
                    notes.append((other[3], f"node {nid!r} ({other[0]}) made by hand is left out: the tool's {kind} has the same id"))
                origin = attrs.pop("origin")
                nodes[nid] = (kind, nid, attrs, str(origin))
                managed[nid] = is_managed
        edges = []
        for etype in EDGE_TYPES:
            rel = REL_TYPES[etype]
            known = canonical_order()
            for r in session.execute_read(read_rows, read_relationships_statement(rel)):
                u, v, props = r["source"], r["target"], r["props"]
                ends = [nodes.get(u), nodes.get(v)]
                if any(e is None for e in ends) or LABELS[ends[0][0]] not in (r["source_labels"] or []) \
                        or LABELS[ends[1][0]] not in (r["target_labels"] or []):
                    notes.append((f"{where_server} ({rel} {u} -> {v})",
                                  "a relationship to a node outside the graph; left out"))
                    continue
                where = props.get("origin") or f"{where_server} ({rel} {u} -> {v})"
                attrs = decode_properties(props, known, notes, where)
                origin = str(attrs.pop("origin", where))
                key = props.get(KEY)
                if not isinstance(key, str) or key.split("#")[0] != etype:
                    key = etype
                edges.append((etype, u, v, attrs, origin, key))
    # in file order, and each pair's relationships in key order, so that the graph built from
    # these records numbers the keys ("offers", "offers#2") as the pushed graph did
    ordered = sorted(nodes.values(), key=lambda n: _natural(n[3]))
    edges.sort(key=lambda e: (_natural(e[4]), _key_index(e[5])))
    for where, message in notes:
        problems.warning(Origin(where), message)
    return (
        [NodeRecord(kind, nid, fields, Origin(origin)) for kind, nid, fields, origin in ordered],
        [EdgeRecord(t, u, v, attrs, Origin(origin)) for t, u, v, attrs, origin, _ in edges],
    )
