"""The stakeholder graph: schema, in-memory model and name index."""
from .model import NameNotFound, StakeholderGraph

__all__ = ["StakeholderGraph", "NameNotFound"]
