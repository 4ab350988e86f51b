"""JSON for scripts: networkx node-link data (edges under "edges") plus the table of sources,
keys in a fixed order so two exports diff cleanly. It loads back as data (`--data FILE.json`,
loaders.nodelink)."""
from __future__ import annotations

import io
import json
from typing import BinaryIO

from stakeholder_graph.exports.snapshot import Snapshot
from stakeholder_graph.viz.text import json_inert

LEADING_KEYS = ("id", "kind", "name", "source", "target", "key", "type")


def _ordered(item: dict) -> dict:
    """Keys in a fixed order: the identifying ones first, then alphabetical."""
    first = [k for k in LEADING_KEYS if k in item]
    return {k: item[k] for k in first + sorted(set(item) - set(first))}


def node_link(snap: Snapshot) -> dict:
    """networkx node-link data (edges under "edges") plus the table of sources."""
    graph = {"audience": snap.audience}
    if snap.filters:
        graph["filters"] = snap.filters
    return {
        "directed": True,
        "multigraph": True,
        "graph": graph,
        "nodes": [_ordered({"id": n, **a}) for n, a in snap.graph.G.nodes(data=True)],
        "edges": [
            _ordered({"source": u, "target": v, "key": k, **a})
            for u, v, k, a in snap.graph.G.edges(keys=True, data=True)
        ],
        "sources": [_ordered(s) for s in snap.sources],
    }


def write_json(snap: Snapshot, out: BinaryIO) -> None:
    """UTF-8 JSON with no raw control character (DEL, C1 and lone surrogates as \\u escapes,
    viz.text.json_inert), so it is always encodable and inert on a terminal."""
    text = _Inert(io.TextIOWrapper(out, encoding="utf-8", newline="\n"))
    json.dump(node_link(snap), text, ensure_ascii=False, indent=1)
    text.write("\n")
    text.stream.detach()  # flushes, and leaves the stream open for the caller


class _Inert:
    """Writes json.dump's chunks through json_inert (it works character by character)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, chunk: str) -> int:
        return self.stream.write(json_inert(chunk))
