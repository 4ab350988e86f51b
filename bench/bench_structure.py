"""The shape of the house at an earlier revision and now: the five largest Python files of the
package (tests and benchmarks left out), how many modules there are, and the imports that run
against the direction graph <- loaders, queries <- viz <- exports <- commands, cli.py.

    python bench/bench_structure.py [--before 25ed75d]

It reads the files git holds at --before and the working tree now, and parses their import
statements (an import of a bare folder name, as the old layout wrote them, counts as an
import of that folder).
"""
from __future__ import annotations

import argparse
import ast
import subprocess
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
SKIP = ("tests/", "bench/", ".venv/", "build/")
FOLDERS = {"graph": 0, "loaders": 1, "queries": 1, "viz": 2, "exports": 3, "commands": 4, "": 5}


def files_at(revision: str | None) -> dict[str, str]:
    """{path: text} of the package's Python files at a revision (None: the working tree)."""
    if revision is None:
        listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "*.py"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout.split()
        return {p: (ROOT / p).read_text(encoding="utf-8") for p in listed
                if not p.startswith(SKIP) and (ROOT / p).exists()}
    listed = subprocess.run(["git", "ls-tree", "-r", "--name-only", revision], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    return {p: subprocess.run(["git", "show", f"{revision}:{p}"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout
            for p in listed if p.endswith(".py") and not p.startswith(SKIP)}


def folder(path: str) -> str:
    return path.split("/")[0] if "/" in path else ""


def module_of(path: str) -> str:
    parts = path[:-3].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_folder(name: str, here: str) -> str | None:
    """The folder an import names, in either layout; None for anything outside the project."""
    parts = name.split(".")
    if parts[0] == "stakeholder_graph":
        parts = parts[1:]
        if not parts:
            return ""
    if parts[0] in FOLDERS:
        return parts[0]
    if parts[0] == "cli_common":  # the old layout's shared CLI helpers: part of the CLI
        return "commands"
    if parts[0] in ("cli", "__main__"):
        return ""
    return None


def analyse(files: dict[str, str]) -> dict:
    modules = {module_of(p): p for p in files}
    upward, graph = [], nx.DiGraph()
    for path, text in files.items():
        here = folder(path)
        me = module_of(path)
        graph.add_node(me)
        for node in ast.walk(ast.parse(text)):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: the same folder (or a parent of it)
                    base = me.split(".")[: max(0, len(me.split(".")) - node.level + (path.endswith("__init__.py")))]
                    names = [".".join([*base, *(node.module or "").split(".")]).strip(".")]
                elif node.module == "stakeholder_graph":  # from stakeholder_graph import graph
                    names = [f"{node.module}.{a.name}" for a in node.names]
                else:
                    names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                short = name.removeprefix("stakeholder_graph.")
                if short in modules and short != me:
                    graph.add_edge(me, short)
            target = imported_folder(names[0], here) if names else None
            if target is not None and target != here and FOLDERS[target] >= FOLDERS[here]:
                upward.append(f"{path}:{node.lineno} imports {names[0]}")
    sizes = sorted(((text.count("\n"), p) for p, text in files.items()), reverse=True)
    return {"files": len(files), "lines": sum(n for n, _ in sizes), "largest": sizes[:5],
            "upward": upward, "cycles": [c for c in nx.simple_cycles(graph) if len(c) > 1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default="25ed75d", help="the earlier revision (default: before issue 9)")
    args = parser.parse_args()
    for label, files in ((f"before ({args.before})", files_at(args.before)), ("now (working tree)", files_at(None))):
        result = analyse(files)
        print(f"{label}: {result['files']} Python files, {result['lines']} lines")
        for lines, path in result["largest"]:
            print(f"  {lines:5d}  {path}")
        print(f"  imports against the direction: {len(result['upward'])}")
        for item in result["upward"]:
            print(f"    {item}")
        print(f"  import cycles between modules: {len(result['cycles'])}")
        for cycle in result["cycles"]:
            print(f"    {' -> '.join(cycle + cycle[:1])}")
        print()


if __name__ == "__main__":
    main()
