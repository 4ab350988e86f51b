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


def test_a_graph_built_releasing_its_records_is_the_same_graph_and_shares_equal_values():
    """open_graph builds the graph releasing each record once it is in (Dataset.graph(release=True)),
    and stores equal attribute values once; the graph is the one built from a dataset kept whole."""
    from stakeholder_graph.loaders import load

    kept, released = load(None), load(None)
    whole = kept.graph()
    g = released.graph(release=True)
    assert not released.nodes and not released.edges and kept.nodes and kept.edges
    assert list(g.G.nodes(data=True)) == list(whole.G.nodes(data=True))
    assert list(g.G.edges(keys=True, data=True)) == list(whole.G.edges(keys=True, data=True))
    lists = {}
    for _, _, a in g.G.edges(data=True):
        lists.setdefault(tuple(a["sources"]), set()).add(id(a["sources"]))
    assert all(len(ids) == 1 for ids in lists.values())  # one list per set of sources
    assert len({id(a["sensitivity"]) for _, a in g.G.nodes(data=True)}) == len(
        {a["sensitivity"] for _, a in g.G.nodes(data=True)})


def test_edges_of_a_type_are_listed_in_the_order_of_the_graphs_edges():
    """out_edges and in_edges of one type, made per node when first asked for, list the
    relations in the order networkx lists the graph's edges, whichever node is asked first."""
    g = open_graph()
    expected_out, expected_in = {}, {}
    for u, v, a in g.G.edges(data=True):
        expected_out.setdefault((u, a["type"]), []).append((v, a))
        expected_in.setdefault((v, a["type"]), []).append((u, a))
    for n in reversed(list(g.G)):
        for t in {a["type"] for _, _, a in g.G.edges(n, data=True)} | {a["type"] for _, _, a in g.G.in_edges(n, data=True)}:
            assert g.out_edges(n, t) == expected_out.get((n, t), [])
            assert g.in_edges(n, t) == expected_in.get((n, t), [])
    assert g.out_edges("no such record", "offers") == [] and g.in_edges("no such record", "offers") == []
