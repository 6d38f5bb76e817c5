"""Options several command groups take, and the checks that turn a bad value into exit 2.

A check runs while the command line is parsed, before any store is opened, and adds the
option's name to the library's message ("--as-of '2026-13-45' is not a date; ...").
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kamgraph.dates import iso_day
from kamgraph.errors import InvalidValueError

if TYPE_CHECKING:
    from kamgraph.queries.registry import Registry


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
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv (any case).")]
ParamOpt = Annotated[
    list[str] | None, typer.Option("--param", "-p", help="Parameter key=value (repeatable).")
]
QueryPathOpt = Annotated[
    str | None,
    typer.Option(
        "--query-path",
        envvar="KAMGRAPH_QUERY_PATH",
        help="Folders of your own .cypher queries (':'-separated), checked and listed beside "
        "the built-in ones.",
    ),
]


def parse_params(values: list[str]) -> dict[str, str]:
    """``--param key=value`` options as a dict (a usage error when one has no '=')."""
    params: dict[str, str] = {}
    for item in values:
        if "=" not in item:
            raise InvalidValueError(f"--param {item!r} must be written key=value")
        key, value = item.split("=", 1)
        params[key.strip()] = value
    return params


def query_registry(query_path: str | None) -> Registry:
    """The registry of the built-in queries plus the folders of ``--query-path``."""
    from kamgraph.queries.registry import registry_with

    folders = tuple(Path(p) for p in (query_path or "").split(os.pathsep) if p)
    return registry_with(folders)


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
