"""A real referral atlas for the tests: uvicorn serving the app on a free port of 127.0.0.1,
in a thread of the test process (so the tests' fixed 'today' holds for its answers too), over
data and accounts the test chooses. `stakeholder-graph serve` itself is started as a process
in tests/test_web.py.

    with running_atlas([SEED, hostile_dir], users=users_file) as base:  # 'http://127.0.0.1:PORT'
        ...

`hostile_layer(dir)` writes data whose names, aliases, descriptions, notes, source titles and
URLs carry script payloads: pages must show them as text and never run them (each payload
sets window.__xss when it runs).
"""
from __future__ import annotations

import contextlib
import socket
import threading
import time
from pathlib import Path

from helpers import write_files

ACCOUNTS = {  # name -> (password, audience)
    "pat": ("partners-password-1", "partners"),
    "ina": ("internal-password-1", "internal"),
}

PAYLOADS = (
    '<img src=x onerror="window.__xss=1">',
    '"><script>window.__xss=1</script>',
    "</script><script>window.__xss=1</script>",
    "<svg onload=window.__xss=1>",
    "{{7*7}} {% raw %}",
    "javascript:window.__xss=1",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_users(path: Path) -> Path:
    from stakeholder_graph.web.accounts import add_user

    for name, (password, audience) in ACCOUNTS.items():
        add_user(path, name, password, audience)
    return path


def hostile_layer(directory: Path) -> Path:
    """Public records over the seed data whose text is script: an NGO in Niš with a service
    for children there, a source with a javascript: URL, aliases and notes."""
    p = PAYLOADS
    quoted = [s.replace("'", "''") for s in p]
    return write_files(directory, {
        "sources.yaml": f"""\
- id: xss-source
  name: '{quoted[1]} Source title'
  url: "https://example.org/x?q=<script>window.__xss=1</script>"
  publisher: '{quoted[0]}'
""",
        "actors.yaml": f"""\
- id: xss-ngo
  name: '{quoted[0]} Harbour NGO'
  aliases: ['{quoted[3]}', '{quoted[4]}']
  sector: ngo
  type: ngo
  level: local
  located_in: [nis]
  description: '{quoted[2]} helps children'
  note: '{quoted[5]}'
  channels:
    - {{type: website, value: "https://example.org/<img src=x onerror=window.__xss=1>"}}
  sources: [xss-source]
""",
        "services.yaml": f"""\
- id: xss-service
  name: '{quoted[1]} Harbour drop-in'
  provider: [xss-ngo]
  types: [drop_in_centre]
  referral_step: protection_and_support
  serves: [children]
  covers: [nis]
  how_to_refer: '{quoted[3]}'
  sources: [xss-source]
""",
    })


class Base(str):
    """The base URL of a running atlas, holding the atlas it serves (to look inside)."""

    def __new__(cls, url: str, atlas):
        made = super().__new__(cls, url)
        made.atlas = atlas
        return made


@contextlib.contextmanager
def running_atlas(data: list | None = None, users: Path | None = None, watch_seconds: float | None = None,
                  forwarded_allow_ips: str = "127.0.0.1"):
    """Serve the atlas on a free port of 127.0.0.1 until the block ends; yields its base URL.
    Like `serve`, it trusts the proxy headers (X-Forwarded-Proto, X-Forwarded-For) of
    `forwarded_allow_ips` only (by default the tests themselves, on 127.0.0.1)."""
    import uvicorn

    from stakeholder_graph.web.accounts import Accounts
    from stakeholder_graph.web.app import create_app
    from stakeholder_graph.web.atlas import Atlas

    atlas = Atlas([str(d) for d in data or []], watch_seconds=watch_seconds or 2.0)
    if watch_seconds:
        atlas.watch()
    app = create_app(atlas, Accounts(users))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False, lifespan="off", proxy_headers=True,
                                           forwarded_allow_ips=forwarded_allow_ips, server_header=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the atlas did not start")
        time.sleep(0.02)
    try:
        yield Base(f"http://127.0.0.1:{port}", atlas)
    finally:
        server.should_exit = True
        atlas.stop()
        thread.join(10)
