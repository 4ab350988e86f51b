"""Exports for the tools people already use: Gephi (GraphML, GEXF), JSON, a CSV folder and a
workbook that Kumu imports.

    snap = snapshot(g, audience="public")
    export(snap, "gexf", "balkans.gexf")

Every export starts from a Snapshot: what `audience` may see and nothing else, not even as an
id inside another record's attribute (a citation of an internal source, an internal population
of a referral); without the loaders' `origin` bookkeeping; in a stable order, so that the same
data always gives the same bytes. Every write is atomic: a temporary file (or folder) beside
the target, renamed over it once complete.

The JSON and XLSX exports carry everything needed to load them again (`--data export.json`,
`--data export.xlsx`) into an equal graph.
"""
from __future__ import annotations

import contextlib
import csv
import functools
import gc
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from loaders.files import LIST_SEPARATOR

from . import dates
from .model import StakeholderGraph
from .schema import COMMON_FIELDS, EDGE_ATTRS, NODE_KINDS, RELATION_FIELDS, RELATIONS_PLURAL, visible_to
from .style import node_colour, rgb

FORMATS = ("graphml", "gexf", "json", "csv", "xlsx")
TEXT_FORMATS = ("graphml", "gexf", "json")  # single files that can go to stdout
CSV_FILES = ("nodes.csv", "edges.csv", "sources.csv")
KIND_ORDER = {kind: i for i, kind in enumerate(NODE_KINDS)}

# Above this many nodes the force layout takes too long for an export; the geographic
# layout (places at their coordinates, actors and services around them) is linear.
FORCE_LAYOUT_LIMIT = 5000
GEPHI_SCALE = 1000.0  # positions in [-1000, 1000]

# Kumu: sheets named "Elements" and "Connections" are imported, "... (ignore)" ones skipped;
# several values in one cell are separated by "|".
KUMU_ELEMENTS = ("ID", "Label", "Type", "Description", "Tags", "Sector", "Level", "Start", "End", "Sources")
KUMU_CONNECTIONS = ("From", "To", "Type", "Description", "Role", "Populations", "Start", "End", "Sources")
KUMU_SEPARATOR = "|"
KUMU_IGNORED = " (ignore)"
KUMU_TAG_FIELDS = ("roles", "types")


class ExportError(ValueError):
    """The export cannot be written where asked (a missing folder, a folder of other files)."""


def gc_paused(func):
    """Run `func` with Python's cyclic garbage collector paused. Copying a large graph makes
    millions of small objects, and each allocation burst triggers a full rescan of everything
    alive: on 80,000 nodes the collector alone took twice as long as the copy."""
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


@dataclass
class Snapshot:
    """What an export holds: records other than sources with the relations between them,
    and the source records, in a stable order."""

    graph: StakeholderGraph
    sources: list[dict]  # {"id": ..., "kind": "source", "name": title, "url": ..., ...}
    audience: str = "public"
    filters: dict = field(default_factory=dict)  # the filters in effect, for the record


@gc_paused
def snapshot(g: StakeholderGraph, audience: str = "public", filters: dict | None = None) -> Snapshot:
    """The part of `g` that `audience` may see, cleaned and sorted for export."""
    nodes = g.G.nodes
    visible = {n for n, a in nodes(data=True) if visible_to(a.get("sensitivity", "public"), audience)}

    def clean(attrs: dict) -> dict:
        out = {k: v for k, v in attrs.items() if k != "origin"}
        for key in ("sources", "populations"):  # ids, some of records above the audience
            if key in out:
                out[key] = [i for i in out[key] if i in visible]
        return out

    G = nx.MultiDiGraph()
    sources = []
    for n in sorted(visible, key=lambda n: (KIND_ORDER.get(nodes[n]["kind"], len(KIND_ORDER)), n)):
        attrs = clean(nodes[n])
        if attrs["kind"] == "source":
            sources.append({"id": n, **attrs})
        else:
            G.add_node(n, **attrs)
    edges = (
        (u, v, k, a) for u, v, k, a in g.G.edges(keys=True, data=True)
        if u in G and v in G and visible_to(a.get("sensitivity", "public"), audience)
    )
    for u, v, k, a in sorted(edges, key=lambda e: (e[0], e[2], e[1])):
        G.add_edge(u, v, key=k, **clean(a))
    return Snapshot(StakeholderGraph(G), sources, audience, dict(filters or {}))


