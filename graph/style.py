"""Colours shared by every picture of the graph (GEXF exports, maps, diagrams): actors by
sector, other records by kind, so a network looks the same in Gephi and on the map."""
from __future__ import annotations

SECTOR_COLOURS = {
    "government": "#1f77b4",
    "ngo": "#2ca02c",
    "international": "#9467bd",
}
KIND_COLOURS = {
    "actor": "#7f7f7f",  # an actor without a sector
    "service": "#ff7f0e",
    "project": "#d62728",
    "place": "#8c564b",
    "population": "#e377c2",
    "exploitation_form": "#bcbd22",
    "indicator": "#17becf",
    "assessment": "#aec7e8",
    "publication": "#c49c94",
    "source": "#c7c7c7",
}
DEFAULT_COLOUR = "#7f7f7f"


def node_colour(attrs: dict) -> str:
    """'#rrggbb' for a node's attributes: actors by sector, other records by kind."""
    if attrs.get("kind") == "actor" and attrs.get("sector") in SECTOR_COLOURS:
        return SECTOR_COLOURS[attrs["sector"]]
    return KIND_COLOURS.get(attrs.get("kind"), DEFAULT_COLOUR)


def rgb(colour: str) -> tuple[int, int, int]:
    """'#1f77b4' -> (31, 119, 180)."""
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
