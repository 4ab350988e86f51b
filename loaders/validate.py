"""Checks across records: references, endpoint kinds, citations, dates, coordinates, cycles.

Every problem is collected; nothing stops at the first one.
"""
from __future__ import annotations

from stakeholder_graph.graph import dates
from stakeholder_graph.graph.errors import Problems
from stakeholder_graph.graph.names import suggest
from stakeholder_graph.graph.schema import (
    EDGE_TYPES,
    HIERARCHY_EDGE,
    INFERENCE_RULES,
    NOT_STATED,
    NOT_STATED_ALLOWED,
    NOT_STATED_FIELDS,
    SELF_CITING_KINDS,
    VOCABULARIES,
)

COORDINATE_RANGES = {"lat": (-90.0, 90.0), "lon": (-180.0, 180.0)}


def _closest_ids(word: str, nodes: dict, kinds) -> str:
    return suggest(word, [i for i, n in nodes.items() if n.kind in kinds] or nodes)


def _check_period(start, end, origin, problems, record) -> None:
    if start and end and dates.last_day(end) < dates.first_day(start):
        problems.error(origin, f"end {end} is before start {start}", record)


def _cited(ids, nodes) -> bool:
    """Does every id name a source record? The common case, checked before a message is built."""
    for sid in ids:
        target = nodes.get(sid)
        if target is None or target.kind != "source":
            return False
    return True


def _check_sources(ids, origin, nodes, problems, record) -> None:
    for sid in ids:
        target = nodes.get(sid)
        if target is None:
            problems.error(
                origin,
                f"unknown source {sid!r}{_closest_ids(sid, nodes, {'source'})}",
                record,
            )
        elif target.kind != "source":
            problems.error(origin, f"{sid!r} is not a source but a {target.kind}", record)


def validate(nodes: dict, edges: list, problems: Problems) -> None:
    for node in nodes.values():
        f = node.fields
        if node.kind not in SELF_CITING_KINDS:
            if not f.get("sources"):
                problems.error(
                    node.origin, "no sources: every record must cite where it comes from", node.id
                )
            elif not _cited(f["sources"], nodes):
                _check_sources(f["sources"], node.origin_of("sources"), nodes, problems, node.id)
            if f.get("names_sources") and not _cited(f["names_sources"], nodes):
                _check_sources(f["names_sources"], node.origin_of("names_sources"), nodes, problems, node.id)
        # (each origin is made only where there is something to check: this runs for every record)
        if "end" in f:
            _check_period(f.get("start"), f["end"], node.origin_of("end"), problems, node.id)
        for axis, (low, high) in COORDINATE_RANGES.items():
            value = f.get(axis)
            if value is not None and not low <= value <= high:
                problems.error(
                    node.origin_of(axis), f"{axis} {value} is out of range {low:g} to {high:g}", node.id
                )
        if ("lat" in f) != ("lon" in f):
            problems.error(node.origin, "give both lat and lon, or neither", node.id)
        if any(f.get(name) == NOT_STATED for name in NOT_STATED_FIELDS):
            _check_not_stated(node, nodes, problems)
        if node.kind not in SELF_CITING_KINDS and _ruled(f):
            _check_basis(f, node.origin_of("rule"), nodes, problems, node.id)
        for item in f.get("referrals_from", []):
            target = nodes.get(item)
            if item not in VOCABULARIES["actor_type"] and (target is None or target.kind != "actor"):
                problems.error(
                    node.origin_of("referrals_from"),
                    f"referrals_from: {item!r} is neither an actor type nor an actor id"
                    f"{_closest_ids(item, nodes, {'actor'})}",
                    node.id,
                )

    for edge in edges:
        _check_edge(edge, nodes, problems)
        # a fact stated inside a record inherits the record's citation, sensitivity and basis
        stated_by = nodes.get(edge.stated_by) if edge.stated_by else None
        if stated_by is not None:
            edge.attrs.setdefault("sources", list(stated_by.fields.get("sources", [])))
            edge.attrs.setdefault("sensitivity", stated_by.fields.get("sensitivity", "public"))
            if "basis" not in edge.attrs and stated_by.fields.get("basis") == "inferred":
                edge.attrs["basis"] = "inferred"
                edge.attrs.setdefault("rule", stated_by.fields.get("rule"))
        edge.attrs.setdefault("sensitivity", "public")
        if _ruled(edge.attrs):
            _check_basis(edge.attrs, edge.origin, nodes, problems, _edge_label(edge))
        edge.attrs.setdefault("basis", "stated")
    for node in nodes.values():
        node.fields.setdefault("sensitivity", "public")
        if node.kind not in SELF_CITING_KINDS:
            node.fields.setdefault("basis", "stated")
    _check_cycles(nodes, edges, problems)


