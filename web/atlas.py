"""The data the server answers from: loaded as every command loads it (files, the packaged seed
data by default, or a Bolt server), one graph per audience, reloaded when the files change.

A change is validated before it is served: while the changed data has errors, the last good
data stays in service and the errors wait for a maintainer (an account that sees `internal`),
on every page's banner and on /status. A Bolt server is read again every `server_refresh`
seconds the same way. Answers are cached per data generation and audience (bounded in entries
and bytes), so a reload never serves a stale answer nor one audience another's.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import OrderedDict
from pathlib import Path

from stakeholder_graph.graph.errors import DataError, StakeholderGraphError
from stakeholder_graph.graph.schema import SENSITIVITY

log = logging.getLogger("stakeholder_graph.web")


class AnswerCache:
    """A bounded least-recently-used cache of answers: at most `size` entries and `budget` bytes
    of rendered answers (a map is half a megabyte). Keys carry the data generation and the
    audience, so a reload or another audience never shares an entry."""

    def __init__(self, size: int = 2048, budget: int = 128 * 1024 * 1024):
        self.size, self.budget = size, budget
        self._items: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def _weight(value) -> int:
        return len(value) if isinstance(value, (bytes, str)) else 0

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        weight = self._weight(value)
        if weight > self.budget // 8:
            return  # one answer never takes the room of many
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes -= self._weight(old)
            self._items[key] = value
            self._bytes += weight
            while len(self._items) > self.size or self._bytes > self.budget:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= self._weight(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


class Atlas:
    def __init__(self, data: list | None = None, max_file_mb: float | None = None,
                 watch_seconds: float = 2.0, server_refresh: float = 600.0):
        # an entry like bolt://host:7687 names a Neo4j server and stays text; others are paths
        self.sources = [d if "://" in str(d) else Path(d) for d in (data or [])]
        self.max_file_mb = max_file_mb
        self.server = any("://" in str(d) for d in self.sources)
        self.watch_seconds = server_refresh if self.server else watch_seconds
        self.cache = AnswerCache()
        self.generation = 0
        self.loaded_at: dt.datetime | None = None
        self.problems: DataError | None = None  # of the newest change, while it has errors
        self.problems_at: dt.datetime | None = None
        self._stamp: str | None = None
        self._base = None  # the whole graph; each audience gets its copy (for_audience)
        self._bad_stamp: str | None = None
        self._graphs: dict[str, object] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        dataset, stamp = self._read()
        self._swap(dataset.graph(), stamp)  # DataError: a server never starts on data with errors

    # --- reading ----------------------------------------------------------------------------

    def _files_stamp(self) -> str | None:
        if self.server:
            return None
        from stakeholder_graph.loaders import packaged_data
        from stakeholder_graph.loaders.cache import data_stamp

        try:
            return data_stamp(self.sources or [packaged_data()], self.max_file_mb)
        except (OSError, RuntimeError):
            return None

    def _read(self):
        from stakeholder_graph.loaders import load

        stamp = self._files_stamp()
        return load(self.sources or None, cached=not self.server, max_file_mb=self.max_file_mb), stamp

    def _swap(self, graph, stamp) -> None:
        # the public graph and its name index made before it is served: no visitor waits for
        # them (on a big graph, seconds), and a reload never leaves a gap
        public = graph.for_audience(SENSITIVITY[0])
        public.index
        if len(public.G):  # the edges by type, both ways (what every query walks first)
            any_node = next(iter(public.G))
            public.out_edges(any_node, "offers"), public.in_edges(any_node, "offers")
        with self._lock:
            self._base, self._stamp = graph, stamp
            self._graphs = {SENSITIVITY[0]: public}
            self.generation += 1
            self.loaded_at = dt.datetime.now(dt.timezone.utc)
            self.problems = self.problems_at = None
        self.cache.clear()

    def check(self) -> bool:
        """Reload when the data changed (files: their stamp; a server: always); True if a new
        generation is now served. A change with errors keeps the last good data in service."""
        if not self.server:
            stamp = self._files_stamp()
            if stamp is not None and stamp == self._stamp:
                if self.problems is not None:  # the broken change was taken back: nothing waits
                    self.problems = self.problems_at = self._bad_stamp = None
                return False
            if stamp is not None and self.problems is not None and stamp == self._bad_stamp:
                return False  # the same broken change, already reported
        try:
            dataset, stamp = self._read()
            if not self.server and stamp != self._files_stamp():
                return False  # a file changed while it was read: read it again at the next check
            graph = dataset.graph()
        except DataError as exc:
            self.problems, self.problems_at = exc, dt.datetime.now(dt.timezone.utc)
            self._bad_stamp = self._files_stamp()
            log.warning("the changed data has errors; still serving the data loaded at %s", self.loaded_at)
            return False
        except StakeholderGraphError as exc:  # a server out of reach: keep serving what we have
            log.warning("could not read the data again: %s", exc)
            return False
        self._swap(graph, stamp)
        log.info("data reloaded (generation %d)", self.generation)
        return True

    def watch(self) -> None:
        """Check for changes every `watch_seconds` in a background thread until `stop()`."""
        def run():
            while not self._stop.wait(self.watch_seconds):
                try:
                    self.check()
                except Exception:  # the watcher never dies; the last good data stays served
                    log.exception("reloading the data failed")

        self._thread = threading.Thread(target=run, name="stakeholder-graph-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    # --- serving ----------------------------------------------------------------------------

    def snapshot(self, audience: str) -> tuple[int, object]:
        """(generation, the graph as `audience` may see it), taken together: an answer cached
        under a generation was computed from that generation's graph, even across a reload.
        Each audience's graph is built once per generation."""
        with self._lock:
            g = self._graphs.get(audience)
            if g is None:
                g = self._base.for_audience(audience)
                self._graphs[audience] = g
            return self.generation, g

    def graph(self, audience: str):
        """The graph as `audience` may see it now."""
        return self.snapshot(audience)[1]

    def problems_for(self, audience: str) -> list[str]:
        """The errors of the waiting change, for a maintainer only (others see none)."""
        if self.problems is None or audience != SENSITIVITY[-1]:
            return []
        return [str(p) for p in self.problems.problems]

    @property
    def shown(self) -> str:
        return ", ".join(map(str, self.sources)) if self.sources else "the packaged seed data"


__all__ = ["AnswerCache", "Atlas"]
