"""The in-memory graph: a networkx MultiDiGraph plus the indexes the queries need."""
from __future__ import annotations

import functools
import gc
import hashlib
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

import stakeholder_graph.graph.names as names_module
from stakeholder_graph.graph.diskcache import digest, remember
from stakeholder_graph.graph.errors import NameNotFound
from stakeholder_graph.graph.names import NameIndex, note_resolution
from stakeholder_graph.graph.schema import CITING_FIELDS, HIERARCHY_EDGE, NODE_KINDS, REFERENCE_FIELDS, SENSITIVITY


def per_graph(compute):
    """`compute(g, *key)` worked out once per graph and key, kept in the graph's memo under the
    function's name (StakeholderGraph.memo): for views the queries derive from records."""
    table = compute.__qualname__

    @functools.wraps(compute)
    def remembered(g, *key):
        known = g.memo(table)
        try:
            return known[key]
        except KeyError:
            value = known[key] = compute(g, *key)
            return value

    return remembered


def gc_paused(func):
    """Run `func` with Python's cyclic garbage collector paused. Building or copying a large
    graph makes millions of small objects that live on, and each allocation burst triggers a
    rescan of everything alive: on 80,000 nodes the collector alone took twice as long as the
    copy, and loading 300,000 records twice as long."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper


def _pooled(attrs: dict, pool: dict) -> dict:
    """attrs with each text, and each list of texts, replaced by an equal one met before (the
    graph is read-only once built, so records may share them)."""
    for key, value in attrs.items():
        kind = type(value)
        if kind is str:
            attrs[key] = pool.setdefault(value, value)
        elif kind is list and all(type(item) is str for item in value):
            attrs[key] = pool.setdefault(tuple(value), value)
    return attrs


def _by_type(nbrs) -> dict[str, list]:
    """{edge type: [(other end, attrs)]} of one node's (other end, {key: attrs}) items, in order."""
    found: dict[str, list] = {}
    for other, keyed in nbrs:
        for a in keyed.values():
            found.setdefault(a["type"], []).append((other, a))
    return found


def released(records: list):
    """The records of a list, each dropped from it once taken: a graph built from them frees
    each record as soon as it is in the graph, never holding every record and the whole graph
    at once."""
    for i, record in enumerate(records):
        records[i] = None
        yield record


@gc_paused
def _build_index(entries) -> NameIndex:
    index = NameIndex()
    for record_id, kind, name, labels in entries:
        index.add(record_id, kind, name, labels)
    return index


