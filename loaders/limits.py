"""How much a data file may hold before it is refused: hostile or broken files (a YAML alias
bomb, a zip bomb dressed as a workbook, a runaway export) give one clear error within seconds
and bounded memory instead of exhausting the machine.

    limits = Limits.resolve()            # STAKEHOLDER_GRAPH_MAX_FILE_MB, else 50 MB
    limits = Limits.resolve(max_file_mb=500)   # a big dataset (the CLI's --max-file-size)

Every reader refuses a file larger than `max_file_mb` before reading it. A workbook is also
checked from its zip directory before it is opened: the inflated size of all its parts, the
compression ratio of each large part and the number of parts. YAML anchors and aliases are
refused outright (loaders.files): data files have no need for them, and aliases are what an
alias bomb is made of.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from stakeholder_graph.graph.errors import LimitError

ENV_MAX_FILE_MB = "STAKEHOLDER_GRAPH_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 50.0
MB = 1_000_000
MAX_FILE_MB_CEILING = 1_000_000.0  # a terabyte: larger values are typing slips (and overflow)

# A workbook's parts are XML, which deflates 5 to 20 times (30 to 50 for very repetitive
# generated sheets); a zip bomb deflates about 1000 times.
INFLATE_FACTOR = 10  # a workbook may inflate to this many times the file size limit
MAX_RATIO = 100  # the largest compression ratio of one part ...
RATIO_FROM_BYTES = 1 * MB  # ... counted for parts inflating to more than this
MAX_ENTRIES = 10_000  # parts in a workbook (a workbook of 100 sheets has some 250)


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = DEFAULT_MAX_FILE_MB

    @classmethod
    def resolve(cls, max_file_mb: float | str | None = None) -> "Limits":
        """The limits for a load: `max_file_mb` when given, else the environment variable
        STAKEHOLDER_GRAPH_MAX_FILE_MB, else 50 MB. Raises LimitError for a value that is not a
        positive number."""
        source = "--max-file-size"
        if max_file_mb is None:
            max_file_mb = os.environ.get(ENV_MAX_FILE_MB) or None
            source = ENV_MAX_FILE_MB
        if max_file_mb is None:
            return cls()
        try:
            value = float(max_file_mb)
        except (TypeError, ValueError):
            value = -1.0
        if not value > 0 or value == float("inf"):
            raise LimitError(f"{source}: {max_file_mb!r} is not a positive number of megabytes")
        if value > MAX_FILE_MB_CEILING:
            raise LimitError(f"{source}: {max_file_mb!r} megabytes is more than any data file "
                             f"(at most {MAX_FILE_MB_CEILING:,.0f})")
        return cls(value)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * MB)

    @property
    def max_inflated_bytes(self) -> int:
        return self.max_file_bytes * INFLATE_FACTOR

    def too_big(self, size: int) -> str | None:
        """The message for a file of `size` bytes above the limit, else None."""
        if size <= self.max_file_bytes:
            return None
        shown = f"{size / MB:,.1f} MB" if size >= MB / 10 else f"{size / 1000:,.1f} kB"
        return (f"file is {shown}, above the limit of {self.max_file_mb:g} MB per data file; "
                f"for a big dataset raise it with --max-file-size MB or {ENV_MAX_FILE_MB}")
