"""Read a JSON export (`stakeholder-graph export --to json`) back as records.

The file is networkx node-link data: "nodes" (each with "id" and "kind"), "edges" (or
networkx's older "links"; each with "source", "target" and "type") and "sources" (the source
records). Values are typed as in YAML, and go through the same checks as any data file; a
problem names the section and the item's position, e.g. `export.json [nodes #12]`.
"""
from __future__ import annotations

import json
from pathlib import Path

from stakeholder_graph.graph.errors import Origin, Problems
from stakeholder_graph.graph.schema import NODE_KINDS, RELATIONS_PLURAL
from stakeholder_graph.loaders.files import RawRow, read_text
from stakeholder_graph.loaders.limits import Limits

EDGE_KEYS = {"source", "target", "key"}  # node-link bookkeeping, not relation attributes


def read_node_link(path: Path, shown: str, problems: Problems,
                   limits: Limits | None = None) -> list[tuple[str, list[RawRow]]]:
    data = read_json(path, shown, problems, limits)
    return [] if data is None else node_link_tables(data, shown, problems)


def read_json(path: Path, shown: str, problems: Problems, limits: Limits | None = None):
    """A JSON file's data, or None after reporting why it cannot be read."""
    text = read_text(path, shown, problems, limits)
    if text is None:
        return None
    try:
        return json.loads(text)
    except RecursionError:
        problems.error(Origin(shown), "malformed JSON: nested too deeply")
    except json.JSONDecodeError as exc:
        problems.error(Origin(shown, exc.lineno), f"malformed JSON: {exc.msg} (column {exc.colno})")
    return None


def node_link_tables(data, shown: str, problems: Problems) -> list[tuple[str, list[RawRow]]]:
    """The records of node-link data, by kind."""
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        problems.error(
            Origin(shown),
            'not a graph export: expected {"nodes": [...], "edges": [...], "sources": [...]} '
            "as `stakeholder-graph export --to json` writes",
        )
        return []
    tables: dict[str, list[RawRow]] = {}
    for section, default_kind in (("nodes", None), ("sources", "source")):
        for origin, item in _items(data, section, shown, problems):
            kind = item.get("kind", default_kind)
            if not isinstance(kind, str) or kind not in NODE_KINDS:
                record = item.get("id") if isinstance(item.get("id"), str) else None
                problems.error(
                    origin, f"unknown kind {kind!r}; kinds: {', '.join(NODE_KINDS)}", record
                )
                continue
            values = {k: v for k, v in item.items() if k != "kind"}
            tables.setdefault(kind, []).append(RawRow(values, origin, {}, False))
    section = "edges" if "edges" in data else "links"
    relations = tables.setdefault(RELATIONS_PLURAL, [])
    for origin, item in _items(data, section, shown, problems):
        values = {k: v for k, v in item.items() if k not in EDGE_KEYS}
        values.update({"from": item.get("source"), "to": item.get("target")})
        relations.append(RawRow(values, origin, {}, False))
    return list(tables.items())


def _items(data: dict, section: str, shown: str, problems: Problems):
    """(origin, item) for each object in a section; anything else is reported."""
    items = data.get(section) or []
    if not isinstance(items, list):
        problems.error(Origin(shown, sheet=section), f'"{section}" must be a list')
        return
    for index, item in enumerate(items, 1):
        origin = Origin(shown, sheet=f"{section} #{index}")
        if isinstance(item, dict):
            yield origin, item
        else:
            problems.error(origin, "expected an object with an id")
