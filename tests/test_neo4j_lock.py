"""Pushes are exclusive: the push lock against the real Bolt server (ArcadeDB, tests/bolt_server.py,
fixtures in conftest.py). Two pushes of different data to one database end with exactly one
dataset, never a mix; the push that met the lock says so.

The races are made real without sleeps: a first push (a thread here, calling the library) stops
inside its lock through its progress hook until the second push (the CLI, a real subprocess)
has said on stderr that it met the lock.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from stakeholder_graph.exports.neo4j import DEFAULT_LEASE, push, read_lock, run_cypher
from stakeholder_graph.exports.neo4j.lock import me
from stakeholder_graph.graph.errors import LockLost
from stakeholder_graph.loaders import load
from stakeholder_graph.loaders.bolt.mapping import LOCK_LABEL

from helpers import SEED, graph_of, write_files


def layer(ngo: str, places: str) -> dict:
    """An NGO of one dataset only, with relationships of its own."""
    return {
        "actors.yaml": f"""\
- id: {ngo}
  name: An NGO only one dataset has ({ngo})
  sector: ngo
  located_in: [{places}]
  sources: [irc-serbia-country-program]
""",
        "relations.yaml": f"""\
- type: partners_with
  from: {ngo}
  to: atina
  sources: [irc-serbia-country-program]
