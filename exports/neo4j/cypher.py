"""Cypher typed by a person: read-only unless asked to write.

    columns, rows = run_cypher(settings, "MATCH (n:Place) RETURN n.name AS name")

A read-mode query runs in a read transaction that is always rolled back, and is refused if
the server reports any update, so it cannot write even on a server that does not enforce
access modes; schema and administration commands are refused before they are sent, because
some servers apply them outside the transaction.
"""
from __future__ import annotations

import re

from stakeholder_graph.graph.errors import ServerError
from stakeholder_graph.loaders.bolt.connection import (
    READ_ONLY_REFUSAL,
    ConnectionSettings,
    connect,
    open_session,
)

SCHEMA_REFUSAL = (
    "refused: schema and administration commands change the database; add --write to run it"
)

_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|`[^`]*`|\S")
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_ADMIN_FIRST = {"ALTER", "GRANT", "DENY", "REVOKE", "START", "STOP", "RENAME", "ENABLE",
                "DEALLOCATE", "REALLOCATE", "TERMINATE"}
_SCHEMA_OBJECTS = {"CONSTRAINT", "INDEX", "DATABASE", "ALIAS", "USER", "ROLE", "SERVER"}
_SCHEMA_QUALIFIERS = {"OR", "REPLACE", "RANGE", "TEXT", "POINT", "LOOKUP", "FULLTEXT", "VECTOR",
                      "BTREE", "COMPOSITE"}


def is_schema_or_admin(query: str) -> bool:
    """True for a schema or administration command (CREATE INDEX, DROP CONSTRAINT, CREATE
    DATABASE, GRANT ...). Some servers apply those outside the transaction, so a rollback
    cannot undo them: read mode refuses them before sending."""
    tokens = [t.upper() for t in _TOKEN.findall(_COMMENT.sub(" ", query))]
    i = 0
    while i < len(tokens):  # skip prefixes: CYPHER 5 runtime=..., EXPLAIN, PROFILE, USE db
        if tokens[i] == "CYPHER":
            i += 1
            while i < len(tokens) and (
                tokens[i].isdigit() or tokens[i] == "=" or tokens[i - 1] == "="
                or (i + 1 < len(tokens) and tokens[i + 1] == "=")
            ):
                i += 1
        elif tokens[i] in ("EXPLAIN", "PROFILE"):
            i += 1
        elif tokens[i] == "USE" and i + 1 < len(tokens):
            i += 2
            while i + 1 < len(tokens) and tokens[i] == ".":
                i += 2
        else:
            break
    if i >= len(tokens):
        return False
    first = tokens[i]
    if first in _ADMIN_FIRST:
        return True
    if first in ("CREATE", "DROP"):
        j = i + 1
        while j < len(tokens) and tokens[j] in _SCHEMA_QUALIFIERS:
            j += 1
        return j < len(tokens) and tokens[j] in _SCHEMA_OBJECTS
    return False


def _plain(value):
    """Driver values (nodes, relationships, paths, temporal, spatial) as JSON-ready data."""
    import neo4j.graph as ng

    if isinstance(value, ng.Node):
        return {"labels": sorted(value.labels), "properties": _plain(dict(value))}
    if isinstance(value, ng.Relationship):
        return {"type": value.type, "start": _plain(value.start_node.get("id")),
                "end": _plain(value.end_node.get("id")), "properties": _plain(dict(value))}
    if isinstance(value, ng.Path):
        return {"nodes": [_plain(n) for n in value.nodes],
                "relationships": [_plain(r) for r in value.relationships]}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return str(value)


def run_cypher(settings: ConnectionSettings, query: str, params: dict | None = None,
               write: bool = False) -> tuple[list[str], list[dict]]:
    """Run one query and return (columns, rows).

    Read mode (the default) runs in a read transaction that is always rolled back, and refuses
    the query when the server reports any update, so it cannot write even on a server that
    does not enforce access modes. `write=True` runs it in an auto-commit transaction.
    """
    params = params or {}
    if not write and is_schema_or_admin(query):
        raise ServerError(SCHEMA_REFUSAL)
    with connect(settings) as driver, open_session(driver, settings, read=not write) as session:
        if write:
            result = session.run(query, params)
            columns = list(result.keys())
            records = [r.values() for r in result]
            result.consume()
        else:
            tx = session.begin_transaction()
            try:
                result = tx.run(query, params)
                columns = list(result.keys())
                records = [r.values() for r in result]
                counters = result.consume().counters
                if counters.contains_updates or counters.contains_system_updates:
                    raise ServerError(READ_ONLY_REFUSAL)
            finally:
                tx.close()  # never committed: rolls back
    rows = [dict(zip(columns, (_plain(v) for v in values))) for values in records]
    return columns, rows
