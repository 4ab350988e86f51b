"""Problems found in user data: each names where it is and what is wrong."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    file: str
    line: int | None = None
    sheet: str | None = None  # for workbooks
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.line is not None:
            where += f":{self.line}"
        if self.column:
            where += f" (column {self.column})"
        return where

    def at_column(self, column: str | None) -> "Origin":
        return Origin(self.file, self.line, self.sheet, column) if column else self


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" | "warning"
    origin: Origin
    message: str
    record: str | None = None

    def __str__(self) -> str:
        record = f" {self.record}:" if self.record else ""
        return f"{self.origin}: {self.severity}:{record} {self.message}"

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "file": self.origin.file,
            "sheet": self.origin.sheet,
            "line": self.origin.line,
            "column": self.origin.column,
            "record": self.record,
            "message": self.message,
        }


class Problems(list):
    """A list of Problem with helpers to add errors and warnings."""

    def error(self, origin: Origin, message: str, record: str | None = None) -> None:
        self.append(Problem("error", origin, message, record))

    def warning(self, origin: Origin, message: str, record: str | None = None) -> None:
        self.append(Problem("warning", origin, message, record))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity == "warning"]


def suggest(word: str, options, n: int = 3) -> str:
    """' (did you mean X, Y?)' for the closest options, or ''."""
    import difflib

    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=n, cutoff=0.5)
    return f" (did you mean {', '.join(close)}?)" if close else ""
