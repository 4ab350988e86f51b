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
    SELF_CITING_KINDS,
    VOCABULARIES,
)

COORDINATE_RANGES = {"lat": (-90.0, 90.0), "lon": (-180.0, 180.0)}


def _closest_ids(word: str, nodes: dict, kinds) -> str:
    return suggest(word, [i for i, n in nodes.items() if n.kind in kinds] or nodes)


def _check_period(start, end, origin, problems, record) -> None:
    if start and end and dates.last_day(end) < dates.first_day(start):
        problems.error(origin, f"end {end} is before start {start}", record)


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
            else:
                _check_sources(f["sources"], node.origin_of("sources"), nodes, problems, node.id)
            if f.get("names_sources"):
                _check_sources(f["names_sources"], node.origin_of("names_sources"), nodes, problems, node.id)
        _check_period(f.get("start"), f.get("end"), node.origin_of("end"), problems, node.id)
        for axis, (low, high) in COORDINATE_RANGES.items():
            value = f.get(axis)
            if value is not None and not low <= value <= high:
                problems.error(
                    node.origin_of(axis), f"{axis} {value} is out of range {low:g} to {high:g}", node.id
                )
        if ("lat" in f) != ("lon" in f):
            problems.error(node.origin, "give both lat and lon, or neither", node.id)
        if node.kind not in SELF_CITING_KINDS:
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
        _check_basis(edge.attrs, edge.origin, nodes, problems, edge.stated_by or f"{edge.type} {edge.source} -> {edge.target}")
        edge.attrs.setdefault("basis", "stated")
    for node in nodes.values():
        node.fields.setdefault("sensitivity", "public")
        if node.kind not in SELF_CITING_KINDS:
            node.fields.setdefault("basis", "stated")
    _check_cycles(nodes, edges, problems)


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


def _check_edge(edge, nodes, problems) -> None:
    etype = EDGE_TYPES[edge.type]
    label = edge.stated_by or f"{edge.type} {edge.source} -> {edge.target}"
    if edge.source == edge.target:  # a self-referral, a body its own member, part of itself ...
        problems.error(edge.origin, f"{edge.type}: {edge.source!r} is linked to itself; a relation "
                       "joins two different records", label)
        return
    ends = []
    for role, rid in (("from", edge.source), ("to", edge.target)):
        node = nodes.get(rid)
        if node is None:
            kinds = {k for pair in etype.endpoints for k in pair[0 if role == "from" else 1]}
            problems.error(
                edge.origin,
                f"{edge.type}: unknown {'/'.join(sorted(kinds))} {rid!r}"
                f"{_closest_ids(rid, nodes, kinds)}",
                label,
            )
        ends.append(node)
    source, target = ends
    if source is not None and target is not None and not etype.allows(source.kind, target.kind):
        problems.error(
            edge.origin,
            f"{edge.type} cannot link {source.kind} {source.id!r} to {target.kind} "
            f"{target.id!r}; allowed: {etype.describe_endpoints()}",
            label,
        )
    _check_sources(edge.attrs.get("sources", []), edge.origin, nodes, problems, label)
    _check_period(edge.attrs.get("start"), edge.attrs.get("end"), edge.origin, problems, label)
    for pid in edge.attrs.get("populations", []):
        node = nodes.get(pid)
        if node is None or node.kind != "population":
            problems.error(
                edge.origin,
                f"populations: unknown population {pid!r}{_closest_ids(pid, nodes, {'population'})}",
                label,
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
