"""Read a workbook (.xlsx): one sheet per kind of record, like one CSV file per kind.

A sheet is named by the plural of its kind ("actors", "services", "relations", also
"actors-albania"); a trailing "(ignore)", which Kumu needs on sheets it should skip, is
allowed. The first row holds the column names (the field names of the YAML files), each
further row one record. Rows whose first cell starts with '#' are comments (the template's
examples) and are skipped. Sheets for people, not data ("README", "allowed values", and Kumu's
"Elements" and "Connections"), are skipped; any other sheet is reported and skipped.

Cells become text, as CSV cells are: numbers without a spurious '.0', dates as YYYY-MM-DD.
A list cell holds its items separated by ';', or one per line. Each row remembers its sheet
and row number, so an error names the sheet, the row and the column.

A workbook is a zip of XML parts; before openpyxl opens it, its zip directory is checked
against `Limits` (file size, inflated size, compression ratio, number of parts), so a zip bomb
is refused without inflating anything. The sizes in the directory are binding: Python's
zipfile stops a part at its stated size and fails its checksum if it would inflate further.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from stakeholder_graph.graph.errors import Origin, Problems
from stakeholder_graph.graph.schema import FILE_STEMS, kind_for_plural
from stakeholder_graph.loaders.files import RawRow
from stakeholder_graph.loaders.limits import MAX_ENTRIES, MAX_RATIO, MB, RATIO_FROM_BYTES, Limits

COMMENT_MARK = "#"
NOT_DATA_SHEETS = frozenset({"readme", "allowed values", "elements", "connections"})
_IGNORE_SUFFIX = re.compile(r"\s*\(ignore\)\s*$", re.IGNORECASE)


def sheet_kind(title: str) -> str | None:
    """The kind (or "relations") a sheet holds, "" for a sheet to skip quietly, None if unknown."""
    name = _IGNORE_SUFFIX.sub("", title).strip().lower()
    if name in NOT_DATA_SHEETS:
        return ""
    return kind_for_plural(name)


def cell_value_text(value) -> str:
    """A cell's value as CSV-like text ('' for an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # spaces around a value are slips; line breaks separate list items and are kept
    return str(value).strip(" \t")


# what openpyxl raises on a damaged workbook, when it opens it or reads its rows: malformed
# XML (ElementTree's ParseError is a SyntaxError), an entity expat refuses, a truncated part
UNREADABLE = (SyntaxError, ValueError, KeyError, IndexError, TypeError, OSError, zipfile.BadZipFile, EOFError)


def check_zip(path: Path, limits: Limits) -> str | None:
    """Why the workbook at `path` is refused before it is opened, or None: above the file size
    limit, too many parts, inflating above the limit, or a part compressed like a zip bomb.
    Reads only the zip directory."""
    try:
        size = path.stat().st_size
        too_big = limits.too_big(size)
        if too_big:
            return too_big
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        return f"cannot read the workbook: {exc}"
    if len(parts) > MAX_ENTRIES:
        return f"not a workbook this tool reads: {len(parts):,} parts in its zip (at most {MAX_ENTRIES:,})"
    for part in parts:
        if part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            ratio = part.file_size / max(part.compress_size, 1)
            return (f"the workbook's part {part.filename} is compressed {ratio:,.0f} to 1 (at most {MAX_RATIO} "
                    "to 1): a zip bomb, not a spreadsheet; refused unread")
    inflated = sum(p.file_size for p in parts)
    compressed = max(sum(p.compress_size for p in parts), 1)
    # the whole archive too: many parts each below RATIO_FROM_BYTES add up to a bomb as well
    if inflated > RATIO_FROM_BYTES and inflated > MAX_RATIO * compressed:
        return (f"the workbook is compressed {inflated / compressed:,.0f} to 1 over its {len(parts):,} parts (at most "
                f"{MAX_RATIO} to 1): a zip bomb, not a spreadsheet; refused unread")
    if inflated > limits.max_inflated_bytes:
        return (f"the workbook would inflate to {inflated / MB:,.0f} MB, above the limit of "
                f"{limits.max_inflated_bytes / MB:,.0f} MB (ten times --max-file-size); refused unread")
    return None