""",
    }



WAITING = "waiting for the push by"


def cypher(settings, query, **params) -> list[dict]:
    return run_cypher(settings, query, params)[1]


def shape(g) -> tuple[set, set]:
    """The node ids and relationship keys of a graph: what a mix would show."""
    return set(g.G.nodes), {(u, v, k) for u, v, k in g.G.edges(keys=True)}


def contents(g) -> tuple[dict, dict]:
    """Every node and relationship with its attributes."""
    return dict(g.G.nodes(data=True)), {(u, v, k): d for u, v, k, d in g.G.edges(keys=True, data=True)}


def server_shape(settings) -> tuple[set, set]:
    nodes = {r["id"] for r in cypher(settings, "MATCH (n) WHERE n._sg_managed = true RETURN n.id AS id")}
    rels = {(r["u"], r["v"], r["k"]) for r in cypher(
        settings, "MATCH (a)-[r]->(b) WHERE r._sg_managed = true RETURN a.id AS u, b.id AS v, r._sg_key AS k")}
    return nodes, rels


def assert_holds_exactly(settings, g) -> None:
    """The server holds exactly the graph `g` (read back by the pull and counted by Cypher)."""
    pulled = graph_of(settings)
    assert shape(pulled) == shape(g)
    assert contents(pulled) == contents(g)
    assert server_shape(settings) == shape(g)


@pytest.fixture
def datasets(tmp_path):
    """Two different datasets (as --data arguments) and their graphs, each with nodes and
    relationships the other lacks and a record both have with different values: the seed
    data without one service, Atina renamed and an NGO of its own; the seed data with another
    NGO of its own."""
    data = Path(shutil.copytree(SEED, tmp_path / "first"))
    services = data / "services.yaml"
    text = services.read_text(encoding="utf-8")
    block = re.search(r"^- id: centre-shelter\n(?:  .*\n)*", text, re.M).group(0)
    services.write_text(text.replace(block, "#\n" * block.count("\n")), encoding="utf-8")
    actors = data / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace(
        "- id: atina\n  name: Atina\n", "- id: atina\n  name: Atina (first dataset)\n"), encoding="utf-8")
    first = [data, write_files(tmp_path / "first-layer", layer("first-only-ngo", "nis"))]
    second = [SEED, write_files(tmp_path / "second-layer", layer("second-only-ngo", "nis, belgrade"))]
    a, b = graph_of(*first), graph_of(*second)
    (na, ra), (nb, rb) = shape(a), shape(b)
    assert na - nb == {"first-only-ngo"} and nb - na == {"centre-shelter", "second-only-ngo"}
    assert ra - rb and rb - ra
    assert a.node("atina")["name"] == "Atina (first dataset)" != b.node("atina")["name"]
    return (first, a), (second, b)


def cli_process(data: list[Path], *args: str) -> subprocess.Popen:
    """`stakeholder-graph --data ... neo4j push ...` as a real process (NEO4J_* from the env)."""
    command = [sys.executable, "-m", "stakeholder_graph"]
    for d in data:
        command += ["--data", str(d)]
    return subprocess.Popen([*command, "neo4j", "push", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))


class Watched:
    """A process whose stdout and stderr are read by threads as they come; `seen` is set once
    a line of stderr contains `text`."""

    def __init__(self, process: subprocess.Popen, text: str = WAITING):
        self.process = process
        self.out: list[str] = []
        self.err: list[str] = []
        self.seen = threading.Event()
        self.threads = [threading.Thread(target=self._read, args=(process.stdout, self.out, None), daemon=True),
                        threading.Thread(target=self._read, args=(process.stderr, self.err, text), daemon=True)]
        for thread in self.threads:
            thread.start()

    def _read(self, stream, lines, text):
        for line in stream:
            lines.append(line)
            if text and text in line:
                self.seen.set()

    def finish(self, timeout: float = 240) -> tuple[int, str, str]:
        """Wait for the end (killing it after `timeout`): exit code, stdout, stderr."""
        try:
            self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        for thread in self.threads:
            thread.join(timeout=30)
        return self.process.returncode, "".join(self.out), "".join(self.err)

    @property
    def stderr(self) -> str:
        return "".join(self.err)


class HeldPush:
    """A push in a thread that stops while holding the lock (its progress hook, called once the
    lock is held) until `go()`; `.report` or `.error` once it ended."""

    def __init__(self, graph, settings, stop_at_call: int = 1, **options):
        self.holding = threading.Event()
        self.release = threading.Event()
        self.report = self.error = None
        self.calls = 0
        self.stop_at_call = stop_at_call

        def progress(n):
            self.calls += 1
            if self.calls == self.stop_at_call:
                self.holding.set()
                assert self.release.wait(120), "the test never let the held push go"

        def run():
            try:
                self.report = push(graph, settings, progress=progress, **options)
            except BaseException as exc:  # noqa: BLE001 - handed to the test
                self.error = exc
            finally:
                self.holding.set()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert self.holding.wait(120) and self.error is None, self.error

    def go(self):
        self.release.set()
        self.thread.join(timeout=120)
        assert not self.thread.is_alive()


def lock_nodes(settings) -> list[dict]:
    return cypher(settings, f"MATCH (l:{LOCK_LABEL}) RETURN l.name AS name, l.owner AS owner, l.token AS token")


# --- the race ---------------------------------------------------------------------------


def test_a_push_meeting_the_lock_exits_or_waits_and_the_database_is_one_dataset(db, datasets):
    (first_data, first), (second_data, second) = datasets
    holder = HeldPush(first, db, prune=True, batch_size=50)  # holds the lock, has written nothing yet
    (held,) = lock_nodes(db)
    assert held["owner"] == me() and f"(pid {os.getpid()})" in held["owner"]

    # --wait 0 (the default): exit 1 at once, naming the running push; nothing written
    code, out, err = Watched(cli_process(second_data, "--prune")).finish()
    assert code == 1, (out, err)
    line = err.strip()
    assert line.startswith("error: another push is writing to ") and "\n" not in line, err
    assert held["owner"] in line and "started" in line and "lease until" in line and "--wait" in line
    assert server_shape(db) == (set(), set())
    assert lock_nodes(db) == [held]  # the refused push left the lock alone

    # --wait: a real second process waits, says so, and pushes once the first is done
    waiter = Watched(cli_process(second_data, "--prune", "--wait", "120", "--format", "json"))
    try:
        assert waiter.seen.wait(60), f"the second push never said it was waiting:\n{waiter.stderr}"
        assert waiter.process.poll() is None  # still waiting: the first push holds the lock
    finally:
        holder.go()
        code, out, err = waiter.finish()
    assert holder.error is None and holder.report.pruned
    assert code == 0, err
    waiting = [line for line in err.splitlines() if WAITING in line]
    assert len(waiting) == 1 and held["owner"] in waiting[0] and "lease until" in waiting[0]
    report = json.loads(out)
    assert report["waited"] > 0
    # the later dataset, exactly: the first's extra relationships pruned, no trace of a mix
    assert_holds_exactly(db, second)
    assert lock_nodes(db) == []


def test_two_pushes_started_at_once_leave_exactly_one_dataset(db, datasets):
    (first_data, first), (second_data, second) = datasets
    # small batches: each push takes seconds, so the one started a moment later meets the lock
    options = ("--prune", "--wait", "120", "--batch-size", "4", "--format", "json")
    watches = [Watched(cli_process(first_data, *options)), Watched(cli_process(second_data, *options))]
    codes, outs, errors = zip(*(w.finish() for w in watches))
    assert codes == (0, 0), errors
    waited = [i for i, w in enumerate(watches) if w.seen.is_set()]
    assert len(waited) == 1, f"exactly one push should have met the other's lock:\n{errors}"
    later = waited[0]
    assert json.loads(outs[later])["waited"] > 0
    assert f"(pid {watches[1 - later].process.pid})" in errors[later]  # it named the other push
    assert_holds_exactly(db, (first, second)[later])
    assert shape(graph_of(db)) != shape((first, second)[1 - later])
    assert lock_nodes(db) == []


# --- leases, release, takeover ------------------------------------------------------------------


def test_a_stale_lock_is_taken_over_and_every_push_releases_its_lock(db, datasets, run):
    (first_data, first), _ = datasets
    # a killed push leaves its lock: a lease that ended a second ago
    assert run("neo4j", "cypher", "--write",
               f"CREATE (:{LOCK_LABEL} {{name: 'push', token: 'dead', owner: 'bob@gone (pid 7)', "
               "started: timestamp() - 200000, expires: timestamp() - 1000})").exit_code == 0
    data = [a for d in first_data for a in ("--data", d)]
    result = run(*data, "neo4j", "push", "--prune")
    assert result.exit_code == 0, result.stderr
    assert "took over the lock" in result.stderr and "bob@gone (pid 7)" in result.stderr
    assert "lease ended" in result.stderr
    assert lock_nodes(db) == []  # released after success
    assert_holds_exactly(db, first)

    class Failed(Exception):
        pass

    def fail(n):
        if n:
            raise Failed

    with pytest.raises(Failed):
        push(first, db, progress=fail, batch_size=10)
    assert lock_nodes(db) == []  # released after a failing push too


def test_a_push_that_lost_its_lease_stops_before_writing_again(db, datasets):
    (_, first), (_, second) = datasets
    # the first push holds a short lease and stops after its first batch, longer than the lease
    holder = HeldPush(first, db, stop_at_call=2, prune=True, batch_size=50, lease=0.5)
    deadline = time.monotonic() + 30
    while not read_lock(db).expired:  # the server's clock decides when a lease has ended
        assert time.monotonic() < deadline
        time.sleep(0.1)
    events = []
    push(second, db, prune=True, on_lock=lambda event, h: events.append((event, h.owner)))
    assert events == [("took-over", me())]
    holder.go()
    assert isinstance(holder.error, LockLost), holder.error  # at its next batch: rolled back
    assert "lost its lock" in str(holder.error) and holder.calls == 2
    assert_holds_exactly(db, second)  # nothing of the first push written after the takeover


def test_the_lock_is_not_data_it_is_never_pulled_nor_pruned(db, datasets, run):
    (_, first), (_, second) = datasets
    push(second, db)
    # another lock node (of another name), as a maintainer's tool might leave it
    assert run("neo4j", "cypher", "--write",
               f"CREATE (:{LOCK_LABEL} {{name: 'other', token: 't', owner: 'x', expires: 0}})").exit_code == 0
    report = push(first, db, prune=True)
    assert report.nodes_deleted == 2  # centre-shelter and second-only-ngo; the lock nodes stay
    assert lock_nodes(db) == [{"name": "other", "owner": "x", "token": "t"}]
    dataset = load([db.uri])
    assert not [p for p in dataset.problems if LOCK_LABEL in str(p) or "other" in p.message]
    assert_holds_exactly(db, first)
    rows = json.loads(run("neo4j", "cypher", f"MATCH (l:{LOCK_LABEL}) RETURN l.name AS name",
                          "--format", "json").stdout)
    assert rows == [{"name": "other"}]  # read-only Cypher sees it like any node


def test_unlock_shows_the_lock_and_removes_it_only_when_confirmed(db, run):
    assert run("neo4j", "unlock").stdout.startswith("no push holds a lock on ")
    assert run("neo4j", "cypher", "--write",
               f"CREATE (:{LOCK_LABEL} {{name: 'push', token: 'live', owner: 'carol@host (pid 9)', "
               f"started: timestamp(), expires: timestamp() + 60000}})").exit_code == 0
    declined = run("neo4j", "unlock", input="n\n")
    assert declined.exit_code == 1 and "carol@host (pid 9)" in declined.stdout
    assert len(lock_nodes(db)) == 1
    removed = run("neo4j", "unlock", "--yes")
    assert removed.exit_code == 0 and "removed" in removed.stdout
    assert lock_nodes(db) == []


def test_the_help_gives_the_lease():
    from stakeholder_graph.commands.neo4j import push as push_command
    from stakeholder_graph.commands.neo4j import unlock

    assert f"a lease of {DEFAULT_LEASE:g} s" in push_command.help
    assert f"at most {DEFAULT_LEASE:g} s" in unlock.help