# --- cells and columns ---------------------------------------------------------------------


def cell_text(value) -> str:
    """A value as one CSV or spreadsheet cell that the loaders read back to the same value:
    list items joined by '; ' (one per line instead when an item holds ';'), mappings as
    'key=value' items."""
    if isinstance(value, dict):
        value = [f"{k}={v}" for k, v in value.items()]
    if isinstance(value, list):
        items = [str(v) for v in value]
        if any(LIST_SEPARATOR in item for item in items):
            return "".join(item + "\n" for item in items)
        return f"{LIST_SEPARATOR} ".join(items)
    return str(value)


def sheet_columns(kind: str, links: bool = True) -> list[str]:
    """The columns of a kind's sheet or CSV file, in the order people fill them in: id, name,
    the kind's own fields, its links (ids of other records), then the common fields.
    `kind` may also be "relations"."""
    if kind == RELATIONS_PLURAL:
        return [*RELATION_FIELDS, *EDGE_ATTRS]
    spec = NODE_KINDS[kind]
    common = [f for f in COMMON_FIELDS if f != "name"]
    return ["id", "name", *spec.fields, *(spec.links if links else ()), *common]


def _node_columns() -> list[str]:
    """Columns of a table mixing every kind: id, kind, then each field once."""
    columns = ["id", "kind"]
    for kind in NODE_KINDS:
        columns += [c for c in sheet_columns(kind, links=False) if c not in columns]
    return columns


def _present(columns, rows: list[dict]) -> list[str]:
    """The columns some row has a value for (always the first), in the given order."""
    used = {key for row in rows for key in row}
    return [c for i, c in enumerate(columns) if i == 0 or c in used]


def _node_rows(snap: Snapshot, kind: str | None = None) -> list[dict]:
    return [{"id": n, **a} for n, a in snap.graph.G.nodes(data=True) if kind in (None, a["kind"])]


def _edge_rows(snap: Snapshot) -> list[dict]:
    return [{"from": u, "to": v, **a} for u, v, a in snap.graph.G.edges(data=True)]


# --- atomic writes -------------------------------------------------------------------------


def _default_mode(directory: bool) -> int:
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if directory else 0o666) & ~umask


