"""Every reader: data directories and files (YAML, CSV, XLSX workbooks, JSON exports, HSDS 3.0
datasets) and a Neo4j server, turned into checked records and then a graph.

    g = open_graph()                                   # the packaged seed data
    g = open_graph(["seed_data", "partner/"])          # a partner's data over the seed data
    g = open_graph("bolt://localhost:7687")            # the shared copy on a server
    dataset = load(["partner.xlsx"])                   # records and every problem found

Later sources add to earlier ones; a record defined again with a different value is
reported, never silently overwritten.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Union

from stakeholder_graph.graph.errors import DataError, Origin, Problem, Problems, ServerError
from stakeholder_graph.graph.model import gc_paused
from stakeholder_graph.graph.schema import (
    FILE_STEMS,
    NODE_KINDS,
    NOT_STATED,
    RELATIONS_PLURAL,
    SENSITIVITY,
    check_audience,
    kind_for_plural,
    visible_to,
)
from stakeholder_graph.loaders.bolt.connection import SERVER_SCHEMES, ConnectionSettings, is_server_uri
from stakeholder_graph.loaders.limits import Limits

if TYPE_CHECKING:
    from stakeholder_graph.loaders.records import EdgeRecord, NodeRecord

__all__ = [
    "ConnectionSettings", "Dataset", "EdgeRecord", "Limits", "NodeRecord", "Origin", "Problem", "Problems",
    "load", "open_graph", "packaged_data",
]

# The readers, the record checks and validation load only when files are read: a command whose
# graph comes from the cache (cached_graph) needs none of them, nor the YAML parser.
# Each reader returns [RawRow]; those of files holding several kinds of records return
# [(kind or "relations", [RawRow])].
READERS = {".yaml": "files.read_yaml", ".yml": "files.read_yaml", ".csv": "files.read_csv"}
MULTI_KIND_READERS = {".xlsx": "workbook.read_workbook", ".json": "hsds.read_json_file"}  # node-link or HSDS


def _reader(name: str):
    """The function a READERS or MULTI_KIND_READERS entry names."""
    import importlib

    module, function = name.split(".")
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)


def __getattr__(name: str):  # the record classes, re-exported without loading them up front
    if name in ("NodeRecord", "EdgeRecord"):
        from stakeholder_graph.loaders import records

        return getattr(records, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class Dataset:
    """Checked records with every problem found; `graph()` builds the graph if there are no
    errors."""

    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    edges: list[EdgeRecord] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)

    def graph(self, release: bool = False):
        """The StakeholderGraph of these records; raises DataError when there are errors. With
        `release`, the records leave the dataset as they enter the graph (it is empty after):
        a large load then never holds both in full."""
        from stakeholder_graph.graph.model import StakeholderGraph, released

        if self.problems.errors:
            raise DataError(self.problems)
        if not release:
            return StakeholderGraph.from_records(self.nodes.values(), self.edges)
        nodes, edges = list(self.nodes.values()), self.edges
        self.nodes, self.edges = {}, []
        return StakeholderGraph.from_records(released(nodes), released(edges))

    def errors_for(self, audience: str) -> DataError:
        """The data's errors as `audience` may read them: those of records it sees and those of no
        record (a file, a relation) that name no hidden record; the others only counted, so an
        error message never names what the audience must not see. `validate` shows them all."""
        if audience == SENSITIVITY[-1]:
            return DataError(self.problems)

        # a record whose sensitivity is mistyped ('Internal', 'secret') counts as the most restricted
        mistyped = {p.record for p in self.problems if p.record and p.message.startswith("sensitivity:")}

        def level(record) -> str:
            return SENSITIVITY[-1] if record.id in mistyped else record.fields.get("sensitivity", "public")

        hidden = [r for r in self.nodes.values() if not visible_to(level(r), audience)]
        # a problem that is no record's (a file, a relation) is shown unless it names a hidden one
        words = {w.lower() for r in hidden for w in (r.id, r.fields.get("name"), *(r.fields.get("aliases") or []))
                 if isinstance(w, str) and w.strip()}

        def shown(problem) -> bool:
            if problem.record is not None:
                record = self.nodes.get(problem.record)
                if record is None or not visible_to(level(record), audience):
                    return False
            text = str(problem).lower()
            return not any(w in text for w in words)

        errors = [p for p in self.problems if p.severity == "error"]
        visible = [p for p in errors if shown(p)]
        return DataError(visible, withheld=len(errors) - len(visible))


Source = Union[str, Path, ConnectionSettings]  # a directory, a file, a server URI or settings


def packaged_data() -> Path:
    """The seed data shipped inside the package (found through importlib.resources, so an
    editable install and an installed wheel both find it).

    >>> sorted(p.name for p in packaged_data().glob("*.yaml"))[:2]
    ['actors.yaml', 'assessments.yaml']
    """
    return Path(str(resources.files("stakeholder_graph") / "seed_data"))


SEED_NAME = "seed_data"  # names the packaged seed data where no such folder is at hand


def _sources(paths) -> list[Source]:
    """The sources to read: the packaged seed data for None (or for 'seed_data' when there is
    no folder of that name here, as when the package was installed from a wheel)."""
    if paths is None:
        return [packaged_data()]
    if isinstance(paths, (str, Path, ConnectionSettings)):
        paths = [paths]
    return [packaged_data() if str(p) == SEED_NAME and not Path(p).exists() else p
            for p in paths] or [packaged_data()]


def _server(entry) -> ConnectionSettings | None:
    if isinstance(entry, ConnectionSettings):
        return entry
    if isinstance(entry, str) and is_server_uri(entry):
        return ConnectionSettings.from_env(uri=entry)
    return None


def _shown(path: Path) -> str:
    """A path as the user would recognise it: relative to the working directory if possible;
    the packaged seed data as seed_data/... wherever the package is installed. A link is
    shown by its own name, not its target's."""
    try:
        resolved = path.parent.resolve() / path.name if path.name not in ("", "..") else path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python before 3.13)
        return str(path)
    for base in (Path.cwd().resolve(), packaged_data().resolve().parent):
        try:
            return str(resolved.relative_to(base))
        except ValueError:
            continue
    return str(path)


