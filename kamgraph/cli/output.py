"""Where results go: rows rendered as table, JSON or CSV, written to stdout or an ``-o`` file.

Results go to stdout (or the file), status lines to stderr, so a result pipes cleanly.
"""

from __future__ import annotations

import os
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

from kamgraph import display, jsontext
from kamgraph.errors import InvalidValueError, write_error
from kamgraph.files import atomic_write, csv_text

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


def _cell(value: Any, *, by_name: bool = False) -> str:
    # One value per cell: lists joined with "; ", records as key=value (names in tables).
    return display.flat(value, by_name=by_name)


def raw_csv() -> bool:
    """Whether the command line asked for CSV cells as they are (``kamgraph --raw-csv``)."""
    return bool(getattr(_root_state(), "raw_csv", False))


def to_csv(
    rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, *, raw: bool = False
) -> str:
    """CSV with a header row (also for no rows); formula-like cells neutralised unless ``raw``."""
    cols = list(columns or (rows[0].keys() if rows else []))
    return csv_text(rows, cols, raw=raw)


#: A cell of a table that is not ``--wide`` is cut at this many terminal columns.
MAX_CELL = 60
#: No column of a table that is not ``--wide`` is cut narrower than this to fit the terminal.
MIN_COLUMN = 8
GAP = "  "


#: The width tables fit into when the output is no terminal and ``COLUMNS`` is not set.
DEFAULT_COLUMNS = 120


def terminal_columns() -> int:
    """The width tables fit into: ``COLUMNS``, else the terminal standard output is, else 120
    (so piped or captured output does not depend on the terminal it was started from)."""
    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        if sys.stdout.isatty():
            return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError, AttributeError):
        pass
    return DEFAULT_COLUMNS


def _shown(row: dict[str, Any], column: str) -> Any:
    """What a table shows in ``column``: the names beside a list of ids, when there are."""
    names = row.get(display.names_key(column))
    if isinstance(names, list) and isinstance(row.get(column), list):
        return names
    return row.get(column)


def _fit_widths(widths: list[int], limit: int) -> list[int]:
    """Narrow the widest columns until the row fits ``limit`` (none below MIN_COLUMN)."""
    widths = list(widths)
    while sum(widths) + len(GAP) * (len(widths) - 1) > limit:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= MIN_COLUMN:
            break
        widths[widest] -= 1
    return widths


def _records(header: list[str], cells: list[list[str]], limit: int) -> str:
    """Rows too wide for the terminal, one block per row: a ``name  value`` line per column
    (as psql's expanded display)."""
    label = max(display.width(h) for h in header)
    room = max(MIN_COLUMN, limit - label - len(GAP))
    lines: list[str] = []
    for i, row in enumerate(cells, start=1):
        title = f"-[ row {i} ]"
        lines.append(title + "-" * max(0, min(limit, label + len(GAP) + room) - len(title)))
        lines += [
            f"{display.pad(h, label)}{GAP}{display.fit(v, room)}".rstrip()
            for h, v in zip(header, row, strict=True)
        ]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def to_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str] | None = None,
    *,
    wide: bool = False,
    limit: int | None = None,
) -> str:
    """A plain aligned text table (no colour codes, so it pipes cleanly).

    Lists of ids show the names beside them (their ``*_names`` columns are then not repeated);
    records show as ``name (values)``. Control and bidi characters are neutralised and widths
    counted in terminal columns (CJK characters take two). Unless ``wide``, a cell is cut at
    MAX_CELL columns and the widest columns are narrowed to fit ``limit`` (the terminal); rows
    that cannot fit even so are shown one block per row, a line per column.
    """
    cols = list(columns or (rows[0].keys() if rows else []))
    if not cols:
        return "(no rows)\n"
    listed = {display.names_key(c) for c in cols if any(isinstance(r.get(c), list) for r in rows)}
    cols = [c for c in cols if c not in listed]
    cells = [
        [display.neutralise(_cell(_shown(r, c), by_name=True)) for c in cols] for r in rows
    ]
    header = [display.neutralise(c) for c in cols]
    widths = [
        max([display.width(h)] + [display.width(row[i]) for row in cells])
        for i, h in enumerate(header)
    ]
    if not wide:
        limit = limit or terminal_columns()
        widths = [min(w, MAX_CELL) for w in widths]
        if min(MIN_COLUMN * len(widths), sum(widths)) + len(GAP) * (len(widths) - 1) > limit:
            return _records(header, cells, limit)
        widths = _fit_widths(widths, limit)

    def line(values: list[str]) -> str:
        return GAP.join(
            display.pad(display.fit(v, w), w) for v, w in zip(values, widths, strict=True)
        ).rstrip()

    lines = [line(header), GAP.join("-" * w for w in widths)]
    lines += [line(row) for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def render(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    columns: Sequence[str] | None = None,
    *,
    wide: bool = False,
) -> str:
    if fmt == "json":
        return to_json(list(rows)) + "\n"
    if columns is not None:
        columns = display.named_columns(list(columns), list(rows))
    if fmt == "csv":
        return to_csv(rows, columns, raw=raw_csv())
    return to_table(rows, columns, wide=wide)
