"""``kamgraph``: options parsed here, work done by the library, errors turned into one line."""

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from kamgraph import __version__
from kamgraph.backends import Backend, open_backend
from kamgraph.cli.output import FORMATS, render, to_json
from kamgraph.config import Settings
from kamgraph.errors import ConfigError, KamgraphError, QueryError

#: Exit code of an ingest run that loaded the good rows but rejected some.
EXIT_REJECTED = 10

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="kamgraph",
    help="Key-account knowledge graph: load CRM and finance exports, find what sellers miss, "
    "draw customer families as offline HTML maps.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
ingest_app = typer.Typer(
    help="Load exports into the graph (idempotent; safe to re-run).", no_args_is_help=True
)
app.add_typer(ingest_app, name="ingest")


@dataclass
class State:
    settings: Settings
    quiet: bool = False


def say(message: str) -> None:
    """A status line on stderr (stdout is kept for results)."""
    typer.echo(message, err=True)


def handle_errors(fn: F) -> F:
    """Turn expected errors into a one-line message and the error's exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KamgraphError as e:
            say(f"error: {e}")
            raise typer.Exit(e.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kamgraph {__version__}")
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
) -> None:
    """Global options choose the backend; NEO4J_PASSWORD is read from the environment only."""
    ctx.obj = State(
        Settings.from_env(
            neo4j_uri=neo4j_uri,
            neo4j_username=neo4j_username,
            neo4j_database=neo4j_database,
            store=store,
        )
    )


def _state(ctx: typer.Context) -> State:
    state = ctx.find_root().obj
    assert isinstance(state, State)
    return state


@contextmanager
def connected(ctx: typer.Context, *, write: bool, wait: float = 0.0) -> Iterator[Backend]:
    state = _state(ctx)
    backend = open_backend(state.settings, write=write, wait=wait)
    if not state.quiet:
        say(f"kamgraph: using {backend.describe()}")
    try:
        yield backend
    finally:
        backend.close()


def _write_out(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        say(f"wrote {out}")


@app.command()
@handle_errors
def init(ctx: typer.Context) -> None:
    """Apply the schema (constraints and indexes); safe to run repeatedly."""
    from kamgraph.schema import apply_schema

    with connected(ctx, write=True) as backend:
        n = apply_schema(backend)
    say(f"schema applied: {n} constraints and indexes")


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
) -> None:
    from kamgraph.ingest.pipeline import ingest
    from kamgraph.schema import apply_schema

    state = _state(ctx)
    state.quiet = quiet
    with connected(ctx, write=True, wait=wait) as backend:
        apply_schema(backend)
        with _progress(enabled=not quiet and sys.stderr.isatty(), label=f"ingest {source}") as tick:
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
            )
    summary = report.as_dict()
    if log_format == "json":
        typer.echo(json.dumps(summary, ensure_ascii=False), err=True)
    elif not quiet:
        c = report.counts
        say(
            f"{report.source}: {c.rows_read} rows read, {c.created} created, {c.updated} updated, "
            f"{c.linked} new links, {c.rejected} rejected, {report.pending} pending, "
            f"{report.completed} completed (run {report.run_id})"
        )
        if report.pending:
            say(
                f"  {report.pending} links wait for a record no run has loaded yet; a later run "
                "that loads it completes them (list: kamgraph runs --pending)"
            )
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


@contextmanager
def _progress(*, enabled: bool, label: str) -> Iterator[Callable[[int], None]]:
    if not enabled:
        yield lambda n: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed} records"),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda n: bar.advance(task, n)


RejectsOpt = Annotated[
    Path | None, typer.Option("--rejects", help="Write rejected rows to this CSV.")
]
EncodingOpt = Annotated[
    str | None, typer.Option("--encoding", help="Input encoding (default: detect UTF-8/GB18030).")
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
        help="The export is complete: mark records of this source it no longer lists inactive.",
    ),
]


def _ingest_command(source: str, help_text: str, arg_help: str) -> None:
    @ingest_app.command(name=source, help=help_text)
    @handle_errors
    def command(
        ctx: typer.Context,
        path: Annotated[Path, typer.Argument(help=arg_help)],
        rejects: RejectsOpt = None,
        encoding: EncodingOpt = None,
        batch_size: BatchOpt = 1000,
        quiet: QuietOpt = False,
        log_format: LogOpt = "text",
        wait: WaitOpt = 0.0,
    ) -> None:
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
        )


def _register_ingest_commands() -> None:
    from kamgraph.cli.ingest_csv import register as register_csv
    from kamgraph.ingest.pipeline import SOURCES

    for spec in SOURCES.values():
        if spec.name not in _CUSTOM_INGEST:
            _ingest_command(spec.name, spec.help, spec.path_help)
    register_csv(ingest_app)


#: Sources with options of their own get a hand-written command below.
_CUSTOM_INGEST = {"csv"}
_register_ingest_commands()


def _parse_params(values: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        if "=" not in item:
            raise QueryError(f"--param {item!r} must be written key=value")
        key, value = item.split("=", 1)
        params[key.strip()] = value
    return params


@app.command()
@handle_errors
def query(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Query name (see --list).")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Parameter key=value (repeatable).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file.")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the queries.")] = False,
) -> None:
    """Run a named query from cypher/ (JSON output is an array of row objects)."""
    from kamgraph import queries

    if fmt not in FORMATS:
        raise QueryError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    if list_ or name is None:
        rows = [
            {
                "name": q.name,
                "description": q.purpose,
                "parameters": ", ".join(p.describe() for p in q.params),
            }
            for q in queries.list_queries()
        ]
        _write_out(render(rows, fmt, ["name", "description", "parameters"]), out)
        return
    if name not in {q.name for q in queries.list_queries()}:
        queries.statement(name)  # unknown names get the registry's message
        raise QueryError(f"{name!r} is an internal statement, not a query; see --list")
    with connected(ctx, write=False) as backend:
        rows = queries.run(backend, name, _parse_params(param or []))
    columns = list(queries.statement(name).columns)
    _write_out(render(rows, fmt, columns if rows and set(columns) <= set(rows[0]) else None), out)


@app.command()
@handle_errors
def stats(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Node counts per label and relationship counts per type."""
    from kamgraph.stats import graph_stats

    with connected(ctx, write=False) as backend:
        result = graph_stats(backend)
    if fmt == "json":
        typer.echo(to_json(result))
        return
    rows = [{"kind": "node", "name": k, "count": v} for k, v in result["nodes"].items()]
    rows += [
        {"kind": "relationship", "name": k, "count": v} for k, v in result["relationships"].items()
    ]
    rows.append({"kind": "bookkeeping", "name": "IngestRun", "count": result["runs"]})
    typer.echo(render(rows, "table"), nl=False)


