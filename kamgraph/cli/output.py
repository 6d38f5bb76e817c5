"""Where results go: rows rendered as table, JSON or CSV, written to stdout or an ``-o`` file.

Results go to stdout (or the file), status lines to stderr, so a result pipes cleanly.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from kamgraph import jsontext
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


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return ""  # NaN / Infinity: no value, as in JSON's null
    if isinstance(value, list | dict):
        return jsontext.dumps(value, ensure_ascii=False, default=str)[0]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    cols = list(columns or (rows[0].keys() if rows else []))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in cols])
    return buf.getvalue()


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
    if fmt == "json":
        return to_json(list(rows)) + "\n"
    if fmt == "csv":
        return to_csv(rows, columns)
    return to_table(rows, columns)
