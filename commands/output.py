"""How every command prints: an aligned table, CSV or JSON (`--format table|json|csv`)."""
from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap

import click

from stakeholder_graph.viz.text import display_text

FORMATS = ("table", "json", "csv")
MAX_CELL = 48


def render_table(rows: list[dict], columns: list[str], headers: dict[str, str] | None = None,
                 empty: str = "(no results)") -> str:
    """Aligned columns; long cells wrap inside their column. `headers` words the column keys
    (in the answer's language); `empty` is what an empty table says."""
    if not rows:
        return empty
    width = shutil.get_terminal_size((120, 20)).columns
    cells = [[display_text(r.get(c)) for c in columns] for r in rows]
    titles = [(headers or {}).get(c, c.replace("_", " ")) for c in columns]
    widths = [
        min(max(len(t), *(len(row[i]) for row in cells)), MAX_CELL) for i, t in enumerate(titles)
    ]
    # shrink the widest columns until the table fits the terminal
    while sum(widths) + 2 * len(widths) > width and max(widths) > 12:
        widths[widths.index(max(widths))] -= 1
    lines = ["  ".join(t.upper().ljust(w) for t, w in zip(titles, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        wrapped = [textwrap.wrap(text, w) or [""] for text, w in zip(row, widths)]
        for i in range(max(len(w) for w in wrapped)):
            lines.append(
                "  ".join((w[i] if i < len(w) else "").ljust(n) for w, n in zip(wrapped, widths)).rstrip()
            )
    return "\n".join(lines)


def render_csv(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([display_text(r.get(c)) for c in columns])
    return buffer.getvalue().rstrip("\n")


def render_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def emit(fmt: str, rows: list[dict], columns: list[str], document=None, text: str | None = None) -> None:
    """Print a result: `document` (default rows) as JSON, rows as CSV, `text` or rows as a table."""
    if fmt == "json":
        click.echo(render_json(rows if document is None else document))
    elif fmt == "csv":
        click.echo(render_csv(rows, columns))
    else:
        click.echo(text if text is not None else render_table(rows, columns))


def format_option(f):
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
        help="Output format.",
    )(f)
