"""Accounts, logins and the login cookie.

The users file (JSON, written by `stakeholder-graph users add`, mode 0600) holds each account's
audience and an Argon2id hash of its password (argon2-cffi, the reference implementation's
binding, with its recommended parameters). Nobody logs in without the file: a visitor sees
`public`.

A login is a signed cookie (itsdangerous, with a secret shared by every instance that serves
one team) holding the account's name and when it logged in; the audience is read from the
users file on every request, so removing an account or lowering its audience takes effect at
once. The cookie is HttpOnly and SameSite=Strict, and Secure when the page is served over
HTTPS (directly or behind a proxy that says so).

Failed logins are limited: FAILURES_ALLOWED within WINDOW seconds per client address (an IPv6
/64) and per account name from one address, FAILURES_PER_NAME per account name from anywhere;
further attempts are refused (429) until the window has passed. An attempt counts before its
password is checked, so parallel attempts cannot slip past the count; at most CHECKS_AT_ONCE
checks run at once. The counts live in this process only (a restart or another instance
starts counting afresh).

A cookie carries a digest of the account's password hash: changing the password, or removing
and re-making the account, ends the sign-ins made before. Without a readable users file there
is no account at all.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import threading
import time
from collections import deque
from pathlib import Path

from stakeholder_graph.graph.errors import SettingError
from stakeholder_graph.graph.schema import SENSITIVITY

log = logging.getLogger("stakeholder_graph.web")
USERS_VARIABLE = "STAKEHOLDER_GRAPH_USERS"
SECRET_VARIABLE = "STAKEHOLDER_GRAPH_SECRET"
COOKIE = "sg_login"
LOGIN_HOURS = 12
FAILURES_ALLOWED = 5  # per client address, and per account name from one address
FAILURES_PER_NAME = 20  # per account name from anywhere: a stranger alone cannot lock an account out
WINDOW = 15 * 60
CHECKS_AT_ONCE = 2  # password checks running at once (Argon2 takes 64 MiB each); more wait (429)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 10


def default_users_path() -> Path:
    """STAKEHOLDER_GRAPH_USERS, else $XDG_CONFIG_HOME/stakeholder-graph/users.json."""
    if os.environ.get(USERS_VARIABLE):
        return Path(os.environ[USERS_VARIABLE])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "stakeholder-graph" / "users.json"


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def check_name(name: str) -> str:
    if not NAME.match(name or ""):
        raise SettingError(f"account name {name!r}: use 1 to 64 letters, digits, '.', '_', '@' or '-', "
                           "beginning with a letter or digit")
    return name


def read_users(path: Path) -> dict[str, dict]:
    """{name: {"audience", "hash"}} from a users file; SettingError naming the file and the entry."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingError(f"{path}: no such users file (create it with `stakeholder-graph users add`)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SettingError(f"{path}: not a users file ({exc})") from None
    users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(users, dict):
        raise SettingError(f"{path}: not a users file (no \"users\" object)")
    for name, entry in users.items():
        if not NAME.match(str(name)) or not isinstance(entry, dict):
            raise SettingError(f"{path}: account {name!r} is not valid")
        if entry.get("audience") not in SENSITIVITY:
            raise SettingError(f"{path}: account {name!r}: audience must be one of {', '.join(SENSITIVITY)}")
        if not str(entry.get("hash", "")).startswith("$argon2"):
            raise SettingError(f"{path}: account {name!r} has no Argon2 password hash")
    return users


def _write_users(path: Path, users: dict[str, dict]) -> None:
    """Atomically, readable by its owner only."""
    from stakeholder_graph.exports.files import write_file

    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"users": dict(sorted(users.items()))}, indent=2, ensure_ascii=False) + "\n"
    write_file(path, lambda out: out.write(text.encode("utf-8")), mode=0o600)


def add_user(path: Path, name: str, password: str, audience: str) -> bool:
    """Add an account or replace its password and audience; True when it is new."""
    check_name(name)
    if audience not in SENSITIVITY:
        raise SettingError(f"audience must be one of {', '.join(SENSITIVITY)}")
    if len(password) < MIN_PASSWORD:
        raise SettingError(f"the password is too short: at least {MIN_PASSWORD} characters")
    users = read_users(path) if path.exists() else {}
    new = name not in users
    users[name] = {"audience": audience, "hash": _hasher().hash(password)}
    _write_users(path, users)
    secret_for(path, create=True)
    return new


def remove_user(path: Path, name: str) -> None:
    users = read_users(path)
    if name not in users:
        raise SettingError(f"{path}: no account {name!r}")
    del users[name]
    _write_users(path, users)


def secret_for(users_path: Path | None, create: bool = False) -> str | None:
    """The cookie-signing secret: STAKEHOLDER_GRAPH_SECRET, else the file beside the users file
    (made once, mode 0600), so every instance reading one users file signs alike."""
    if os.environ.get(SECRET_VARIABLE):
        return os.environ[SECRET_VARIABLE]
    if users_path is None:
        return None
    path = users_path.with_name(users_path.name + ".secret")
    if not path.exists() and create:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
    return path.read_text().strip() if path.exists() else None


