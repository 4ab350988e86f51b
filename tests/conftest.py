"""Shared fixtures: the real seed data, a CLI runner, a real Bolt server. Helpers are in helpers.py."""
from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from stakeholder_graph.cli import cli
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.loaders import load
from stakeholder_graph.loaders.bolt.connection import ConnectionSettings

from helpers import SEED


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


TESTS_TODAY = dt.date(2026, 11, 28)


@pytest.fixture(scope="session", autouse=True)
def fixed_today():
    """Answers depend on today's date (the default as-of date; a source dated only "2025 or
    later" confirms a service for today, not for a past day): the in-process tests ask on one
    fixed day, the day the seed data's expectations were written for, whatever the clock says."""
    from stakeholder_graph.queries import matching

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matching, "_today", lambda: TESTS_TODAY)
        yield


@pytest.fixture(scope="session", autouse=True)
def no_audience_setting(tmp_path_factory):
    """No audience setting of the machine running the tests leaks in: no variable, and a config
    folder of the session's own (tests/test_audience.py sets them where it needs them)."""
    saved = {k: os.environ.get(k) for k in ("STAKEHOLDER_GRAPH_AUDIENCE", "XDG_CONFIG_HOME")}
    os.environ.pop("STAKEHOLDER_GRAPH_AUDIENCE", None)
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


# --- one headless Chromium for the session (test_maps.py, test_web_browser.py) ---------------
# Playwright's sync API runs one event loop per thread: two browsers of two fixtures alive at
# once would clash, so every browser test shares this one.

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--disable-extensions",
]


@pytest.fixture(scope="session")
def browser():
    # never skipped: a missing browser fails with the fix (`bash .ci/run` installs both)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -e .[test] (or bash .ci/run)")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: apt-get install chromium (or bash .ci/run)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def seed_dataset():
    return load([SEED])


@pytest.fixture(scope="session")
def seed_graph(seed_dataset) -> StakeholderGraph:
    assert not seed_dataset.problems.errors, seed_dataset.problems.errors
    return seed_dataset.graph()


@pytest.fixture
def run():
    """run(*args) -> click Result, with stdout and stderr kept apart."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


# --- a real Bolt server for the Neo4j tests (test_neo4j*.py), started once per session ---


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory):
    try:
        import arcadedb_embedded  # noqa: F401
        import neo4j  # noqa: F401
    except ImportError as exc:  # never skipped: fail with the fix
        pytest.fail(f"the Neo4j tests need arcadedb-embedded and neo4j (pip install -e .[test]): {exc}")
    from bolt_server import BoltServer, BoltServerError

    server = BoltServer(tmp_path_factory.mktemp("arcadedb"))
    try:
        server.start()
    except BoltServerError as exc:
        pytest.fail(f"could not start the ArcadeDB Bolt server: {exc}")
    yield server
    server.stop()


_numbers = itertools.count(1)


@pytest.fixture
def db(bolt_server, monkeypatch) -> ConnectionSettings:
    """A fresh database, with NEO4J_* set for the CLI."""
    name = bolt_server.create_database(f"t{next(_numbers)}")
    monkeypatch.setenv("NEO4J_URI", bolt_server.uri)
    monkeypatch.setenv("NEO4J_USERNAME", "root")
    monkeypatch.setenv("NEO4J_PASSWORD", bolt_server.password)
    monkeypatch.setenv("NEO4J_DATABASE", name)
    return ConnectionSettings(bolt_server.uri, "root", bolt_server.password, name)
