"""`stakeholder-graph neo4j push|cypher|unlock`: the shared copy of the graph on a Neo4j server.

The driver is imported only inside the commands (exports.neo4j imports it lazily), so
`stakeholder-graph --help` stays fast.
"""
from __future__ import annotations

import json
import sys

import click

from stakeholder_graph.commands.context import State
from stakeholder_graph.commands.options import audience_option
from stakeholder_graph.commands.output import emit, format_option, raw_stream, render_table


@click.group(
    epilog="Example: NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... stakeholder-graph neo4j push",
)
@click.option("--uri", metavar="URI", help="Server URI (bolt://, neo4j://, neo4j+s://, bolt+s://). "
              "Default: $NEO4J_URI, else neo4j://localhost:7687.")
@click.option("--username", metavar="NAME", help="Default: $NEO4J_USERNAME, else neo4j.")
@click.option("--password", metavar="SECRET",
              help="Default: $NEO4J_PASSWORD (prefer the variable: options show in process lists).")
@click.option("--database", metavar="NAME", help="Default: $NEO4J_DATABASE, else the server's default.")
@click.pass_context
def neo4j(ctx: click.Context, uri, username, password, database) -> None:
    """Keep a shared copy of the graph on a Neo4j server (or Aura) and query it with Cypher.

    The files stay the reviewed source of truth; `push` copies them to the server, and
    `--data bolt://HOST:PORT` (or neo4j://, neo4j+s://) before any command reads the graph
    back from the server instead of the files. Connection settings come from NEO4J_URI,
    NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE, or from the options here.

    \b
    Examples:
      export NEO4J_URI=neo4j+s://xxxx.databases.neo4j.io NEO4J_PASSWORD=...
      stakeholder-graph neo4j push --audience partners --prune
      stakeholder-graph --data "$NEO4J_URI" who --population children --place Niš
    """
    ctx.meta["neo4j_connection"] = (uri, username, password, database)


def _connection_settings(ctx: click.Context):
    from stakeholder_graph.loaders.bolt.connection import ConnectionSettings

    return ConnectionSettings.from_env(*ctx.meta["neo4j_connection"])


@neo4j.command()
@audience_option(help="Who may read the server: records and relations above it are not pushed.")
@click.option("--prune", is_flag=True,
              help="Delete what an earlier push wrote and the data no longer holds "
              "(never nodes or relationships made by hand).")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=5000, show_default=True,
              help="Records per write transaction.")
@click.option("--wait", "wait", type=click.FloatRange(0, 86_400), default=0, show_default=True,
              metavar="SECONDS",
              help="While another push writes to the database, wait up to this long for it to "
              "finish (saying so on stderr); 0: exit at once (code 1), naming it.")
@format_option
@click.pass_context
def push(ctx: click.Context, audience: str, prune: bool, batch_size: int, wait: float, fmt: str) -> None:
    """Write the graph to the server: idempotent, batched, only what changed.

    Each record becomes a node labelled with its kind (Actor, Service, Place, ...) and MERGEd
    on its id under a uniqueness constraint; each relation a relationship typed after the
    schema (OFFERS, SERVES, PART_OF, ...), with sources and sensitivity. Pushing twice
    changes nothing. An interrupted push keeps the batches it finished; run it again.

    Only what --audience may see is sent. Choose the audience of the least trusted reader of
    the server; without --audience, the audience setting applies ($STAKEHOLDER_GRAPH_AUDIENCE,
    else the config file, else public).

    One push at a time: a push holds a lock on the database (a StakeholderGraphLock node with
    its owner and a lease of 90 s, renewed at every batch). Another push meeting it exits 1
    naming it, or with --wait waits for it; a killed push's lock ends with its lease (or see
    `neo4j unlock`).

    \b
    Examples:
      NEO4J_URI=bolt://127.0.0.1:7687 stakeholder-graph neo4j push
      stakeholder-graph --data seed_data --data partner/ neo4j push --audience partners --prune
      stakeholder-graph neo4j push --prune --wait 300     # after the push running now
    """
    from stakeholder_graph.exports.neo4j import plan
    from stakeholder_graph.exports.neo4j import push as do_push

    state: State = ctx.obj
    graph = state.graph()
    settings = _connection_settings(ctx)
    bar = _LazyBar(plan(graph, audience).total, f"pushing to {settings.shown_uri}")
    seen: set[str] = set()

    def on_lock(event: str, holder) -> None:
        if event == "took-over":
            click.echo(f"note: took over the lock of an earlier push that did not finish: "
                       f"{holder.describe()}", err=True)
        elif holder.token not in seen:  # once per push met
            seen.add(holder.token)
            click.echo(f"waiting for the push by {holder.describe()} (up to {wait:g} s) ...", err=True)

    try:
        report = do_push(graph, settings, audience=audience, prune=prune,
                         batch_size=batch_size, progress=bar.update, wait=wait, on_lock=on_lock)
    finally:
        bar.close()
    rows = report.rows()
    text = None
    if fmt == "table":
        lines = [render_table(rows, ["what", "in_data", "created", "updated", "unchanged", "stale", "deleted"]),
                 f"\npushed to {settings.describe()} for audience {audience!r} in "
                 f"{report.seconds:.1f} s ({report.batches} batches"
                 + (f", {report.waited:.1f} s of it waiting for another push)" if report.waited >= 0.05 else ")")]
        stale = report.stale_nodes + report.stale_relationships
        if stale and not prune:
            lines.append(f"{report.stale_nodes} node(s) and {report.stale_relationships} relationship(s) "
                         f"pushed earlier are no longer in the data: `neo4j push --prune` removes them")
        text = "\n".join(lines)
    emit(fmt, rows, ["what", "in_data", "created", "updated", "unchanged", "stale", "deleted"],
         document=report.as_dict(), text=text)


