"""Where results go: rows rendered as table, JSON or CSV, written to stdout or an ``-o`` file.

Results go to stdout (or the file), status lines to stderr, so a result pipes cleanly.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

try:  # typer >= 0.26 vendors click
    from typer._click.globals import get_current_context
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import get_current_context  # type: ignore[no-redef,assignment,unused-ignore]

from kamgraph import jsontext
from kamgraph.errors import InvalidValueError, write_error
from kamgraph.files import atomic_write, csv_text, csv_value

FORMATS = ("table", "json", "csv")


def _root_state() -> Any:
    """The root command's State, when a command is running (None in library use)."""
    ctx = get_current_context(silent=True)
    return ctx.find_root().obj if ctx is not None else None


def say(message: str) -> None:
    """A status line on stderr (stdout is kept for results); a JSON object under
    ``--log-format json``, so every stderr line of such a run parses."""
    if getattr(_root_state(), "log_json", False):
        message = jsontext.dumps({"status": "info", "message": message}, ensure_ascii=False)[0]
    typer.echo(message, err=True)


def check_format(fmt: str, allowed: Sequence[str] = FORMATS, option: str = "--format") -> str:
    """``fmt`` (any case) as one of ``allowed``; a usage error (exit 2) naming the option
    otherwise. Commands use the returned, lower-case value."""
    if fmt.lower() not in allowed:
        raise InvalidValueError(f"{option} {fmt!r} is not one of {', '.join(allowed)}")
    return fmt.lower()


class Ticker:
    """Advances a progress line: ``tick(n)`` after n more done, ``tick.expect(total)``."""

    def __init__(self, bar: Any = None, task: Any = None) -> None:
        self._bar, self._task = bar, task

    def __call__(self, n: int) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, n)

    def expect(self, total: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, total=total)


@contextmanager
def progress(current: Any, label: str, *, unit: str = "") -> Iterator[Ticker]:
    """A progress line on stderr while a long command runs (a count of ``unit`` when given,
    else a spinner and the time so far).

    Only on a terminal: never under ``--quiet``, ``--log-format json``, cron or a pipe.
    """
    quiet = getattr(current, "quiet", False) or getattr(current, "log_json", False)
    if quiet or not sys.stderr.isatty():
        yield Ticker()
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    counted = [BarColumn(), TextColumn("{task.completed} " + unit)] if unit else []
    columns = [SpinnerColumn(), TextColumn("{task.description}"), *counted, TimeElapsedColumn()]
    with Progress(*columns, transient=True) as bar:
        yield Ticker(bar, bar.add_task(label, total=None))


@contextmanager
def writing(target: object) -> Iterator[None]:
    """A failed write (disk full, read-only, no permission) as a WriteError naming ``target``."""
    try:
        yield
    except OSError as e:
        error = write_error(e, e.filename or target)
        if error is None:
            raise
        raise error from e


def write_result(text: str, out: Path | None) -> None:
    """``text`` to stdout, or to the file ``out`` (folders created) with a status line."""
    if out is None:
        with writing("standard output"):
            typer.echo(text, nl=False)
        return
    with writing(out):
        atomic_write(out, text)
    say(f"wrote {out}")


def to_json(rows: Any) -> str:
    """Rows as JSON; a NaN or Infinity number is written as null with a warning on stderr."""
    text, replaced = jsontext.dumps(rows, ensure_ascii=False, indent=2, default=str)
    if replaced:
        say(
            f"warning: {replaced} value(s) were not finite numbers (NaN or Infinity) and are "
            "written as null"
        )
    return text


_cell = csv_value


def raw_csv() -> bool:
    """Whether the command line asked for CSV cells as they are (``kamgraph --raw-csv``)."""
    return bool(getattr(_root_state(), "raw_csv", False))


def to_csv(
    rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, *, raw: bool = False
) -> str:
    """CSV with a header row (also for no rows); formula-like cells neutralised unless ``raw``."""
    cols = list(columns or (rows[0].keys() if rows else []))
    return csv_text(rows, cols, raw=raw)


def to_table(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """A plain aligned text table (no colour codes, so it pipes cleanly)."""
    cols = list(columns or (rows[0].keys() if rows else []))
    if not cols:
        return "(no rows)\n"
    cells = [[_cell(r.get(c)) for c in cols] for r in rows]
    cells = [[v if len(v) <= 60 else v[:57] + "..." for v in row] for row in cells]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def render(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> str:
    fmt = fmt.lower()
    if fmt == "json":
        return to_json(list(rows)) + "\n"
    if fmt == "csv":
        return to_csv(rows, columns, raw=raw_csv())
    return to_table(rows, columns)
