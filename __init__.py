"""stakeholder-graph as a library: open the cited graph and ask it what the CLI asks.

    from stakeholder_graph import open_graph, who_handles
    g = open_graph()                                  # the packaged seed data
    answer = who_handles(g, population="children", place="Niš")

`open_graph(paths)` layers data directories, files or a Bolt server URI as `--data` does;
`audience=` keeps only what that audience may see; invalid data raises DataError, whose
`problems` carry file, line and message. Each query is a pure function of the graph that
returns plain data with its evidence and sources.

Everything here loads on first use, so importing one part of the package stays light.
"""

_PUBLIC = {
    "__version__": "stakeholder_graph.graph",
    # opening the graph
    "open_graph": "stakeholder_graph.loaders",
    "load": "stakeholder_graph.loaders",
    "packaged_data": "stakeholder_graph.loaders",
    "StakeholderGraph": "stakeholder_graph.graph.model",
    # questions
    "who_handles": "stakeholder_graph.queries.who",
    "referral_pathway": "stakeholder_graph.queries.pathway",
    "referral_from": "stakeholder_graph.queries.pathway",
    "referred_to": "stakeholder_graph.queries.pathway",
    "coverage_gaps": "stakeholder_graph.queries.gaps",
    "ask": "stakeholder_graph.queries.ask",
    "actor_profile": "stakeholder_graph.queries.profiles",
    "project_profile": "stakeholder_graph.queries.profiles",
    "related": "stakeholder_graph.queries.relations",
    "related_from": "stakeholder_graph.queries.relations",
    "projects_in": "stakeholder_graph.queries.relations",
    "partners_of": "stakeholder_graph.queries.relations",
    "assessments_of": "stakeholder_graph.queries.relations",
    "network_metrics": "stakeholder_graph.queries.metrics",
    "show": "stakeholder_graph.queries.inventory",
    "stats": "stakeholder_graph.queries.inventory",
    "sources": "stakeholder_graph.queries.inventory",
    "diff": "stakeholder_graph.queries.diff",
    "Filters": "stakeholder_graph.queries.selection",
    "select": "stakeholder_graph.queries.selection",
    # errors
    "StakeholderGraphError": "stakeholder_graph.graph.errors",
    "DataError": "stakeholder_graph.graph.errors",
    "NameNotFound": "stakeholder_graph.graph.errors",
    "QueryError": "stakeholder_graph.graph.errors",
    "CannotMap": "stakeholder_graph.graph.errors",
    "DateError": "stakeholder_graph.graph.errors",
    "ExportError": "stakeholder_graph.graph.errors",
    "ServerError": "stakeholder_graph.graph.errors",
    "MissingDependency": "stakeholder_graph.graph.errors",
}

__all__ = sorted(n for n in _PUBLIC if not n.startswith("_"))


def __getattr__(name: str):
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), "VERSION" if name == "__version__" else name)
    raise AttributeError(f"module 'stakeholder_graph' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_PUBLIC])