def _check_not_stated(node, nodes: dict, problems: Problems) -> None:
    """'not stated' fills a required field only in a record imported from a dataset that has
    no value for it (every source it cites has a `format`): elsewhere it would hide a gap."""
    for name in NOT_STATED_FIELDS:
        if node.fields.get(name) != NOT_STATED or (node.kind, name) not in NOT_STATED_ALLOWED:
            continue
        cited = node.fields.get("sources") or []
        if not cited or any(not (nodes.get(s) and nodes[s].fields.get("format")) for s in cited):
            problems.error(node.origin_of(name), f"{name}: {NOT_STATED!r} is only for a record imported from a "
                           "dataset that does not give it (every source it cites has a format); give the "
                           f"{name}", node.id)


def _ruled(fields: dict) -> bool:
    """Is there anything for _check_basis to check: a rule, or an inferred basis?"""
    return fields.get("rule") is not None or fields.get("basis") == "inferred"


def _check_basis(fields: dict, origin, nodes, problems, record) -> None:
    """An inferred fact names a declared rule whose own sources are in the data; a rule is
    given only for an inferred fact."""
    basis, rule = fields.get("basis"), fields.get("rule")
    if rule is not None and basis != "inferred":
        problems.error(origin, f"rule {rule!r} is given but basis is not 'inferred'", record)
    elif basis == "inferred" and rule is None:
        problems.error(origin, f"an inferred fact names its rule; rules: {', '.join(INFERENCE_RULES)}", record)
    elif rule is not None and rule not in INFERENCE_RULES:
        problems.error(
            origin,
            f"unknown inference rule {rule!r}{suggest(rule, INFERENCE_RULES)}; rules: {', '.join(INFERENCE_RULES)}",
            record,
        )
    elif rule is not None:
        missing = [s for s in INFERENCE_RULES[rule].sources if s not in nodes]
        if missing:
            problems.error(origin, f"rule {rule!r} rests on sources not in the data: {', '.join(missing)}", record)


def _edge_label(edge) -> str:
    """How an edge's problems name it: the record that states it, else type and ends."""
    return edge.stated_by or f"{edge.type} {edge.source} -> {edge.target}"


def _check_edge(edge, nodes, problems) -> None:
    # the label and the error texts are built only for a problem: this runs for every relation
    etype = EDGE_TYPES[edge.type]
    if edge.source == edge.target:  # a self-referral, a body its own member, part of itself ...
        problems.error(edge.origin, f"{edge.type}: {edge.source!r} is linked to itself; a relation "
                       "joins two different records", _edge_label(edge))
        return
    source, target = nodes.get(edge.source), nodes.get(edge.target)
    for role, rid, node in (("from", edge.source, source), ("to", edge.target, target)):
        if node is None:
            kinds = {k for pair in etype.endpoints for k in pair[0 if role == "from" else 1]}
            problems.error(
                edge.origin,
                f"{edge.type}: unknown {'/'.join(sorted(kinds))} {rid!r}"
                f"{_closest_ids(rid, nodes, kinds)}",
                _edge_label(edge),
            )
    if source is not None and target is not None and not etype.allows(source.kind, target.kind):
        problems.error(
            edge.origin,
            f"{edge.type} cannot link {source.kind} {source.id!r} to {target.kind} "
            f"{target.id!r}; allowed: {etype.describe_endpoints()}",
            _edge_label(edge),
        )
    attrs = edge.attrs
    if "sources" in attrs and not _cited(attrs["sources"], nodes):
        _check_sources(attrs["sources"], edge.origin, nodes, problems, _edge_label(edge))
    if "end" in attrs:
        _check_period(attrs.get("start"), attrs["end"], edge.origin, problems, _edge_label(edge))
    for pid in attrs.get("populations", ()):
        node = nodes.get(pid)
        if node is None or node.kind != "population":
            problems.error(
                edge.origin,
                f"populations: unknown population {pid!r}{_closest_ids(pid, nodes, {'population'})}",
                _edge_label(edge),
            )


def _check_cycles(nodes, edges, problems) -> None:
    """A hierarchy (place in place, unit in organisation, ...) must not loop."""
    parents: dict[str, list[str]] = {}
    for edge in edges:
        if edge.type == HIERARCHY_EDGE and edge.source in nodes and edge.target in nodes \
                and edge.source != edge.target:  # linked to itself: reported with the edge
            if nodes[edge.source].kind == nodes[edge.target].kind:
                parents.setdefault(edge.source, []).append(edge.target)
    done: set[str] = set()
    reported: set[frozenset] = set()
    for start in parents:
        path: list[str] = []
        on_path: set[str] = set()
        stack = [(start, iter(parents.get(start, [])))]
        path.append(start)
        on_path.add(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                on_path.discard(node)
                done.add(node)
            elif child in on_path:
                loop = path[path.index(child):] + [child]
                if frozenset(loop) not in reported:
                    reported.add(frozenset(loop))
                    record = nodes[child]
                    problems.error(
                        record.origin,
                        f"{record.kind} hierarchy has a cycle: {' -> '.join(loop)}",
                        child,
                    )
            elif child not in done:
                stack.append((child, iter(parents.get(child, []))))
                path.append(child)
                on_path.add(child)