@app.command()
@handle_errors
def runs(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="How many runs (or pending links).")] = 20,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    pending: Annotated[
        bool,
        typer.Option(
            "--pending",
            help="List the links still waiting for a record no run has loaded yet "
            "(file, line, field, reason), oldest first, instead of the runs.",
        ),
    ] = False,
) -> None:
    """List ingest runs, newest first (a run whose process died shows as abandoned)."""
    from kamgraph import queries
    from kamgraph.ingest import runs as run_records

    name = "pending" if pending else "runs"
    with connected(ctx, write=False) as backend:
        if pending:
            rows = run_records.list_pending(backend, limit=limit)
        else:
            rows = run_records.list_runs(backend, limit=limit)
    typer.echo(render(rows, fmt, list(queries.statement(name).columns)), nl=False)


@app.command(name="map")
@handle_errors
def map_(
    ctx: typer.Context,
    group_id: Annotated[
        str | None, typer.Argument(help="Account id of the group (or of any member).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="HTML file to write (default orgmap.html).")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Map as of YYYY-MM-DD.")] = None,
    layers: Annotated[
        str,
        typer.Option("--layers", help="Comma-separated: contacts,deals,products,whitespace,waves."),
    ] = "contacts,deals,products,whitespace,waves",
    portfolio: Annotated[
        bool, typer.Option("--portfolio", help="All groups on one map, by revenue and quadrant.")
    ] = False,
    all_dir: Annotated[
        Path | None,
        typer.Option("--all", help="Write one map per group plus index.html into this folder."),
    ] = None,
) -> None:
    """Write offline HTML org maps: one group, the whole portfolio, or every group."""
    from kamgraph.maps import build_group_map, build_portfolio_map, check_layers, write_all_maps
    from kamgraph.viz.orgmap import write_org_map

    chosen = sum(bool(x) for x in (group_id, portfolio, all_dir))
    if chosen != 1:
        raise ConfigError("give exactly one of GROUP_ID, --portfolio or --all DIR")
    wanted = check_layers([x.strip() for x in layers.split(",") if x.strip()])
    with connected(ctx, write=False) as backend:
        if all_dir is not None:
            written = write_all_maps(backend, all_dir, as_of=as_of)
            say(f"wrote {len(written)} group maps and {all_dir / 'index.html'}")
            typer.echo(str((all_dir / "index.html").resolve()))
            return
        if portfolio:
            org = build_portfolio_map(backend, as_of=as_of)
        else:
            assert group_id is not None
            org = build_group_map(backend, group_id, as_of=as_of, layers=wanted)
    path = write_org_map(org, out or Path("orgmap.html"))
    say(f"org map of {org.title}: {path.resolve()}")
    typer.echo(str(path.resolve()))


@app.command()
@handle_errors
def demo(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Option("--dir", help="Where to write the demo exports and the map.")
    ] = Path("kamgraph-demo"),
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same data).")] = 7,
) -> None:
    """Generate a demo portfolio, ingest it, print the headline findings and write a map."""
    from kamgraph.demo.run import run_demo

    with connected(ctx, write=True) as backend:
        result = run_demo(backend, directory, seed=seed)
    typer.echo(result.text, nl=False)
    say(f"org map written: {result.map_path.resolve()}")


def _register_more_commands() -> None:
    from kamgraph.cli.analyze import register as register_analyze
    from kamgraph.cli.brief import register as register_brief

    register_brief(app)
    register_analyze(app)


_register_more_commands()


def main() -> None:
    app()
