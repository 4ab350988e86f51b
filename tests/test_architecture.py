"""The house: data flows one way, read from the import statements of every module.

    graph  <-  loaders, queries  <-  viz  <-  exports  <-  web  <-  commands, cli.py (the top)

A folder imports only folders below it (graph, the core, from everywhere); folders on one
level do not import each other; nothing imports the top. The module import graph has no
cycles, and every import of the project goes through the one import name, stakeholder_graph.
"""
from __future__ import annotations

import ast

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

import networkx as nx
import pytest

from helpers import ROOT

PACKAGE = "stakeholder_graph"
LEVELS = {  # folder -> level; lower levels are imported by higher ones, never the reverse
    "graph": 0,
    "loaders": 1,
    "queries": 1,
    "viz": 2,
    "exports": 3,
    "web": 4,  # the referral atlas: its own room, started by a command
    "commands": 5,
    "": 6,  # the top: cli.py, __init__.py (the library face), __main__.py
}
ALLOWED = {  # spelled out, so that the table reads as the rule it is
    "graph": {"graph"},
    "loaders": {"graph", "loaders"},
    "queries": {"graph", "queries"},
    "viz": {"graph", "loaders", "queries", "viz"},
    "exports": {"graph", "loaders", "queries", "viz", "exports"},
    "web": {"graph", "loaders", "queries", "viz", "exports", "web"},
    "commands": {"graph", "loaders", "queries", "viz", "exports", "web", "commands"},
    "": {"graph", "loaders", "queries", "viz", "exports", "web", "commands", ""},
}
OUTSIDE = {"tests", "bench", "tools", ".venv", "build", "dist", ".git"}


def modules() -> dict[str, tuple]:
    """{module name: (folder, path)} for every module of the package in the checkout."""
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in OUTSIDE or any(p.startswith(".") for p in parts):
            continue
        folder = parts[0] if len(parts) > 1 else ""
        name = ".".join([PACKAGE, *parts[:-1], *([] if path.stem == "__init__" else [path.stem])])
        out[name] = (folder, path)
    return out


def imports(path, known: dict) -> list[tuple[str, int]]:
    """(module imported, line) for every import of the project in a file, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import; import through {PACKAGE}"
            for alias in node.names:  # `from a import b`: b is a module when a.b is one
                sub = f"{node.module}.{alias.name}"
                found.append((sub if sub in known else node.module, node.lineno))
    return found


def folder_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LEVELS) else ""


def test_the_table_is_the_rule():
    for folder, allowed in ALLOWED.items():
        assert allowed == {f for f, level in LEVELS.items() if level < LEVELS[folder] or f == folder}
    folders = {folder for folder, _ in modules().values()}
    assert folders == set(LEVELS), "a new folder needs its place in the table"


def test_imports_run_downwards_only():
    known = modules()
    wrong = []
    for name, (folder, path) in known.items():
        for target, line in imports(path, known):
            top = target.split(".")[0]
            if top in LEVELS or top in ("cli", "cli_common"):
                wrong.append(f"{path.relative_to(ROOT)}:{line}: imports {target!r} without {PACKAGE}.")
            elif top == PACKAGE and folder_of(target) not in ALLOWED[folder]:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {folder or 'the top'} imports "
                             f"{target} ({folder_of(target) or 'the top'})")
    assert wrong == []


def test_no_import_cycles():
    known = modules()
    G = nx.DiGraph()
    for name, (_, path) in known.items():
        G.add_node(name)
        for target, _ in imports(path, known):
            if target in known and target != name:
                G.add_edge(name, target)
    assert list(nx.simple_cycles(G)) == []


def test_core_and_readers_do_not_import_click():
    """Library code raises library errors; only the command line knows click."""
    known = modules()
    for name, (folder, path) in known.items():
        if folder in ("graph", "loaders", "queries", "viz", "exports"):
            assert "click" not in {t.split(".")[0] for t, _ in imports(path, known)}, name


def test_every_module_ships_in_the_wheel():
    """pyproject lists each folder as a package of stakeholder_graph."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        packages = set(tomllib.load(f)["tool"]["setuptools"]["packages"])
    for name, (_, path) in modules().items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        assert package in packages, f"{path.relative_to(ROOT)} would be left out of the wheel"


@pytest.mark.parametrize("folder", [f for f in LEVELS if f])
def test_every_folder_says_what_it_holds(folder):
    doc = ast.get_docstring(ast.parse((ROOT / folder / "__init__.py").read_text(encoding="utf-8")))
    assert doc, f"{folder}/__init__.py has no docstring saying what lives there"


def test_the_code_is_lint_clean():
    """ruff, configured in pyproject.toml: sorted imports, nothing unused or undefined."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
