"""``kamgraph init``, ``query``, ``stats`` and ``runs``: the store, its queries and its runs."""

from __future__ import annotations

from typing import Annotated

import typer

from kamgraph.cli.context import connected
from kamgraph.cli.options import (
    CurrencyOpt,
    FormatOpt,
    OutOpt,
    ParamOpt,
    QueryPathOpt,
    WideOpt,
    parse_params,
    query_registry,
)
from kamgraph.cli.output import check_format, render, say, to_json, write_result
from kamgraph.errors import InvalidValueError, QueryError

app = typer.Typer()


@app.command()
def init(ctx: typer.Context) -> None:
    """Apply the schema (constraints and indexes); safe to run repeatedly."""
    from kamgraph.schema import apply_schema

    with connected(ctx, write=True) as backend:
        n = apply_schema(backend)
    say(f"schema applied: {n} constraints and indexes")


QUERY_HELP_OPTION = (
    "Show this message and exit; after NAME, the query's documentation, parameters and columns."
)


@app.command(context_settings={"help_option_names": []})
def query(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Query name (see --list).")] = None,
    param: ParamOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    list_: Annotated[bool, typer.Option("--list", help="List the queries.")] = False,
    query_path: QueryPathOpt = None,
    currency: CurrencyOpt = None,
    wide: WideOpt = False,
    help_: Annotated[bool, typer.Option("--help", "-h", help=QUERY_HELP_OPTION)] = False,
) -> None:
    """Run a named query from cypher/ (JSON output is an array of row objects)."""
    from kamgraph import money, queries
    from kamgraph.queries.adhoc import check_read_only
    from kamgraph.queries.ids import check_ids
    from kamgraph.queries.registry import USER_AREA, did_you_mean

    if help_ and name is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()
    fmt = check_format(fmt)
    registry = query_registry(query_path)
    public = queries.list_queries(registry)
    if list_ or name is None:
        rows = [
            {
                "name": q.name,
                "description": q.purpose,
                "parameters": ", ".join(p.describe() for p in q.params),
            }
            for q in public
        ]
        write_result(render(rows, fmt, ["name", "description", "parameters"]), out)
        return
    if name not in {q.name for q in public}:
        if name in registry:
            raise QueryError(f"{name!r} is an internal statement, not a query; see --list")
        raise QueryError(
            f"no query named {name!r}{did_you_mean(name, [q.name for q in public])}; "
            "`kamgraph query --list` shows the available ones"
        )
    statement = queries.statement(name, registry)
    if help_:
        typer.echo(statement.describe(), nl=False)
        return
    if statement.area == USER_AREA:  # the user's own files are held to kamgraph cypher's rule
        check_read_only(statement.text)
    params = parse_params(param or [])
    if currency is not None and "currency" in {p.name for p in statement.params}:
        params.setdefault("currency", money.base_currency(currency))
    try:
        bound = statement.bind(params)  # bad parameters are refused before the store is opened
    except InvalidValueError as e:
        raise InvalidValueError(f"{e}; give parameters as --param NAME=VALUE") from None
    with connected(ctx, write=False) as backend:
        check_ids(backend, name, bound)
        rows = queries.run(backend, name, params, registry=registry)
    warning = money.unconverted_warning(rows)
    if warning:
        say(f"warning: {warning}")
    columns = list(statement.columns)
    # An empty answer still has its header (a CSV reader then knows the columns).
    fits = not rows or set(columns) <= set(rows[0])
    write_result(render(rows, fmt, columns if fits else None, wide=wide), out)


@app.command()
def stats(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Node counts per label and relationship counts per type."""
    from kamgraph.stats import graph_stats

    fmt = check_format(fmt, ("table", "json"))
    with connected(ctx, write=False) as backend:
        result = graph_stats(backend)
    if fmt == "json":
        write_result(to_json(result) + "\n", None)
        return
    rows = [{"kind": "node", "name": k, "count": v} for k, v in result["nodes"].items()]
    rows += [
        {"kind": "relationship", "name": k, "count": v} for k, v in result["relationships"].items()
    ]
    rows.append({"kind": "bookkeeping", "name": "IngestRun", "count": result["runs"]})
    write_result(render(rows, "table"), None)


@app.command()
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

    fmt = check_format(fmt)
    if limit < 0:
        raise InvalidValueError(f"--limit {limit} must be 0 or more")
    name = "pending" if pending else "runs"
    with connected(ctx, write=False) as backend:
        if pending:
            rows = run_records.list_pending(backend, limit=limit)
        else:
            rows = run_records.list_runs(backend, limit=limit)
    write_result(render(rows, fmt, list(queries.statement(name).columns)), None)
