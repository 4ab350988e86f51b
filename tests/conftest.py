"""Shared fixtures: the real seed data, a CLI runner, and small fixture directories."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cli import cli  # noqa: E402
from graph import StakeholderGraph  # noqa: E402
from loaders import load  # noqa: E402

SEED = ROOT / "seed_data"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """The CLI's load cache goes to a folder of the test session's own."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session")
def seed_dataset():
    return load([SEED])


@pytest.fixture(scope="session")
def seed_graph(seed_dataset) -> StakeholderGraph:
    assert not seed_dataset.problems.errors, seed_dataset.problems.errors
    return StakeholderGraph.from_records(seed_dataset.nodes.values(), seed_dataset.edges)


@pytest.fixture
def run():
    """run(*args) -> click Result, with stdout and stderr kept apart."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


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


MINIMAL_SOURCES = """\
- id: src
  name: A test source
  url: https://example.org/source
"""
