"""The data a command works on: the --data sources given (default the packaged seed data),
loaded once per command through the loaders' cache (the graph itself when it is cached),
and the audience the command serves."""
from __future__ import annotations

from pathlib import Path


class State:
    def __init__(self, data: tuple[str, ...] = (), audience: str | None = None,
                 max_file_mb: float | None = None):
        # an entry like bolt://host:7687 names a Neo4j server and stays text; others are paths
        self.data = [d if "://" in str(d) else Path(d) for d in data]
        # set by the command's --audience (commands.options.audience_option, which also reads
        # the user's setting); graph() refuses to serve a command that has none
        self.audience = audience
        self.max_file_mb = max_file_mb  # None: STAKEHOLDER_GRAPH_MAX_FILE_MB, else the default
        self._dataset = None
        self._graphs: dict[str, object] = {}

    @property
    def shown(self) -> str:
        """The data sources as the user named them ('the packaged seed data' by default)."""
        return ", ".join(map(str, self.data)) if self.data else "the packaged seed data"

    def dataset(self):
        """Every record and every problem, whatever its sensitivity (validate shows them all)."""
        if self._dataset is None:
            from stakeholder_graph.loaders import load

            self._dataset = load(self.data or None, cached=True, max_file_mb=self.max_file_mb)
        return self._dataset

    def graph(self):
        """The graph as the command's audience may see it: records and relations above it are
        not in it at all, so no answer, count, error message or suggestion can name them.
        DataError (the CLI shows the first problems) when the data has errors."""
        if self.audience is None:  # a programming error, not a user's: every such command takes --audience
            raise RuntimeError("State.graph() needs an audience: give the command --audience "
                               "(commands.options.audience_option)")
        if self.audience not in self._graphs:
            from stakeholder_graph.graph.errors import DataError
            from stakeholder_graph.graph.schema import check_audience
            from stakeholder_graph.loaders import cached_graph

            audience = check_audience(self.audience)
            try:  # the records are loaded only when the graph is not in the cache
                graph = cached_graph(self.data or None, self.dataset, self.max_file_mb)
            except DataError:  # name only the errors of what this audience may see
                raise self.dataset().errors_for(audience) from None
            self._graphs[self.audience] = graph.for_audience(audience)
        return self._graphs[self.audience]
