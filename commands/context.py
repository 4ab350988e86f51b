"""The data a command works on: the --data sources given (default the packaged seed data),
loaded once per command through the loaders' cache."""
from __future__ import annotations

from pathlib import Path


class State:
    def __init__(self, data: tuple[str, ...] = (), max_file_mb: float | None = None):
        # an entry like bolt://host:7687 names a Neo4j server and stays text; others are paths
        self.data = [d if "://" in str(d) else Path(d) for d in data]
        self.max_file_mb = max_file_mb  # None: STAKEHOLDER_GRAPH_MAX_FILE_MB, else the default
        self._dataset = None
        self._graph = None

    @property
    def shown(self) -> str:
        """The data sources as the user named them ('the packaged seed data' by default)."""
        return ", ".join(map(str, self.data)) if self.data else "the packaged seed data"

    def dataset(self):
        """Every record and every problem (validate shows them all)."""
        if self._dataset is None:
            from stakeholder_graph.loaders import load

            self._dataset = load(self.data or None, cached=True, max_file_mb=self.max_file_mb)
        return self._dataset

    def graph(self):
        """The graph; DataError (the CLI shows the first problems) when the data has errors."""
        if self._graph is None:
            self._graph = self.dataset().graph()
        return self._graph