def read_workbook(path: Path, shown: str, problems: Problems,
                  limits: Limits | None = None) -> list[tuple[str, list[RawRow]]]:
    """[(kind or "relations", rows)] for each data sheet of the workbook."""
    refused = check_zip(path, limits or Limits.resolve())
    if refused:
        problems.error(Origin(shown), refused)
        return []
    try:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:
        problems.error(Origin(shown), "reading .xlsx files needs openpyxl: pip install 'stakeholder-graph[export]'")
        return []
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, *UNREADABLE) as exc:
        problems.error(Origin(shown), f"cannot read the workbook: {type(exc).__name__}: {exc}")
        return []
    tables = []
    sheet = None
    # shared strings are stored once and may be referenced by every cell: the text the cells
    # yield counts against the inflated limit, not only the zip's sizes
    budget = [(limits or Limits.resolve()).max_inflated_bytes]
    try:
        for sheet in workbook.worksheets:
            kind = sheet_kind(sheet.title)
            if kind is None:
                problems.warning(
                    Origin(shown, sheet=sheet.title),
                    f"sheet ignored: its name must be one of {', '.join(FILE_STEMS)}",
                )
            elif kind:
                tables.append((kind, _read_sheet(sheet, shown, problems, budget)))
    except UNREADABLE as exc:  # the sheets' XML is read row by row, after opening
        where = Origin(shown, sheet=sheet.title) if sheet is not None else Origin(shown)
        problems.error(where, f"cannot read the workbook: {type(exc).__name__}: {exc}")
        return []
    finally:
        workbook.close()
    return tables


MAX_ROWS = 1_048_576  # a spreadsheet's last row: a row number above it is no spreadsheet's
MAX_CELL_CHARS = 32_767  # a spreadsheet cell's longest text


def _read_sheet(sheet, shown: str, problems: Problems, budget: list[int]) -> list[RawRow]:
    from openpyxl.utils import get_column_letter

    sheet.reset_dimensions()  # some programs write wrong sheet sizes; read every row
    rows = sheet.iter_rows(values_only=True)
    header = [cell_value_text(h).strip() for h in next(rows, ())]
    named = [h for h in header if h]
    if len(set(named)) != len(named):
        repeated = sorted({h for h in named if named.count(h) > 1})
        problems.error(Origin(shown, 1, sheet.title), f"column names repeated: {', '.join(repeated)}")
        return []
    out = []
    for line, values in enumerate(rows, start=2):
        if line > MAX_ROWS:  # openpyxl yields every blank row up to the last row number
            problems.error(Origin(shown, line, sheet.title), f"a row beyond row {MAX_ROWS:,}, a spreadsheet's last")
            return out
        texts = [cell_value_text(v) for v in values]
        long = next((t for t in texts if len(t) > MAX_CELL_CHARS), None)
        if long is not None:
            problems.error(Origin(shown, line, sheet.title),
                           f"a cell of {len(long):,} characters, more than a spreadsheet cell holds ({MAX_CELL_CHARS:,})")
            return out
        budget[0] -= sum(map(len, texts))
        if budget[0] < 0:
            problems.error(Origin(shown, line, sheet.title), "the cells' text adds up to more than the "
                           "workbook may inflate to (ten times --max-file-size); refused")
            return out
        if not any(t.strip() for t in texts) or texts[0].strip().startswith(COMMENT_MARK):
            continue  # a blank row, or a comment such as the template's examples
        cells = {}
        for index, text in enumerate(texts):
            if not text.strip():
                continue
            column = header[index] if index < len(header) else ""
            if not column:
                problems.error(
                    Origin(shown, line, sheet.title, get_column_letter(index + 1)),
                    "a value in a column without a name in row 1",
                )
                continue
            cells[column] = text
        out.append(RawRow(cells, Origin(shown, line, sheet.title), {}, True))
    return out
