"""Push the graph to a Neo4j server: idempotent, batched, only what changed.

    report = push(graph, ConnectionSettings.from_env(), audience="partners", prune=True)

Each record is MERGEd on its id under a uniqueness constraint per label, each relation on its
key; an entity is written only when its properties differ, in UNWIND batches of one managed
write transaction each (the driver retries transient errors). Only what the audience may see
is sent (graph.StakeholderGraph.for_audience). One push at a time: the push holds the
database's lock (exports.neo4j.lock) from before its first write to the end, and every write
transaction renews it first, so two pushes never interleave.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from stakeholder_graph.exports.neo4j.encoding import encode_properties
from stakeholder_graph.exports.neo4j.lock import DEFAULT_LEASE, LockHolder, PushLock, ensure_lock_constraint
from stakeholder_graph.exports.neo4j.statements import (
    constraint_statement,
    count_managed_nodes_statement,
    count_managed_relationships_statement,
    delete_nodes_statement,
    delete_relationships_statement,
    managed_nodes_statement,
    managed_relationships_statement,
    merge_nodes_statement,
    merge_relationships_statement,
)
from stakeholder_graph.graph.schema import EDGE_TYPES, NODE_KINDS, check_audience
from stakeholder_graph.loaders.bolt.connection import ConnectionSettings, connect, open_session, read_rows
from stakeholder_graph.loaders.bolt.mapping import KEY, LABELS, REL_TYPES, canonical_order, schema_label

DEFAULT_BATCH_SIZE = 5000  # rows per write transaction: fewer commits, modest memory


@dataclass
class PushReport:
    audience: str
    nodes: int = 0  # records pushed
    relationships: int = 0
    nodes_created: int = 0
    nodes_updated: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    stale_nodes: int = 0  # written earlier by this tool, no longer in the data
    stale_relationships: int = 0
    nodes_deleted: int = 0  # by --prune
    relationships_deleted: int = 0
    pruned: bool = False
    batches: int = 0
    seconds: float = 0.0  # the whole push: connect, constraints, lock, writes, prune check
    waited: float = 0.0  # of which waiting for another push's lock
    write_seconds: float = 0.0  # inside the write transactions of the batches only

    @property
    def nodes_unchanged(self) -> int:
        return self.nodes - self.nodes_created - self.nodes_updated

    @property
    def relationships_unchanged(self) -> int:
        return self.relationships - self.relationships_created - self.relationships_updated

    def rows(self) -> list[dict]:
        return [
            {"what": what, "in_data": getattr(self, what), "created": getattr(self, f"{what}_created"),
             "updated": getattr(self, f"{what}_updated"), "unchanged": getattr(self, f"{what}_unchanged"),
             "stale": getattr(self, f"stale_{what}"), "deleted": getattr(self, f"{what}_deleted")}
            for what in ("nodes", "relationships")
        ]

    def as_dict(self) -> dict:
        return {"audience": self.audience, "pruned": self.pruned, "batches": self.batches,
                "seconds": round(self.seconds, 3), "waited": round(self.waited, 3),
                "counts": self.rows()}


@dataclass
class _Plan:
    nodes: dict[str, list[dict]]  # label -> rows (the properties, id included)
    relationships: dict[tuple[str, str, str], list[dict]]  # (rel type, source label, target label)
    node_ids: dict[str, set[str]]  # label -> ids
    relationship_ids: set[tuple]  # (rel type, source label, source, target label, target, key)

    @property
    def total(self) -> int:
        return sum(map(len, self.nodes.values())) + sum(map(len, self.relationships.values()))


def plan(graph, audience: str = "public") -> _Plan:
    """The rows a push sends: records and edges visible to `audience`, grouped by label/type."""
    G = graph.for_audience(check_audience(audience)).G  # the one audience filter every output shares
    orders = {kind: canonical_order(kind) for kind in NODE_KINDS}
    edge_order = canonical_order()
    nodes: dict[str, list[dict]] = {}
    node_ids: dict[str, set[str]] = {}
    label_of: dict[str, str] = {}
    for n, a in G.nodes(data=True):
        label = label_of[n] = LABELS[a["kind"]]
        props = encode_properties(a, skip=("kind",), canonical=orders[a["kind"]])
        props["id"] = n
        nodes.setdefault(label, []).append(props)
        node_ids.setdefault(label, set()).add(n)
    rels: dict[tuple[str, str, str], list[dict]] = {}
    rel_ids: set[tuple] = set()
    for u, v, k, a in G.edges(keys=True, data=True):
        rel, sl, tl = REL_TYPES[a["type"]], label_of[u], label_of[v]
        props = encode_properties(a, skip=("type",), canonical=edge_order)
        props[KEY] = k
        rels.setdefault((rel, sl, tl), []).append({"source": u, "target": v, "props": props})
        rel_ids.add((rel, sl, u, tl, v, k))
    return _Plan(nodes, rels, node_ids, rel_ids)


def _write_rows(tx, statement: str, rows: list[dict]):
    result = tx.run(statement, rows=rows)
    record = result.single()
    counters = result.consume().counters
    updated = record["updated"] if record is not None else 0
    return updated, counters.nodes_created, counters.relationships_created


def _run_write(tx, statement: str, **params):
    counters = tx.run(statement, **params).consume().counters
    return counters.nodes_deleted, counters.relationships_deleted


def _chunks(rows: list, size: int):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def push(
    graph,
    settings: ConnectionSettings,
    audience: str = "public",
    prune: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    wait: float = 0.0,
    lease: float = DEFAULT_LEASE,
    on_lock: Callable[[str, LockHolder], None] | None = None,
) -> PushReport:
    """Write the graph (records up to `audience`) to the server; see the module docstring.

    Idempotent: MERGE on the id, and a record is written only when its properties differ.
    Each batch is one managed write transaction (retried by the driver on transient errors);
    an interrupted push leaves whole batches behind and a new push completes it. With `prune`,
    nodes and relationships this tool wrote earlier that are not in the data are deleted
    (after every batch succeeded). `progress(n)` is called once the lock is held (n = 0) and
    after each batch of n entities.

    Exclusive: while another push holds the database's lock, this one waits up to `wait`
    seconds (`on_lock("waiting", holder)` at each attempt), then raises LockHeld; an expired
    lock (a killed push's, after `lease` seconds without renewal) is taken over
    (`on_lock("took-over", holder)`). A push that lost its lock raises LockLost before
    writing again. The lock is released at the end, after an error too.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.perf_counter()
    work = plan(graph, audience)
    report = PushReport(audience=audience, pruned=prune)
    with connect(settings) as driver, open_session(driver, settings) as session:
        _ensure_constraints(session)
        lock = PushLock(session, settings, wait=wait, lease=lease, on_lock=on_lock)
        with lock:
            report.waited = lock.waited
            _write(session, lock, work, report, batch_size, prune, progress)
    report.seconds = time.perf_counter() - started
    return report


def _write(session, lock: PushLock, work: _Plan, report: PushReport, batch_size: int, prune: bool,
           progress: Callable[[int], None] | None) -> None:
    """The batches and the prune, each write transaction fenced by the lock."""
    if progress:
        progress(0)  # the lock is held: the work starts
    jobs = [("nodes", merge_nodes_statement(label), rows) for label, rows in work.nodes.items()]
    jobs += [("relationships", merge_relationships_statement(*types), rows)
             for types, rows in work.relationships.items()]
    for what, statement, rows in jobs:
        for batch in _chunks(rows, batch_size):
            t = time.perf_counter()
            updated, nodes_created, relationships_created = session.execute_write(
                lock.fenced, _write_rows, statement, batch)
            report.write_seconds += time.perf_counter() - t
            created = nodes_created if what == "nodes" else relationships_created
            setattr(report, what, getattr(report, what) + len(batch))
            setattr(report, f"{what}_created", getattr(report, f"{what}_created") + created)
            setattr(report, f"{what}_updated", getattr(report, f"{what}_updated") + updated)
            report.batches += 1
            if progress:
                progress(len(batch))
    _prune(session, lock, work, report, batch_size, delete=prune)


def _ensure_constraints(session) -> None:
    """CREATE CONSTRAINT ... IF NOT EXISTS for the lock and each label, skipping those already
    there. (Before the lock is taken: the lock needs its constraint; the others are idempotent.)"""
    try:
        existing = {r.get("name") for r in session.execute_read(read_rows, "SHOW CONSTRAINTS")}
    except Exception:  # a server without SHOW CONSTRAINTS: IF NOT EXISTS does the work
        existing = set()
    ensure_lock_constraint(session, existing)
    for label in LABELS.values():
        if f"sg_{label.lower()}_id" not in existing:
            session.execute_write(_run_write, constraint_statement(label))


def _prune(session, lock: PushLock, work: _Plan, report: PushReport, batch_size: int, delete: bool) -> None:
    """Count (and with `delete`, remove) what this tool wrote earlier and the data lacks.

    After a push every record of the data is on the server, so a label (or relationship type)
    holding no more managed entities than the data has none to prune: only the others are read.
    """
    on_server: dict[str, int] = {}
    for r in session.execute_read(read_rows, count_managed_nodes_statement()):
        label = schema_label(r["labels"])
        if label:
            on_server[label] = on_server.get(label, 0) + r["n"]
    for r in session.execute_read(read_rows, count_managed_relationships_statement()):
        on_server[r["type"]] = on_server.get(r["type"], 0) + r["n"]
    pushed_rels: dict[str, int] = {}
    for (rel, _, _), rows in work.relationships.items():
        pushed_rels[rel] = pushed_rels.get(rel, 0) + len(rows)
    for label in LABELS.values():
        if on_server.get(label, 0) <= len(work.node_ids.get(label, ())):
            continue
        rows = session.execute_read(read_rows, managed_nodes_statement(label))
        keep = work.node_ids.get(label, set())
        stale = sorted({r["id"] for r in rows if r["id"] not in keep})
        report.stale_nodes += len(stale)
        if delete:
            for batch in _chunks(stale, batch_size):
                deleted, rels = session.execute_write(
                    lock.fenced, _run_write, delete_nodes_statement(label), ids=batch)
                report.nodes_deleted += deleted
                report.relationships_deleted += rels
    for etype in EDGE_TYPES:
        rel = REL_TYPES[etype]
        if on_server.get(rel, 0) <= pushed_rels.get(rel, 0):
            continue
        rows = session.execute_read(read_rows, managed_relationships_statement(rel))
        stale: dict[tuple[str, str], list[dict]] = {}
        for r in rows:
            sl, tl = schema_label(r["source_labels"]), schema_label(r["target_labels"])
            if sl is None or tl is None:
                continue
            if (rel, sl, r["source"], tl, r["target"], r["key"]) not in work.relationship_ids:
                stale.setdefault((sl, tl), []).append(
                    {"source": r["source"], "target": r["target"], "key": r["key"]})
        report.stale_relationships += sum(map(len, stale.values()))
        if delete:
            for (sl, tl), items in stale.items():
                statement = delete_relationships_statement(rel, sl, tl)
                for batch in _chunks(items, batch_size):
                    _, deleted = session.execute_write(lock.fenced, _run_write, statement, rows=batch)
                    report.relationships_deleted += deleted
