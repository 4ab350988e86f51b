"""The library's errors, and the problems found in user data.

Library code raises these and nothing else for a user's mistake; only the command line
(cli.py) turns them into exit codes and messages, in one place.

    try:
        g = open_graph(["partner/"])
    except DataError as exc:
        for problem in exc.problems:
            print(problem.origin.file, problem.origin.line, problem.message)
"""
from __future__ import annotations

from dataclasses import dataclass

# --- where a problem is, and what it is ------------------------------------------------------


@dataclass(frozen=True, init=False)
class Origin:
    """Where a record or a problem is written: file, line, and for workbooks sheet and column."""

    file: str
    line: int | None = None
    sheet: str | None = None  # for workbooks
    column: str | None = None

    def __init__(self, file: str, line: int | None = None, sheet: str | None = None, column: str | None = None):
        # a large load makes a million origins: filled in directly, a third of the time the
        # frozen dataclass's own __init__ takes (one object.__setattr__ call per field)
        fields = self.__dict__
        fields["file"], fields["line"], fields["sheet"], fields["column"] = file, line, sheet, column

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


# --- exceptions ----------------------------------------------------------------------------


class StakeholderGraphError(Exception):
    """Base of every error the library raises for a user's data, question or output."""


class DataError(StakeholderGraphError):
    """The data has errors; `problems` lists every one (file, line, record, message)."""

    SHOWN = 5  # problems named in the message; `problems` holds them all

    def __init__(self, problems: list[Problem], withheld: int = 0):
        """`withheld`: errors left out of `problems` because they concern records the reader's
        audience may not see (loaders.Dataset.errors_for); counted, never named."""
        self.problems = list(problems)
        self.withheld = withheld
        errors = [p for p in self.problems if p.severity == "error"]
        total = len(errors) + withheld
        hidden = (f"\n  ... and {withheld} about records above this command's audience "
                  "(`stakeholder-graph validate` shows them)") if withheld else ""
        if len(errors) == 1 and not withheld:  # one line: a file that cannot be read, a single slip
            super().__init__(f"the data has 1 error(s): {errors[0]}")
            return
        shown = "\n".join(f"  {p}" for p in errors[: self.SHOWN])
        more = f"\n  ... and {len(errors) - self.SHOWN} more" if len(errors) > self.SHOWN else ""
        super().__init__(f"the data has {total} error(s):" + (f"\n{shown}" if shown else "") + more + hidden)


class NameNotFound(StakeholderGraphError, LookupError):
    """A name that matches no record (or several): the message says which names are close."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []


class QueryError(StakeholderGraphError, ValueError):
    """A question the graph cannot answer as asked (a municipality where a country is needed)."""


class CannotMap(QueryError):
    """A plain-language question that cannot be answered as asked; `recognised` says what was
    understood ({role: [words]}), `examples` what can be asked, and `details` why: {"reason":
    unknown | ambiguous | several | mixed | unused | gaps | age | no ages | range | origin |
    location | places | referrer | people | actor role | incomplete, "language", "question",
    "unknown": [words], ...}."""

    def __init__(self, message: str, recognised: dict, examples: tuple[str, ...] = (), details: dict | None = None):
        super().__init__(message)
        self.recognised = recognised
        self.examples = examples
        self.details = details or {}


class DateError(StakeholderGraphError, ValueError):
    """Text that is not a date the project understands (YYYY, YYYY-MM or YYYY-MM-DD)."""


class SettingError(StakeholderGraphError, ValueError):
    """A user setting (an environment variable, a line of the user's config file) with a value
    the project does not accept; the message names where the value came from."""


class ExportError(StakeholderGraphError):
    """An output cannot be written where asked (a missing folder, a folder of other files)."""


class ServerError(StakeholderGraphError):
    """A Neo4j server that cannot be reached, refuses the credentials, lacks the database, or
    refuses a query. The message is one line and never holds the password."""


class LimitError(StakeholderGraphError, ValueError):
    """A size limit set to something that is not a positive number (--max-file-size or
    STAKEHOLDER_GRAPH_MAX_FILE_MB)."""


class LockHeld(ServerError):
    """Another push holds the lock on the target database (and did not release it within the
    wait); `holder` describes it (owner, start and lease end on the server's clock)."""

    def __init__(self, message: str, holder=None):
        super().__init__(message)
        self.holder = holder


class LockLost(ServerError):
    """A push lost its lock (its lease ended and another push took it over, or the lock was
    removed by hand): it stopped before writing its next batch."""


class MissingDependency(StakeholderGraphError):
    """An optional library a feature needs is not installed; the message says how to get it."""
