"""``kamgraph ingest SOURCE``: one command per source of :data:`kamgraph.ingest.pipeline.SOURCES`.

Sources with options of their own (``csv``: ``--mapping``) get a hand-written command; the
others share :func:`_ingest_command`. Every command ends in :func:`_ingest`, which runs the
pipeline and prints the run summary (text, or one JSON line with ``--log-format json``).
"""

from pathlib import Path
from typing import Annotated, Any

import typer

from kamgraph import jsontext
from kamgraph.cli.context import connected, state
from kamgraph.cli.output import check_format, progress, say, writing

#: Exit code of an ingest run that loaded the good rows but rejected some.
EXIT_REJECTED = 10
LOG_FORMATS = ("text", "json")

app = typer.Typer(
    help="Load exports into the graph (idempotent; safe to re-run).", no_args_is_help=True
)


def _ingest(
    ctx: typer.Context,
    source: str,
    path: Path,
    *,
    rejects: Path | None,
    encoding: str | None,
    batch_size: int,
    quiet: bool,
    log_format: str,
    wait: float,
    options: dict[str, Any] | None = None,
    full: bool = False,
    date_format: str | None = None,
    retain_inactive_days: int | None = None,
) -> None:
    from kamgraph.ingest.pipeline import ingest
    from kamgraph.schema import apply_schema

    log_format = check_format(log_format, LOG_FORMATS, "--log-format")
    state(ctx).quiet = quiet
    if rejects is not None:
        with writing(rejects):  # a rejects file that cannot be written stops the run up front
            rejects.parent.mkdir(parents=True, exist_ok=True)
    # The store reports its own write errors; one that reaches here is the rejects file's.
    with writing(rejects or "the rejects file"), connected(ctx, write=True, wait=wait) as backend:
        apply_schema(backend)
        with progress(state(ctx), f"ingest {source}", unit="records") as tick:
            report = ingest(
                backend,
                source,
                path,
                encoding=encoding,
                batch_size=batch_size,
                rejects=rejects,
                on_progress=tick,
                options=options,
                full=full,
                wait=wait,
                date_format=date_format,
                raw_csv=state(ctx).raw_csv,
                retain_inactive_days=retain_inactive_days,
            )
    summary = report.as_dict()
    if log_format == "json":
        typer.echo(jsontext.dumps(summary, ensure_ascii=False)[0], err=True)
    elif not quiet:
        c = report.counts
        say(
            f"{report.source}: {c.rows_read} rows read, {c.created} created, {c.updated} updated, "
            f"{c.linked} new links, {c.deactivated} made inactive, {c.links_ended} links ended, "
            f"{c.rejected} rejected, {report.pending} pending, {report.completed} completed, "
            f"{report.suppressed} suppressed (run {report.run_id})"
        )
        if report.unchanged_since:
            say(
                f"  unchanged: the same export as run {report.unchanged_since}, nothing written "
                "over it since; its records were not written again"
            )
        if report.suppressed:
            say(f"  {report.suppressed} rows name a forgotten person and were skipped")
        if retain_inactive_days is not None:
            say(
                f"  retention: {report.erased} people inactive longer than "
                f"{retain_inactive_days} days erased"
            )
        if report.pending:
            say(
                f"  {report.pending} links wait for a record no run has loaded yet; a later run "
                "that loads it completes them (list: kamgraph runs --pending)"
            )
        for skipped in report.skipped:
            say(f"  skipped: {skipped}")
        for d in report.detached[:10]:
            say(f"  detached {d['member']}: its parent {d['parent']} is inactive")
        for r in report.rejects[:10]:
            say(f"  rejected {r.file}:{r.line} [{r.field}] {r.reason}")
        if c.rejected > 10:
            say(
                f"  ... {c.rejected - 10} more"
                + (f" in {rejects}" if rejects else "; pass --rejects FILE to keep them all")
            )
    # Pending links alone exit 0: a later job (the CRM run) is expected to complete them.
    if report.counts.rejected:
        raise typer.Exit(EXIT_REJECTED)


RejectsOpt = Annotated[
    Path | None, typer.Option("--rejects", help="Write rejected rows to this CSV.")
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Input encoding, e.g. cp1252 (default: detect per file; unclear files are refused).",
    ),
]
DateFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--date-format",
        help="How the files write dates that read both ways (05/07/2018): a strptime format "
        "such as %d/%m/%Y or %m/%d/%Y, or excel for serial dates. Default: each date column "
        "decides from its values; ISO dates are always read.",
    ),
]
BatchOpt = Annotated[int, typer.Option("--batch-size", min=1, help="Rows per transaction.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary output.")]
LogOpt = Annotated[
    str, typer.Option("--log-format", help="Summary format on stderr: text or json.")
]
WaitOpt = Annotated[
    float, typer.Option("--wait", help="Seconds to wait for another ingest to finish.")
]
FullOpt = Annotated[
    bool,
    typer.Option(
        "--full",
        help="The export is complete: records the sending system wrote before and it no longer "
        "lists become inactive (their links end).",
    ),
]