@contextlib.contextmanager
def atomic_file(path: Path):
    """Yield a temporary path beside `path`; when the block succeeds it replaces `path`."""
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise ExportError(f"{path.parent}: no such folder")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _default_mode(directory=False))
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_folder(path: Path, owned: tuple[str, ...]):
    """Yield a temporary folder beside `path`; when the block succeeds it takes the place of
    `path`. An existing `path` is replaced only if it holds nothing but `owned` files (an
    earlier export), so a folder of other files is never deleted."""
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise ExportError(f"{path} is a file; give a folder name")
        others = sorted(p.name for p in path.iterdir() if p.name not in owned)
        if others:
            raise ExportError(
                f"{path} already holds other files ({', '.join(others[:3])}); choose a new folder"
            )
    if not path.parent.is_dir():
        raise ExportError(f"{path.parent}: no such folder")
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield tmp
        os.chmod(tmp, _default_mode(directory=True))
        if path.exists():
            old = tmp.with_name(tmp.name + ".old")
            os.rename(path, old)
            os.rename(tmp, path)
            shutil.rmtree(old)
        else:
            os.rename(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- Gephi: GraphML and GEXF ---------------------------------------------------------------

FIELD_TYPES = {
    name: spec.type for kind in NODE_KINDS.values() for name, spec in kind.all_fields.items()
}


def _gephi_attrs(attrs: dict, urls: dict[str, str]) -> dict:
    """Attributes with one type each: numbers and years as numbers, dates as text plus their
    year as a number (for Gephi's range filters), lists as text; the URLs of the sources."""
    out = {}
    for name, value in attrs.items():
        if name in ("start", "end"):
            out[f"{name}_date"] = value
            out[f"{name}_year"] = int(value[:4])
        elif FIELD_TYPES.get(name) == "number":
            out[name] = float(value)
        elif FIELD_TYPES.get(name) == "year":
            out[name] = int(value)
        else:
            out[name] = cell_text(value)
    cited = [urls[s] for s in attrs.get("sources", []) if urls.get(s)]
    if cited:
        out["source_urls"] = " ".join(cited)
    return out


def gephi_graph(snap: Snapshot) -> nx.MultiDiGraph:
    """A copy for Gephi: a `label` on every node and edge, the edge type as `relation`
    (GEXF reserves `type`), every value a str, int or float."""
    urls = {s["id"]: s["url"] for s in snap.sources if s.get("url")}
    F = nx.MultiDiGraph()
    for n, a in snap.graph.G.nodes(data=True):
        F.add_node(n, label=a.get("name", n), **_gephi_attrs(a, urls))
    for u, v, k, a in snap.graph.G.edges(keys=True, data=True):
        rest = {name: value for name, value in a.items() if name != "type"}
        F.add_edge(u, v, key=k, label=a["type"], relation=a["type"], **_gephi_attrs(rest, urls))
    return F


def positions(g: StakeholderGraph) -> dict[str, tuple[float, float]]:
    """Seeded positions scaled into [-1, 1]: the force layout, or for graphs above
    FORCE_LAYOUT_LIMIT nodes the geographic one."""
    from .layout import force_layout, geo_layout

    pos = force_layout(g, seed=42) if len(g.G) <= FORCE_LAYOUT_LIMIT else geo_layout(g)
    scale = max((max(abs(x), abs(y)) for x, y in pos.values()), default=0.0) or 1.0
    return {n: (x / scale, y / scale) for n, (x, y) in pos.items()}


def _spell(attrs: dict) -> None:
    """Turn start/end dates into a GEXF time interval (partial dates cover their whole span)."""
    start, end = attrs.get("start_date"), attrs.get("end_date")
    if start or end:
        attrs["spells"] = [(
            dates.first_day(start).isoformat() if start else None,
            dates.last_day(end).isoformat() if end else None,
        )]


def write_graphml(snap: Snapshot, path: Path) -> None:
    F = gephi_graph(snap)
    with atomic_file(path) as tmp:
        nx.write_graphml(F, tmp)


def write_gexf(snap: Snapshot, path: Path) -> None:
    """GEXF 1.2 with node colours (actors by sector), seeded positions, and the dates of
    records and relations as time intervals for Gephi's timeline."""
    F = gephi_graph(snap)
    pos = positions(snap.graph)
    for n, a in F.nodes(data=True):
        r, g, b = rgb(node_colour(snap.graph.node(n)))
        x, y = pos[n]
        a["viz"] = {
            "color": {"r": r, "g": g, "b": b, "a": 1.0},
            "position": {"x": round(x * GEPHI_SCALE, 3), "y": round(-y * GEPHI_SCALE, 3), "z": 0.0},
        }
        _spell(a)
    for _, _, a in F.edges(data=True):
        _spell(a)
    with atomic_file(path) as tmp:
        nx.write_gexf(F, tmp)


# --- JSON ----------------------------------------------------------------------------------

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


def write_json(snap: Snapshot, path: Path) -> None:
    with atomic_file(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(node_link(snap), f, ensure_ascii=False, indent=1)
            f.write("\n")


# --- CSV folder ----------------------------------------------------------------------------


def _write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    columns = _present(columns, rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell_text(row[c]) if c in row else "" for c in columns])


def write_csv_folder(snap: Snapshot, path: Path) -> None:
    """nodes.csv (every kind, with a `kind` column), edges.csv (the columns of relations.csv)
    and sources.csv; sources as ids."""
    with atomic_folder(path, CSV_FILES) as tmp:
        _write_csv(tmp / "nodes.csv", _node_rows(snap), _node_columns())
        _write_csv(tmp / "edges.csv", _edge_rows(snap), sheet_columns(RELATIONS_PLURAL))
        _write_csv(tmp / "sources.csv", snap.sources, sheet_columns("source"))


# --- XLSX (Kumu) ---------------------------------------------------------------------------


def kind_label(kind: str) -> str:
    """'exploitation_form' -> 'Exploitation form'."""
    return kind.replace("_", " ").capitalize()


def _kumu_list(values) -> str | None:
    return KUMU_SEPARATOR.join(map(str, values)) if values else None


def _kumu_element(node_id: str, a: dict) -> list:
    tags = [t for name in KUMU_TAG_FIELDS for t in a.get(name, [])]
    return [
        node_id, a.get("name", node_id), kind_label(a["kind"]), a.get("description"),
        _kumu_list(tags), a.get("sector"), a.get("level"), a.get("start"), a.get("end"),
        _kumu_list(a.get("sources")),
    ]


def _kumu_connection(u: str, v: str, a: dict) -> list:
    return [
        u, v, a["type"], a.get("note"), a.get("role"), _kumu_list(a.get("populations")),
        a.get("start"), a.get("end"), _kumu_list(a.get("sources")),
    ]


class SheetWriter:
    """Rows into an openpyxl sheet: lists as cells the loaders read back, numbers as numbers,
    text as text (never a formula, even when it starts with '=')."""

    def __init__(self, workbook, title: str, columns):
        from openpyxl.cell import WriteOnlyCell

        self._cell = WriteOnlyCell
        self.sheet = workbook.create_sheet(title)
        self.sheet.append(list(columns))

    def value(self, value):
        if isinstance(value, (list, dict)):
            value = cell_text(value)
        if isinstance(value, str) and value.startswith("="):
            cell = self._cell(self.sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    def append(self, values) -> None:
        self.sheet.append([self.value(v) for v in values])

    def records(self, rows: list[dict], columns: list[str]) -> None:
        for row in rows:
            self.append([row.get(c) for c in columns])


def write_xlsx(snap: Snapshot, path: Path) -> None:
    """Sheets "Elements" and "Connections" for Kumu (ids in From/To), then one sheet per kind
    and "relations" (named "... (ignore)" so Kumu skips them) that load back as data."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    elements = SheetWriter(wb, "Elements", KUMU_ELEMENTS)
    for n, a in snap.graph.G.nodes(data=True):
        elements.append(_kumu_element(n, a))
    connections = SheetWriter(wb, "Connections", KUMU_CONNECTIONS)
    for u, v, a in snap.graph.G.edges(data=True):
        connections.append(_kumu_connection(u, v, a))
    tables = {kind: _node_rows(snap, kind) for kind in NODE_KINDS if kind != "source"}
    tables["source"] = snap.sources
    tables[RELATIONS_PLURAL] = _edge_rows(snap)
    for kind, rows in tables.items():
        if rows or kind == "source":
            columns = _present(sheet_columns(kind, links=False), rows)
            plural = NODE_KINDS[kind].plural if kind in NODE_KINDS else kind
            SheetWriter(wb, plural + KUMU_IGNORED, columns).records(rows, columns)
    with atomic_file(path) as tmp:
        wb.save(tmp)


# --- all formats ---------------------------------------------------------------------------

WRITERS = {
    "graphml": write_graphml,
    "gexf": write_gexf,
    "json": write_json,
    "csv": write_csv_folder,
    "xlsx": write_xlsx,
}


@gc_paused
def export(snap: Snapshot, fmt: str, path) -> None:
    """Write `snap` as `fmt` (one of FORMATS) to `path` (a folder for csv), atomically."""
    WRITERS[fmt](snap, Path(path))
