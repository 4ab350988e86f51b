"""`serve` runs the referral atlas (web/) with uvicorn; `users` keeps its accounts.

Starlette, Jinja2, uvicorn and argon2 are imported inside the commands (the `web` extra)."""
from __future__ import annotations

import sys
import threading
import webbrowser
from pathlib import Path

import click

from stakeholder_graph.commands.context import State
from stakeholder_graph.commands.output import emit, format_option
from stakeholder_graph.graph.errors import MissingDependency
from stakeholder_graph.graph.schema import SENSITIVITY

USERS_HELP = ("The accounts file. Default: STAKEHOLDER_GRAPH_USERS, else "
              "~/.config/stakeholder-graph/users.json ($XDG_CONFIG_HOME).")


def _need_web() -> None:
    import importlib.util

    missing = [m for m in ("starlette", "jinja2", "uvicorn", "argon2", "itsdangerous", "multipart")
               if importlib.util.find_spec(m) is None]
    if missing:
        raise MissingDependency(f"the web app needs {', '.join(missing)}: pip install 'stakeholder-graph[web]'")


def _users_path(users: Path | None) -> Path:
    from stakeholder_graph.web.accounts import default_users_path

    return users if users is not None else default_users_path()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 for every interface (a team's server, behind a proxy).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--users", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=USERS_HELP + " Without it (and no default file) everyone sees public data only.")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default browser.")
@click.option("--forwarded-allow-ips", default="127.0.0.1", show_default=True, metavar="IPS",
              help="Proxies trusted to say the client's address and https (X-Forwarded-For, X-Forwarded-Proto).")
@click.option("--watch", "watch_seconds", type=click.FloatRange(0.2, 3600), default=2.0, show_default=True,
              metavar="SECONDS", help="How often to look for changed data files (a bolt:// server: every 600 s).")
@click.option("--access-log", is_flag=True, help="Log every request (method, path, status) to stderr.")
@click.pass_obj
def serve(state: State, host: str, port: int, users: Path | None, open_page: bool, forwarded_allow_ips: str,
          watch_seconds: float, access_log: bool) -> None:
    """Serve the referral atlas: the pages coordinators use in a browser, and the same answers
    as JSON under /api/.

    Reads the same data as every command (--data; default the packaged seed data) and reloads
    it when the files change; a change with errors is not served (the last good data stays,
    and maintainers see the errors). Visitors see public data; an account (`users add`) sees
    its audience. Stop with Ctrl+C.

    \b
    Examples:
      stakeholder-graph serve --open
      stakeholder-graph --data seed_data --data partner/ serve --host 0.0.0.0 --port 8080 --users /etc/atlas/users.json
    """
    _need_web()
    import uvicorn

    from stakeholder_graph.web.accounts import Accounts
    from stakeholder_graph.web.app import create_app
    from stakeholder_graph.web.atlas import Atlas

    atlas = Atlas(state.data, state.max_file_mb, watch_seconds=watch_seconds)
    path = _users_path(users)
    if users is not None and not path.exists():
        raise click.UsageError(f"--users {users}: no such file (create it with `stakeholder-graph users add`)")
    accounts = Accounts(path if path.exists() else None)
    atlas.watch()
    address = f"http://{'localhost' if host in ('127.0.0.1', '::1') else host}:{port}/"
    who = f"{len(accounts.users())} account(s) from {path}" if accounts.enabled else "no accounts: public data only"
    click.echo(f"serving {atlas.shown} at {address} ({who}); Ctrl+C stops", err=True)
    if open_page:
        threading.Timer(1.0, webbrowser.open, [address]).start()
    config = uvicorn.Config(create_app(atlas, accounts), host=host, port=port, proxy_headers=True,
                            forwarded_allow_ips=forwarded_allow_ips, server_header=False, access_log=access_log,
                            log_level="info" if access_log else "warning")
    try:
        uvicorn.Server(config).run()
    except KeyboardInterrupt:  # Ctrl+C is how one stops it: a clean exit, not click's "Aborted!"
        pass
    finally:
        atlas.stop()


@click.group()
def users() -> None:
    """Accounts of the referral atlas (`serve`): each has a password (stored as an Argon2id
    hash) and an audience, the most it may see.

    \b
    Examples:
      stakeholder-graph users add maria --audience partners
      stakeholder-graph users list
      stakeholder-graph users remove maria
    """


@users.command("add")
@click.argument("name")
@click.option("--audience", type=click.Choice(SENSITIVITY), required=True, help="The most this account may see.")
@click.option("--users", type=click.Path(dir_okay=False, path_type=Path), default=None, help=USERS_HELP)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line), not a prompt.")
def users_add(name: str, audience: str, users: Path | None, password_stdin: bool) -> None:
    """Add an account, or set an existing one's password and audience.

    \b
    Example:
      stakeholder-graph users add maria --audience partners
    """
    _need_web()
    from stakeholder_graph.web.accounts import add_user, check_name

    check_name(name)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    path = _users_path(users)
    new = add_user(path, name, password, audience)
    click.echo(f"{'added' if new else 'updated'} {name} ({audience}) in {path}", err=True)


@users.command("remove")
@click.argument("name")
@click.option("--users", type=click.Path(dir_okay=False, path_type=Path), default=None, help=USERS_HELP)
def users_remove(name: str, users: Path | None) -> None:
    """Remove an account (its logins end at its next request).

    \b
    Example:
      stakeholder-graph users remove maria
    """
    _need_web()
    from stakeholder_graph.web.accounts import remove_user

    path = _users_path(users)
    remove_user(path, name)
    click.echo(f"removed {name} from {path}", err=True)


@users.command("list")
@click.option("--users", type=click.Path(dir_okay=False, path_type=Path), default=None, help=USERS_HELP)
@format_option
def users_list(users: Path | None, fmt: str) -> None:
    """List the accounts and their audiences (never their password hashes).

    \b
    Example:
      stakeholder-graph users list --format json
    """
    _need_web()
    from stakeholder_graph.web.accounts import read_users

    found = read_users(_users_path(users))
    emit(fmt, [{"name": n, "audience": e["audience"]} for n, e in sorted(found.items())], ["name", "audience"])


__all__ = ["serve", "users"]
