"""How the graph is stored on a Neo4j server: the names and markers both directions share.

- a record is a node labelled with its kind (LABELS: actor -> Actor, exploitation_form ->
  ExploitationForm), its `id` unique under a constraint per label, its fields as properties;
- an edge is a relationship typed after the schema (REL_TYPES: part_of -> PART_OF) between two
  such nodes, with its attributes as properties and its key in the in-memory multigraph
  ("offers", "offers#2") in `_sg_key`;
- Neo4j properties hold only scalars and lists of one scalar type, so a mapping (`names`), a
  mixed or an empty list is stored as JSON text and named in `_sg_json`; `_sg_fields` keeps
  the order of the fields, so a pulled record is the record that was pushed;
- everything this tool writes carries `_sg_managed: true`: `--prune` deletes only such
  nodes and relationships, never one made by hand;
- while a push runs, one `StakeholderGraphLock` node (LOCK_LABEL) holds its lock: not a
  record and not managed, so the pull never reads it and `--prune` never deletes it.

Labels and relationship types come only from the schema; every value travels as a query
parameter. The push (exports.neo4j) encodes properties; the pull (here) decodes them.
"""
from __future__ import annotations

import re

from stakeholder_graph.graph.schema import EDGE_ATTRS, EDGE_TYPES, NODE_KINDS

MANAGED = "_sg_managed"  # true on every node and relationship this tool wrote
KEY = "_sg_key"  # a relationship's key in the multigraph: "offers", "offers#2"
FIELDS = "_sg_fields"  # field names in record order, space-separated
JSON_FIELDS = "_sg_json"  # fields stored as JSON text (mappings, mixed or empty lists), ditto
INTERNAL = (MANAGED, KEY, FIELDS, JSON_FIELDS)
# the push's lock (exports.neo4j.lock): not a record, never `_sg_managed`, so neither read back
# by the pull nor pruned
LOCK_LABEL = "StakeholderGraphLock"

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _label(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("_"))


LABELS: dict[str, str] = {kind: _label(kind) for kind in NODE_KINDS}
KIND_OF_LABEL: dict[str, str] = {label: kind for kind, label in LABELS.items()}
REL_TYPES: dict[str, str] = {etype: etype.upper() for etype in EDGE_TYPES}
EDGE_TYPE_OF_REL: dict[str, str] = {rel: etype for etype, rel in REL_TYPES.items()}
for _name in [*LABELS.values(), *REL_TYPES.values(), LOCK_LABEL]:  # the whitelist is safe to splice in
    assert _name and _NAME.match(_name), _name
assert LOCK_LABEL not in KIND_OF_LABEL


def check_label(label: str) -> None:
    """Refuse anything but a schema label before it is spliced into a statement."""
    if label not in KIND_OF_LABEL:
        raise ValueError(f"not a schema label: {label!r}")


def check_rel(rel_type: str) -> None:
    """Refuse anything but a schema relationship type before it is spliced into a statement."""
    if rel_type not in EDGE_TYPE_OF_REL:
        raise ValueError(f"not a schema relationship type: {rel_type!r}")


def schema_label(labels) -> str | None:
    """The first of a node's labels that names a kind of record, or None."""
    for label in sorted(labels or []):
        if label in KIND_OF_LABEL:
            return label
    return None


def canonical_order(kind: str | None = None) -> list[str]:
    """The attribute order `_sg_fields` may leave out: origin, then the schema's fields
    (a node kind's, or with no kind, a relationship's)."""
    return ["origin", *(NODE_KINDS[kind].all_fields if kind else EDGE_ATTRS)]


def decode_properties(props: dict, known: list[str] | None = None, notes=None, where="") -> dict:
    """Neo4j properties back to record attributes, in the pushed order.

    `known`: the attribute names allowed here, in canonical order (others are left out, with
    a note); the order when `_sg_fields` does not give one.
    """
    import json  # here: loading files, which imports this module too, needs no json

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
