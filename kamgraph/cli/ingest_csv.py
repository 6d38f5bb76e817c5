"""``kamgraph ingest csv``: CSV exports of any CRM, mapped to the model by a YAML or TOML file."""

from pathlib import Path
from typing import Annotated

import typer

HELP = (
    "Load a folder of CSV exports from any CRM, mapped column by column by a YAML or TOML "
    "mapping file (see docs/ingest-mapping.md and examples/mappings/)."
)


def register(ingest_app: typer.Typer) -> None:
    """Add the ``csv`` command to ``kamgraph ingest``."""
    # Imported here: kamgraph.cli.app calls register() while it is still being imported.
    from kamgraph.cli.app import (
        BatchOpt,
        EncodingOpt,
        FullOpt,
        LogOpt,
        QuietOpt,
        RejectsOpt,
        WaitOpt,
        _ingest,
        handle_errors,
    )

    @ingest_app.command(name="csv", help=HELP)
    @handle_errors
    def csv_command(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(help="Folder with the CSV files the mapping names.")],
        mapping: Annotated[
            Path,
            typer.Option(
                "--mapping",
                "-m",
                help="Mapping file (.toml, .yaml or .yml) from CSV columns to the model.",
            ),
        ],
        rejects: RejectsOpt = None,
        encoding: EncodingOpt = None,
        batch_size: BatchOpt = 1000,
        quiet: QuietOpt = False,
        log_format: LogOpt = "text",
        wait: WaitOpt = 0.0,
        full: FullOpt = False,
    ) -> None:
        _ingest(
            ctx,
            "csv",
            path,
            rejects=rejects,
            encoding=encoding,
            batch_size=batch_size,
            quiet=quiet,
            log_format=log_format,
            wait=wait,
            options={"mapping": mapping},
            full=full,
        )
