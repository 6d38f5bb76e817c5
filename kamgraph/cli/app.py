"""The root ``kamgraph`` command: global options, one sub-app per command group, ``main()``.

Each command group is a ``typer.Typer`` in its own module, joined here with ``add_typer``
(named for ``ingest`` and ``analyze``, merged into the root for the others). Errors become one
line and an exit code in :mod:`kamgraph.cli.errors`, never in a command.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from kamgraph.cli import analyze, brief, bulk, cypher, demo, graph, ingest, maps, personal, reports
from kamgraph.cli.context import State
from kamgraph.cli.errors import DEBUG_ENV, KamgraphGroup, command_line, last_resort, wants_json
from kamgraph.config import Settings
from kamgraph.console import version_line

app = typer.Typer(
    name="kamgraph",
    cls=KamgraphGroup,
    help="Key-account knowledge graph: load CRM and finance exports, find what sellers miss, "
    "draw customer families as offline HTML maps.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
# The order here is the order of ``kamgraph --help``.
app.add_typer(graph.app)  # init, query, stats, runs
app.add_typer(cypher.app)  # cypher
app.add_typer(maps.app)  # map
app.add_typer(demo.app)  # demo
app.add_typer(brief.app)  # brief
app.add_typer(reports.app)  # export, scorecard
app.add_typer(personal.app)  # forget, person
app.add_typer(ingest.app, name="ingest")
app.add_typer(bulk.app)  # import-files
app.add_typer(analyze.app, name="analyze")


def _version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    neo4j_uri: Annotated[
        str | None,
        typer.Option(
            "--neo4j-uri",
            envvar="NEO4J_URI",
            help="Neo4j URI (bolt://, neo4j://, +s/+ssc); unset = embedded store.",
        ),
    ] = None,
    neo4j_username: Annotated[
        str | None, typer.Option("--neo4j-username", envvar="NEO4J_USERNAME", help="Neo4j user.")
    ] = None,
    neo4j_database: Annotated[
        str | None,
        typer.Option("--neo4j-database", envvar="NEO4J_DATABASE", help="Neo4j database name."),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            envvar="KAMGRAPH_STORE",
            help="Embedded store file (default .kamgraph/graph.kgl).",
        ),
    ] = None,
    raw_csv: Annotated[
        bool,
        typer.Option(
            "--raw-csv",
            envvar="KAMGRAPH_RAW_CSV",
            help="CSV cells exactly as stored, for programs: no quote before cells that start "
            "with = + - @ (spreadsheets would run them as formulas).",
        ),
    ] = False,
) -> None:
    """Global options choose the backend; NEO4J_PASSWORD is read from the environment only."""
    ctx.obj = State(
        Settings.from_env(
            neo4j_uri=neo4j_uri,
            neo4j_username=neo4j_username,
            neo4j_database=neo4j_database,
            store=store,
        ),
        raw_csv=raw_csv,
        log_json=wants_json(command_line(ctx)),
    )


def main() -> None:
    """The ``kamgraph`` console script: the app, with a last resort for unexpected errors."""
    try:
        app()
    except Exception as e:
        if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
            raise
        last_resort(e, sys.argv[1:])
