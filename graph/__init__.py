"""The stakeholder graph: schema, in-memory model and name index.

The model (and networkx with it) loads on first use, so that importing graph.schema for a
command's options does not slow `--help`.
"""

__all__ = ["StakeholderGraph", "NameNotFound"]


def __getattr__(name: str):
    if name in __all__:
        from . import model

        return {"StakeholderGraph": model.StakeholderGraph, "NameNotFound": model.NameNotFound}[name]
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
