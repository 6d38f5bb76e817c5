"""``kamgraph brief``: the Markdown handover brief of one customer group."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kamgraph.cli.context import connected
from kamgraph.cli.options import CurrencyOpt, GroupArg, day_option
from kamgraph.cli.output import write_result

HELP = (
    "Write the handover brief of one customer group as Markdown: family tree, who decides, "
    "open deals, wins and losses, notes and playbook, coverage gaps and how fresh it all is."
)

app = typer.Typer()


@app.command(name="brief", help=HELP)
def brief(
    ctx: typer.Context,
    group_id: GroupArg,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Markdown file to write (default: stdout)."),
    ] = None,
    as_of: Annotated[
        str | None, day_option("--as-of", "Brief as of YYYY-MM-DD (default today).")
    ] = None,
    currency: CurrencyOpt = None,
) -> None:
    from kamgraph.brief import build_brief

    with connected(ctx, write=False) as backend:
        text = build_brief(backend, group_id, as_of=as_of, currency=currency)
    write_result(text, out)
