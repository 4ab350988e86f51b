"""Every writer: GraphML and GEXF (Gephi), JSON node-link, FollowTheMoney entities (Aleph), a
CSV folder, an HSDS 3.0 folder (Open Referral), a Kumu workbook, the partners' template, and the
push to a Neo4j server (exports.neo4j).

    snap = snapshot(g, Filters(audience="public"))    # exports.snapshot
    export(snap, "gexf", "balkans.gexf")          # atomically
    export_to_stream(snap, "json", sys.stdout.buffer)

Writers stream bytes to a binary file (or, for the CSV folder, return the files' bytes);
the atomic write lives in exports.files. Every export starts from a Snapshot (what the
audience may see, in a stable order), so the same data always gives the same bytes.
The writers load on first use: importing this package for FORMATS stays light.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from stakeholder_graph.exports.snapshot import Snapshot

__all__ = ["FORMATS", "STREAM_FORMATS", "export", "export_to_stream"]

STREAM_FORMATS = ("graphml", "gexf", "json", "ftm")  # single files that can go to stdout
FOLDER_FORMATS = ("csv", "hsds")  # written as a folder of files
FORMATS = (*STREAM_FORMATS, *FOLDER_FORMATS, "xlsx")


def _writer(fmt: str):
    """The function that streams `fmt` (openpyxl and networkx load only when asked for)."""
    if fmt in ("graphml", "gexf"):
        from stakeholder_graph.exports import gephi

        return gephi.write_graphml if fmt == "graphml" else gephi.write_gexf
    if fmt == "json":
        from stakeholder_graph.exports.nodelink import write_json

        return write_json
    if fmt == "ftm":
        from stakeholder_graph.exports.ftm import write_ftm

        return write_ftm
    if fmt == "xlsx":
        from stakeholder_graph.exports.kumu import write_xlsx

        return write_xlsx
    raise ValueError(f"{fmt!r} is not a file format; one of {', '.join(FORMATS)}")


def export(snap: Snapshot, fmt: str, path, *, csv_raw: bool = False) -> dict[str, int] | None:
    """Write `snap` as `fmt` (one of FORMATS) to `path` (a folder for csv and hsds), atomically.
    CSV cells that a spreadsheet would run as formulas get a leading ' unless `csv_raw`.
    Returns the rows per table for hsds (None for the others). Raises ExportError when `path`
    cannot be written."""
    from stakeholder_graph.graph.model import gc_paused

    return gc_paused(_export)(snap, fmt, Path(path), csv_raw)


def _export(snap: Snapshot, fmt: str, path: Path, csv_raw: bool = False) -> dict[str, int] | None:
    from stakeholder_graph.exports.files import write_file, write_folder

    if fmt == "csv":
        from stakeholder_graph.exports.tables import CSV_FILES, csv_files

        write_folder(path, csv_files(snap, csv_raw), CSV_FILES)
    elif fmt == "hsds":
        from stakeholder_graph.exports.hsds import HSDS_FILES, hsds_files

        files, rows = hsds_files(snap, raw=csv_raw)
        write_folder(path, files, HSDS_FILES)
        return rows
    else:
        write = _writer(fmt)
        write_file(path, lambda out: write(snap, out))
    return None


def export_to_stream(snap: Snapshot, fmt: str, out: BinaryIO) -> None:
    """Write `snap` as `fmt` (one of STREAM_FORMATS) to an open binary stream."""
    from stakeholder_graph.graph.model import gc_paused

    if fmt not in STREAM_FORMATS:
        raise ValueError(f"{fmt} is not a single-stream format; one of {', '.join(STREAM_FORMATS)}")
    gc_paused(_writer(fmt))(snap, out)
