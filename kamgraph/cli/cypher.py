"""``kamgraph cypher``: your own read-only question, as a statement or a ``.cypher`` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kamgraph.cli.context import connected
from kamgraph.cli.options import FormatOpt, OutOpt, ParamOpt, parse_params
from kamgraph.cli.output import check_format, render, write_result
from kamgraph.errors import InputDataError

HELP = (
    "Ask your own question: one read-only Cypher statement, or a .cypher file, with --param "
    "values; output as table, JSON or CSV. Statements that write are refused on both backends."
)
STATEMENT_HELP = "A Cypher statement in quotes, or the path of a .cypher file."

app = typer.Typer()


@app.command(name="cypher", help=HELP)
def cypher(
    ctx: typer.Context,
    statement: Annotated[str, typer.Argument(help=STATEMENT_HELP)],
    param: ParamOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    from kamgraph.queries.adhoc import adhoc_params, ask, check_read_only
    from kamgraph.queries.registry import query_file

    fmt = check_format(fmt)
    given = parse_params(param or [])
    source = Path(statement)
    is_file = statement.strip().endswith(".cypher") and "\n" not in statement
    if is_file and not source.is_file():
        raise InputDataError(f"{source}: no such query file; give a statement or a file's path")
    loaded = query_file(source) if is_file else statement
    if isinstance(loaded, str):
        text, params = loaded, adhoc_params(given)
    else:  # a file with a registry header: its parameters are declared and checked
        text, params = loaded.text, loaded.bind(given)
    check_read_only(text)  # refused before the store is opened
    with connected(ctx, write=False) as backend:
        columns, rows = ask(backend, text, params)
    write_result(render(rows, fmt, columns), out)
