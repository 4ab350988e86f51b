"""The spreadsheet template partner NGOs fill in: `stakeholder-graph template -o records.xlsx`.

One sheet per kind of record plus "relations", with the column names the loaders expect
(row 1), a note on every column name (what it holds, its format, allowed values), drop-down
lists where a column takes one value from a vocabulary, a "README" sheet and an "allowed
values" sheet. Each sheet starts with example rows whose first cell starts with '#': the
loader skips them, so they never become data unless someone deletes the '#' on purpose; kept
that way they load cleanly together with the seed data.
"""
from __future__ import annotations

from importlib import resources
from typing import BinaryIO

from stakeholder_graph.graph.schema import (
    EDGE_ATTRS,
    EDGE_TYPES,
    NODE_KINDS,
    RELATION_FIELDS,
    RELATIONS_PLURAL,
    SELF_CITING_KINDS,
    VOCABULARIES,
    Field,
    Link,
    columns,
    plural,
)

EXAMPLE_SOURCE = "example-annual-report"
EXAMPLES: dict[str, list[dict]] = {  # ids of real seed records, so that a kept example loads
    "actor": [{
        "id": "# example-ngo", "name": "Example NGO", "sector": "ngo", "type": "ngo",
        "level": "local", "roles": "victim_assistance; prevention", "located_in": "nis",
        "member_of": "local-network-nis", "aliases": "ExNGO", "names": "sr-Cyrl=Пример",
        "description": "What the organisation does, in one or two sentences.",
        "sources": EXAMPLE_SOURCE,
    }],
    "service": [{
        "id": "# example-ngo-counselling", "name": "Counselling for child victims in Niš",
        "provider": "example-ngo", "types": "psychosocial_support",
        "referral_step": "protection_and_support", "serves": "children", "covers": "nis",
        "forms": "sexual-exploitation; forced-labour", "start": "2024-03",
        "sources": EXAMPLE_SOURCE,
    }],
    "project": [{
        "id": "# example-project", "name": "Example project for child victims",
        "lead": "example-ngo", "partners": "atina", "places": "nis", "targets": "children",
        "start": "2024", "end": "2025-06",
        "objectives": "Train 40 professionals in Niš\nOpen a drop-in centre",
        "sources": EXAMPLE_SOURCE,
    }],
    "place": [{
        "id": "# example-village", "name": "Example village", "level": "municipality",
        "parent": "serbia", "names": "sr-Cyrl=Пример; sr-Latn=Primer", "lat": 43.32, "lon": 21.9,
        "sources": EXAMPLE_SOURCE,
    }],
    "population": [{
        "id": "# example-children-in-street-situations", "name": "Children in street situations",
        "parent": "children", "vulnerable_to": "forced-begging", "sources": EXAMPLE_SOURCE,
    }],
    "indicator": [{
        "id": "# example-children-counselled", "name": "Children counselled in 2024",
        "value": 25, "unit": "children", "type": "achieved", "period": "2024",
        "project": "example-project", "population": "children",
        "statement": "25 children received counselling in 2024.", "sources": EXAMPLE_SOURCE,
    }],
    "assessment": [{
        "id": "# example-assessment", "name": "Example NGO's view of referrals in Niš",
        "subject": "nis", "assessor": "example-ngo", "instrument": "Example NGO annual review",
        "year": 2024, "value": "Improving", "sources": EXAMPLE_SOURCE,
    }],
    "publication": [{
        "id": "# example-leaflet", "name": "Where to get help (leaflet for children)",
        "type": "leaflet", "date": "2024-05", "publisher": "example-ngo",
        "audience": "children", "sources": EXAMPLE_SOURCE,
    }],
    "source": [{
        "id": f"# {EXAMPLE_SOURCE}", "name": "Example NGO annual report 2024",
        "publisher": "Example NGO", "url": "https://example.org/annual-report-2024",
        "date": "2025-01",
    }],
    RELATIONS_PLURAL: [{
        "type": "# refers_to", "from": "example-ngo", "to": "centre-for-protection-of-victims",
        "populations": "children", "note": "Refers presumed child victims for identification.",
        "sources": EXAMPLE_SOURCE,
    }],
}

README = """\
Records for the stakeholder graph of anti-trafficking actors (Serbia and the Western Balkans)

One sheet per kind of record (actors, services, projects, places, ...), and "relations" for
links that belong to no single record. Row 1 holds the column names: do not rename them. Each
further row is one record. Leave a cell empty when the source does not say; never guess.
Rows whose first cell starts with # are examples: they are not loaded. Delete them, or delete
the # to keep one as data.
Columns with a yellow name are required. Point at a column name to read what it holds.
id: a short stable name in lower case, digits, '-' or '_' (e.g. atina-drop-in-centre).
Several values in one cell: separate them with ; or put each on its own line (Alt+Enter).
Link columns (provider, serves, covers, located_in, ...) hold ids of other records, from this
workbook or from the seed data.
Dates: 2018, 2018-02 or 2018-02-01. names: other scripts, e.g. sr-Cyrl=Ниш; sr-Latn=Niš.
Every record cites its sources: add each source to the "sources" sheet and put its id in the
sources column of the records it supports.
sensitivity: public (the default), partners, or internal (never published, e.g. where a
shelter is).
Check the workbook before sending it: stakeholder-graph --data seed_data --data this.xlsx validate
Each problem is reported with its sheet, row and column.
"""

