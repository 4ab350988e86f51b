"""A workbook (.xlsx) that Kumu imports and the loaders read back.

Kumu imports the sheets "Elements" and "Connections" and skips sheets named "... (ignore)";
those hold one sheet per kind of record and "relations", which load back as data
(`--data FILE.xlsx`, loaders.workbook). openpyxl is imported only when a workbook is written.
"""
from __future__ import annotations

from typing import BinaryIO

from stakeholder_graph.exports.snapshot import Snapshot
from stakeholder_graph.exports.tables import cell_text, edge_rows, node_rows, present
from stakeholder_graph.graph.schema import NODE_KINDS, RELATIONS_PLURAL, columns, plural
from stakeholder_graph.viz.style import kind_label
from stakeholder_graph.viz.text import xml_text

ELEMENTS = ("ID", "Label", "Type", "Description", "Tags", "Sector", "Level", "Start", "End", "Basis", "Rule", "Sources")
CONNECTIONS = ("From", "To", "Type", "Description", "Role", "Populations", "Start", "End", "Basis", "Rule", "Sources")
SEPARATOR = "|"  # several values in one Kumu cell
IGNORED = " (ignore)"
TAG_FIELDS = ("roles", "types")


def _kumu_list(values) -> str | None:
    return SEPARATOR.join(map(str, values)) if values else None


def _element(node_id: str, a: dict) -> list:
    tags = [t for name in TAG_FIELDS for t in a.get(name, [])]
    return [
        node_id, a.get("name", node_id), kind_label(a["kind"]).capitalize(), a.get("description"),
        _kumu_list(tags), a.get("sector"), a.get("level"), a.get("start"), a.get("end"),
        a.get("basis"), a.get("rule"), _kumu_list(a.get("sources")),
    ]


def _connection(u: str, v: str, a: dict) -> list:
    return [
        u, v, a["type"], a.get("note"), a.get("role"), _kumu_list(a.get("populations")),
        a.get("start"), a.get("end"), a.get("basis"), a.get("rule"), _kumu_list(a.get("sources")),
    ]


class SheetWriter:
    """Rows into an openpyxl sheet: lists as cells the loaders read back, numbers as numbers,
    text as text (never a formula, even when it starts with '='), with the characters XML
    forbids as visible escapes (viz.text.xml_text)."""

    def __init__(self, workbook, title: str, names):
        from openpyxl.cell import WriteOnlyCell

        self._cell = WriteOnlyCell
        self.sheet = workbook.create_sheet(title)
        self.sheet.append(list(names))

    def value(self, value):
        if isinstance(value, (list, dict)):
            value = cell_text(value)
        if isinstance(value, str):  # what XML forbids (openpyxl refuses it) as visible escapes
            value = xml_text(value)
        if isinstance(value, str) and value.startswith("="):
            cell = self._cell(self.sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    def append(self, values) -> None:
        self.sheet.append([self.value(v) for v in values])

    def records(self, rows: list[dict], names: list[str]) -> None:
        for row in rows:
            self.append([row.get(c) for c in names])


def write_xlsx(snap: Snapshot, out: BinaryIO) -> None:
    """Sheets "Elements" and "Connections" for Kumu (ids in From/To), then one sheet per kind
    and "relations" (named "... (ignore)" so Kumu skips them) that load back as data."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    elements = SheetWriter(wb, "Elements", ELEMENTS)
    for n, a in snap.graph.G.nodes(data=True):
        elements.append(_element(n, a))
    connections = SheetWriter(wb, "Connections", CONNECTIONS)
    for u, v, a in snap.graph.G.edges(data=True):
        connections.append(_connection(u, v, a))
    tables = {kind: node_rows(snap, kind) for kind in NODE_KINDS if kind != "source"}
    tables["source"] = snap.sources
    tables[RELATIONS_PLURAL] = edge_rows(snap)
    for kind, rows in tables.items():
        if rows or kind == "source":
            names = present(columns(kind, links=False), rows)
            SheetWriter(wb, plural(kind) + IGNORED, names).records(rows, names)
    wb.save(out)
