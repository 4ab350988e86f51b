"""The shared copy on a Neo4j server: push the graph, pull it back, run Cypher safely.

    settings = ConnectionSettings.from_env()            # NEO4J_URI, NEO4J_USERNAME, ...
    report = push(graph, settings, audience="partners", prune=True)
    same = pull(settings)                               # a StakeholderGraph again
    columns, rows = run_cypher(settings, "MATCH (n:Place) RETURN n.name AS name")

How the graph is stored (the same on Neo4j 5 and on any server that speaks its Cypher):

- a record is a node labelled with its kind (LABELS: actor -> Actor, exploitation_form ->
  ExploitationForm), its `id` unique under a constraint per label, its fields as properties;
- an edge is a relationship typed after the schema (REL_TYPES: part_of -> PART_OF) between two
  such nodes, with its attributes as properties and its key in the in-memory multigraph
  ("offers", "offers#2") in `_sg_key`;
- Neo4j properties hold only scalars and lists of one scalar type, so a mapping (`names`), a
  mixed or an empty list is stored as JSON text and named in `_sg_json`; `_sg_fields` keeps
  the order of the fields, so a pulled record is the record that was pushed;
- everything this tool writes carries `_sg_managed: true`: `--prune` deletes only such
  nodes and relationships, never one made by hand.

Labels and relationship types come only from the schema (graph.schema); every value travels as
a query parameter. The `neo4j` driver is imported only when a server is used.
"""
from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from cli_common import UserError

from .schema import EDGE_ATTRS, EDGE_TYPES, NODE_KINDS, SENSITIVITY

# --- the mapping: schema names -> labels and relationship types ---------------------------

SERVER_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_URI = "neo4j://localhost:7687"  # as Neo4j's own tools
DEFAULT_USERNAME = "neo4j"
DEFAULT_BATCH_SIZE = 5000  # rows per write transaction: fewer commits, modest memory

MANAGED = "_sg_managed"  # true on every node and relationship this tool wrote
KEY = "_sg_key"  # a relationship's key in the multigraph: "offers", "offers#2"
FIELDS = "_sg_fields"  # field names in record order, space-separated
JSON_FIELDS = "_sg_json"  # fields stored as JSON text (mappings, mixed or empty lists), ditto
INTERNAL = (MANAGED, KEY, FIELDS, JSON_FIELDS)

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _label(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("_"))


LABELS: dict[str, str] = {kind: _label(kind) for kind in NODE_KINDS}
KIND_OF_LABEL: dict[str, str] = {label: kind for kind, label in LABELS.items()}
REL_TYPES: dict[str, str] = {etype: etype.upper() for etype in EDGE_TYPES}
EDGE_TYPE_OF_REL: dict[str, str] = {rel: etype for etype, rel in REL_TYPES.items()}
for _name in [*LABELS.values(), *REL_TYPES.values()]:  # the whitelist is safe to splice in
    assert _NAME.match(_name), _name


def is_server_uri(text: str) -> bool:
    """True for bolt://, neo4j://, neo4j+s://, bolt+s:// ... (a --data entry naming a server)."""
    scheme, sep, _ = str(text).partition("://")
    return bool(sep) and scheme.lower() in SERVER_SCHEMES


# --- errors and connection settings ------------------------------------------------------


class Neo4jSyncError(UserError):
    """A server that cannot be reached, refuses the credentials, lacks the database, or refuses
    a query: one clear line (never the password), exit 1."""


@dataclass(frozen=True)
class ConnectionSettings:
    uri: str = DEFAULT_URI
    username: str = DEFAULT_USERNAME
    password: str | None = field(default=None, repr=False)
    database: str | None = None  # None: the server's default database

    @classmethod
    def from_env(cls, uri=None, username=None, password=None, database=None, environ=None):
        """Options given win over NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE."""
        env = os.environ if environ is None else environ
        return cls(
            uri=uri or env.get("NEO4J_URI") or DEFAULT_URI,
            username=username or env.get("NEO4J_USERNAME") or DEFAULT_USERNAME,
            password=password if password is not None else env.get("NEO4J_PASSWORD"),
            database=database or env.get("NEO4J_DATABASE") or None,
        )

    @property
    def shown_uri(self) -> str:
        """The URI without any user:password@ part, safe to print."""
        try:
            parts = urlsplit(self.uri)
        except ValueError:
            return "<invalid URI>"
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    def describe(self) -> str:
        db = f", database {self.database!r}" if self.database else ""
        return f"{self.shown_uri}{db}"


