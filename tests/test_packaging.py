"""It installs like a real package: a wheel built from the checkout, installed into a fresh
virtual environment outside the checkout, answers from a directory that is not the checkout,
on the seed data it carries inside it (found through importlib.resources)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import ROOT

NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "bench", "tests",
)


def run(argv, cwd, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True, env=env, **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(wheel, the fresh venv's bin folder, a working directory that is not the checkout)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "checkout"  # a clean copy: building writes build/ and *.egg-info beside it
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp / "dist", source], tmp)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp / "dist").glob("stakeholder_graph-*.whl"))
    venv = tmp / "venv"
    made = run([sys.executable, "-m", "venv", venv], tmp)
    assert made.returncode == 0, made.stderr
    bin_dir = venv / "bin"
    # with the web extra, so that the installed wheel can serve the atlas too
    pip = run([bin_dir / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
               f"{wheel}[web]"], tmp)
    assert pip.returncode == 0, pip.stderr
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    return wheel, bin_dir, elsewhere


def test_the_wheel_holds_one_import_name_and_the_data(installed):
    wheel, _, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"stakeholder_graph", wheel.name.split("-py3")[0] + ".dist-info"}
    shipped = [p.relative_to(ROOT).as_posix() for folder in ("seed_data", "templates", "viz/assets", "viz/locale",
                                                                          "web/templates", "web/static")
               for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix != ".pot"]
    shipped.append("queries/lexicon.yaml")
    assert len(shipped) > 20
    for data in shipped:  # every data file of the checkout travels in the wheel
        assert f"stakeholder_graph/{data}" in names, data
    assert not [n for n in names if "/tests/" in n or "/bench/" in n]


def test_the_installed_wheel_validates_and_answers_outside_the_checkout(installed, seed_graph):
    _, bin_dir, elsewhere = installed
    validate = run([bin_dir / "stakeholder-graph", "validate"], elsewhere)
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.startswith("ok: 0 error(s), 0 warning(s) in the packaged seed data")

    who = run([bin_dir / "stakeholder-graph", "who", "--population", "children", "--place", "Niš",
               "--format", "json"], elsewhere)
    assert who.returncode == 0, who.stderr
    answer = json.loads(who.stdout)
    actors = {r["actor"]["id"] for r in answer["results"]}
    assert {"atina", "centre-for-protection-of-victims"} <= actors
    assert answer["query"]["place"] == "Niš (municipality, Nišava district, Serbia)"

    serbian = run([bin_dir / "stakeholder-graph", "ask", "ко помаже деци у Нишу?"], elsewhere)
    assert serbian.returncode == 0, serbian.stderr
    assert serbian.stdout.startswith("Схваћено: питање: ко се бави; група: деца; место: Ниш")

    library = run([bin_dir / "python", "-c",
                   "from stakeholder_graph import open_graph; print(len(open_graph().G))"], elsewhere)
    assert library.returncode == 0, library.stderr
    assert int(library.stdout) == len(seed_graph.G)

    # the README's layering works from anywhere: `seed_data` names the packaged seed data here
    partner = elsewhere / "partner"
    partner.mkdir()
    (partner / "actors.yaml").write_text(
        "- {id: partner-ngo, name: Partner NGO, sector: ngo, located_in: [nis], "
        "sources: [irc-serbia-country-program]}\n", encoding="utf-8")
    layered = run([bin_dir / "stakeholder-graph", "--data", "seed_data", "--data", "partner", "show",
                   "Partner NGO"], elsewhere)
    assert layered.returncode == 0, layered.stderr
    assert "[actor partner-ngo]" in layered.stdout and "located_in" in layered.stdout

    where = run([bin_dir / "python", "-c",
                 "import stakeholder_graph, stakeholder_graph.loaders as l; "
                 "print(stakeholder_graph.__file__); print(l.packaged_data())"], elsewhere)
    module, data = where.stdout.split()
    assert str(ROOT) not in module and str(ROOT) not in data  # the installed copy, not the checkout
    assert Path(data).is_dir() and Path(data).parent == Path(module).parent


def test_the_installed_wheel_serves_the_atlas(installed):
    """`serve` from the wheel, outside the checkout: pages (templates and static files are
    package data), the API and the Serbian catalogue."""
    import socket
    import time
    import urllib.request

    _, bin_dir, elsewhere = installed
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["XDG_CONFIG_HOME"] = str(elsewhere / "config")  # no accounts: public only
    server = subprocess.Popen([str(bin_dir / "stakeholder-graph"), "serve", "--port", str(port)], cwd=elsewhere,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not start: {server.stderr.read() if server.poll() is not None else ''}")
                time.sleep(0.2)

        def get(path):
            with urllib.request.urlopen(base + path, timeout=30) as r:
                return r.status, r.headers, r.read().decode("utf-8")

        status, headers, home = get("/?lang=sr-Cyrl")
        assert status == 200 and "Ко се бави случајем?" in home
        assert "default-src 'none'" in headers["content-security-policy"]
        status, headers, css = get("/static/atlas.css")
        assert status == 200 and "@media print" in css
        status, _, body = get("/api/who?population=children&place=Ni%C5%A1")
        actors = {r["actor"]["id"] for r in json.loads(body)["results"]}
        assert {"atina", "centre-for-protection-of-victims"} <= actors
    finally:
        server.terminate()
        server.wait(10)
