"""Editable slides (viz/slides.py): plans of real seed-data views become a PowerPoint file of
native shapes, read back with python-pptx, then opened by LibreOffice Impress (headless) and
printed to PDF once for the module: one page a slide, the labels as text. A missing `soffice`
fails the test with the fix (never skips it); `bash .ci/run` installs it.
"""
from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
import sys

import pytest

from stakeholder_graph.graph.errors import ExportError, MissingDependency
from stakeholder_graph.queries.selection import Filters
from stakeholder_graph.viz.diagram import diagram_plan
from stakeholder_graph.viz.slides import SHAPES, render_pptx
from stakeholder_graph.viz.view import drawn_view

SOFFICE = os.environ.get("SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
INSTALL = "apt-get install -y --no-install-recommends libreoffice-impress (or bash .ci/run)"
CONVERT_TIMEOUT = 180

# --- fixtures: the plans, the file, and LibreOffice's PDF of it (once) -----------------------


@pytest.fixture(scope="module")
def plans(seed_graph) -> list[dict]:
    filters = Filters(population="children", place="Niš")
    return [diagram_plan(drawn_view(seed_graph, filters), "16:9"),
            diagram_plan(drawn_view(seed_graph, filters, pathway=True), "16:9")]


@pytest.fixture(scope="module")
def deck(plans, tmp_path_factory):
    path = tmp_path_factory.mktemp("slides") / "nis.pptx"
    with open(path, "wb") as out:
        render_pptx(plans, out)
    return path


@pytest.fixture(scope="module")
def prs(deck):
    from pptx import Presentation

    return Presentation(str(deck))


@pytest.fixture(scope="module")
def pdf(deck, tmp_path_factory):
    """LibreOffice Impress's PDF of the deck: pypdf's reader."""
    if not (SOFFICE and shutil.which(SOFFICE)):
        pytest.fail(f"LibreOffice (soffice) not found: {INSTALL}")
    from pypdf import PdfReader

    out = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("lo-profile")  # a private profile: parallel runs do not clash
    try:
        done = subprocess.run(
            [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(out), str(deck)],
            capture_output=True, text=True, timeout=CONVERT_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"LibreOffice did not convert the slides within {CONVERT_TIMEOUT} s")
    result = out / (deck.stem + ".pdf")
    assert result.exists(), f"LibreOffice wrote no PDF (exit {done.returncode}): {done.stdout}{done.stderr}"
    return PdfReader(str(result))


def _pictures(prs, plans):
    return list(prs.slides)[: len(plans)]


def _words(text: str) -> str:
    return " ".join(text.split())


# --- the file, read back ---------------------------------------------------------------------


def test_one_slide_a_plan_then_the_sources(prs, plans):
    from pptx.util import Inches

    sources = {s["id"] for p in plans for s in p["sources"]}
    assert len(sources) > 16  # more than one slide holds
    extra = list(prs.slides)[len(plans):]
    assert (prs.slide_width, prs.slide_height) == (Inches(40 / 3), Inches(7.5))  # PowerPoint's 16:9
    headings = [slide.shapes[0].text_frame.text for slide in extra]
    assert len(extra) >= 2 and headings == [f"Sources ({k}/{len(extra)})" for k in range(1, len(extra) + 1)]
    listed = "\n".join(shape.text_frame.text for slide in extra for shape in slide.shapes)
    numbers = [int(m) for m in re.findall(r"^(\d+)\. ", listed, re.MULTILINE)]
    assert numbers == list(range(1, len(sources) + 1))  # each source once, numbered on
    for source in (s for p in plans for s in p["sources"]):
        assert source["title"] in listed and (source["url"] or "") in listed
    links = [run.hyperlink.address for slide in extra for shape in slide.shapes
             for par in shape.text_frame.paragraphs for run in par.runs if run.hyperlink.address]
    assert links and all(link.startswith(("http://", "https://")) for link in links)


def test_every_piece_is_a_native_shape_named_for_what_it_is(prs, plans):
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    for slide, plan in zip(_pictures(prs, plans), plans):
        shapes = list(slide.shapes)
        kinds = {s.shape_type for s in shapes}
        assert kinds <= {MSO_SHAPE_TYPE.AUTO_SHAPE, MSO_SHAPE_TYPE.FREEFORM, MSO_SHAPE_TYPE.LINE,
                         MSO_SHAPE_TYPE.TEXT_BOX}, kinds  # no picture, no group, no placeholder
        names = [s.name for s in shapes]
        drawn = [n for n in plan["nodes"] if n["role"] == "node"]
        nationals = [n for n in plan["nodes"] if n["national"]]  # the legend's swatch has its ring too
        assert sum(name.startswith("node: ") for name in names) == len(drawn)
        assert sum(name.startswith("ring: ") for name in names) == len(nationals)
        assert sum(name.startswith("label: ") for name in names) == sum(t["role"] == "label" for t in plan["texts"])
        assert sum(s.shape_type == MSO_SHAPE_TYPE.TEXT_BOX for s in shapes) == len(plan["texts"])
        edges = [s for s in shapes if s.name.startswith("edge: ")]
        assert len(edges) == sum(line["role"] == "edge" for line in plan["lines"])
        assert all(s.shape_type == MSO_SHAPE_TYPE.LINE for s in edges)  # connectors, every one
        assert sum(s.shape_type == MSO_SHAPE_TYPE.FREEFORM for s in shapes) == len(plan["outlines"])
        label = next(t for t in plan["texts"] if t["role"] == "label")
        assert f"label: {' '.join(label['text'].split())}" in names
    assert any(n["national"] for p in plans for n in p["nodes"])
    presets = {s.auto_shape_type for slide in _pictures(prs, plans) for s in slide.shapes
               if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE}
    assert {p.name for p in presets} >= {"OVAL", "RECTANGLE", "DIAMOND", "ISOSCELES_TRIANGLE",
                                                         "STAR_5_POINT"}


def test_edges_are_connectors_glued_to_the_nodes_they_join(prs, plans):
    from pptx.util import Emu

    for slide, plan in zip(_pictures(prs, plans), plans):
        by_id = {s.shape_id: s for s in slide.shapes}
        node_of = {n["id"]: n for n in plan["nodes"] if n.get("id")}
        edges = [s for s in slide.shapes if s.name.startswith("edge: ")]
        for connector, line in zip(edges, (line for line in plan["lines"] if line["role"] == "edge")):
            cxn = connector._element.nvCxnSpPr.cNvCxnSpPr
            for end, glue, point in (("from", cxn.stCxn, (connector.begin_x, connector.begin_y)),
                                     ("to", cxn.endCxn, (connector.end_x, connector.end_y))):
                assert glue is not None, f"{connector.name}: its {end} end is not glued"
                node, shape = node_of[line[end]], by_id[glue.id]
                assert shape.name.startswith("node: ")
                centre = (Emu(shape.left + shape.width // 2).inches, Emu(shape.top + shape.height // 2).inches)
                assert math.dist(centre, (node["x"], node["y"])) < 0.001  # the node the plan names
                assert 0 <= glue.idx < len(SHAPES[node["shape"]][3])
                # the end sits on the node's box, at the site, not at its centre
                x, y = Emu(point[0]).inches, Emu(point[1]).inches
                half = math.hypot(Emu(shape.width).inches, Emu(shape.height).inches) / 2
                assert 0.3 * half <= math.dist((x, y), centre) <= half + 0.001


def test_styles_reach_the_xml(prs, plans):
    """Arrowheads, dashes, transparency and the text's font, size, colour and insets."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    slide, plan = list(prs.slides)[0], plans[0]
    edges = [s for s in slide.shapes if s.name.startswith("edge: ")]
    lines = [line for line in plan["lines"] if line["role"] == "edge"]
    for connector, line in zip(edges, lines):
        ln = connector._element.spPr.find(qn("a:ln"))
        tail = ln.find(qn("a:tailEnd"))
        assert (tail is not None and tail.get("type") == "triangle") == bool(line["arrow"])
        dash = ln.find(qn("a:prstDash"))
        assert (dash.get("val") if dash is not None else "solid") == {"dot": "sysDot", "solid": "solid"}[line["dash"]]
        alpha = ln.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}/{qn('a:alpha')}")
        assert (alpha.get("val") if alpha is not None else "100000") == str(round(line["alpha"] * 100000))
        assert connector._element.find(qn("p:style")) is None  # no theme look (nor its shadow)
    assert any(line["dash"] == "dot" for line in lines) and any(line["arrow"] for line in lines)
    for box, text in zip((s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.TEXT_BOX), plan["texts"]):
        frame = box.text_frame
        assert frame.text == text["text"]
        assert frame.word_wrap is False and frame.auto_size == MSO_AUTO_SIZE.NONE
        assert (frame.margin_left, frame.margin_top, frame.margin_right, frame.margin_bottom) == (0, 0, 0, 0)
        run = frame.paragraphs[0].runs[0]
        assert run.font.name == "DejaVu Sans" and run.font.size == Pt(text["size"])
        assert bool(run.font.bold) == text["bold"] and str(run.font.color.rgb) == text["color"][1:].upper()


def test_every_label_is_text_on_its_slide(prs, plans):
    for slide, plan in zip(_pictures(prs, plans), plans):
        texts = {s.text_frame.text for s in slide.shapes if s.has_text_frame}
        for text in plan["texts"]:
            assert text["text"] in texts


def test_the_sources_slides_speak_the_language(plans):
    for lang, heading in (("sr-Latn", "Izvori"), ("sr-Cyrl", "Извори")):
        from pptx import Presentation

        out = io.BytesIO()
        render_pptx([{**plans[0], "lang": lang}], out)
        slides = list(Presentation(io.BytesIO(out.getvalue())).slides)
        assert slides[1].shapes[0].text_frame.text.startswith(heading)
        out = io.BytesIO()
        render_pptx(plans[:1], out, lang=lang)  # the caller's word wins
        assert list(Presentation(io.BytesIO(out.getvalue())).slides)[1].shapes[0].text_frame.text.startswith(heading)


def test_the_file_is_reproducible_and_says_what_it_is(plans, deck, prs):
    out = io.BytesIO()
    render_pptx(plans, out)
    assert out.getvalue() == deck.read_bytes()
    props = prs.core_properties
    assert props.title == plans[0]["title"] and props.author == "stakeholder-graph"
    assert props.created is None and props.modified is None


def test_plans_of_one_size_and_at_least_one(plans):
    with pytest.raises(ExportError):
        render_pptx([], io.BytesIO())
    with pytest.raises(ExportError):
        render_pptx([plans[0], {**plans[1], "width": 10.0}], io.BytesIO())


def test_without_python_pptx_the_message_says_how_to_get_it(plans, monkeypatch):
    monkeypatch.setitem(sys.modules, "pptx", None)  # import pptx raises ImportError
    with pytest.raises(MissingDependency, match=r"pip install 'stakeholder-graph\[maps\]'"):
        render_pptx(plans, io.BytesIO())


# --- LibreOffice opens it --------------------------------------------------------------------


def test_libreoffice_prints_a_page_a_slide_with_the_labels_as_text(pdf, prs, plans):
    assert len(pdf.pages) == len(prs.slides)
    for page, plan in zip(pdf.pages, plans):
        text = _words(page.extract_text())
        assert not page.images  # drawn, not pasted in as a picture
        for label in (t for t in plan["texts"] if t["role"] in ("label", "title", "step", "legend")):
            for line in label["text"].split("\n"):
                assert _words(line) in text, (line, plan["title"])
    sources = _words(" ".join(page.extract_text() for page in pdf.pages[len(plans):]))
    for source in (s for p in plans for s in p["sources"]):
        assert _words(source["title"]) in sources
