"""A cache of loaded data for the CLI's cold start: parsing YAML is most of a short command's
work, and the seed data rarely changes between two commands.

The key covers every data file's path, size and modification time and the loader's own
code, so any edit to the data or the schema invalidates it. Set STAKEHOLDER_GRAPH_NO_CACHE=1
to bypass it. loaders.load caches only when asked (`cached=True`, as the CLI asks).
The graph built from the records is cached the same way (graph_cached, under the same key):
a command that only needs the graph reads neither the records nor the readers' code.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from stakeholder_graph import graph
from stakeholder_graph.graph.diskcache import enabled, remember

# the code that decides what a load returns: this folder and the core (schema, model, dates)
CODE_FILES = [
    *sorted(Path(__file__).resolve().parent.rglob("*.py")),
    *sorted(Path(graph.__file__).resolve().parent.glob("*.py")),
]


def data_stamp(paths, settings=None) -> str | None:
    """A digest of the data files' paths, modes, sizes and modification times and the loader's
    code (None when an input is missing): equal stamps, equal loads."""
    # the working directory too: the origins of records are written relative to it; every
    # entry's mode as well, so a file made readable, or a link mended, is read afresh
    parts = [sys.version, os.getcwd(), repr(settings), *(str(p) for p in paths)]
    for path in paths:
        path = Path(path)
        files = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else None
        if files is None:
            return None  # a missing input or a broken link: let the loader report it
        for f in files:
            st = f.lstat()
            parts.append(f"{f}|{st.st_mode}|{st.st_size}|{st.st_mtime_ns}")
            if f.is_symlink():
                st = f.stat()  # the target's
                parts.append(f"{f.resolve()}|{st.st_mode}|{st.st_size}|{st.st_mtime_ns}")
        for f in CODE_FILES:
            st = f.stat()
            parts.append(f"{f}|{st.st_size}|{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _stamp(paths, settings) -> str | None:
    """data_stamp, or None (no caching) when the inputs cannot be listed."""
    try:
        return data_stamp(paths, settings)
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python before 3.13)
        return None


def load_cached(paths, load, settings=None):
    """load(paths), reusing the result of an identical earlier load (same files, same
    `settings`, such as the loader's limits) when possible."""
    key = _stamp(paths, settings) if enabled() else None
    if key is None:
        return load(paths)
    return remember("data", key, lambda: load(paths))


def graph_cached(paths, build, settings=None):
    """build(), the networkx graph of the data in `paths`, reused like load_cached's records:
    reading back the built graph spares a short command the records, their checks and the
    building. Keyed on networkx's version as well, whose classes the entry holds."""
    import networkx

    key = _stamp(paths, settings) if enabled() else None
    if key is None:
        return build()
    return remember("graph", f"{key}-{networkx.__version__}", build)
