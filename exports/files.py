"""Atomic writes, the one place every output is written: a temporary file (or folder) beside
the target, renamed over it once complete, so an interrupted write never leaves half a file
where a whole one was, and a failed one leaves the earlier file as it was.

    write_file(Path("map.html"), lambda out: out.write(html.encode()))
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from stakeholder_graph.graph.errors import ExportError


def _default_mode(directory: bool) -> int:
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if directory else 0o666) & ~umask


@contextlib.contextmanager
def _as_export_error(path: Path):
    """An operating system's refusal (no permission, disk full) as one clear ExportError."""
    try:
        yield
    except OSError as exc:
        raise ExportError(f"{path}: {exc.strerror or exc}") from None


def write_file(path: Path, write: Callable[[BinaryIO], None], mode: int | None = None) -> None:
    """Call `write(stream)` on a temporary file beside `path`; when it returns, the file
    replaces `path`, with `mode` (default: as a new file gets under the umask; the file is
    never readable by others before it has its mode). Raises ExportError when `path` cannot
    be written."""
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise ExportError(f"{path.parent}: no such folder")
    with _as_export_error(path):
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        with _as_export_error(path):
            os.chmod(tmp, _default_mode(directory=False) if mode is None else mode)
            os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_folder(path: Path, files: dict[str, bytes], owned: tuple[str, ...]) -> None:
    """Write `files` ({name: bytes}) into a temporary folder beside `path`, which then takes
    the place of `path`. An existing `path` is replaced only if it holds nothing but `owned`
    files (an earlier export), so a folder of other files is never deleted."""
    path = Path(path)
    if path.exists():
        if not path.is_dir():
            raise ExportError(f"{path} is a file; give a folder name")
        others = sorted(p.name for p in path.iterdir() if p.name not in owned)
        if others:
            raise ExportError(
                f"{path} already holds other files ({', '.join(others[:3])}); choose a new folder"
            )
    if not path.parent.is_dir():
        raise ExportError(f"{path.parent}: no such folder")
    with _as_export_error(path):
        tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        with _as_export_error(path):
            for name, data in files.items():
                (tmp / name).write_bytes(data)
            os.chmod(tmp, _default_mode(directory=True))
            if path.exists():
                old = tmp.with_name(tmp.name + ".old")
                os.rename(path, old)
                os.rename(tmp, path)
                shutil.rmtree(old)
            else:
                os.rename(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
