"""Load test of the referral atlas: `stakeholder-graph serve` started for real on 127.0.0.1,
driven by closed-loop clients over keep-alive HTTP/1.1 connections, on the seed data and on a
generated graph of 20,000 actors, 60,000 services and 300 places (bench/generate.py).

    python bench/bench_serve.py [--seconds 30] [--clients 50] [--big-clients 10] [--only seed|20k] [--quick]
                                [--wait-quiet SECONDS]

Each client sends its next request when the last one's body has arrived (closed loop), so the
server is never offered more than `clients` requests at once. Every workload runs on a freshly
started server, so its answer cache starts empty (after the one first /api/who that is timed
as the cold baseline) and the questions are spread over every municipality and several
populations. Column "hits exp/seen": the answer-cache hit share expected of uniform draws over
the workload's questions, and the share of requests that repeated a question already asked in
the run (the rest are misses); the home page is never cached. After the /api/who-only run,
every /api/who question is asked once and the run repeated: the same load with the answer
cache warm (the steady state of a server that has been up a while).

Reports, per endpoint and overall: requests per second, p50/p95/p99/max latency and errors
(an answer other than 2xx/3xx, a broken connection, or no answer by the end). Side by side:
/api/who alone with one client (first request of a fresh server, uncached answers, cached
answers), /api/health's throughput (the server's ceiling on a trivial endpoint), and the load
generator's own capacity against a stub server that answers every request with fixed bytes.
The generator runs in this process, the server in its own; both share the machine's cores,
so the CPU each used during a run is printed too, and what other processes used: on a shared
machine the figures are worse than the app's own (--wait-quiet waits for a quiet machine
before each run).

Targets: 0 errors; /api/who p95 under 50 ms on the seed data with 50 clients, and under
150 ms on the 20k-actor graph with 10 clients. The generated data lives in a temporary folder
(CSV, the fastest to load), and the server's load cache in another (XDG_CACHE_HOME), both
removed at the end.
"""
from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

from generate import POPULATIONS, generate_records, write_csv
from timing import CLI, PYTHON, ROOT

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 120.0  # seconds a run waits past its end for answers still on their way
TARGET_SEED_MS, TARGET_BIG_MS = 50.0, 150.0


# --- the server -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), None where it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def machine_busy() -> tuple[float, float] | None:
    """(busy, stolen) CPU seconds of the whole machine, all cores together (Linux /proc/stat)."""
    try:
        ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (ticks + [0] * 8)[:8]
    hz = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / hz, steal / hz