def _driver_module():
    try:
        import neo4j
    except ImportError:
        raise Neo4jSyncError(
            "the neo4j driver is not installed: pip install 'stakeholder-graph[neo4j]'"
        ) from None
    return neo4j


def _first_line(text) -> str:
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    return lines[0] if lines else ""


def _server_message(exc) -> str:
    return _first_line(getattr(exc, "message", None) or exc)


@contextmanager
def _translated(settings: ConnectionSettings):
    """Turn driver exceptions into one clear line; other exceptions pass through."""
    neo4j = _driver_module()
    exc_mod = neo4j.exceptions
    where = settings.describe()
    try:
        yield
    except exc_mod.AuthError:
        raise Neo4jSyncError(
            f"the server at {settings.shown_uri} refused the credentials of user "
            f"{settings.username!r} (set NEO4J_USERNAME and NEO4J_PASSWORD)"
        ) from None
    except exc_mod.ServiceUnavailable as exc:
        reason = re.search(r"\(reason ([^)]*)\)", str(exc))
        why = f" ({reason.group(1)})" if reason else ""
        raise Neo4jSyncError(
            f"cannot reach a Neo4j server at {settings.shown_uri}{why}; is it running, and is "
            f"NEO4J_URI right?"
        ) from None
    except exc_mod.ClientError as exc:
        code = getattr(exc, "code", "") or ""
        if code.endswith("DatabaseNotFound"):
            raise Neo4jSyncError(
                f"the server at {settings.shown_uri} has no database {settings.database!r} "
                f"(set NEO4J_DATABASE)"
            ) from None
        if code.endswith("AccessMode") or code.endswith("ForbiddenOnReadOnlyDatabase"):
            raise Neo4jSyncError(READ_ONLY_REFUSAL) from None
        raise Neo4jSyncError(f"the server at {where} refused the query: {_server_message(exc)}") from None
    except exc_mod.Neo4jError as exc:
        raise Neo4jSyncError(f"the server at {where} failed: {_server_message(exc)}") from None
    except exc_mod.DriverError as exc:
        raise Neo4jSyncError(f"Neo4j driver error talking to {where}: {_first_line(exc)}") from None


@contextmanager
def connect(settings: ConnectionSettings):
    """An open, checked driver: the server answers, accepts the credentials, has the database.

    Driver errors inside the block become Neo4jSyncError too.
    """
    if not is_server_uri(settings.uri):
        raise Neo4jSyncError(
            f"{settings.shown_uri!r} is not a Neo4j server URI: use one of "
            f"{', '.join(s + '://' for s in SERVER_SCHEMES)}"
        )
    neo4j = _driver_module()
    import logging

    # server notifications would otherwise be logged to stderr as multi-line warnings
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    auth = (settings.username, settings.password) if settings.password is not None else None
    with _translated(settings):
        try:
            driver = neo4j.GraphDatabase.driver(
                settings.uri, auth=auth, user_agent="stakeholder-graph/0.1",
                connection_timeout=10.0, max_transaction_retry_time=15.0,
            )
        except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
            raise Neo4jSyncError(f"invalid Neo4j URI {settings.shown_uri!r}: {_first_line(exc)}") from None
        try:
            driver.verify_connectivity()
            with driver.session(database=settings.database) as session:
                session.run("RETURN 1 AS ok").consume()
            yield driver
        finally:
            driver.close()


def _session(driver, settings: ConnectionSettings, read: bool = False):
    import neo4j

    mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
    return driver.session(database=settings.database, default_access_mode=mode)


# --- properties: record attributes <-> Neo4j properties ----------------------------------

_INT64 = (-(2**63), 2**63 - 1)


def _scalar_type(value):
    t = type(value)
    if t is int:
        return t if _INT64[0] <= value <= _INT64[1] else None
    return t if t in (str, float, bool) else None


def _storable(value) -> bool:
    """A Neo4j property: a scalar, or a non-empty list of scalars of one type."""
    if _scalar_type(value) is not None:
        return True
    if type(value) is list and value:
        first = _scalar_type(value[0])
        return first is not None and all(type(v) is first and _scalar_type(v) for v in value)
    return False


