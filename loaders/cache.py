"""A cache of loaded data for the CLI's cold start: parsing YAML is most of a short command's
work, and the seed data rarely changes between two commands.

The key covers every data file's path, size and modification time and the loader's own
code, so any edit to the data or the schema invalidates it. Set STAKEHOLDER_GRAPH_NO_CACHE=1
to bypass it. loaders.load caches only when asked (`cached=True`, as the CLI asks).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from stakeholder_graph import graph

# the code that decides what a load returns: this folder and the core (schema, model, dates)
CODE_FILES = [
    *sorted(Path(__file__).resolve().parent.rglob("*.py")),
    *sorted(Path(graph.__file__).resolve().parent.glob("*.py")),
]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "stakeholder-graph"


def _stamp(paths) -> str | None:
    # the working directory too: the origins of records are written relative to it
    parts = [sys.version, os.getcwd(), *(str(p) for p in paths)]
    for path in paths:
        path = Path(path)
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else None
        if files is None:
            return None  # a missing input: let the loader report it
        for f in [*files, *CODE_FILES]:
            st = f.stat()
            parts.append(f"{f.resolve()}|{st.st_size}|{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load_cached(paths, load):
    """load(paths), reusing the result of an identical earlier load when possible."""
    if os.environ.get("STAKEHOLDER_GRAPH_NO_CACHE"):
        return load(paths)
    try:
        key = _stamp(paths)
    except OSError:
        key = None
    if key is None:
        return load(paths)
    target = cache_dir() / f"{key}.pickle"
    try:
        with open(target, "rb") as f:
            return pickle.load(f)
    except Exception:  # no cache yet, or an unreadable one: load afresh
        pass
    dataset = load(paths)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for old in target.parent.glob("*.pickle"):  # keep one entry per data set at most
            if old.stat().st_mtime < os.path.getmtime(target.parent) - 7 * 86400:
                old.unlink(missing_ok=True)
        # a write of its own rather than exports.files (which sits above loaders): a cache entry
        # is private, and a failed write is ignored, never reported
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".tmp") as tmp:
            pickle.dump(dataset, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, target)
    except OSError:
        pass  # a read-only home: work without the cache
    return dataset