class Server:
    """`python -m stakeholder_graph [--data DIR ...] serve` on a free port, until stopped."""

    def __init__(self, data_args: list[str], work: Path, name: str):
        self.port = free_port()
        self.log = work / f"server-{name}-{self.port}.log"
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}  # not the user's load cache
        argv = [*CLI, *data_args, "serve", "--host", HOST, "--port", str(self.port)]
        start = time.perf_counter()
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            asyncio.run(self._wait_healthy(timeout=600))
        except BaseException:
            self.stop()
            raise
        self.started_in = time.perf_counter() - start

    async def _wait_healthy(self, timeout: float) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {self.log}:\n"
                                   + self.log.read_text(errors="replace")[-2000:])
            try:
                conn = await Connection.open(self.port)
                status, _ = await conn.get("/api/health")
                conn.close()
                if status == 200:
                    return
            except (OSError, asyncio.IncompleteReadError):
                pass
            await asyncio.sleep(0.2)
        raise TimeoutError(f"no /api/health from the server in {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


STUB = r"""
import asyncio, sys
BODY = b"x" * int(sys.argv[2])
REPLY = (b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(BODY)) + BODY
class Stub(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.buffer = transport, b""
    def data_received(self, data):
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            _, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            self.transport.write(REPLY)
async def main():
    server = await asyncio.get_running_loop().create_server(Stub, "127.0.0.1", int(sys.argv[1]))
    print("ready", flush=True)
    async with server:
        await server.serve_forever()
asyncio.run(main())
"""


# --- the client -------------------------------------------------------------------------------

class Connection:
    """A minimal keep-alive HTTP/1.1 GET client on asyncio streams: reads a Content-Length
    body (or a chunked one), reconnects after `Connection: close`."""

    def __init__(self, port: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.port, self.reader, self.writer = port, reader, writer
        self.head = f"Host: {HOST}:{port}\r\nUser-Agent: bench-serve\r\nAccept: */*\r\n\r\n".encode()

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 20)
        return cls(port, reader, writer)

    async def get(self, path: str) -> tuple[int, int]:
        """(status, body bytes) of GET path."""
        self.writer.write(b"GET " + path.encode("ascii") + b" HTTP/1.1\r\n" + self.head)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            size = int(headers["content-length"])
            await self.reader.readexactly(size)
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            size = 0
            while True:
                chunk = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(chunk + 2)
                size += chunk
                if chunk == 0:  # no trailers: the server sends none
                    break
        else:
            raise ConnectionError("an answer with neither Content-Length nor chunked body")
        if headers.get("connection", "").lower() == "close":
            self.close()
            fresh = await Connection.open(self.port)
            self.reader, self.writer = fresh.reader, fresh.writer
        return status, size

    def close(self) -> None:
        self.writer.close()


# --- workloads --------------------------------------------------------------------------------

@dataclass
class Workload:
    """Endpoint label -> (weight, paths); each request picks a label by weight, then a path."""
    name: str
    endpoints: dict[str, tuple[float, list[str]]]
    uncached: tuple[str, ...] = ()  # labels whose answers the server does not cache
    warm: bool = False  # every path asked once before the run: all answers cached

    def picker(self, rng: random.Random):
        labels = list(self.endpoints)
        weights = [self.endpoints[label][0] for label in labels]

        def pick() -> tuple[str, str]:
            label = rng.choices(labels, weights)[0]
            return label, rng.choice(self.endpoints[label][1])
        return pick


def q(path: str, **params) -> str:
    return path + "?" + urlencode(params, quote_via=quote)


@dataclass
class Dataset:
    """The questions a workload asks of one dataset."""
    places: list[str]          # municipality ids
    populations: list[str]     # a few population ids
    place_names: dict[str, str]
    population_names: dict[str, str]
    gap_params: list[dict]
    records: list[str]         # public record ids for show and /record/
    search_terms: list[str]

    def who(self, page: str = "/api/who") -> list[str]:
        return [q(page, population=p, place=pl) for pl in self.places for p in self.populations]

    def pathway(self, page: str = "/api/pathway") -> list[str]:
        return [q(page, population=p, place=pl) for pl in self.places for p in self.populations]

    def asks(self) -> list[str]:
        out = []
        for pl in self.places:
            for p in self.populations:
                place, pop = self.place_names[pl], self.population_names[p]
                out.append(q("/api/ask", q=f"who helps {pop} in {place}"))
                out.append(q("/api/ask", q=f"referral pathway for {pop} in {place}"))
        return out

    def who_only(self) -> Workload:
        return Workload("/api/who only", {"/api/who": (1, self.who())})

    def mixed(self) -> Workload:
        return Workload("mixed pages and API", {
            "/api/who": (20, self.who()),
            "/api/pathway": (8, self.pathway()),
            "/api/gaps": (3, [q("/api/gaps", **p) for p in self.gap_params]),
            "/api/show": (5, [q("/api/show", name=r) for r in self.records]),
            "/api/ask": (5, self.asks()),
            "/api/search": (4, [q("/api/search", q=t) for t in self.search_terms]),
            "/ (home page)": (5, ["/"]),
            "/who": (20, self.who("/who")),
            "/pathway": (10, self.pathway("/pathway")),
            "/record/<id>": (12, ["/record/" + quote(r, safe="") for r in self.records]),
            "/search": (8, [q("/search", q=t) for t in self.search_terms]),
        }, uncached=("/ (home page)",))


def seed_dataset() -> Dataset:
    from stakeholder_graph import open_graph
    from stakeholder_graph.graph.schema import VOCABULARIES

    g = open_graph().for_audience("public")
    places = sorted(n for n in g.ids_of("place") if g.node(n).get("level") == "municipality")
    populations = ["children", "women", "victims-of-trafficking", "refugees-and-migrants"]
    records = sorted([*g.ids_of("actor"), *g.ids_of("service"), *g.ids_of("project"), *places])
    words = sorted({w.strip(",.()").lower() for n in g.ids_of("actor") for w in g.name(n).split()
                    if len(w.strip(",.()")) >= 4})
    gap_params = ([{"population": p} for p in sorted(g.ids_of("population"))]
                  + [{"service": s} for s in VOCABULARIES["service_type"][:12]])
    return Dataset(places, populations, {n: g.name(n) for n in places},
                   {n: g.name(n) for n in populations}, gap_params, records,
                   [*words, *(g.name(n) for n in places[::4])])


def generated_dataset(nodes) -> Dataset:
    from stakeholder_graph.graph.schema import VOCABULARIES

    public = [n for n in nodes if n.fields.get("sensitivity", "public") == "public" and n.kind != "source"]
    places = sorted(n.id for n in public if n.kind == "place" and n.fields.get("level") == "municipality")
    populations = ["gen-children", "gen-women", "gen-victims", "gen-migrants"]
    actors = [n.id for n in public if n.kind == "actor"]
    services = [n.id for n in public if n.kind == "service"]
    rng = random.Random(7)
    records = sorted([*rng.sample(actors, min(2000, len(actors))), *rng.sample(services, min(2000, len(services))),
                      *places])
    gap_params = ([{"population": p} for p, _parent in POPULATIONS]
                  + [{"service": s} for s in VOCABULARIES["service_type"][:12]])
    return Dataset(places, populations, {n: n for n in places}, {n: n for n in populations}, gap_params,
                   records, rng.sample(actors, min(500, len(actors))) + places[::4])


# --- running a load ---------------------------------------------------------------------------

@dataclass
class Result:
    name: str
    clients: int
    seconds: float
    samples: dict[str, list[float]] = field(default_factory=dict)  # label -> latencies (s) of good answers
    errors: dict[str, dict[str, int]] = field(default_factory=dict)  # label -> what went wrong -> count
    new: dict[str, int] = field(default_factory=dict)  # label -> requests for a path not asked before
    keys: dict[str, int] = field(default_factory=dict)  # label -> paths the workload could ask
    uncached: tuple[str, ...] = ()
    warm: bool = False
    client_cpu: float = 0.0
    server_cpu: float | None = None
    machine_cpu: float | None = None  # cores busy on the whole machine, on average
    stolen_cpu: float = 0.0

    def count(self, label: str | None = None) -> int:
        labels = [label] if label else list(self.samples)
        return sum(len(self.samples.get(x, [])) + sum(self.errors.get(x, {}).values()) for x in labels)

    def error_count(self, label: str | None = None) -> int:
        labels = [label] if label else list(self.errors)
        return sum(sum(self.errors.get(x, {}).values()) for x in labels)

    def all_samples(self) -> list[float]:
        return [s for v in self.samples.values() for s in v]


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted values (nan when there are none)."""
    if not sorted_values:
        return math.nan
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


async def _load(port: int, workload: Workload, clients: int, seconds: float, seed: int = 1) -> Result:
    result = Result(workload.name, clients, seconds, uncached=workload.uncached, warm=workload.warm,
                    keys={label: len(set(paths)) for label, (_w, paths) in workload.endpoints.items()})
    for label in workload.endpoints:
        result.samples[label], result.errors[label], result.new[label] = [], {}, 0
    seen: set[str] = set()
    loop = asyncio.get_running_loop()
    start = loop.time()
    deadline = start + seconds

    async def client(i: int) -> None:
        pick = workload.picker(random.Random(seed * 1000 + i))
        conn = None
        while loop.time() < deadline:
            label, path = pick()
            if path not in seen:
                seen.add(path)
                result.new[label] += 1
            t = time.perf_counter()
            try:
                if conn is None:
                    conn = await Connection.open(port)
                status, _size = await conn.get(path)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
                kind = type(exc).__name__
                result.errors[label][kind] = result.errors[label].get(kind, 0) + 1
                if conn is not None:
                    conn.close()
                conn = None
                continue
            elapsed = time.perf_counter() - t
            if 200 <= status < 400:
                result.samples[label].append(elapsed)
            else:
                result.errors[label][f"HTTP {status}"] = result.errors[label].get(f"HTTP {status}", 0) + 1
        if conn is not None:
            conn.close()

    tasks = [asyncio.create_task(client(i)) for i in range(clients)]
    done, pending = await asyncio.wait(tasks, timeout=seconds + REQUEST_TIMEOUT)
    for task in pending:  # answers that never came: errors of an unknown endpoint
        task.cancel()
        late = result.errors.setdefault("(no answer by the end)", {})
        late["timeout"] = late.get("timeout", 0) + 1
    for task in done:
        task.result()
    result.seconds = loop.time() - start
    return result


QUIET = {"wait": 0.0, "busiest": 0.0, "run": ""}  # --wait-quiet; the most other processes used in a run


def wait_quiet(max_wait: float, threshold: float = 0.25) -> None:
    """Wait (up to max_wait seconds) until other processes use under `threshold` cores over 2 s."""
    end = time.monotonic() + max_wait
    while time.monotonic() < end:
        before = machine_busy()
        time.sleep(2)
        after = machine_busy()
        if not before or not after or (after[0] - before[0]) / 2 < threshold:
            return
    print(f"  (the machine stayed busy with other work for {max_wait:.0f} s; running anyway)")


def run_load(port: int, workload: Workload, clients: int, seconds: float, server_pid: int | None = None) -> Result:
    """The workload for `seconds`; server_pid: the process whose CPU time is the server's."""
    if QUIET["wait"]:
        wait_quiet(QUIET["wait"])
    cpu0, wall0, machine0 = time.process_time(), time.perf_counter(), machine_busy()
    server0 = cpu_seconds(server_pid) if server_pid else None
    result = asyncio.run(_load(port, workload, clients, seconds))
    wall = time.perf_counter() - wall0
    result.client_cpu = (time.process_time() - cpu0) / wall
    machine1 = machine_busy()
    if server0 is not None:
        server1 = cpu_seconds(server_pid)
        result.server_cpu = (server1 - server0) / wall if server1 is not None else None
    if machine0 and machine1:
        result.machine_cpu = (machine1[0] - machine0[0]) / wall
        result.stolen_cpu = (machine1[1] - machine0[1]) / wall
        others = result.machine_cpu - result.client_cpu - (result.server_cpu or 0)
        if others > QUIET["busiest"]:
            QUIET["busiest"], QUIET["run"] = others, f"{workload.name}, {clients} clients"
    return result


async def _sequential(port: int, paths: list[str]) -> list[float]:
    conn = await Connection.open(port)
    out = []
    for path in paths:
        t = time.perf_counter()
        status, _ = await conn.get(path)
        out.append(time.perf_counter() - t)
        if not 200 <= status < 400:
            raise RuntimeError(f"GET {path}: HTTP {status}")
    conn.close()
    return out


def sequential(port: int, paths: list[str]) -> list[float]:
    return asyncio.run(_sequential(port, paths))


# --- printing ---------------------------------------------------------------------------------

def ms(seconds: float) -> str:
    return "    -" if math.isnan(seconds) else f"{seconds * 1000:7.1f}"


def expected_hit_share(keys: int, requests: int) -> float:
    """Share of `requests` uniform draws over `keys` paths that repeat an earlier draw."""
    if not requests:
        return math.nan
    distinct = keys * (1 - (1 - 1 / keys) ** requests)
    return 1 - distinct / requests


def print_result(r: Result) -> None:
    print(f"\n  {r.name}: {r.clients} clients, {r.seconds:.1f} s")
    print(f"    {'endpoint':<18} {'requests':>8} {'rps':>7} {'hits exp/seen':>14} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'max ms':>7} {'errors':>6}")
    rows = [label for label in r.samples if r.count(label)] + [x for x in r.errors if x not in r.samples]
    for label in [*rows, None]:
        samples = sorted(r.all_samples() if label is None else r.samples.get(label, []))
        n = r.count(label)
        if r.warm:
            hits = "all (warm)"
        elif label is None:
            cached = [x for x in r.samples if x not in r.uncached and x in r.keys and r.count(x)]
            total = sum(r.count(x) for x in cached)
            expected = sum(expected_hit_share(r.keys[x], r.count(x)) * r.count(x) for x in cached)
            seen = sum(r.count(x) - r.new[x] for x in cached)
            hits = f"{expected / total:4.0%} / {seen / total:4.0%}" if total else "-"
        elif label in r.uncached:
            hits = "uncached"
        elif label in r.keys and n:
            hits = f"{expected_hit_share(r.keys[label], n):4.0%} / {1 - r.new[label] / n:4.0%}"
        else:
            hits = "-"
        print(f"    {label or 'all':<18} {n:8d} {n / r.seconds:7.1f} {hits:>14} {ms(percentile(samples, 50))} "
              f"{ms(percentile(samples, 95))} {ms(percentile(samples, 99))} {ms(samples[-1] if samples else math.nan)} "
              f"{r.error_count(label):6d}")
    for label, kinds in r.errors.items():
        if kinds:
            print(f"    errors of {label}: " + ", ".join(f"{k} x{v}" for k, v in kinds.items()))
    server = f"{r.server_cpu:.2f}" if r.server_cpu is not None else "?"
    line = (f"    CPU during the run, in cores: server {server}, load generator {r.client_cpu:.2f} "
            f"({r.client_cpu * r.seconds / max(1, r.count()) * 1e6:.0f} µs per request)")
    if r.machine_cpu is not None:
        others = r.machine_cpu - r.client_cpu - (r.server_cpu or 0)
        line += f", other processes {max(0.0, others):.2f}, of {os.cpu_count()} cores"
        if r.stolen_cpu >= 0.01:
            line += f" (stolen by the host: {r.stolen_cpu:.2f})"
    print(line)


def p95(r: Result, label: str) -> float:
    return percentile(sorted(r.samples.get(label, [])), 95)


# --- the datasets -----------------------------------------------------------------------------

def generator_capacity(work: Path, clients: int, seconds: float) -> None:
    """The load generator against a stub that answers at once, its body as big as a who answer."""
    port = free_port()
    stub = subprocess.Popen([PYTHON, "-c", STUB, str(port), "100000"], stdout=subprocess.PIPE, text=True)
    try:
        stub.stdout.readline()
        paths = [q("/api/who", population="children", place=f"p{i}") for i in range(1000)]
        r = run_load(port, Workload("stub", {"stub": (1, paths)}), clients, seconds, stub.pid)
        if r.error_count():
            raise RuntimeError(f"the stub server answered with errors: {r.errors}")
        samples = sorted(r.all_samples())
        cpu_per_request = r.client_cpu * r.seconds / r.count()
        print(f"load generator against a stub server (100 kB answers), {clients} clients, {r.seconds:.1f} s: "
              f"{r.count() / r.seconds:.0f} rps, p50 {ms(percentile(samples, 50)).strip()} ms, "
              f"p95 {ms(percentile(samples, 95)).strip()} ms; generator CPU {r.client_cpu:.2f} cores, "
              f"{cpu_per_request * 1e6:.0f} µs per request (~{1 / cpu_per_request:.0f} rps per core); "
              f"stub server {r.server_cpu or 0:.2f} cores")
    finally:
        stub.terminate()
        stub.wait()


def baseline(server: Server, data: Dataset, runs: int) -> dict[str, float]:
    """/api/who with one client: the first request of the fresh server, then uncached and cached."""
    paths = data.who()
    random.Random(3).shuffle(paths)
    first = sequential(server.port, paths[:1])[0]
    uncached = sorted(sequential(server.port, paths[1:1 + runs]))
    cached = sorted(sequential(server.port, paths[:1] * runs))
    return {"first": first, "uncached": percentile(uncached, 50), "cached": percentile(cached, 50)}


def run_dataset(title: str, data_args: list[str], data: Dataset, clients: int, seconds: float, work: Path,
                quick: bool) -> dict:
    """Two fresh servers: one for the baseline, /api/health and the /api/who-only load; one for
    the mixed load. Returns the figures the targets need."""
    print(f"\n=== {title} ===")
    server = Server(data_args, work, "who")
    try:
        base = baseline(server, data, 5 if quick else 20)
        print(f"server up (answering /api/health) in {server.started_in:.1f} s")
        print(f"/api/who, one client: first request of a fresh server {base['first'] * 1000:.1f} ms; "
              f"uncached answer median {base['uncached'] * 1000:.1f} ms; cached median {base['cached'] * 1000:.1f} ms")
        health = run_load(server.port, Workload("/api/health", {"/api/health": (1, ["/api/health"])}), clients,
                          min(seconds, 5), server.process.pid)
        print_result(health)
        who = run_load(server.port, data.who_only(), clients, seconds, server.process.pid)
        print_result(who)
        paths = data.who()
        t = time.perf_counter()
        sequential(server.port, paths)
        t = time.perf_counter() - t
        print(f"\n  then every one of the {len(paths)} /api/who questions asked once, one client: {t:.1f} s "
              f"(mean {t / len(paths) * 1000:.1f} ms, the rest of the answers cached)")
        warm = Workload("/api/who only, answer cache warm", data.who_only().endpoints, warm=True)
        warm = run_load(server.port, warm, clients, seconds, server.process.pid)
        print_result(warm)
    finally:
        server.stop()
    server = Server(data_args, work, "mixed")
    try:
        first = sequential(server.port, data.who()[:1])[0]
        print(f"\nfresh server for the mixed load: up in {server.started_in:.1f} s, "
              f"first /api/who {first * 1000:.1f} ms")
        mixed = run_load(server.port, data.mixed(), clients, seconds, server.process.pid)
        print_result(mixed)
    finally:
        server.stop()
    errors = health.error_count() + who.error_count() + warm.error_count() + mixed.error_count()
    return {"base": base, "who": who, "warm": warm, "mixed": mixed, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=None, help="length of each load run (default 30; quick 3)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients on the seed data (default 50)")
    parser.add_argument("--big-clients", type=int, default=10,
                        help="concurrent clients on the generated graph (default 10)")
    parser.add_argument("--actors", type=int, default=None,
                        help="actors of the generated graph (default 20000; quick 2000); 3 services each")
    parser.add_argument("--only", choices=("seed", "20k"), help="one dataset only")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 3 s loads, a 2,000-actor graph")
    parser.add_argument("--wait-quiet", type=float, default=0.0, metavar="SECONDS",
                        help="before each load run, wait up to this long for other processes to leave the CPU")
    args = parser.parse_args()
    QUIET["wait"] = args.wait_quiet
    seconds = args.seconds or (3.0 if args.quick else 30.0)
    actors = args.actors or (2000 if args.quick else 20000)
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    print(f"bench_serve: {os.cpu_count()} CPU cores shared by the server and the load generator; "
          f"{seconds:.0f} s per load run; Python {sys.version.split()[0]}")
    seed = big = None
    try:
        generator_capacity(work, max(args.clients, args.big_clients), min(seconds, 5))
        if args.only in (None, "seed"):
            seed = run_dataset("seed data (packaged)", [], seed_dataset(), args.clients, seconds, work, args.quick)
        if args.only in (None, "20k"):
            t = time.perf_counter()
            nodes, edges = generate_records(actors=actors, services=3 * actors, places=300)
            write_csv(work / "data", nodes, edges)
            print(f"\ngenerated {len(nodes)} records, {len(edges)} relations as CSV in {time.perf_counter() - t:.1f} s")
            big = run_dataset(f"generated graph: {actors} actors, {3 * actors} services, 300 places",
                              ["--data", str(work / "data"), "--max-file-size", "1000"], generated_dataset(nodes),
                              args.big_clients, seconds, work, args.quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("\n=== targets ===")
    if args.quick or seconds < 30 or actors != 20000:
        print("(not the targets' conditions: 30 s runs, a 20,000-actor graph; a smoke run)")
    if QUIET["busiest"] > 0.25:
        print(f"(other processes used up to {QUIET['busiest']:.2f} of the {os.cpu_count()} cores during a run "
              f"({QUIET['run']}): its figures are worse than the app's own)")
    errors = sum(x["errors"] for x in (seed, big) if x)
    print(f"errors: {errors} in every run together (target 0): {'met' if errors == 0 else 'NOT met'}")
    for result, name, clients, target in ((seed, "seed data", args.clients, (TARGET_SEED_MS, 50)),
                                          (big, "generated graph", args.big_clients, (TARGET_BIG_MS, 10))):
        if not result:
            continue
        v, (target_ms, least) = p95(result["who"], "/api/who"), target
        print(f"/api/who p95, {name}, {clients} clients, fresh server: {v * 1000:.1f} ms (target < "
              f"{target_ms:.0f} ms; cache warm {p95(result['warm'], '/api/who') * 1000:.1f} ms; "
              f"uncached alone {result['base']['uncached'] * 1000:.1f} ms): "
              f"{'met' if v * 1000 < target_ms and clients >= least else 'NOT met'}")


if __name__ == "__main__":
    main()