RetainOpt = Annotated[
    int | None,
    typer.Option(
        "--retain-inactive-days",
        envvar="KAMGRAPH_RETAIN_INACTIVE_DAYS",
        metavar="DAYS",
        help="Erase people inactive longer than DAYS days at the end of the run, as kamgraph "
        "forget does (default: keep them; docs/personal-data.md).",
    ),
]


DRY_RUN_HELP = (
    "Print what the load would merge into stored companies, attach to them, propose (name "
    "matches not merged) or report as conflicts, and write nothing (docs/ingest.md)."
)


def _dry_run(
    ctx: typer.Context,
    source: str,
    path: Path,
    *,
    encoding: str | None,
    quiet: bool,
    log_format: str,
    date_format: str | None,
) -> None:
    from kamgraph.ingest.pipeline import dry_run

    check_format(log_format, LOG_FORMATS, "--log-format")
    state(ctx).quiet = quiet
    with connected(ctx, write=False) as backend:
        report = dry_run(backend, source, path, encoding=encoding, date_format=date_format)
    if log_format == "json":
        typer.echo(jsontext.dumps(report.as_dict(), ensure_ascii=False)[0])
        return
    c = report.counts()
    typer.echo(
        f"{source} (dry run, nothing written): {report.rows_read} rows read; would merge "
        f"{c['merge']}, attach {c['attach']}, propose {c['propose']}, report {c['conflict']} "
        f"conflicts, create {c['new']}; {report.rejected} rejected"
    )
    for e in report.events:
        if e["action"] == "new":
            continue
        score = f", score {e['score']:g}" if e["score"] is not None else ""
        target = f" -> {e['target']}" if e["target"] else ""
        typer.echo(f"  {e['action']} {e['key']}{target} ({e['method']}{score}): {e['reason']}")
    for r in report.rejects:
        typer.echo(f"  rejected {r.file}:{r.line} [{r.field}] {r.reason}")


def _ingest_command(source: str, help_text: str, arg_help: str, *, reference: bool) -> None:
    # Only reference sources resolve companies against the graph: elsewhere --dry-run is hidden
    # and refused with the reason by the library.
    dry_run_option = typer.Option("--dry-run", help=DRY_RUN_HELP, hidden=not reference)

    @app.command(name=source, help=help_text)
    def command(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(help=arg_help)],
        rejects: RejectsOpt = None,
        encoding: EncodingOpt = None,
        batch_size: BatchOpt = 1000,
        quiet: QuietOpt = False,
        log_format: LogOpt = "text",
        wait: WaitOpt = 0.0,
        full: FullOpt = False,
        date_format: DateFormatOpt = None,
        retain_inactive_days: RetainOpt = None,
        dry_run: Annotated[bool, dry_run_option] = False,
    ) -> None:
        if dry_run:
            _dry_run(
                ctx,
                source,
                path,
                encoding=encoding,
                quiet=quiet,
                log_format=log_format,
                date_format=date_format,
            )
            return
        _ingest(
            ctx,
            source,
            path,
            rejects=rejects,
            encoding=encoding,
            batch_size=batch_size,
            quiet=quiet,
            log_format=log_format,
            wait=wait,
            full=full,
            date_format=date_format,
            retain_inactive_days=retain_inactive_days,
        )


CSV_HELP = (
    "Load a folder of CSV exports from any CRM, mapped column by column by a YAML or TOML "
    "mapping file (see docs/ingest-mapping.md and examples/mappings/)."
)


def _csv_command() -> None:
    @app.command(name="csv", help=CSV_HELP)
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
        date_format: DateFormatOpt = None,
        retain_inactive_days: RetainOpt = None,
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
            date_format=date_format,
            retain_inactive_days=retain_inactive_days,
        )


#: Sources with options of their own get a hand-written command: source -> its builder.
_CUSTOM_INGEST = {"csv": _csv_command}


def _register_ingest_commands() -> None:
    from kamgraph.ingest.pipeline import SOURCES

    for spec in SOURCES.values():
        if spec.name not in _CUSTOM_INGEST:
            _ingest_command(
                spec.name, spec.help, spec.path_help, reference=spec.resolve is not None
            )
    for build in _CUSTOM_INGEST.values():
        build()


_register_ingest_commands()
