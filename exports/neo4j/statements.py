"""The whole Cypher vocabulary the push sends: every statement built here from schema labels
and relationship types (loaders.bolt.mapping's whitelist), every value a query parameter.
`all_statements()` lists them all, the pull's reads included, for review and for the tests
that check them against Neo4j 5 syntax.
"""
from __future__ import annotations

from stakeholder_graph.graph.schema import EDGE_TYPES
from stakeholder_graph.loaders.bolt import read_nodes_statement, read_relationships_statement
from stakeholder_graph.loaders.bolt.mapping import (
    KEY,
    LABELS,
    LOCK_LABEL,
    MANAGED,
    REL_TYPES,
    check_label,
    check_rel,
)


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


# --- the push's lock (exports.neo4j.lock) --------------------------------------------------
# One node per database, {name: $name}, unique under a constraint; times are the server's
# (timestamp(), milliseconds), so clocks of the pushing machines do not matter. Each statement
# that decides from the lock's properties first writes `claiming` on it: on Neo4j that takes
# the node's write lock before the properties are read (the manual's remedy for lost updates),
# on an optimistic server such as ArcadeDB it makes a concurrent change to the node a conflict
# at commit (a transient error: the driver runs the transaction again).


LOCK_CONSTRAINT = "sg_lock_name"


def lock_constraint_statement() -> str:
    return (
        f"CREATE CONSTRAINT {LOCK_CONSTRAINT} IF NOT EXISTS "
        f"FOR (l:{LOCK_LABEL}) REQUIRE l.name IS UNIQUE"
    )


def lock_claim_statement() -> str:
    """Create the lock (ours) unless it exists; either way hold it and return its holder."""
    return (
        f"MERGE (l:{LOCK_LABEL} {{name: $name}}) "
        "ON CREATE SET l.token = $token, l.owner = $owner, l.started = timestamp(), "
        "l.expires = timestamp() + $lease "
        "SET l.claiming = true "
        "RETURN l.token AS token, l.owner AS owner, l.started AS started, l.expires AS expires, "
        "timestamp() AS now"
    )


def lock_take_statement() -> str:
    """Make the claimed lock ours (new, renewed or taken over from an expired lease)."""
    return (
        f"MATCH (l:{LOCK_LABEL} {{name: $name}}) "
        "SET l.started = CASE WHEN l.token = $token THEN l.started ELSE timestamp() END, "
        "l.token = $token, l.owner = $owner, l.expires = timestamp() + $lease "
        "REMOVE l.claiming "
        "RETURN l.expires AS expires"
    )


def lock_renew_statement() -> str:
    """Extend our lease; no row when the lock is no longer ours (or gone)."""
    return (
        f"MATCH (l:{LOCK_LABEL} {{name: $name}}) "
        "SET l.claiming = true "
        "WITH l WHERE l.token = $token "
        "SET l.expires = timestamp() + $lease "
        "REMOVE l.claiming "
        "RETURN l.expires AS expires"
    )


def lock_release_statement() -> str:
    """Delete the lock only if it is still the one with this token."""
    return f"MATCH (l:{LOCK_LABEL} {{name: $name}}) WHERE l.token = $token DELETE l"


def lock_read_statement() -> str:
    return (
        f"MATCH (l:{LOCK_LABEL} {{name: $name}}) "
        "RETURN l.token AS token, l.owner AS owner, l.started AS started, l.expires AS expires, "
        "timestamp() AS now"
    )


def lock_statements() -> list[str]:
    return [lock_constraint_statement(), lock_claim_statement(), lock_take_statement(),
            lock_renew_statement(), lock_release_statement(), lock_read_statement()]


def all_statements() -> list[str]:
    """Every statement the tool can send (for review and for the Neo4j 5 syntax tests)."""
    out = [count_managed_nodes_statement(), count_managed_relationships_statement(), *lock_statements()]
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
