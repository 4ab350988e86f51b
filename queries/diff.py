"""What changed between two versions of the data: records added, removed and changed (field by
field), relations added, removed and changed (attribute by attribute).

    result = diff(old_graph, new_graph)
    result["records"]["changed"][0]
    {'id': 'atina', 'kind': 'actor', 'name': 'Atina', 'fields': [{'field': 'level', 'old': 'local', 'new': 'national'}]}

Where a record was written down (`origin`) is not a change. Relations have no ids: they are
matched by (type, from, to); when exactly one such relation is left on each side after the
identical ones are paired off, it is reported as changed, otherwise as removed and added.
Relations that come or go with a record are listed with that record.
"""
from __future__ import annotations

from stakeholder_graph.graph.model import StakeholderGraph

IGNORED = ("origin",)


def _attrs(attrs: dict, drop=IGNORED) -> dict:
    return {k: v for k, v in attrs.items() if k not in drop}


def _field_changes(old: dict, new: dict) -> list[dict]:
    return [
        {"field": name, "old": old.get(name), "new": new.get(name)}
        for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)
    ]


def _record(node_id: str, attrs: dict) -> dict:
    return {"id": node_id, "kind": attrs["kind"], "name": attrs.get("name", node_id)}


def _relation(key: tuple[str, str, str], attrs: dict) -> dict:
    return {"type": key[0], "from": key[1], "to": key[2], "attrs": attrs}


def _relations_by_key(g: StakeholderGraph) -> dict[tuple[str, str, str], list[dict]]:
    out: dict[tuple[str, str, str], list[dict]] = {}
    for u, v, a in g.G.edges(data=True):
        out.setdefault((a["type"], u, v), []).append(_attrs(a, (*IGNORED, "type")))
    return out


def diff(old: StakeholderGraph, new: StakeholderGraph) -> dict:
    """Records and relations added, removed and changed from `old` to `new`, sorted by id.

    A relation that comes or goes with a record added or removed is listed with that record
    (under its "relations"), not again among the relations.

    >>> diff(g, g)["summary"]["records_changed"]
    0
    """
    before = {n: _attrs(a) for n, a in old.G.nodes(data=True)}
    after = {n: _attrs(a) for n, a in new.G.nodes(data=True)}
    added = {n: {**_record(n, after[n]), "relations": []} for n in sorted(after.keys() - before.keys())}
    removed = {n: {**_record(n, before[n]), "relations": []} for n in sorted(before.keys() - after.keys())}
    changed = [
        {**_record(n, after[n]), "fields": _field_changes(before[n], after[n])}
        for n in sorted(before.keys() & after.keys()) if before[n] != after[n]
    ]
    relations: dict[str, list[dict]] = {"added": [], "removed": [], "changed": []}

    def file(change: str, records: dict, key: tuple[str, str, str], attrs: dict) -> None:
        relation = _relation(key, attrs)
        owner = next((records[n] for n in key[1:] if n in records), None)
        (owner["relations"] if owner else relations[change]).append(relation)

    old_rel, new_rel = _relations_by_key(old), _relations_by_key(new)
    for key in sorted(old_rel.keys() | new_rel.keys()):
        gone, came = list(old_rel.get(key, [])), list(new_rel.get(key, []))
        for attrs in list(gone):  # pair off the identical ones
            if attrs in came:
                gone.remove(attrs)
                came.remove(attrs)
        if len(gone) == 1 and len(came) == 1:
            relations["changed"].append(
                {**_relation(key, came[0]), "fields": _field_changes(gone[0], came[0])}
            )
            continue
        for attrs in gone:
            file("removed", removed, key, attrs)
        for attrs in came:
            file("added", added, key, attrs)
    records = {"added": list(added.values()), "removed": list(removed.values()), "changed": changed}
    summary = {
        f"{what}_{change}": len(items)
        for what, groups in (("records", records), ("relations", relations))
        for change, items in groups.items()
    }
    return {"summary": summary, "records": records, "relations": relations}
