"""Atomic writes for maps and diagrams: a temporary file beside the target, renamed over it."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class OutputError(ValueError):
    """The output cannot go where asked (a missing folder, a folder given as the file)."""


def check_output(path: Path) -> Path:
    """Fail before any work when `path` cannot be written."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise OutputError(f"{path.parent}: no such folder")
    return path


@contextlib.contextmanager
def atomic_file(path: Path):
    """Yield a temporary path beside `path`; when the block succeeds it replaces `path`,
    otherwise it is removed and `path` is left as it was."""
    path = check_output(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    with atomic_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
