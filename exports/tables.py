"""Tables: a CSV folder (nodes.csv, edges.csv, sources.csv), and the cells and rows the
workbook writers share.

Every cell is written so that the loaders read it back to the same value: list items joined
by '; ' (one per line instead when an item holds ';'), mappings as 'key=value' items. In the
CSV folder, text that a spreadsheet would run as a formula gets a leading ' (csv_files).
"""
from __future__ import annotations

import csv
import io

from stakeholder_graph.graph.schema import LIST_SEPARATOR, NODE_KINDS, RELATIONS_PLURAL, columns
from stakeholder_graph.viz.text import csv_cell

CSV_FILES = ("nodes.csv", "edges.csv", "sources.csv")


def cell_text(value) -> str:
    """A value as one CSV or spreadsheet cell that the loaders read back to the same value:
    list items joined by '; ' (one per line when an item holds ';'), mappings and channels as
    'key=value' items ('sr-Cyrl=Ниш', 'website=https://...')."""
    if isinstance(value, dict):
        value = [f"{k}={v}" for k, v in value.items()]
    if isinstance(value, list):
        items = [f"{v['type']}={v['value']}" if isinstance(v, dict) else str(v) for v in value]
        if any(LIST_SEPARATOR in item for item in items):
            return "".join(f"{item}\n" for item in items)  # the loaders split such a cell by line
        return f"{LIST_SEPARATOR} ".join(items)
    return "" if value is None else str(value)


def node_columns() -> list[str]:
    """Columns of a table mixing every kind: id, kind, then each field once."""
    out = ["id", "kind"]
    for kind in NODE_KINDS:
        out += [c for c in columns(kind, links=False) if c not in out]
    return out


def present(names, rows: list[dict]) -> list[str]:
    """The columns some row has a value for (always the first), in the given order."""
    used = {key for row in rows for key in row}
    return [c for i, c in enumerate(names) if i == 0 or c in used]


def node_rows(snap, kind: str | None = None) -> list[dict]:
    return [{"id": n, **a} for n, a in snap.graph.G.nodes(data=True) if kind in (None, a["kind"])]


def edge_rows(snap) -> list[dict]:
    return [{"from": u, "to": v, **a} for u, v, a in snap.graph.G.edges(data=True)]


def csv_bytes(rows: list[dict], names: list[str], raw: bool = False) -> bytes:
    """A CSV file whose cells a spreadsheet never runs as formulas (viz.text.csv_cell, as
    `--format csv` writes them); `raw` writes them as the data has them."""
    names = present(names, rows)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(names)
    for row in rows:
        writer.writerow([csv_cell(row[c], cell_text(row[c]), raw) if c in row else "" for c in names])
    return buffer.getvalue().encode("utf-8")


def csv_files(snap, raw: bool = False) -> dict[str, bytes]:
    """nodes.csv (every kind, with a `kind` column), edges.csv (the columns of relations.csv)
    and sources.csv; sources as ids. Cells starting with =, +, -, @, tab or carriage return get
    a leading ' (OWASP's rule against formula injection) unless `raw`."""
    return {
        "nodes.csv": csv_bytes(node_rows(snap), node_columns(), raw),
        "edges.csv": csv_bytes(edge_rows(snap), columns(RELATIONS_PLURAL), raw),
        "sources.csv": csv_bytes(snap.sources, columns("source"), raw),
    }