HEADER_FILL = "FFF2CC"  # required columns
EXAMPLE_FONT_COLOUR = "808080"
VALIDATED_ROWS = 5000
ALLOWED_SHEET = "allowed values"
RELATION_TYPES = "relation_type"  # the allowed values column for relations' `type`
TEXT_COLUMNS = ("id", "start", "end", "date", "accessed", "period")


def _allowed_columns() -> dict[str, tuple[str, ...]]:
    return {**VOCABULARIES, RELATION_TYPES: tuple(EDGE_TYPES)}


def _link_kinds(kind: str, link: Link) -> list[str]:
    """The kinds of record a link column may name."""
    out = set()
    for sources, targets in EDGE_TYPES[link.edge].endpoints:
        own, other = (sources, targets) if link.direction == "out" else (targets, sources)
        if kind in own:
            out |= other
    return sorted(out)


def _format_note(spec: Field) -> str:
    return {
        "list": "Several values: separate with ; or one per line.",
        "mapping": "language=name pairs separated by ;, e.g. sr-Cyrl=Ниш.",
        "date": "A date: YYYY, YYYY-MM or YYYY-MM-DD.",
        "number": "A number.",
        "year": "A year, e.g. 2024.",
        "value": "A number or text, exactly as the source states it.",
    }.get(spec.type, "")


def column_help(kind: str, column: str) -> tuple[str, bool, str | None]:
    """(note, required, drop-down vocabulary) for a column of a kind's sheet or "relations".

    The note says what the column holds, its format and its allowed values; a drop-down list
    is offered only where one value is allowed (a list column may hold several)."""
    if kind == RELATIONS_PLURAL and column in RELATION_FIELDS:
        if column == "type":
            return f"The kind of link. One of: {', '.join(EDGE_TYPES)}.", True, RELATION_TYPES
        return f"The id of the record the link goes {column}.", True, None
    if column == "id":
        return "A short stable id: lower case letters, digits, '-', '_' or '.'.", True, None
    if kind == RELATIONS_PLURAL:
        spec, required = EDGE_ATTRS[column], column == "sources"
    else:
        kind_spec = NODE_KINDS[kind]
        if column in kind_spec.links:
            link = kind_spec.links[column]
            many = "ids" if link.many else "the id"
            return (f"{link.help or 'links'}: {many} of {' or '.join(_link_kinds(kind, link))} "
                    "records (separate several with ;)."), False, None
        spec = kind_spec.all_fields[column]
        required = spec.required or (column == "sources" and kind not in SELF_CITING_KINDS)
    parts = [spec.help.capitalize() + "." if spec.help else "", _format_note(spec)]
    dropdown = None
    if spec.vocab:
        values = ", ".join(VOCABULARIES[spec.vocab])
        parts.append(f"Each one of: {values}." if spec.type == "list" else f"One of: {values}.")
        dropdown = None if spec.type == "list" else spec.vocab
    return " ".join(p for p in parts if p), required, dropdown


def write_template(out: BinaryIO) -> None:
    """Write the template workbook to a binary stream (exports.files.write_file makes that
    atomic)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    for line in README.splitlines():
        readme.append([line])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 100

    allowed = _allowed_columns()
    allowed_letter = {name: get_column_letter(i) for i, name in enumerate(allowed, 1)}
    kinds = [*(k for k in NODE_KINDS if k != "source"), "source", RELATIONS_PLURAL]
    for kind in kinds:
        sheet = wb.create_sheet(plural(kind))
        names = columns(kind, imported=False)
        sheet.append(names)
        for example in EXAMPLES.get(kind, []):
            sheet.append([example.get(c) for c in names])
        for index, column in enumerate(names, 1):
            letter = get_column_letter(index)
            note, required, dropdown = column_help(kind, column)
            if dropdown:
                last = len(allowed[dropdown]) + 1
                check = DataValidation(
                    type="list", allow_blank=True, showErrorMessage=True, errorTitle=column,
                    formula1=f"'{ALLOWED_SHEET}'!${allowed_letter[dropdown]}$2:${allowed_letter[dropdown]}${last}",
                    error=f"Choose a value from the list (sheet '{ALLOWED_SHEET}').",
                )
                sheet.add_data_validation(check)
                check.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            if column in TEXT_COLUMNS:  # keep Excel from turning 2018-02 into a full date
                sheet.column_dimensions[letter].number_format = "@"
            header = sheet.cell(row=1, column=index)
            header.font = Font(bold=True)
            if required:
                header.fill = PatternFill("solid", fgColor=HEADER_FILL)
                note = "Required. " + note
            header.comment = Comment(note.strip(), "stakeholder-graph", width=320, height=140)
            sheet.column_dimensions[letter].width = 40 if column in ("name", "description", "note") else 18
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.font = Font(italic=True, color=EXAMPLE_FONT_COLOUR)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "B2"

    lists = wb.create_sheet(ALLOWED_SHEET)
    for index, (name, values) in enumerate(allowed.items(), 1):
        lists.cell(row=1, column=index, value=name).font = Font(bold=True)
        for row, value in enumerate(values, 2):
            lists.cell(row=row, column=index, value=value)
        lists.column_dimensions[get_column_letter(index)].width = 24
    wb.save(out)


def csv_templates() -> dict[str, bytes]:
    """{file name: bytes} of the CSV templates shipped with the package (templates/, found
    through importlib.resources): one file per kind of record and relations.csv."""
    folder = resources.files("stakeholder_graph") / "templates"
    return {f"{plural(kind)}.csv": (folder / f"{plural(kind)}.csv").read_bytes()
            for kind in [*NODE_KINDS, RELATIONS_PLURAL]}
