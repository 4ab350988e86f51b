"""The whole Cypher vocabulary the push sends: every statement built here from schema labels
and relationship types (loaders.bolt.mapping's whitelist), every value a query parameter.
`all_statements()` lists them all, the pull's reads included, for review and for the tests
that check them against Neo4j 5 syntax.
"""
from __future__ import annotations

from stakeholder_graph.graph.schema import EDGE_TYPES
from stakeholder_graph.loaders.bolt import read_nodes_statement, read_relationships_statement
from stakeholder_graph.loaders.bolt.mapping import KEY, LABELS, MANAGED, REL_TYPES, check_label, check_rel


def constraint_statement(label: str) -> str:
    check_label(label)
    return (
        f"CREATE CONSTRAINT sg_{label.lower()}_id IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
    )


def merge_nodes_statement(label: str) -> str:
    """One batch of records of one label: create, or update only what changed.

    Returns the number of existing nodes updated (created ones come from the counters).
    """
    check_label(label)
    return (
        "UNWIND $rows AS props "
        f"MERGE (n:{label} {{id: props.id}}) "
        "ON CREATE SET n = props "
        "WITH n, props WHERE properties(n) <> props "
        "SET n = props "
        "RETURN count(n) AS updated"
    )


def merge_relationships_statement(rel_type: str, source_label: str, target_label: str) -> str:
    """One batch of relationships of one type between two labels, keyed by `_sg_key`."""
    check_rel(rel_type)
    check_label(source_label)
    check_label(target_label)
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{source_label} {{id: row.source}}) "
        f"MATCH (b:{target_label} {{id: row.target}}) "
        f"MERGE (a)-[r:{rel_type} {{{KEY}: row.props.{KEY}}}]->(b) "
        "ON CREATE SET r = row.props "
        "WITH r, row WHERE properties(r) <> row.props "
        "SET r = row.props "
        "RETURN count(r) AS updated"
    )


def count_managed_nodes_statement() -> str:
    return f"MATCH (n) WHERE n.{MANAGED} = true RETURN labels(n) AS labels, count(*) AS n"


def count_managed_relationships_statement() -> str:
    return f"MATCH ()-[r]->() WHERE r.{MANAGED} = true RETURN type(r) AS type, count(*) AS n"


def managed_nodes_statement(label: str) -> str:
    check_label(label)
    return f"MATCH (n:{label}) WHERE n.{MANAGED} = true RETURN n.id AS id"


def delete_nodes_statement(label: str) -> str:
    check_label(label)
    return (
        "UNWIND $ids AS id "
        f"MATCH (n:{label} {{id: id}}) WHERE n.{MANAGED} = true "
        "DETACH DELETE n"
    )


def managed_relationships_statement(rel_type: str) -> str:
    check_rel(rel_type)
    return (
        f"MATCH (a)-[r:{rel_type}]->(b) WHERE r.{MANAGED} = true "
        f"RETURN a.id AS source, labels(a) AS source_labels, b.id AS target, "
        f"labels(b) AS target_labels, r.{KEY} AS key"
    )


def delete_relationships_statement(rel_type: str, source_label: str, target_label: str) -> str:
    check_rel(rel_type)
    check_label(source_label)
    check_label(target_label)
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{source_label} {{id: row.source}})-[r:{rel_type}]->(b:{target_label} {{id: row.target}}) "
        f"WHERE r.{MANAGED} = true AND r.{KEY} = row.key "
        "DELETE r"
    )


def all_statements() -> list[str]:
    """Every statement the tool can send (for review and for the Neo4j 5 syntax tests)."""
    out = [count_managed_nodes_statement(), count_managed_relationships_statement()]
    for label in LABELS.values():
        out += [constraint_statement(label), merge_nodes_statement(label),
                managed_nodes_statement(label), delete_nodes_statement(label),
                read_nodes_statement(label)]
    for etype, spec in EDGE_TYPES.items():
        rel = REL_TYPES[etype]
        out += [managed_relationships_statement(rel), read_relationships_statement(rel)]
        for sources, targets in spec.endpoints:
            for s in sorted(sources):
                for t in sorted(targets):
                    out += [merge_relationships_statement(rel, LABELS[s], LABELS[t]),
                            delete_relationships_statement(rel, LABELS[s], LABELS[t])]
    return out
