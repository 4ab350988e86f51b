"""The push's lock: one push at a time writes to a database.

    with PushLock(session, settings, wait=30, on_lock=print) as lock:
        session.execute_write(lock.fenced, write_batch, rows)   # renews the lease, then writes

The lock is one `StakeholderGraphLock {name: "push"}` node, unique under a constraint, holding
an owner ("alice@host (pid 123)"), a random token, a start time and a lease end, both on the
server's clock. Taking it is one write transaction: MERGE the node (created as ours if absent),
write to it (which holds it: a write lock on Neo4j, a conflict at commit on an optimistic server
such as ArcadeDB), then read it and make it ours if it is ours already or its lease has ended;
otherwise roll back and wait, or give up. Two pushes creating it at once: the uniqueness
constraint lets one commit, the other reads the winner.

Every write transaction of the push first renews the lease through the same claim, and stops
(LockLost, the batch rolled back) if the lock is no longer its own, so a push whose lease ran
out never writes after another took over. A killed push leaves its node until the lease ends
(DEFAULT_LEASE); the next push takes it over. Release deletes the node only if the token is
still ours.
"""
from __future__ import annotations

import getpass
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from stakeholder_graph.exports.neo4j.statements import (
    LOCK_CONSTRAINT,
    lock_claim_statement,
    lock_constraint_statement,
    lock_read_statement,
    lock_release_statement,
    lock_renew_statement,
    lock_take_statement,
)
from stakeholder_graph.graph.errors import LockHeld, LockLost
from stakeholder_graph.loaders.bolt.connection import ConnectionSettings, read_rows

LOCK_NAME = "push"
DEFAULT_LEASE = 90.0  # seconds; renewed by every write transaction of the push
POLL = 1.0  # seconds between attempts while waiting


def _clock(ms) -> str:
    if not isinstance(ms, (int, float)):
        return "?"
    return time.strftime("%H:%M:%S", time.localtime(ms / 1000))


@dataclass(frozen=True)
class LockHolder:
    """Who holds the lock, as read from the server (times in server milliseconds)."""

    owner: str
    token: str
    started: int | None = None
    expires: int | None = None
    now: int | None = None  # the server's clock when read

    @classmethod
    def from_row(cls, row: dict) -> "LockHolder":
        def number(v):
            return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None

        return cls(str(row.get("owner") or "an unknown push"), str(row.get("token") or ""),
                   number(row.get("started")), number(row.get("expires")), number(row.get("now")))

    @property
    def expired(self) -> bool:
        """The lease has ended (or the node carries no lease: not a lock this tool wrote)."""
        return self.expires is None or self.now is None or self.expires <= self.now

    @property
    def seconds_left(self) -> float:
        return 0.0 if self.expired else (self.expires - self.now) / 1000

    def describe(self) -> str:
        """'alice@host (pid 123), started 12:00:01, lease until 12:01:31 (in 85 s)'"""
        lease = (f"lease ended {_clock(self.expires)}" if self.expired
                 else f"lease until {_clock(self.expires)} (in {self.seconds_left:.0f} s)")
        return f"{self.owner}, started {_clock(self.started)}, {lease}"


