"""Turn data directories and files into checked records.

    dataset = load(["seed_data", "partner/"])
    for problem in dataset.problems: print(problem)

Later directories add to earlier ones; a record defined again with a different value is
reported, never silently overwritten.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graph.schema import NODE_KINDS, RELATIONS_PLURAL, kind_for_plural

from .files import read_csv, read_yaml
from .problems import Origin, Problem, Problems
from .records import EdgeRecord, NodeRecord, edge_from_row, node_from_row
from .validate import validate

__all__ = ["Dataset", "load", "Problem", "Problems", "Origin", "NodeRecord", "EdgeRecord"]

READERS = {".yaml": read_yaml, ".yml": read_yaml, ".csv": read_csv}
# Files holding several kinds of records; their readers load only when used.
# Each returns [(kind or "relations", [RawRow])].
MULTI_KIND_READERS = {".xlsx": "workbook.read_workbook", ".json": "nodelink.read_node_link"}


def _multi_kind_reader(suffix: str):
    import importlib

    module, function = MULTI_KIND_READERS[suffix].split(".")
    return getattr(importlib.import_module(f".{module}", __name__), function)


@dataclass
class Dataset:
    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    edges: list[EdgeRecord] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    inputs: list[str] = field(default_factory=list)


def _shown(path: Path) -> str:
    """A path as the user would recognise it: relative to the working directory if possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _data_files(path: Path, problems: Problems) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        problems.error(Origin(_shown(path)), "no such data directory or file")
        return []
    files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "~$")))
    chosen = []
    for p in files:
        if p.suffix.lower() in READERS or p.suffix.lower() in MULTI_KIND_READERS:
            chosen.append(p)
        elif p.suffix.lower() not in (".md", ".txt"):
            problems.warning(Origin(_shown(p)), "ignored: not a .yaml, .yml, .csv, .xlsx or .json file")
    if not chosen:
        problems.error(Origin(_shown(path)), "no data files (.yaml, .csv, .xlsx, .json) in this directory")
    return chosen


def _read_layer(path: Path, problems: Problems) -> tuple[list[NodeRecord], list[EdgeRecord]]:
    """All records of one --data directory or file."""
    nodes: list[NodeRecord] = []
    edges: list[EdgeRecord] = []
    for file in _data_files(path, problems):
        shown = _shown(file)
        if file.suffix.lower() in MULTI_KIND_READERS:
            tables = _multi_kind_reader(file.suffix.lower())(file, shown, problems)
        else:
            kind = kind_for_plural(file.stem.lower())
            if kind is None:
                plurals = [k.plural for k in NODE_KINDS.values()] + [RELATIONS_PLURAL]
                problems.error(
                    Origin(shown),
                    f"cannot tell what records this file holds: its name must start with one "
                    f"of {', '.join(plurals)}",
                )
                continue
            tables = [(kind, READERS[file.suffix.lower()](file, shown, problems))]
        for kind, rows in tables:
            for row in rows:
                if kind == RELATIONS_PLURAL:
                    edge = edge_from_row(row, problems)
                    if edge is not None:
                        edges.append(edge)
                else:
                    node, node_edges = node_from_row(NODE_KINDS[kind], row, problems)
                    if node is not None:
                        nodes.append(node)
                        edges.extend(node_edges)
    return nodes, edges


def _merge(dataset: Dataset, node: NodeRecord, same_layer: bool) -> bool:
    """Add a record; report duplicates and conflicts. Return True when it was added or merged."""
    existing = dataset.nodes.get(node.id)
    problems = dataset.problems
    if existing is None:
        dataset.nodes[node.id] = node
        return True
    if same_layer:
        problems.error(node.origin, f"duplicate id: also defined at {existing.origin}", node.id)
        return False
    if existing.kind != node.kind:
        problems.error(
            node.origin,
            f"id is already a {existing.kind} at {existing.origin}; this file makes it a {node.kind}",
            node.id,
        )
        return False
    for name, value in node.fields.items():
        old = existing.fields.get(name)
        if old is None:
            existing.fields[name] = value
        elif isinstance(old, list) and isinstance(value, list):
            existing.fields[name] = old + [v for v in value if v not in old]
        elif old != value:
            problems.error(
                node.origin_of(name),
                f"conflicting definition: {name} is {value!r} here but {old!r} at "
                f"{existing.origin}; correct one of them",
                node.id,
            )
    return True


def load(paths: list[str | Path]) -> Dataset:
    """Load and validate data directories (or single files), later ones adding to earlier."""
    import gc

    # Loading allocates many small objects that live on; the cyclic collector would rescan
    # them again and again (measured: twice as slow on the 300,000-record benchmark).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(paths)
    finally:
        if collecting:
            gc.enable()


def _load(paths: list[str | Path]) -> Dataset:
    dataset = Dataset(inputs=[str(p) for p in paths])
    seen_edges: dict[tuple, list[dict]] = {}
    for path in paths:
        nodes, edges = _read_layer(Path(path), dataset.problems)
        layer_ids: set[str] = set()
        for node in nodes:
            _merge(dataset, node, same_layer=node.id in layer_ids)
            layer_ids.add(node.id)
        for edge in edges:
            same = seen_edges.setdefault(edge.key, [])
            if edge.attrs in same:
                continue  # the same fact stated again
            same.append(edge.attrs)
            dataset.edges.append(edge)
    validate(dataset.nodes, dataset.edges, dataset.problems)
    return dataset
