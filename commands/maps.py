"""Maps and diagrams: `map` writes an interactive, self-contained HTML map; `diagram` a
PNG, SVG or PDF for slides. Both take the shared filters and an audience.

pyvis (for vis-network's bundled script) and matplotlib are imported inside the commands.
"""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import click

from stakeholder_graph.commands.context import State
from stakeholder_graph.commands.options import as_of_option, filter_options, language_option
from stakeholder_graph.viz import COLOR_BY, LAYOUTS, SIZE_BY

DIAGRAM_FORMATS = ("png", "svg", "pdf", "pptx")
MAP_FORMATS = ("html", "htm")


# --- the file an output option names: its extension is its format ------------------------


def output_format(output: str, formats: tuple[str, ...], stdout: bool = False, hint: str = "") -> str | None:
    """The format of the file `-o` names (its extension, one of `formats`), or None for '-'
    (standard output) when `stdout` allows it; a usage error (exit 2) naming the file
    otherwise, raised before anything is computed or written, so the file stays as it was."""
    if stdout and output == "-":
        return None
    fmt = Path(output).suffix.lower().lstrip(".")
    if fmt not in formats:
        *rest, last = [f".{f}" for f in formats]
        endings = f"{', '.join(rest)} or {last}" if rest else last
        raise click.UsageError(f"-o {output}: the file name must end in {endings}{hint}")
    return fmt


def output_option(metavar: str, formats: tuple[str, ...], help: str, stdout: bool = False, hint: str = ""):
    """-o/--output, checked as it is read (output_format): map and diagram refuse alike."""
    def check(ctx, param, value):
        if value is not None:
            output_format(value, formats, stdout, hint)
        return value

    return click.option("-o", "--output", required=True, metavar=metavar, callback=check, help=help)


