"""The library face: open_graph, the query functions and their documented examples, and the
README's "Use from Python" section, all run as tests on the real seed data."""
from __future__ import annotations

import doctest
import inspect
import re

import pytest

import stakeholder_graph
from stakeholder_graph import DataError, NameNotFound, open_graph

from helpers import ROOT, SEED, write_files

TODAY = "2026-11-28"
FUNCTIONS = [name for name in stakeholder_graph.__all__
             if inspect.isfunction(getattr(stakeholder_graph, name))]


def test_open_graph_reads_the_packaged_seed_data(seed_graph):
    g = open_graph()
    assert set(g.G) == set(seed_graph.G)
    assert g.name(g.resolve("Ниш", ("place",))) == "Niš"


def test_open_graph_layers_paths_and_filters_by_audience(tmp_path):
    partner = write_files(tmp_path / "partner", {
        "actors.yaml": (
            "- {id: partner-ngo, name: Partner NGO, sector: ngo, located_in: [nis], "
            "sources: [irc-serbia-country-program], sensitivity: partners}\n"
        ),
    })
    layered = open_graph([SEED, partner])
    assert "partner-ngo" in layered.G and "atina" in layered.G
    assert "partner-ngo" in open_graph([str(SEED), str(partner)], audience="partners").G
    public = open_graph([SEED, partner], audience="public")
    assert "partner-ngo" not in public.G and "atina" in public.G
    assert open_graph(SEED).G.number_of_nodes() == open_graph().G.number_of_nodes()
    with pytest.raises(ValueError, match="unknown audience"):
        open_graph(audience="everyone")


def test_invalid_data_raises_data_error_with_file_line_and_message(tmp_path):
    bad = write_files(tmp_path / "bad", {
        "sources.yaml": "- {id: src, name: A source}\n",
        "actors.yaml": "- id: ngo\n  name: NGO\n  sector: charity\n  sources: [src]\n",
    })
    with pytest.raises(DataError) as caught:
        open_graph(bad)
    problem = caught.value.problems[0]
    assert problem.origin.file.endswith("actors.yaml") and problem.origin.line == 3
    assert "sector: unknown value 'charity'" in problem.message and problem.record == "ngo"
    assert "1 error(s)" in str(caught.value)


def test_library_errors_are_not_click_exceptions(seed_graph):
    import click

    from stakeholder_graph.graph import errors

    for name in dir(errors):
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert not issubclass(obj, click.ClickException), name
    with pytest.raises(NameNotFound) as caught:
        stakeholder_graph.who_handles(seed_graph, population="children", place="Nsi")
    assert caught.value.suggestions == ["Niš"]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_query_function_has_a_docstring_example_that_runs(name, seed_graph, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    function = getattr(stakeholder_graph, name)
    tests = doctest.DocTestFinder(recurse=False).find(function, name, globs={
        "g": seed_graph, **{n: getattr(stakeholder_graph, n) for n in stakeholder_graph.__all__}})
    examples = [example for test in tests for example in test.examples]
    assert examples, f"{name} has no example in its docstring"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in tests:
        runner.run(test)
    assert runner.failures == 0, f"{name}: {runner.failures} failing example(s) (run with -s to see them)"


def readme_python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use from Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_readme_python_examples_run(tmp_path, monkeypatch):
    blocks = readme_python_blocks()
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    globs: dict = {}  # one namespace: later blocks use what earlier ones defined, as a reader would
    for number, block in enumerate(blocks, 1):
        test = doctest.DocTestParser().get_doctest(block, globs, f"README block {number}", "README.md", 0)
        assert test.examples, f"README block {number} has no >>> example"
        runner.run(test, clear_globs=False)
        globs.update(test.globs)  # the test ran on a copy
    assert runner.failures == 0, f"{runner.failures} README example(s) failed (run with -s to see them)"
