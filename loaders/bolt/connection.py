"""Connecting to a Neo4j server (or any server speaking Bolt and Neo4j 5 Cypher).

    settings = ConnectionSettings.from_env()      # NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, ...
    with connect(settings) as driver, open_session(driver, settings, read=True) as s:
        rows = s.execute_read(read_rows, "MATCH (n:Place) RETURN n.id AS id")

Both the pull (here, in loaders) and the push (exports.neo4j) connect through this module.
Driver errors become ServerError: one line, never the password. The `neo4j` driver is
imported only when a server is used.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from stakeholder_graph.graph import VERSION
from stakeholder_graph.graph.errors import MissingDependency, ServerError

SERVER_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_URI = "neo4j://localhost:7687"  # as Neo4j's own tools
DEFAULT_USERNAME = "neo4j"
READ_ONLY_REFUSAL = "refused: the query writes to the database; add --write to run it for real"


def is_server_uri(text: str) -> bool:
    """True for bolt://, neo4j://, neo4j+s://, bolt+s:// ... (a --data entry naming a server)."""
    scheme, sep, _ = str(text).partition("://")
    return bool(sep) and scheme.lower() in SERVER_SCHEMES


@dataclass(frozen=True)
class ConnectionSettings:
    uri: str = DEFAULT_URI
    username: str = DEFAULT_USERNAME
    password: str | None = field(default=None, repr=False)
    database: str | None = None  # None: the server's default database

    @classmethod
    def from_env(cls, uri=None, username=None, password=None, database=None, environ=None):
        """Options given win over NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE."""
        env = os.environ if environ is None else environ
        return cls(
            uri=uri or env.get("NEO4J_URI") or DEFAULT_URI,
            username=username or env.get("NEO4J_USERNAME") or DEFAULT_USERNAME,
            password=password if password is not None else env.get("NEO4J_PASSWORD"),
            database=database or env.get("NEO4J_DATABASE") or None,
        )

    @property
    def shown_uri(self) -> str:
        """The URI without any user:password@ part, safe to print."""
        try:
            parts = urlsplit(self.uri)
        except ValueError:
            return "<invalid URI>"
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    def describe(self) -> str:
        db = f", database {self.database!r}" if self.database else ""
        return f"{self.shown_uri}{db}"


def _driver_module():
    try:
        import neo4j
    except ImportError:
        raise MissingDependency(
            "the neo4j driver is not installed: pip install 'stakeholder-graph[neo4j]'"
        ) from None
    return neo4j


def _first_line(text) -> str:
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    return lines[0] if lines else ""


def _server_message(exc) -> str:
    return _first_line(getattr(exc, "message", None) or exc)


@contextmanager
def _translated(settings: ConnectionSettings):
    """Turn driver exceptions into one clear line; other exceptions pass through."""
    neo4j = _driver_module()
    exc_mod = neo4j.exceptions
    where = settings.describe()
    try:
        yield
    except exc_mod.AuthError:
        raise ServerError(
            f"the server at {settings.shown_uri} refused the credentials of user "
            f"{settings.username!r} (set NEO4J_USERNAME and NEO4J_PASSWORD)"
        ) from None
    except exc_mod.ServiceUnavailable as exc:
        reason = re.search(r"\(reason ([^)]*)\)", str(exc))
        why = f" ({reason.group(1)})" if reason else ""
        raise ServerError(
            f"cannot reach a Neo4j server at {settings.shown_uri}{why}; is it running, and is "
            f"NEO4J_URI right?"
        ) from None
    except exc_mod.ClientError as exc:
        code = getattr(exc, "code", "") or ""
        if code.endswith("DatabaseNotFound"):
            raise ServerError(
                f"the server at {settings.shown_uri} has no database {settings.database!r} "
                f"(set NEO4J_DATABASE)"
            ) from None
        if code.endswith("AccessMode") or code.endswith("ForbiddenOnReadOnlyDatabase"):
            raise ServerError(READ_ONLY_REFUSAL) from None
        raise ServerError(f"the server at {where} refused the query: {_server_message(exc)}") from None
    except exc_mod.Neo4jError as exc:
        raise ServerError(f"the server at {where} failed: {_server_message(exc)}") from None
    except exc_mod.DriverError as exc:
        raise ServerError(f"Neo4j driver error talking to {where}: {_first_line(exc)}") from None


@contextmanager
def connect(settings: ConnectionSettings):
    """An open, checked driver: the server answers, accepts the credentials, has the database.

    Driver errors inside the block become ServerError too.
    """
    if not is_server_uri(settings.uri):
        raise ServerError(
            f"{settings.shown_uri!r} is not a Neo4j server URI: use one of "
            f"{', '.join(s + '://' for s in SERVER_SCHEMES)}"
        )
    neo4j = _driver_module()
    import logging

    # server notifications would otherwise be logged to stderr as multi-line warnings
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    auth = (settings.username, settings.password) if settings.password is not None else None
    with _translated(settings):
        try:
            driver = neo4j.GraphDatabase.driver(
                settings.uri, auth=auth, user_agent=f"stakeholder-graph/{VERSION}",
                connection_timeout=10.0, max_transaction_retry_time=15.0,
            )
        except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
            raise ServerError(f"invalid Neo4j URI {settings.shown_uri!r}: {_first_line(exc)}") from None
        try:
            try:
                driver.verify_connectivity()
                with driver.session(database=settings.database) as session:
                    session.run("RETURN 1 AS ok").consume()
            except (ValueError, UnicodeError) as exc:  # an address the resolver cannot parse
                raise ServerError(f"invalid Neo4j address in {settings.shown_uri!r}: {_first_line(exc)}") from None
            yield driver
        finally:
            driver.close()


def open_session(driver, settings: ConnectionSettings, read: bool = False):
    """A session in read or write access mode on the settings' database."""
    import neo4j

    mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
    return driver.session(database=settings.database, default_access_mode=mode)


def read_rows(tx, statement: str, **params) -> list[dict]:
    """A read transaction's rows as dicts (for session.execute_read)."""
    result = tx.run(statement, **params)
    keys = result.keys()
    # not Record.data(): the values here are plain lists and maps already, and data() walks
    # every nested value again (a third of a pull's time)
    return [dict(zip(keys, values)) for values in result]