def me() -> str:
    """user@host (pid N): who this push is, for the others' messages."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in some containers
        user = "unknown"
    return f"{user}@{socket.gethostname()} (pid {os.getpid()})"


class _Held(Exception):
    """Inside the claim transaction: someone else holds the lock (rolls the transaction back)."""

    def __init__(self, holder: LockHolder):
        self.holder = holder


class PushLock:
    """The lock of one push on one database; see the module docstring.

    `wait`: seconds to keep trying while another push holds it (0: give up at once: LockHeld).
    `lease`: seconds the lock lives without renewal. `on_lock(event, holder)` is told
    "waiting" (each attempt that met another push) and "took-over" (an expired lock taken).
    """

    def __init__(self, session, settings: ConnectionSettings, wait: float = 0.0,
                 lease: float = DEFAULT_LEASE,
                 on_lock: Callable[[str, LockHolder], None] | None = None,
                 owner: str | None = None, name: str = LOCK_NAME):
        if lease <= 0:
            raise ValueError("the lease must be positive")
        if wait < 0:
            raise ValueError("wait must not be negative")
        self.session, self.settings = session, settings
        self.wait, self.on_lock, self.name = wait, on_lock, name
        self.lease_ms = int(lease * 1000)
        self.owner = owner or me()
        self.token = secrets.token_hex(12)
        self.held = False
        self.waited = 0.0  # seconds spent waiting for another push (0 if it met none)

    # --- the transactions --------------------------------------------------------------------

    def _params(self) -> dict:
        return {"name": self.name, "token": self.token, "owner": self.owner, "lease": self.lease_ms}

    def _claim(self, tx) -> LockHolder | None:
        """Take the lock if free, ours or expired: the expired holder (or None); else _Held."""
        row = tx.run(lock_claim_statement(), **self._params()).single()
        holder = LockHolder.from_row(dict(row))
        if holder.token != self.token and not holder.expired:
            raise _Held(holder)  # rolls back: the claim leaves no trace
        tx.run(lock_take_statement(), **self._params()).consume()
        return None if holder.token == self.token else holder

    def renew(self, tx) -> None:
        """Extend the lease inside a write transaction of the push; LockLost if not ours."""
        if tx.run(lock_renew_statement(), name=self.name, token=self.token,
                  lease=self.lease_ms).single() is None:
            current = tx.run(lock_read_statement(), name=self.name).single()
            who = (f"it is now held by {LockHolder.from_row(dict(current)).describe()}"
                   if current is not None else "it was removed")
            raise LockLost(
                f"the push lost its lock on {self.settings.describe()} ({who}); it stopped "
                f"before its next batch: push again to finish")

    def fenced(self, tx, work: Callable, *args, **kwargs):
        """For session.execute_write: renew the lease, then `work(tx, *args, **kwargs)`."""
        self.renew(tx)
        return work(tx, *args, **kwargs)

    # --- taking and giving back --------------------------------------------------------------

    def acquire(self) -> None:
        """Take the lock, waiting up to `wait` seconds; LockHeld if another push keeps it.
        The uniqueness constraint must exist (ensure_lock_constraint)."""
        import neo4j

        started = time.monotonic()
        deadline = started + self.wait
        met = False  # another push's lock
        races = 0  # lost races to create the lock node
        while True:
            try:
                expired = self.session.execute_write(self._claim)
            except _Held as held:
                holder, met = held.holder, True
                left = deadline - time.monotonic()
                if left <= 0:
                    self.waited = time.monotonic() - started
                    waited = f" (waited {self.waited:.0f} s)" if self.wait else ""
                    raise LockHeld(
                        f"another push is writing to {self.settings.describe()}: "
                        f"{holder.describe()}{waited}; push again when it is done, or wait for "
                        f"it with --wait SECONDS (a killed push's lock ends with its lease)",
                        holder,
                    ) from None
                if self.on_lock:
                    self.on_lock("waiting", holder)
                # again in a second (sooner if the lease ends sooner), or when the wait is over
                time.sleep(max(min(POLL, left, holder.seconds_left), 0.05))
                continue
            except neo4j.exceptions.ConstraintError:
                races += 1  # another push created the lock at the same moment: read theirs
                if races < 5:
                    continue
                raise
            if met:
                self.waited = time.monotonic() - started
            self.held = True
            if expired is not None and self.on_lock:
                self.on_lock("took-over", expired)
            return

    def release(self) -> None:
        if self.held:
            self.held = False
            self.session.execute_write(
                lambda tx: tx.run(lock_release_statement(), name=self.name, token=self.token).consume())

    def __enter__(self) -> "PushLock":
        self.acquire()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.release()
            return
        try:  # after an error: still give the lock back, but never hide the error
            self.release()
        except Exception:
            pass  # the lease ends it


def ensure_lock_constraint(session, existing: set | None = None) -> None:
    """The uniqueness constraint that makes the lock node one per database (`existing`: the
    constraint names already there, if known)."""
    if existing is not None and LOCK_CONSTRAINT in existing:
        return
    try:
        session.execute_write(lambda tx: tx.run(lock_constraint_statement()).consume())
    except Exception:
        # two pushes creating it at once: one may fail; fine if the constraint is there now
        names = {r.get("name") for r in session.execute_read(read_rows, "SHOW CONSTRAINTS")}
        if LOCK_CONSTRAINT not in names:
            raise


# --- for maintainers: see and break the lock ---------------------------------------------------


def read_lock(settings: ConnectionSettings, name: str = LOCK_NAME) -> LockHolder | None:
    """The push lock on the database, or None."""
    from stakeholder_graph.loaders.bolt.connection import connect, open_session

    with connect(settings) as driver, open_session(driver, settings, read=True) as session:
        rows = session.execute_read(read_rows, lock_read_statement(), name=name)
    return LockHolder.from_row(rows[0]) if rows else None


def break_lock(settings: ConnectionSettings, holder: LockHolder, name: str = LOCK_NAME) -> bool:
    """Delete the lock `holder` describes (only that one: not a newer lock); True if deleted.

    A push still running stops at its next batch (LockLost)."""
    from stakeholder_graph.loaders.bolt.connection import connect, open_session

    with connect(settings) as driver, open_session(driver, settings) as session:
        counters = session.execute_write(
            lambda tx: tx.run(lock_release_statement(), name=name, token=holder.token).consume().counters)
    return counters.nodes_deleted > 0
