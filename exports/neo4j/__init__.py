"""The shared copy on a Neo4j server: push the graph (push), run Cypher safely (cypher).

One push at a time writes to a database (lock: PushLock, read_lock, break_lock).

Reading the copy back is loading (loaders.bolt: `open_graph("bolt://...")`). Connection
settings come from loaders.bolt.connection; the storage format from loaders.bolt.mapping.
The `neo4j` driver is imported only when a server is used.
"""
from stakeholder_graph.exports.neo4j.cypher import is_schema_or_admin, run_cypher
from stakeholder_graph.exports.neo4j.lock import DEFAULT_LEASE, LockHolder, PushLock, break_lock, read_lock
from stakeholder_graph.exports.neo4j.push import DEFAULT_BATCH_SIZE, PushReport, plan, push
from stakeholder_graph.exports.neo4j.statements import all_statements
from stakeholder_graph.loaders.bolt.connection import ConnectionSettings

__all__ = [
    "DEFAULT_BATCH_SIZE", "DEFAULT_LEASE", "ConnectionSettings", "LockHolder", "PushLock",
    "PushReport", "all_statements", "break_lock", "is_schema_or_admin", "plan", "push",
    "read_lock", "run_cypher",
]