DATA_SUFFIXES = (*READERS, *MULTI_KIND_READERS)
QUIET_SUFFIXES = (".md", ".txt")  # notes beside the data, skipped without a word
SUFFIXES_TEXT = ".yaml, .yml, .csv, .xlsx or .json"


def _is_hsds_folder(path: Path) -> bool:
    from stakeholder_graph.loaders.hsds_format import is_hsds_folder  # not the reader: a look at the descriptor

    return is_hsds_folder(path)


def _unfollowable(path: Path) -> str | None:
    """Why `path` cannot be opened as a file or directory (a symlink loop, a broken link, no
    such path), or None."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop: following the link leads back to itself"
        if path.is_symlink():
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            return f"broken symbolic link: its target {target} does not exist"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return "no such data directory or file"
        return f"cannot read: {exc.strerror or exc}"
    return None


def _unreadable(path: Path, directory: bool = False) -> str | None:
    """Why a file or directory cannot be read (its permissions), or None."""
    if os.access(path, os.R_OK | (os.X_OK if directory else 0)):
        return None
    return "cannot read: permission denied"


def _data_files(path: Path, problems: Problems) -> list[Path]:
    """The data files of one --data entry. An entry that cannot be read at all is an error;
    inside a directory, what cannot be read or is not data is a warning naming its path
    (notes, .md and .txt, and hidden files excepted)."""
    shown = _shown(path)
    reason = _unfollowable(path)
    if reason is None and not path.is_dir() and not path.is_file():
        reason = "not a data file or directory (a device, pipe or socket)"
    if reason is None:
        reason = _unreadable(path, path.is_dir())
    if reason is not None:
        problems.error(Origin(shown), reason)
        return []
    if path.is_dir() and _is_hsds_folder(path):
        return [path]  # one dataset, read as a whole (loaders.hsds)
    if path.is_file():
        if path.suffix.lower() not in DATA_SUFFIXES:
            problems.error(Origin(shown), f"unsupported file type {path.suffix or '(none)'!r}: "
                           f"data files are {SUFFIXES_TEXT}")
            return []
        return [path]
    chosen: list[Path] = []
    _walk(path, problems, chosen)
    if not chosen:
        problems.error(Origin(shown), "no data files (.yaml, .csv, .xlsx, .json) in this directory")
    return sorted(chosen)


def _walk(directory: Path, problems: Problems, chosen: list[Path]) -> None:
    """Add the data files under `directory` to `chosen`; warn about everything else that is
    not skipped on purpose. Links to directories are not followed (no loops)."""
    try:
        with os.scandir(directory) as entries:
            entries = sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        problems.warning(Origin(_shown(directory)), f"ignored: cannot read this directory ({exc.strerror or exc})")
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            problems.warning(Origin(_shown(path)), f"ignored: {exc.strerror or exc}")
            continue
        if stat.S_ISDIR(mode):
            reason = _unreadable(path, directory=True)
            if reason:
                problems.warning(Origin(_shown(path)), f"ignored: {reason}")
            elif _is_hsds_folder(path):
                chosen.append(path)
            else:
                _walk(path, problems, chosen)
            continue
        if entry.name.startswith((".", "~$")):
            continue  # hidden files, and the lock files of office programs
        reason = _unfollowable(path) if stat.S_ISLNK(mode) else None
        if reason is None and path.is_dir():
            reason = "a link to a directory is not followed (give the directory as its own --data)"
        elif reason is None and not path.is_file():
            reason = "not a regular file"
        suffix = path.suffix.lower()
        if reason is None and suffix not in DATA_SUFFIXES:
            if suffix in QUIET_SUFFIXES:
                continue
            reason = f"not a {SUFFIXES_TEXT} file"
        if reason is None:
            reason = _unreadable(path)
        if reason is None:
            chosen.append(path)
        else:
            problems.warning(Origin(_shown(path)), f"ignored: {reason}")


def _read_layer(path: Path, problems: Problems, limits: Limits) -> tuple[list[NodeRecord], list[EdgeRecord]]:
    """All records of one --data directory or file."""
    from stakeholder_graph.loaders.records import edge_from_row, node_from_row

    nodes: list[NodeRecord] = []
    edges: list[EdgeRecord] = []
    for file in _data_files(path, problems):
        shown = _shown(file)
        if file.is_dir():  # an HSDS dataset
            tables = _reader("hsds.read_hsds_folder")(file, shown, problems, limits)
        elif file.suffix.lower() in MULTI_KIND_READERS:
            tables = _reader(MULTI_KIND_READERS[file.suffix.lower()])(file, shown, problems, limits)
        else:
            kind = kind_for_plural(file.stem.lower())
            if kind is None:
                problems.error(
                    Origin(shown),
                    f"cannot tell what records this file holds: its name must start with one "
                    f"of {', '.join(FILE_STEMS)}",
                )
                continue
            tables = [(kind, _reader(READERS[file.suffix.lower()])(file, shown, problems, limits))]
        written_by_hand = file.suffix.lower() in (".yaml", ".yml", ".csv")  # workbooks: also our xlsx export
        for kind, rows in tables:
            for row in rows:
                if written_by_hand and kind == "source" and "format" in row.values:
                    # what it unlocks ('not stated', a citation an export may pass over) is an importer's
                    problems.error(row.origin, "format: only an importer (an HSDS dataset read with --data) sets "
                                   "it; remove it", row.values.get("id"))
                    continue
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


def load(paths: Source | list[Source] | None = None, *, cached: bool = False,
         max_file_mb: float | None = None) -> Dataset:
    """Load and validate data: directories, files (YAML, CSV, XLSX, a JSON export) or one Neo4j
    server (a bolt://, neo4j:// ... URI, or ConnectionSettings), later ones adding to earlier.
    None means the packaged seed data. Every problem is collected in `dataset.problems`;
    a server that cannot be reached raises ServerError. `cached` reuses the parse of unchanged
    files (loaders.cache; a server is always read afresh). A file above `max_file_mb`
    (default: STAKEHOLDER_GRAPH_MAX_FILE_MB, else 50) is refused unread (loaders.limits);
    LimitError for a limit that is not a positive number.

    >>> load().problems.errors
    []
    """
    limits = Limits.resolve(max_file_mb)
    paths = _sources(paths)
    servers = [_server(p) for p in paths]
    if any(servers):
        if len(paths) > 1:
            raise ServerError(
                "a server URI reads the whole graph from that server: give it alone, "
                "not together with other data directories or files"
            )
        return _load_server(servers[0])
    if cached:
        from stakeholder_graph.loaders.cache import load_cached

        return load_cached(paths, lambda p: _load(p, limits), limits)
    return _load(paths, limits)


def _load_server(settings: ConnectionSettings) -> Dataset:
    """The graph on a server, checked like data files are."""
    from stakeholder_graph.loaders.bolt import read_server
    from stakeholder_graph.loaders.validate import validate

    dataset = Dataset()
    nodes, dataset.edges = read_server(settings, dataset.problems)
    dataset.nodes = {n.id: n for n in nodes}
    validate(dataset.nodes, dataset.edges, dataset.problems)
    return dataset


def open_graph(paths: Source | list[Source] | None = None, *, audience: str | None = None,
               cached: bool = False, max_file_mb: float | None = None):
    """The graph of the packaged seed data, or of data directories, files or a server layered
    as `load` layers them; with `audience`, only what that audience may see. Raises DataError
    (every problem with file, line and message) when the data has errors. `cached` reuses the
    graph built from unchanged files (the CLI's cache, loaders.cache); `max_file_mb` raises
    the size limit per data file (see `load`).

    >>> g = open_graph()
    >>> g.name(g.resolve("Ниш"))
    'Niš'
    """
    if cached:  # the records loaded to build the graph are its own: released into it
        g = cached_graph(paths, lambda: load(paths, cached=True, max_file_mb=max_file_mb), max_file_mb,
                         release=True)
    else:
        g = load(paths, max_file_mb=max_file_mb).graph(release=True)
    return g if audience is None else g.for_audience(check_audience(audience))


@gc_paused  # reading the graph back is an allocation burst of objects that all live on
def cached_graph(paths: Source | list[Source] | None, dataset, max_file_mb: float | None = None,
                 release: bool = False):
    """The graph `dataset()` (the load of `paths`) builds, read back from the cache while the
    files, the limits and the code are unchanged (loaders.cache): a cold command then needs
    neither the records nor the readers, and reads the graph back in a fraction of the time
    building it takes. `dataset` is called only to build (`release`: as Dataset.graph); a
    server is read afresh, and data with errors is never stored (DataError each time)."""
    limits = Limits.resolve(max_file_mb)
    sources = _sources(paths)
    if any(_server(p) for p in sources):
        return dataset().graph(release=release)
    from stakeholder_graph.graph.model import StakeholderGraph
    from stakeholder_graph.loaders.cache import graph_cached

    return StakeholderGraph(graph_cached(sources, lambda: dataset().graph(release=release).G, limits))


@gc_paused
def _load(paths: list[Source], limits: Limits) -> Dataset:
    from stakeholder_graph.loaders.validate import validate

    dataset = Dataset()
    seen_edges: dict[tuple, list[dict]] = {}
    restated = False  # a relation given again with other details (sources, say): see _one_per_fact
    for path in paths:
        if "://" in str(path):  # an address, but not of a server we read
            schemes = ", ".join(f"{s}://" for s in SERVER_SCHEMES)
            dataset.problems.error(Origin(str(path)), f"not a data directory, and not a server URI ({schemes})")
            continue
        nodes, edges = _read_layer(Path(path), dataset.problems, limits)
        layer_ids: set[str] = set()
        for node in nodes:
            _merge(dataset, node, same_layer=node.id in layer_ids)
            layer_ids.add(node.id)
        for edge in edges:
            same = seen_edges.setdefault(edge.key, [])
            if edge.attrs in same:
                continue  # the same fact stated again
            restated = restated or bool(same)
            same.append(edge.attrs)
            dataset.edges.append(edge)
    if any(n.fields.get("level") == NOT_STATED for n in dataset.nodes.values()):  # an HSDS dataset's areas
        from stakeholder_graph.loaders.hsds import link_named_areas

        link_named_areas(dataset.nodes, dataset.edges)
    validate(dataset.nodes, dataset.edges, dataset.problems)
    if restated:
        _one_per_fact(dataset.edges)
    return dataset


def _one_per_fact(edges: list) -> None:
    """A relation stated again with other sources (in a record's link and as a relation, or by
    an export layered over the data it came from) is one fact with more citations, not two:
    once validation has filled in what each inherits, relations alike in everything but their
    sources become the first of them, citing the sources of all."""
    counts: dict[tuple, int] = {}
    for edge in edges:
        counts[edge.key] = counts.get(edge.key, 0) + 1
    if len(counts) == len(edges):
        return
    first: dict[tuple, object] = {}
    kept = []
    for edge in edges:
        if counts[edge.key] > 1:
            fact = (edge.key, repr(sorted((k, v) for k, v in edge.attrs.items() if k != "sources")))
            earlier = first.setdefault(fact, edge)
            if earlier is not edge:
                cited = earlier.attrs.setdefault("sources", [])
                cited += [s for s in edge.attrs.get("sources", []) if s not in cited]
                continue
        kept.append(edge)
    edges[:] = kept
