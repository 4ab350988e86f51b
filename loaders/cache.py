"""A cache of loaded data for the CLI's cold start: parsing YAML is most of a short command's
work, and the seed data rarely changes between two commands.

The key covers every file's path, mode and contents (a digest of its bytes: an edit is seen
even when it keeps the file's size and modification time; for a file above the size limit,
which the loader refuses unread, its size and modification time) and the loader's own code,
so any edit to the data or the schema invalidates it. An entry is written only when the files
are the same after the load as before it. Set STAKEHOLDER_GRAPH_NO_CACHE=1 to bypass it.
loaders.load caches only when asked (`cached=True`, as the CLI asks).
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
from stakeholder_graph.loaders.limits import Limits

# the code that decides what a load returns: this folder and the core (schema, model, dates)
CODE_FILES = [
    *sorted(Path(__file__).resolve().parent.rglob("*.py")),
    *sorted(Path(graph.__file__).resolve().parent.glob("*.py")),
]


def _contents(path: Path) -> str:
    """A digest of a file's bytes (sha256: some 80 ms for the 38 MB of the 300,000-row dataset)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def data_stamp(paths, settings=None) -> str | None:
    """A digest of the files' paths, modes and contents and of the loader's code (None when an
    input is missing): equal stamps, equal loads. `settings` (the loader's limits, or a size
    limit in MB) is part of it; a file above the size limit is refused unread, so its size and
    modification time stand for its contents."""
    limits = settings if isinstance(settings, Limits) else Limits.resolve(settings)
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
            parts.append(f"{f}|{st.st_mode}")
            if f.is_symlink():
                parts.append(f"-> {f.resolve()}|{f.stat().st_mode}")  # the target's
            if not f.is_file():
                continue
            st = f.stat()
            if not limits.too_big(st.st_size):
                parts.append(_contents(f))
            else:
                parts.append(f"{st.st_size}|{st.st_mtime_ns}")
    parts.extend(f"{f}|{_contents(f)}" for f in CODE_FILES)
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
    # kept only if nothing changed while it loaded: else the entry could hold newer data than its key says
    return remember("data", key, lambda: load(paths), still=lambda: _stamp(paths, settings) == key)


def graph_cached(paths, build, settings=None):
    """build(), the networkx graph of the data in `paths`, reused like load_cached's records:
    reading back the built graph spares a short command the records, their checks and the
    building. Keyed on networkx's version as well, whose classes the entry holds."""
    import networkx

    key = _stamp(paths, settings) if enabled() else None
    if key is None:
        return build()
    return remember("graph", f"{key}-{networkx.__version__}", build, still=lambda: _stamp(paths, settings) == key)
