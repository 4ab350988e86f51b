"""A real Bolt server for the Neo4j tests: ArcadeDB (PyPI `arcadedb-embedded`) with its Bolt plugin.

    server = BoltServer(tmp_dir).start()     # about 2-4 s; free ports; its own root folder
    server.create_database("t1")
    ... bolt://127.0.0.1:{server.bolt_port}, user root, password server.password ...
    server.stop()

The server runs in a child process that stops when its stdin closes, so it cannot outlive the
test run even if pytest is killed. Also usable from the benchmark.
"""
from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PASSWORD = "sg-test-Password-1"

_SERVER = r"""
import sys
from arcadedb_embedded.server import ArcadeDBServer

root, http_port, bolt_port, password = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
server = ArcadeDBServer(root_path=root, root_password=password, config={
    "http_port": http_port,
    "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
    "bolt_port": bolt_port,
})
server.start()
print("READY", flush=True)
try:
    sys.stdin.read()   # until the parent closes the pipe (or dies)
finally:
    server.stop()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BoltServerError(RuntimeError):
    pass


class BoltServer:
    def __init__(self, root: Path, password: str = PASSWORD):
        self.root = Path(root)
        self.password = password
        self.http_port = free_port()
        self.bolt_port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = self.root / "server.log"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def start(self, timeout: float = 90.0) -> "BoltServer":
        self.root.mkdir(parents=True, exist_ok=True)
        log = open(self.log, "ab")
        # cwd: ArcadeDB writes its ./log folder there
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(self.root / "data"), str(self.http_port),
             str(self.bolt_port), self.password],
            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, cwd=self.root,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BoltServerError(f"ArcadeDB exited with {self.process.returncode}:\n{self.tail()}")
            if self._listening(self.bolt_port) and self._http_ready():
                return self
            time.sleep(0.2)
        self.stop()
        raise BoltServerError(f"ArcadeDB did not start within {timeout:.0f} s:\n{self.tail()}")

    def stop(self, timeout: float = 30.0) -> None:
        if self.process is None:
            return
        try:
            if self.process.stdin:
                self.process.stdin.close()
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # --- HTTP API ------------------------------------------------------------------------

    def _request(self, path: str, body: dict | None = None, timeout: float = 30.0):
        data = json.dumps(body).encode() if body is not None else None
        token = base64.b64encode(f"root:{self.password}".encode()).decode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.http_port}{path}", data=data,
            headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read() or b"{}")

    def _http_ready(self) -> bool:
        try:
            self._request("/api/v1/ready", timeout=2)
            return True
        except urllib.error.HTTPError as exc:
            return exc.code < 500
        except (OSError, ValueError):
            return False

    @staticmethod
    def _listening(port: int) -> bool:
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", port)) == 0

    def create_database(self, name: str) -> str:
        self._request("/api/v1/server", {"command": f"create database {name}"})
        return name

    def drop_database(self, name: str) -> None:
        self._request("/api/v1/server", {"command": f"drop database {name}"})

    def version(self) -> str:
        """The server's own banner, e.g. 'Neo4j/5.26.0 compatible (ArcadeDB 26.10.2)'."""
        from neo4j import GraphDatabase

        with GraphDatabase.driver(self.uri, auth=("root", self.password)) as driver:
            return driver.get_server_info().agent