def canonical_order(kind: str | None = None) -> list[str]:
    """The attribute order `_sg_fields` may leave out: origin, then the schema's fields
    (a node kind's, or with no kind, a relationship's)."""
    return ["origin", *(NODE_KINDS[kind].all_fields if kind else EDGE_ATTRS)]


def encode_properties(attrs: dict, skip: Iterable[str] = (), canonical: list[str] | None = None) -> dict:
    """Record attributes as Neo4j properties (plus the tool's own markers).

    `_sg_fields` records the attribute order unless it is the `canonical` one.
    """
    skip = set(skip)
    props: dict = {}
    names: list[str] = []
    as_json: list[str] = []
    for name, value in attrs.items():
        if name in skip:
            continue
        if name == "id" or name.startswith("_sg_"):
            raise ValueError(f"attribute name {name!r} is reserved in the Neo4j mapping")
        names.append(name)
        if _storable(value):
            props[name] = value
        else:
            props[name] = json.dumps(value, ensure_ascii=False)
            as_json.append(name)
    props[MANAGED] = True
    in_order = canonical is not None and names == [n for n in canonical if n in props]
    if names and not in_order:  # one text, not a list: cheaper; the names are identifiers
        props[FIELDS] = " ".join(names)
    if as_json:
        props[JSON_FIELDS] = " ".join(as_json)
    return props


def decode_properties(props: dict, known: list[str] | None = None, notes=None, where="") -> dict:
    """Neo4j properties back to record attributes, in the pushed order.

    `known`: the attribute names allowed here, in canonical order (others are left out, with
    a note); the order when `_sg_fields` does not give one.
    """
    as_json = set(_names(props.get(JSON_FIELDS)))
    if FIELDS in props or known is None:
        order = [n for n in _names(props.get(FIELDS)) if n in props]
    else:
        order = [n for n in known if n in props]
    order += sorted(n for n in props if n not in order and n != "id" and n not in INTERNAL)
    allowed = set(known) if known is not None else None
    attrs: dict = {}
    for name in order:
        if allowed is not None and name not in allowed:
            if notes is not None:
                notes.append((where, f"property {name!r} is not part of the schema here; left out"))
            continue
        value = props[name]
        if name in as_json and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                if notes is not None:
                    notes.append((where, f"property {name!r} is not the JSON it should be; kept as text"))
        attrs[name] = value
    return attrs


def _names(value) -> list[str]:
    if isinstance(value, str):
        return value.split()
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


# --- statements: the whole Cypher vocabulary of this tool --------------------------------


def constraint_statement(label: str) -> str:
    _check_label(label)
    return (
        f"CREATE CONSTRAINT sg_{label.lower()}_id IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
    )


def merge_nodes_statement(label: str) -> str:
    """One batch of records of one label: create, or update only what changed.

    Returns the number of existing nodes updated (created ones come from the counters).
    """
    _check_label(label)
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
    _check_rel(rel_type)
    _check_label(source_label)
    _check_label(target_label)
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
    _check_label(label)
    return f"MATCH (n:{label}) WHERE n.{MANAGED} = true RETURN n.id AS id"


def delete_nodes_statement(label: str) -> str:
    _check_label(label)
    return (
        "UNWIND $ids AS id "
        f"MATCH (n:{label} {{id: id}}) WHERE n.{MANAGED} = true "
        "DETACH DELETE n"
    )


def managed_relationships_statement(rel_type: str) -> str:
    _check_rel(rel_type)
    return (
        f"MATCH (a)-[r:{rel_type}]->(b) WHERE r.{MANAGED} = true "
        f"RETURN a.id AS source, labels(a) AS source_labels, b.id AS target, "
        f"labels(b) AS target_labels, r.{KEY} AS key"
    )


def delete_relationships_statement(rel_type: str, source_label: str, target_label: str) -> str:
    _check_rel(rel_type)
    _check_label(source_label)
    _check_label(target_label)
    return (
        "UNWIND $rows AS row "
        f"MATCH (a:{source_label} {{id: row.source}})-[r:{rel_type}]->(b:{target_label} {{id: row.target}}) "
        f"WHERE r.{MANAGED} = true AND r.{KEY} = row.key "
        "DELETE r"
    )


def read_nodes_statement(label: str) -> str:
    _check_label(label)
    return f"MATCH (n:{label}) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"


