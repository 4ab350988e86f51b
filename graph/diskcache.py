"""A private cache on disk for what is slow to compute and rarely changes (parsed data, the
vocabulary of questions), so a short command starts fast. Entries are pickles under the
user's cache folder, written atomically; a missing, unreadable or unwritable cache only means
computing afresh. STAKEHOLDER_GRAPH_NO_CACHE=1 turns it off."""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path

MAX_AGE = 7 * 86400  # entries written this long ago are removed when a new one is written


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "stakeholder-graph"


def enabled() -> bool:
    return not os.environ.get("STAKEHOLDER_GRAPH_NO_CACHE")


def digest(*parts) -> str:
    """A key for the things a result depends on (text, bytes, files' contents), and the
    Python that pickles it."""
    h = hashlib.sha256(sys.version.encode())
    for part in parts:
        if isinstance(part, Path):
            part = part.read_bytes()
        h.update(part if isinstance(part, bytes) else str(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def remember(name: str, key: str, compute: Callable[[], object], still: Callable[[], bool] | None = None):
    """compute() once for `key` across processes: read the pickled result when there is one.
    With `still`, the result is stored only if still() is true after computing (the inputs the
    key describes did not change meanwhile)."""
    if not enabled():
        return compute()
    target = cache_dir() / f"{name}-{key}.pickle"
    try:
        return _read(target)
    except Exception:  # no entry yet, or an unreadable one: compute afresh
        pass
    value = compute()
    if still is None or still():
        store(target, value)
    return value


def _read(target: Path):
    """A pickled entry, read with the cyclic garbage collector paused: a large dataset is
    millions of objects, and the collector rescanning them as they are made took 60 % of the read."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with open(target, "rb") as f:
            return pickle.load(f)
    finally:
        if was_enabled:
            gc.enable()


def store(target: Path, value) -> None:
    """Write a cache entry atomically; drop old entries; ignore a cache that cannot be written."""
    import tempfile  # only when writing: most runs only read

    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - MAX_AGE
        for old in [*target.parent.glob("*.pickle"), *target.parent.glob("*.tmp")]:
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".tmp") as tmp:
            pickle.dump(value, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, target)
    except OSError:  # a read-only home: work without the cache
        if tmp is not None:
            Path(tmp.name).unlink(missing_ok=True)


__all__ = ["cache_dir", "digest", "enabled", "remember", "store"]
