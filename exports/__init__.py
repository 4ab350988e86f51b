"""Every writer: GraphML and GEXF (Gephi), JSON node-link, a CSV folder, a Kumu workbook, the
partners' template, and the push to a Neo4j server (exports.neo4j).

    snap = snapshot(g, Filters(audience="public"))
    export(snap, "gexf", "balkans.gexf")          # atomically
    export_to_stream(snap, "json", sys.stdout.buffer)

Writers stream bytes to a binary file (or, for the CSV folder, return the files' bytes);
the atomic write lives in exports.files. Every export starts from a Snapshot (what the
audience may see, in a stable order), so the same data always gives the same bytes.
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from stakeholder_graph.exports.files import write_file, write_folder
from stakeholder_graph.exports.gephi import write_gexf, write_graphml
from stakeholder_graph.exports.nodelink import write_json
from stakeholder_graph.exports.snapshot import Snapshot, snapshot
from stakeholder_graph.exports.tables import CSV_FILES, csv_files
from stakeholder_graph.graph.model import gc_paused

__all__ = ["FORMATS", "STREAM_FORMATS", "Snapshot", "export", "export_to_stream", "snapshot"]

STREAM_FORMATS = ("graphml", "gexf", "json")  # single files that can go to stdout
FORMATS = (*STREAM_FORMATS, "csv", "xlsx")


def _write_xlsx(snap: Snapshot, out: BinaryIO) -> None:
    from stakeholder_graph.exports.kumu import write_xlsx  # openpyxl: only when asked for

    write_xlsx(snap, out)


FILE_WRITERS = {"graphml": write_graphml, "gexf": write_gexf, "json": write_json, "xlsx": _write_xlsx}


@gc_paused
def export(snap: Snapshot, fmt: str, path) -> None:
    """Write `snap` as `fmt` (one of FORMATS) to `path` (a folder for csv), atomically.
    Raises ExportError when `path` cannot be written."""
    if fmt == "csv":
        write_folder(Path(path), csv_files(snap), CSV_FILES)
    else:
        write_file(Path(path), lambda out: FILE_WRITERS[fmt](snap, out))


@gc_paused
def export_to_stream(snap: Snapshot, fmt: str, out: BinaryIO) -> None:
    """Write `snap` as `fmt` (one of STREAM_FORMATS) to an open binary stream."""
    if fmt not in STREAM_FORMATS:
        raise ValueError(f"{fmt} is not a single-stream format; one of {', '.join(STREAM_FORMATS)}")
    FILE_WRITERS[fmt](snap, out)
