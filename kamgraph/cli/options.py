"""Options several command groups take, and the checks that turn a bad value into exit 2.

A check runs while the command line is parsed, before any store is opened, and adds the
option's name to the library's message ("--as-of '2026-13-45' is not a date; ...").
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kamgraph.dates import iso_day
from kamgraph.errors import InvalidValueError


def _day(ctx: typer.Context, param: typer.CallbackParam, value: str | None) -> str | None:
    if value is None or ctx.resilient_parsing:
        return value
    try:
        return iso_day(value)
    except InvalidValueError as e:
        raise InvalidValueError(f"{param.opts[0]} {e}") from None


def day_option(name: str, help: str) -> Any:
    """An option holding a day, checked as the command line is parsed."""
    return typer.Option(name, callback=_day, help=help)


GroupArg = Annotated[
    str, typer.Argument(help="Account id of the group's top company or of any member.")
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file.")]
CurrencyOpt = Annotated[
    str | None,
    typer.Option(
        "--currency",
        envvar="KAMGRAPH_BASE_CURRENCY",
        help="Base currency money is converted to (ISO code; default EUR). Rates come from "
        "`kamgraph ingest fx`.",
    ),
]
WideOpt = Annotated[
    bool, typer.Option("--wide", help="Table at full width: no cell is cut to fit the terminal.")
]