def picture_options(f):
    """The options map and diagram share beyond the filters."""
    options = [
        click.option("--pathway", is_flag=True,
                     help="Draw the referral pathway for --population and --place as ordered steps "
                     "(the pathway layout unless --layout says otherwise)."),
        click.option("--layout", type=click.Choice(LAYOUTS), default=None,
                     help="force: seeded spring layout (default; the same picture every time); "
                     "geo: places at their coordinates, actors beside their places; "
                     "pathway: referral steps left to right."),
        click.option("--color-by", "color_by", type=click.Choice(COLOR_BY), default="sector",
                     show_default=True, help="Colour actors by sector (other records by kind), "
                     "or everything by kind or by country."),
        click.option("--size-by", "size_by", type=click.Choice(SIZE_BY), default="degree",
                     show_default=True, help="Node size by this centrality (betweenness is sampled, "
                     "seeded, above 1,000 nodes)."),
        click.option("--title", help="Title (default: from the filters)."),
        as_of_option(help="Status of services on this date, for the filters and the pathway "
                     "(YYYY[-MM[-DD]]; default today)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _view(state: State, filters, pathway: bool, layout: str | None, color_by: str,
          size_by: str, title: str | None, as_of, lang: str | None = None) -> dict:
    """Check the options, select and lay out: a view both renderers draw, its words in `lang`
    (default English)."""
    from stakeholder_graph.viz.view import drawn_view

    if pathway:  # usage errors here (exit 2); drawn_view checks them too, for every caller
        if filters.around:
            raise click.UsageError("--pathway cannot be combined with --around")
        if not filters.population or not (filters.place or filters.country):
            raise click.UsageError("--pathway needs --population and --place (or --country)")
    return drawn_view(state.graph(), dataclasses.replace(filters, as_of=as_of), pathway=pathway, layout=layout,
                      color_by=color_by, size_by=size_by, title=title, lang=lang)


@click.command("map")
@filter_options
@picture_options
@output_option("FILE.html", MAP_FORMATS, stdout=True,
               hint=" (the map is one HTML page; `diagram` draws a PNG, SVG, PDF or PowerPoint slide)",
               help="Where to write the map: a file ending in .html (or .htm), '-' for standard output.")
@language_option(help="Language of the map's words: en (default), sr-Latn (Serbian, Latin script) or sr-Cyrl "
                 "(Cyrillic). Record names stay as the data gives them.")
@click.pass_obj
def map_command(state: State, filters, output: str, lang: str | None, **options) -> None:
    """Write an interactive network map as one self-contained HTML file.

    The file works offline (vis-network, the data and the page script are all inside it; it
    makes no request of any kind): a search box that knows both Serbian scripts, a side panel
    with each record's details and sources, checkboxes for sectors, kinds and countries, a
    legend, and the list of sources cited. Records above --audience leave no trace in it.
    --lang writes its words in Serbian, as the atlas's /map does for a Serbian visitor.

    A timeline slider (from the earliest start to today; it opens on --as-of) shows what was
    there on any day by the rules of --as-of: ended and planned services and projects are
    faded, a pathway step with nobody then turns red; Play steps through the years. The file
    name must end in .html (or .htm): for a PNG, SVG, PDF or PPTX use `diagram`.

    \b
    Examples:
      stakeholder-graph map --population children --place Niš -o nis.html
      stakeholder-graph map --population children --place Niš --as-of 2019 -o nis-2019.html
      stakeholder-graph map --population children --place Niš --lang sr-Cyrl -o nis-sr.html
      stakeholder-graph map --layout geo --color-by country -o region.html
      stakeholder-graph map --pathway --population "unaccompanied children" --place Subotica -o pathway.html
    """
    from stakeholder_graph.exports.files import write_file
    from stakeholder_graph.viz.map_html import render_html

    lang = lang or "en"  # click gives the choice as spelt in LANGUAGE_CHOICES
    html = render_html(_view(state, filters, lang=lang, **options), lang=lang)
    if output == "-":  # the file's bytes, as export writes them (stdout's text layer would escape)
        sys.stdout.flush()
        sys.stdout.buffer.write(html.encode("utf-8"))
        sys.stdout.buffer.flush()
        return
    write_file(Path(output), lambda out: out.write(html.encode("utf-8")))
    click.echo(f"wrote {output}", err=True)


@click.command("diagram")
@filter_options
@picture_options
@output_option("FILE.png|svg|pdf|pptx", DIAGRAM_FORMATS,
               help="Where to write the diagram; the format follows the extension (.pptx: an editable "
               "PowerPoint slide and a slide of sources).")
@click.option("--size", "size", type=click.Choice(("16:9", "4:3", "A4")), default="16:9", show_default=True,
              help="Page: a 16:9 or 4:3 slide (a PNG 1920 px wide) or A4 landscape (150 dpi); text stays "
              "legible when projected or printed.")
@click.option("--dpi", type=click.IntRange(50, 600), default=None,
              help="Resolution of a PNG (default: 1920 px wide for slides, 150 dpi for A4).")
@language_option(help="Language of the diagram's words: en (default), sr-Latn or sr-Cyrl. Record names "
                 "stay as the data gives them.")
@click.pass_obj
def diagram_command(state: State, filters, output: str, size: str, dpi: int | None, lang: str | None,
                    **options) -> None:
    """Draw a static network diagram for slides (PNG, SVG, PDF or PowerPoint).

    The same filters, audience and seeded layout as `map`, on a slide or A4 page, with a
    title, a legend of only what is drawn, labels that never overlap one another or a node,
    and the sources. SVG keeps its text as text; .pptx writes native shapes, connectors and
    text boxes a trainer can move and restyle, and a slide listing the sources.

    \b
    Examples:
      stakeholder-graph diagram --population children --place Niš -o nis.png
      stakeholder-graph diagram --pathway --population children --place Niš --size 4:3 -o pathway.svg
      stakeholder-graph diagram --layout geo --size A4 -o region.pdf
      stakeholder-graph diagram --around Atina --lang sr-Latn -o atina.pptx
    """
    from stakeholder_graph.exports.files import write_file
    from stakeholder_graph.viz.diagram import render_diagram

    fmt = output_format(output, DIAGRAM_FORMATS)
    lang = lang or "en"
    view = _view(state, filters, lang=lang, **options)
    write_file(Path(output), lambda out: render_diagram(view, out, fmt, size=size, dpi=dpi, lang=lang))
    click.echo(f"wrote {output}", err=True)