class StakeholderGraph:
    """Nodes are records (attribute `kind` plus their fields); edges are keyed by type.

    Node attributes: kind, name, sources, sensitivity, origin ("file:line") and the record's
    fields. Edge attributes: type, sources, sensitivity, origin and optional start, end,
    populations, role, note.
    """

    def __init__(self, graph: nx.MultiDiGraph | None = None):
        self.G = graph if graph is not None else nx.MultiDiGraph()
        self._index: NameIndex | None = None
        self._parents: dict[str, list[str]] | None = None
        self._children: dict[str, list[str]] | None = None
        self._countries: dict[str, str | None] = {}
        # node -> edge type -> [(other end, attrs)], each node's made when first asked for:
        # the queries walk edges of one type at a time, networkx's views cost more than the
        # queries themselves, and an index of every node would double a large graph's memory
        self._out: dict[str, dict[str, list]] = {}
        self._in: dict[str, dict[str, list]] = {}
        self._positions: dict[str, int] | None = None
        self._reach: dict[tuple[str, str], dict] = {}
        self._memos: dict[str, dict] = {}

    # --- building -----------------------------------------------------------------------

    @classmethod
    @gc_paused
    def from_records(cls, nodes: Iterable, edges: Iterable) -> "StakeholderGraph":
        """Build from records with kind, id, fields, origin (nodes) and type, source, target, attrs,
        origin (edges), as the loaders make them; skips dangling edges. Give `released(records)`
        to free each record once it is in the graph.

        Fills networkx's dictionaries directly, as add_node and add_edge would fill them (the
        same order, keys and attribute dictionaries): a third of their time on 300,000 records,
        and this is on the path of every command. Equal attribute values (a sensitivity, a
        file's name, a list of sources) are stored once: on 100,000 actors that is a sixth of
        the graph's memory."""
        node: dict = {}
        succ: dict = {}
        pred: dict = {}
        pool: dict = {}
        for record in nodes:
            attrs = _pooled({"kind": record.kind, "origin": str(record.origin), **record.fields}, pool)
            if record.id in node:  # given twice: add_node updates the first
                node[record.id].update(attrs)
            else:
                node[record.id], succ[record.id], pred[record.id] = attrs, {}, {}
        for edge in edges:
            u, v = edge.source, edge.target
            if u not in node or v not in node:
                continue
            keyed = succ[u].get(v)
            if keyed is None:  # one key dictionary, shared by both directions as networkx keeps it
                keyed = succ[u][v] = pred[v][u] = {}
            key = edge.type
            n = 1
            while key in keyed:
                n += 1
                key = f"{edge.type}#{n}"
            keyed[key] = _pooled({"type": edge.type, "origin": str(edge.origin), **edge.attrs}, pool)
        G = nx.MultiDiGraph()
        G._node, G._succ, G._pred = node, succ, pred
        return cls(G)

    @gc_paused
    def for_audience(self, audience: str) -> "StakeholderGraph":
        """A copy without the records and edges above `audience`, edges to them, and their ids
        in other records' `sources`, referrals' `populations` and `referrals_from`: nothing hidden leaves a trace.
        When nothing is above `audience`, the graph itself; treat both as read-only.

        Every command that prints data works on its audience's graph, so this is on the path
        of every answer: the copy fills networkx's dictionaries directly, in the order
        add_edges_from would (a tenth of its time: 0.3 s instead of 2.5 s for 80,000 records
        and 220,000 relations)."""
        allowed = frozenset(SENSITIVITY[: SENSITIVITY.index(audience) + 1])
        source = self.G
        node = {n: a for n, a in source._node.items() if a.get("sensitivity", "public") in allowed}
        if len(node) == len(source._node) and all(
                a.get("sensitivity", "public") in allowed
                for keyed in (k for nbrs in source._succ.values() for k in nbrs.values())
                for a in keyed.values()):
            return self
        node = {n: dict(a) for n, a in node.items()}
        succ: dict = {n: {} for n in node}
        pred: dict = {n: {} for n in node}
        for u, nbrs in source._succ.items():
            if u not in node:
                continue
            out = succ[u]
            for v, keyed in nbrs.items():
                if v in node:
                    kept = {k: dict(a) for k, a in keyed.items() if a.get("sensitivity", "public") in allowed}
                    if kept:  # one key dictionary, shared by both directions as networkx keeps it
                        out[v] = pred[v][u] = kept
        G = nx.MultiDiGraph()
        G._node, G._succ, G._pred = node, succ, pred
        hidden = source._node.keys() - node.keys()
        for attrs in [*node.values(), *(a for nbrs in succ.values() for keyed in nbrs.values() for a in keyed.values())]:
            for key in (*CITING_FIELDS, "populations"):
                if key in attrs and any(i not in node for i in attrs[key]):
                    attrs[key] = [i for i in attrs[key] if i in node]
            for key in REFERENCE_FIELDS:  # ids mixed with other words: drop the hidden ids only
                if key in attrs and any(i in hidden for i in attrs[key]):
                    attrs[key] = [i for i in attrs[key] if i not in hidden]
        return StakeholderGraph(G)

    # --- records ------------------------------------------------------------------------

    def node(self, node_id: str) -> dict:
        return self.G._node[node_id]

    def kind(self, node_id: str) -> str:
        return self.G._node[node_id]["kind"]

    def name(self, node_id: str) -> str:
        return self.G._node[node_id].get("name", node_id)

    def edge(self, u: str, v: str, edge_type: str) -> dict | None:
        """The attributes of the first u -> v edge of a type, or None."""
        for a in self.G._succ[u].get(v, {}).values():
            if a["type"] == edge_type:
                return a
        return None

    def ids_of(self, kind: str) -> list[str]:
        return [n for n, a in self.G.nodes(data=True) if a["kind"] == kind]

    def out_edges(self, node_id: str, edge_type: str | None = None):
        """(target, attrs) for each edge leaving node_id, optionally of one type."""
        if edge_type is None:
            return [(v, a) for v, keyed in self.G._succ[node_id].items() for a in keyed.values()]
        by_type = self._out.get(node_id)
        if by_type is None:
            nbrs = self.G._succ.get(node_id)
            if nbrs is None:
                return []
            by_type = self._out[node_id] = _by_type(nbrs.items())
        return by_type.get(edge_type, [])

    def in_edges(self, node_id: str, edge_type: str | None = None):
        """(source, attrs) for each edge entering node_id, optionally of one type."""
        if edge_type is None:
            return [(u, a) for u, keyed in self.G._pred[node_id].items() for a in keyed.values()]
        by_type = self._in.get(node_id)
        if by_type is None:
            nbrs = self.G._pred.get(node_id)
            if nbrs is None:
                return []
            # in the order networkx lists the graph's edges: by the source's place among the nodes
            if self._positions is None:
                self._positions = {n: i for i, n in enumerate(self.G._node)}
            by_type = self._in[node_id] = _by_type(sorted(nbrs.items(), key=lambda item: self._positions[item[0]]))
        return by_type.get(edge_type, [])

    def reaching(self, kind: str, population_edge: str) -> dict[tuple[str, str], list[str]]:
        """{(place, population): the records of `kind` that cover the place and reach the
        population by `population_edge` ("serves", "targets")}, built once per graph like the
        typed edges: a question about one group in one place looks its few candidates up
        instead of testing every record that covers the country."""
        key = (kind, population_edge)
        if key not in self._reach:
            self._reach[key] = self._reaching(kind, population_edge)
        return self._reach[key]

    @gc_paused
    def _reaching(self, kind: str, population_edge: str) -> dict[tuple[str, str], list[str]]:
        index: dict[tuple[str, str], list[str]] = {}
        for n, a in self.G._node.items():
            if a.get("kind") != kind:
                continue
            edges = _by_type(self.G._succ[n].items())  # not kept: most records are never asked about
            for place, _ in edges.get("covers", []):
                for population, _ in edges.get(population_edge, []):
                    index.setdefault((place, population), []).append(n)
        return index

    def memo(self, name: str) -> dict:
        """A dictionary for values the queries derive from this graph's records (a record's
        view, a relation's evidence), kept for the graph's life like the typed edges: a graph
        is read-only once built, and an answer's rows repeat the same few records."""
        try:
            return self._memos[name]
        except KeyError:
            return self._memos.setdefault(name, {})

    def source_record(self, source_id: str) -> dict:
        """{'id', 'title', 'url', 'publisher'} for a source id (title falls back to the id)."""
        return dict(self._source_record(source_id))

    @per_graph
    def _source_record(self, source_id: str) -> dict:
        a = self.G.nodes[source_id] if source_id in self.G else {}
        out = {"id": source_id, "title": a.get("name", source_id)}
        for key in ("url", "publisher", "date"):
            if a.get(key):
                out[key] = a[key]
        return out

    def sources_of(self, *attr_dicts: dict) -> list[dict]:
        """The distinct source records cited by nodes/edges (attribute dicts), in order."""
        seen: list[str] = []
        for attrs in attr_dicts:
            for sid in attrs.get("sources", []):
                if sid not in seen:
                    seen.append(sid)
        return [self.source_record(s) for s in seen]

    # --- names --------------------------------------------------------------------------

    @property
    def index(self) -> NameIndex:
        """Every record's id, name, aliases and names in other scripts, folded for look-up
        (built once per set of names, kept on disk after: folding is most of a cold start)."""
        if self._index is None:
            # the entries are read twice, for the key and on a miss for the index, rather
            # than held: on a large graph they and their text were a fifth of its memory
            names = hashlib.sha256()
            for entry in self._name_entries():
                names.update(repr(entry).encode())
            key = digest(names.hexdigest(), Path(names_module.__file__), Path(__file__))
            self._index = remember("names", key, lambda: _build_index(self._name_entries()))
        return self._index

    def _name_entries(self):
        """(id, kind, name, other labels) of every record."""
        for n, a in self.G._node.items():
            labels = list(a.get("aliases", [])) + list(a.get("names", {}).values())
            if a.get("short_name"):
                labels.append(a["short_name"])
            yield n, a["kind"], a.get("name", n), labels

    def resolve(self, text: str, kinds: tuple[str, ...] | None = None, what: str | None = None) -> str:
        """The id of the one record named `text` (id, name, alias, any script), or of the one
        record whose name holds its words in a row (said through names.on_resolution), or
        raise NameNotFound with the candidates or the closest names.

        >>> g.resolve("Ниш", kinds=("place",))
        'nis'
        """
        matches = self.index.lookup(text, kinds)
        label = what or ("/".join(kinds) if kinds else "record")
        if not matches:  # a part of one name only ('Youth Integration') names that record
            partial = self.index.partial(text, kinds)
            if len(partial) > 1 and kinds is None:  # a source's title repeats the name it is about
                records = [m for m in partial if m.kind != "source"]
                partial = records if len(records) == 1 else partial
            if len(partial) == 1:
                note_resolution(text, partial[0])
                return partial[0].id
            if partial:
                options = ", ".join(f"{m.name} ({m.kind} {m.id})" for m in partial[:8])
                more = f" and {len(partial) - 8} more" if len(partial) > 8 else ""
                raise NameNotFound(f"{text!r} is part of several names: {options}{more}; give more of the name",
                                   [m.name for m in partial[:8]])
            close = self.index.closest(text, kinds)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise NameNotFound(f"no {label} {text!r}{hint}", close)
        if len(matches) > 1:
            exact = [m for m in matches if m.id == text]
            if exact:
                return exact[0].id
            options = ", ".join(f"{m.name} ({m.kind} {m.id})" for m in matches)
            raise NameNotFound(f"{text!r} names several records: {options}; use an id")
        return matches[0].id

    # --- hierarchies --------------------------------------------------------------------

    def parents(self, node_id: str) -> list[str]:
        """Direct parents in the node's own hierarchy (place in place, group in group, ...)."""
        if self._parents is None:
            self._parents = self._hierarchy_parents()
        return self._parents.get(node_id, [])

    @gc_paused
    def _hierarchy_parents(self) -> dict[str, list[str]]:
        parents: dict[str, list[str]] = {}
        nodes = self.G._node
        for u, nbrs in self.G._succ.items():  # networkx's edge order, without its views
            for v, keyed in nbrs.items():
                for a in keyed.values():
                    if a["type"] == HIERARCHY_EDGE and nodes[u]["kind"] == nodes[v]["kind"]:
                        parents.setdefault(u, []).append(v)
        return parents

    def children(self, node_id: str) -> list[str]:
        """Direct children in the node's own hierarchy."""
        if self._children is None:
            children: dict[str, list[str]] = {}
            for n in self.G:
                for p in self.parents(n):
                    children.setdefault(p, []).append(n)
            self._children = children
        return self._children.get(node_id, [])

    def descendants(self, node_id: str) -> set[str]:
        """Everything below the node in its own hierarchy (not the node itself)."""
        out: set[str] = set()
        frontier = [node_id]
        while frontier:
            nxt = [c for n in frontier for c in self.children(n) if c not in out]
            out.update(nxt)
            frontier = nxt
        return out

    def ancestors(self, node_id: str) -> list[tuple[str, int]]:
        """[(id, distance)] from the node itself (0) up through its hierarchy, nearest first."""
        out: list[tuple[str, int]] = [(node_id, 0)]
        seen = {node_id}
        frontier = [node_id]
        depth = 0
        while frontier:
            depth += 1
            nxt = []
            for n in frontier:
                for p in self.parents(n):
                    if p not in seen:
                        seen.add(p)
                        out.append((p, depth))
                        nxt.append(p)
            frontier = nxt
        return out

    def country_of(self, node_id: str) -> str | None:
        """The country a place lies in (or is), or the country an actor is located in."""
        if node_id not in self._countries:
            self._countries[node_id] = self._find_country(node_id)
        return self._countries[node_id]

    def _find_country(self, node_id: str) -> str | None:
        if self.kind(node_id) != "place":  # the first of its places that lies in a country
            located = (v for v, a in self.out_edges(node_id) if a["type"] == "located_in")
            return next((c for place in located if (c := self.country_of(place))), None)
        for anc, _ in self.ancestors(node_id):
            if self.node(anc).get("level") == "country":
                return anc
        return None

    def describe_place(self, place_id: str) -> str:
        """'Niš (municipality, Nišava district, Serbia)'."""
        a = self.node(place_id)
        chain = [self.name(p) + (" district" if self.node(p).get("level") == "district" else "")
                 for p, d in self.ancestors(place_id)[1:] if self.node(p).get("level") != "region"]
        return f"{a.get('name', place_id)} ({', '.join([a.get('level', 'place')] + chain)})"

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Records by kind and edges by type, every kind and type listed."""
        kinds = {k: 0 for k in NODE_KINDS}
        for _, a in self.G.nodes(data=True):
            kinds[a["kind"]] = kinds.get(a["kind"], 0) + 1
        types: dict[str, int] = {}
        for _, _, a in self.G.edges(data=True):
            types[a["type"]] = types.get(a["type"], 0) + 1
        return kinds, dict(sorted(types.items()))