class _LazyBar:
    """A progress bar on stderr that appears once the server answered (so a connection error
    stays the only line)."""

    def __init__(self, total: int, label: str):
        self.total, self.label, self.bar = total, label, None

    def update(self, n: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=self.total, label=self.label, file=raw_stream(sys.stderr),
                                         show_pos=True)
            self.bar.__enter__()
        self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _parse_param(ctx, param, values):
    out = {}
    for item in values:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r}: expected name=value", ctx=ctx, param=param)
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        out[name.strip()] = value
    return out


@neo4j.command()
@click.argument("query")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", callback=_parse_param,
              help="A query parameter ($NAME). VALUE is read as JSON when it is JSON (5, true, "
              "[1,2], \"007\"), else as text. Repeatable.")
@click.option("--write", is_flag=True,
              help="Allow the query to write. Without it, a query that would change anything is "
              "rolled back and refused.")
@format_option
@click.pass_context
def cypher(ctx: click.Context, query: str, params: dict, write: bool, fmt: str) -> None:
    """Run a Cypher QUERY on the server and show the rows (QUERY '-' reads it from stdin).

    The server holds what was pushed to it, and this prints it as it is: the copy is as wide
    as the --audience of the push that wrote it (see `neo4j push --help`), so no --audience
    applies here; anyone who may run this may read that audience's records.

    Read-only unless --write is given: the query runs in a read transaction that is always
    rolled back, and is refused if the server reports that it changed anything; schema and
    administration commands (CREATE INDEX, DROP CONSTRAINT, GRANT ...) are refused before
    they are sent, since some servers apply them outside the transaction.

    \b
    Examples:
      stakeholder-graph neo4j cypher "MATCH (a:Actor)-[:OFFERS]->(s:Service) RETURN a.name AS actor, count(s) AS services ORDER BY services DESC LIMIT 5"
      stakeholder-graph neo4j cypher 'MATCH (p:Place {id: $id}) RETURN p.name AS name' --param id=nis --format json
      stakeholder-graph neo4j cypher "MATCH (n:Note) DETACH DELETE n" --write
    """
    from stakeholder_graph.exports.neo4j import run_cypher

    if query == "-":
        query = click.get_text_stream("stdin").read()
    columns, rows = run_cypher(_connection_settings(ctx), query, params, write=write)
    emit(fmt, rows, columns)


@neo4j.command()
@click.option("--yes", is_flag=True, help="Remove it without asking.")
@click.pass_context
def unlock(ctx: click.Context, yes: bool) -> None:
    """Show the push lock on the database and remove it (after asking).

    For a lock left by a push that was killed or lost its connection, when waiting for its
    lease to end (at most 90 s) is not an option. A push still running loses the lock and
    stops before its next batch; run it again. Without a lock, says so and changes nothing.
    It shows only the lock (who pushed, when), no data, so it takes no --audience.

    \b
    Examples:
      stakeholder-graph neo4j unlock
      stakeholder-graph neo4j --database partners unlock --yes
    """
    from stakeholder_graph.exports.neo4j import break_lock, read_lock

    settings = _connection_settings(ctx)
    holder = read_lock(settings)
    if holder is None:
        click.echo(f"no push holds a lock on {settings.describe()}")
        return
    click.echo(f"push lock on {settings.describe()}: {holder.describe()}")
    if holder.expired:
        click.echo("its lease has ended: the next push takes it over anyway")
    if not yes:
        click.confirm("remove it? (a push still running stops before its next batch)", abort=True, err=True)
    if break_lock(settings, holder):
        click.echo("removed")
    else:
        click.echo("already gone (released, or taken by another push): nothing removed")
