"""Where results go: rows rendered as table, JSON or CSV, written to stdout or an ``-o`` file.

Results go to stdout (or the file), status lines to stderr, so a result pipes cleanly.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from kamgraph import display, jsontext
from kamgraph.errors import InvalidValueError, write_error

FORMATS = ("table", "json", "csv")


def say(message: str) -> None:
    """A status line on stderr (stdout is kept for results)."""
    typer.echo(message, err=True)


def check_format(fmt: str, allowed: Sequence[str] = FORMATS, option: str = "--format") -> str:
    """``fmt`` if it is one of ``allowed``; a usage error (exit 2) naming the option otherwise."""
    if fmt not in allowed:
        raise InvalidValueError(f"{option} {fmt!r} is not one of {', '.join(allowed)}")
    return fmt


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
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
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


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    cols = list(columns or (rows[0].keys() if rows else []))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in cols])
    return buf.getvalue()


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
        return to_csv(rows, columns)
    return to_table(rows, columns, wide=wide)
