"""What several test modules share: the seed data's place, small fixture files, graphs."""
from __future__ import annotations

from pathlib import Path

from stakeholder_graph import open_graph
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.loaders import load, packaged_data

ROOT = Path(__file__).resolve().parent.parent  # the checkout
SEED = packaged_data()

MINIMAL_SOURCES = """\
- id: src
  name: A test source
  url: https://example.org/source
"""


def write_files(directory: Path, files: dict[str, str | bytes]) -> Path:
    """Write {name: text or bytes} into directory and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = directory / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return directory


def graph_of(*sources, allow_errors: bool = False) -> StakeholderGraph:
    """The graph of data directories, files or a server, layered as --data layers them. The
    data must be free of errors (DataError otherwise) unless `allow_errors`: then the graph
    holds whatever records were read."""
    if not allow_errors:
        return open_graph(list(sources))
    dataset = load(list(sources))
    return StakeholderGraph.from_records(dataset.nodes.values(), dataset.edges)