class Accounts:
    """The accounts of a users file (read again when it changes), logins and their limits."""

    def __init__(self, path: Path | None, secret: str | None = None):
        self.path = path
        self._users: dict[str, dict] = {}
        self._stamp = None
        self._failures: dict[str, deque] = {}
        self._lock = threading.Lock()
        self._dummy = None
        self._checking = threading.BoundedSemaphore(CHECKS_AT_ONCE)
        if path is not None:
            self._refresh()
            secret = secret or secret_for(path, create=True)
        from itsdangerous import URLSafeTimedSerializer

        self._secret = secret or secrets.token_urlsafe(48)
        self._signer = URLSafeTimedSerializer(self._secret, salt="stakeholder-graph login")

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def _refresh(self) -> None:
        st = self.path.stat()
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        if stamp != self._stamp:
            self._users, self._stamp = read_users(self.path), stamp

    def users(self) -> dict[str, dict]:
        """The accounts now. A users file that has gone or does not read leaves no account (and
        says so in the log): a sign-in never outlives the file that allowed it."""
        if self.path is not None:
            try:
                self._refresh()
            except (OSError, SettingError) as exc:
                if self._users:
                    log.warning("no accounts until the users file reads again: %s", exc)
                self._users, self._stamp = {}, None
        return self._users

    def _binding(self, entry: dict) -> str:
        """A digest of the account's password hash: a new password or a re-made account ends
        the sign-ins made before."""
        return hmac.new(self._secret.encode(), entry["hash"].encode(), hashlib.sha256).hexdigest()[:24]

    # --- logging in -----------------------------------------------------------------------

    def _begin(self, keys: list[tuple[str, int]], now: float) -> float:
        """Seconds to wait when an attempt is not allowed now; else 0, with the attempt counted
        as a failure already (under the lock, so that parallel attempts cannot all pass the
        check before any failure is counted; a right password takes it back)."""
        with self._lock:
            wait = 0.0
            for key, allowed in keys:
                q = self._failures.get(key)
                while q and now - q[0] > WINDOW:
                    q.popleft()
                if q and len(q) >= allowed:
                    wait = max(wait, WINDOW - (now - q[0]))
            if wait:
                return wait
            for key, allowed in keys:
                self._failures.setdefault(key, deque(maxlen=allowed)).append(now)
            return 0.0

    def _succeeded(self, keys: list[tuple[str, int]], now: float) -> None:
        with self._lock:
            for key, _ in keys:
                q = self._failures.get(key)
                if q and now in q:
                    q.remove(now)

    def login(self, name: str, password: str, client: str) -> tuple[str | None, float]:
        """(a cookie value, 0) for a right name and password; (None, seconds to wait) when
        attempts are limited or too many checks run at once; (None, 0) for a wrong one.
        Unknown names cost as much as known ones."""
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

        now = time.monotonic()
        account = name.lower()
        keys = [(f"client:{client_block(client)}", FAILURES_ALLOWED),
                (f"name+client:{account}|{client_block(client)}", FAILURES_ALLOWED),
                (f"name:{account}", FAILURES_PER_NAME)]
        wait = self._begin(keys, now)
        if wait:
            return None, wait
        if not self._checking.acquire(blocking=False):  # each check holds 64 MiB: a few at a time
            self._succeeded(keys, now)  # not an attempt: nothing was checked
            return None, 1.0
        try:
            entry = self.users().get(name)
            hasher = _hasher()
            try:
                if entry is None:
                    if self._dummy is None:
                        self._dummy = hasher.hash(secrets.token_urlsafe(16))
                    hasher.verify(self._dummy, password)  # as slow as a real check, then refused
                    raise VerifyMismatchError
                hasher.verify(entry["hash"], password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return None, 0.0
        finally:
            self._checking.release()
        self._succeeded(keys, now)
        return self._signer.dumps({"u": name, "b": self._binding(entry)}), 0.0

    def audience(self, cookie: str | None) -> tuple[str | None, str]:
        """(account name, audience) for a login cookie; (None, "public") without a valid one:
        unsigned, expired, of an account since removed, or from before its password changed."""
        if not cookie or not self.enabled:
            return None, SENSITIVITY[0]
        from itsdangerous import BadSignature

        try:
            data = self._signer.loads(cookie, max_age=LOGIN_HOURS * 3600)
        except BadSignature:
            return None, SENSITIVITY[0]
        name = data.get("u") if isinstance(data, dict) else None
        entry = self.users().get(name) if isinstance(name, str) else None
        if entry is None or not hmac.compare_digest(str(data.get("b", "")), self._binding(entry)):
            return None, SENSITIVITY[0]
        return name, entry["audience"]


def client_block(address: str) -> str:
    """The unit failed sign-ins are counted by: an IPv4 address, or an IPv6 /64 (one machine
    may hold a whole /64)."""
    import ipaddress

    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


__all__ = ["Accounts", "COOKIE", "add_user", "default_users_path", "read_users", "remove_user", "secret_for"]