def read_relationships_statement(rel_type: str) -> str:
    _check_rel(rel_type)
    return (
        f"MATCH (a)-[r:{rel_type}]->(b) "
        "RETURN a.id AS source, labels(a) AS source_labels, b.id AS target, "
        "labels(b) AS target_labels, properties(r) AS props"
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


def _check_label(label: str) -> None:
    if label not in KIND_OF_LABEL:
        raise ValueError(f"not a schema label: {label!r}")


def _check_rel(rel_type: str) -> None:
    if rel_type not in EDGE_TYPE_OF_REL:
        raise ValueError(f"not a schema relationship type: {rel_type!r}")


# --- push --------------------------------------------------------------------------------


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
    seconds: float = 0.0  # the whole push: connect, constraints, writes, prune check
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
                "seconds": round(self.seconds, 3), "counts": self.rows()}


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
    if audience not in SENSITIVITY:
        raise ValueError(f"unknown audience {audience!r}; one of {', '.join(SENSITIVITY)}")
    G = graph.for_audience(audience).G  # the one audience filter every output shares
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


def _read_rows(tx, statement: str) -> list[dict]:
    result = tx.run(statement)
    keys = result.keys()
    # not Record.data(): the values here are plain lists and maps already, and data() walks
    # every nested value again (a third of a pull's time)
    return [dict(zip(keys, values)) for values in result]


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
) -> PushReport:
    """Write the graph (records up to `audience`) to the server; see the module docstring.

    Idempotent: MERGE on the id, and a record is written only when its properties differ.
    Each batch is one managed write transaction (retried by the driver on transient errors);
    an interrupted push leaves whole batches behind and a new push completes it. With `prune`,
    nodes and relationships this tool wrote earlier that are not in the data are deleted
    (after every batch succeeded). `progress(n)` is called once connected (n = 0) and after each
    batch of n entities.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.perf_counter()
    work = plan(graph, audience)
    report = PushReport(audience=audience, pruned=prune)
    with connect(settings) as driver, _session(driver, settings) as session:
        _ensure_constraints(session)
        if progress:
            progress(0)  # connected: the work starts
        jobs = [("nodes", merge_nodes_statement(label), rows) for label, rows in work.nodes.items()]
        jobs += [("relationships", merge_relationships_statement(*types), rows)
                 for types, rows in work.relationships.items()]
        for what, statement, rows in jobs:
            for batch in _chunks(rows, batch_size):
                t = time.perf_counter()
                updated, nodes_created, relationships_created = session.execute_write(_write_rows, statement, batch)
                report.write_seconds += time.perf_counter() - t
                created = nodes_created if what == "nodes" else relationships_created
                setattr(report, what, getattr(report, what) + len(batch))
                setattr(report, f"{what}_created", getattr(report, f"{what}_created") + created)
                setattr(report, f"{what}_updated", getattr(report, f"{what}_updated") + updated)
                report.batches += 1
                if progress:
                    progress(len(batch))
        _prune(session, work, report, batch_size, delete=prune)
    report.seconds = time.perf_counter() - started
    return report


def _ensure_constraints(session) -> None:
    """CREATE CONSTRAINT ... IF NOT EXISTS for each label, skipping those already there."""
    try:
        existing = {r.get("name") for r in session.execute_read(_read_rows, "SHOW CONSTRAINTS")}
    except Exception:  # a server without SHOW CONSTRAINTS: IF NOT EXISTS does the work
        existing = set()
    for label in LABELS.values():
        if f"sg_{label.lower()}_id" not in existing:
            session.execute_write(_run_write, constraint_statement(label))


def _prune(session, work: _Plan, report: PushReport, batch_size: int, delete: bool) -> None:
    """Count (and with `delete`, remove) what this tool wrote earlier and the data lacks.

    After a push every record of the data is on the server, so a label (or relationship type)
    holding no more managed entities than the data has none to prune: only the others are read.
    """
    on_server: dict[str, int] = {}
    for r in session.execute_read(_read_rows, count_managed_nodes_statement()):
        label = _schema_label(r["labels"])
        if label:
            on_server[label] = on_server.get(label, 0) + r["n"]
    for r in session.execute_read(_read_rows, count_managed_relationships_statement()):
        on_server[r["type"]] = on_server.get(r["type"], 0) + r["n"]
    pushed_rels: dict[str, int] = {}
    for (rel, _, _), rows in work.relationships.items():
        pushed_rels[rel] = pushed_rels.get(rel, 0) + len(rows)
    for label in LABELS.values():
        if on_server.get(label, 0) <= len(work.node_ids.get(label, ())):
            continue
        rows = session.execute_read(_read_rows, managed_nodes_statement(label))
        keep = work.node_ids.get(label, set())
        stale = sorted({r["id"] for r in rows if r["id"] not in keep})
        report.stale_nodes += len(stale)
        if delete:
            for batch in _chunks(stale, batch_size):
                deleted, rels = session.execute_write(_run_write, delete_nodes_statement(label), ids=batch)
                report.nodes_deleted += deleted
                report.relationships_deleted += rels
    for etype in EDGE_TYPES:
        rel = REL_TYPES[etype]
        if on_server.get(rel, 0) <= pushed_rels.get(rel, 0):
            continue
        rows = session.execute_read(_read_rows, managed_relationships_statement(rel))
        stale: dict[tuple[str, str], list[dict]] = {}
        for r in rows:
            sl, tl = _schema_label(r["source_labels"]), _schema_label(r["target_labels"])
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
                    _, deleted = session.execute_write(_run_write, statement, rows=batch)
                    report.relationships_deleted += deleted


def _schema_label(labels) -> str | None:
    for label in sorted(labels or []):
        if label in KIND_OF_LABEL:
            return label
    return None


# --- pull --------------------------------------------------------------------------------


def _natural(text: str) -> tuple:
    """'actors.yaml:9' before 'actors.yaml:12'."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _key_index(key: str) -> int:
    _, sep, n = key.rpartition("#")
    return int(n) if sep and n.isdigit() else 1


