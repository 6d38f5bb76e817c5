"""The one place where a failure becomes one line on stderr and the exit code of its class.

Expected failures (:class:`kamgraph.errors.KamgraphError`, and writes the operating system
refuses) are handled around every command by :class:`KamgraphGroup`; anything else is a bug and
reaches :func:`last_resort` in ``main()``, which names it and says where to report it. With
``--log-format json`` the line is a JSON object. A traceback only with ``KAMGRAPH_DEBUG=1``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from kamgraph.errors import KamgraphError, write_error

try:  # typer >= 0.26 vendors click
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer uses click itself
    from click.exceptions import ClickException  # type: ignore[no-redef,assignment,unused-ignore]

#: Set to 1 to let unexpected errors end in a traceback (for a bug report).
DEBUG_ENV = "KAMGRAPH_DEBUG"
#: Where a user reports an unexpected error.
REPORT_TO = "the kamgraph issue tracker"
#: The exit code of an unexpected error (a bug).
EXIT_BUG = 1
_ARGS = "kamgraph.argv"
_SECRET_ENV = ("NEO4J_PASSWORD",)


def wants_json(args: Sequence[str]) -> bool:
    """Whether the command line chose ``--log-format json``."""
    for i, arg in enumerate(args):
        if arg == "--log-format" and i + 1 < len(args):
            return args[i + 1] == "json"
        if arg == "--log-format=json":
            return True
    return False


def command_line(ctx: Any) -> list[str]:
    """The arguments the root command was given (kept by :class:`KamgraphGroup`)."""
    return list(ctx.find_root().meta.get(_ARGS, ()))


#: Library messages name a setting ("the encoding setting"); the command line names its option.
OPTION_OF_SETTING = {
    "encoding": "--encoding NAME",
    "date_format": "--date-format FORMAT",
    "mapping": "--mapping FILE",
    "wait": "--wait SECONDS",
    "full": "--full",
    "query path": "--query-path (KAMGRAPH_QUERY_PATH)",
    "retain_inactive_days": "--retain-inactive-days DAYS",
}


def cli_words(message: str) -> str:
    """``message`` with each "(the NAME setting)" of the library said as the CLI option."""
    for setting, option in OPTION_OF_SETTING.items():
        message = message.replace(f"the {setting} setting", option)
    return message


def _one_line(message: str) -> str:
    text = re.sub(r"\s*\n\s*", " ", message).strip()
    for name in _SECRET_ENV:
        secret = os.environ.get(name)
        if secret:
            text = text.replace(secret, "***")
    return text


def fail(message: str, code: int, kind: str, *, as_json: bool) -> NoReturn:
    """Print ``error: message`` (or its JSON form) on stderr and exit with ``code``."""
    line = _one_line(message)
    if as_json:
        record = {"status": "error", "error": kind, "message": line, "exit_code": code}
        typer.echo(json.dumps(record, ensure_ascii=False), err=True)
    else:
        typer.echo(f"error: {line}", err=True)
    raise typer.Exit(code)


class KamgraphGroup(TyperGroup):
    """The root command: runs a subcommand and turns its expected errors into one line."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta[_ARGS] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        as_json = wants_json(ctx.meta.get(_ARGS, ()))
        try:
            return super().invoke(ctx)
        except KamgraphError as e:
            fail(cli_words(str(e)), e.exit_code, e.kind, as_json=as_json)
        except OSError as e:
            error = write_error(e)
            if error is None:
                raise
            fail(str(error), error.exit_code, error.kind, as_json=as_json)
        except ClickException as e:  # usage errors: click prints them, unless JSON was asked
            if not as_json:
                raise
            fail(e.format_message(), e.exit_code, "usage", as_json=True)


def last_resort(error: BaseException, args: Sequence[str]) -> NoReturn:
    """An error nobody expected: name it and where to report it, exit 1, no traceback."""
    detail = _one_line(str(error))[:300]
    message = (
        f"unexpected {type(error).__name__}{': ' + detail if detail else ''}. This is a bug in "
        f"kamgraph: please report it to {REPORT_TO} with the output of the same command run "
        f"with {DEBUG_ENV}=1"
    )
    try:
        fail(message, EXIT_BUG, "bug", as_json=wants_json(args))
    except typer.Exit as done:
        raise SystemExit(done.exit_code) from None
