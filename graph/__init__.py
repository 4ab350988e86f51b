"""The core: the schema (declared once), the in-memory graph, names, dates and the errors.

It imports no other folder of the project. The model (and networkx with it) loads on first
use, so that importing graph.schema for a command's options does not slow `--help`.
"""

__all__ = ["StakeholderGraph", "VERSION"]

VERSION = "0.1.0"  # the package's version, declared here only (pyproject.toml reads it)


def __getattr__(name: str):
    if name == "StakeholderGraph":
        from stakeholder_graph.graph.model import StakeholderGraph

        return StakeholderGraph
    raise AttributeError(f"module 'stakeholder_graph.graph' has no attribute {name!r}")