@dataclass
class ServerRecords:
    """What a server holds for this tool: plain tuples, in file order where known."""

    nodes: list[tuple[str, str, dict, str]]  # (kind, id, fields, origin)
    edges: list[tuple[str, str, str, dict, str, str]]  # (type, source, target, attrs, origin, key)
    notes: list[tuple[str, str]]  # (where, message): what was left out and why


def read_records(settings: ConnectionSettings) -> ServerRecords:
    """Read every node with a schema label and an id, and every schema-typed relationship
    between them. Records made by hand are read too; properties outside the schema are left
    out with a note."""
    notes: list[tuple[str, str]] = []
    where_server = settings.shown_uri
    nodes: dict[str, tuple] = {}
    managed: dict[str, bool] = {}
    with connect(settings) as driver, _session(driver, settings, read=True) as session:
        for kind, label in LABELS.items():
            known = canonical_order(kind)
            for r in session.execute_read(_read_rows, read_nodes_statement(label)):
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
            for r in session.execute_read(_read_rows, read_relationships_statement(rel)):
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
    ordered_nodes = sorted(nodes.values(), key=lambda n: _natural(n[3]))
    edges.sort(key=lambda e: (_natural(e[4]), _key_index(e[5])))
    return ServerRecords(ordered_nodes, edges, notes)


def pull(settings: ConnectionSettings, records: ServerRecords | None = None):
    """The server's graph as a StakeholderGraph, as the files would build it."""
    import networkx as nx

    from .model import StakeholderGraph

    records = records or read_records(settings)
    G = nx.MultiDiGraph()
    for kind, nid, fields, origin in records.nodes:
        G.add_node(nid, kind=kind, origin=origin, **fields)
    for etype, u, v, attrs, origin, key in records.edges:
        n = _key_index(key)
        while G.has_edge(u, v, key):  # a hand-made duplicate: number it on
            n += 1
            key = f"{etype}#{n}"
        G.add_edge(u, v, key=key, type=etype, origin=origin, **attrs)
    return StakeholderGraph(G)


# --- Cypher ------------------------------------------------------------------------------

READ_ONLY_REFUSAL = "refused: the query writes to the database; add --write to run it for real"
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
        raise Neo4jSyncError(SCHEMA_REFUSAL)
    with connect(settings) as driver, _session(driver, settings, read=not write) as session:
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
                    raise Neo4jSyncError(READ_ONLY_REFUSAL)
            finally:
                tx.close()  # never committed: rolls back
    rows = [dict(zip(columns, (_plain(v) for v in values))) for values in records]
    return columns, rows
