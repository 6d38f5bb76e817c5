"""``kamgraph import-files``: an export written as ``neo4j-admin database import`` files."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from kamgraph import jsontext
from kamgraph.cli.context import state
from kamgraph.cli.ingest import LOG_FORMATS, DateFormatOpt, EncodingOpt, RejectsOpt
from kamgraph.cli.output import check_format, say, writing

app = typer.Typer()


@app.command("import-files")
def import_files(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(help="The ingest source whose reader reads PATH (salesforce, csv...).")
    ],
    path: Annotated[Path, typer.Argument(help="The export, as kamgraph ingest SOURCE takes it.")],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="New or empty folder for the import files."),
    ],
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="Mapping file (the csv source only).")
    ] = None,
    database: Annotated[
        str, typer.Option("--database", help="Database the printed command imports into.")
    ] = "neo4j",
    rejects: RejectsOpt = None,
    encoding: EncodingOpt = None,
    date_format: DateFormatOpt = None,
    log_format: Annotated[
        str, typer.Option("--log-format", help="text, or one JSON summary line.")
    ] = "text",
) -> None:
    """Write an export as neo4j-admin import files: a fast first load into an empty database.

    Then stop the database, run the printed neo4j-admin command, start it, and run kamgraph
    init; nightly kamgraph ingest runs on top (docs/ingest.md, "Bulk first load").
    """
    from kamgraph.ingest.bulk import write_import_files

    log_format = check_format(log_format, LOG_FORMATS, "--log-format")
    options = {"mapping": mapping} if mapping is not None else None
    with writing(rejects or output):
        files = write_import_files(
            source,
            path,
            output,
            encoding=encoding,
            options=options,
            date_format=date_format,
            rejects=rejects,
            raw_csv=state(ctx).raw_csv,
        )
    if log_format == "json":
        summary = dict(files.as_dict(), command=files.command(database))
        typer.echo(jsontext.dumps(summary, ensure_ascii=False)[0])
        return
    c = files.report.counts
    say(
        f"{source}: {c.rows_read} rows read, {sum(files.nodes.values())} nodes, "
        f"{sum(files.relationships.values())} relationships, {c.rejected} rejected, "
        f"{files.report.pending} pending, in {output}"
    )
    say("import them into a stopped Neo4j, then start it and run kamgraph init:")
    typer.echo(shlex.join(files.command(database)))
