"""Record attributes as Neo4j properties (the push's half of loaders.bolt.mapping).

Neo4j properties hold only scalars and lists of one scalar type: a mapping (`names`), a mixed
or an empty list is stored as JSON text and named in `_sg_json`; `_sg_fields` keeps the order
of the fields unless it is the schema's, so the pull reads back the record that was pushed.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from stakeholder_graph.loaders.bolt.mapping import FIELDS, JSON_FIELDS, MANAGED

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
