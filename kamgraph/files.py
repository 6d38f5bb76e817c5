"""Files kamgraph writes: whole or not at all, with text their readers cannot take for code.

Every output file (maps, index, CSV, JSON, Markdown, GraphML, GEXF, the rejects file) goes
through :func:`atomic_write` or :class:`AtomicFile`: the bytes land in a temporary file beside
the target, which is renamed over it only once complete, so a full disk or a crash leaves the
last good file in place. The cell and text functions are the one place where data values are
made safe for spreadsheets (formula injection), Markdown viewers (HTML) and XML parsers.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Protocol

from kamgraph import display

#: A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets
#: (OWASP "CSV injection"), full-width forms included.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: A plain number such as -12.5 or +3e4 computes nothing: it stays a number for spreadsheets.
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
#: Characters XML 1.0 does not allow in a document (U+FFFE, U+FFFF, most C0 controls, lone
#: surrogates): a GraphML or GEXF file holding one is not well-formed.
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Writable(Protocol):
    """Anything text can be written to (an open file, a StringIO, an :class:`AtomicFile`)."""

    def write(self, text: str, /) -> Any: ...


def csv_value(value: Any) -> str:
    """One value as CSV text, one value per cell (:func:`kamgraph.display.flat`): empty for None
    and NaN, true/false, a list joined with ``; ``, a record as ``key=value`` pairs."""
    return display.flat(value, by_name=False)


def csv_cell(value: Any, *, raw: bool = False) -> str:
    """``value`` as a CSV cell a spreadsheet shows as text, never runs as a formula.

    A cell starting with ``= + - @``, a tab or a carriage return gets a leading single quote
    (OWASP); a plain number (``-12.5``) is left as it is. ``raw`` keeps every cell unchanged,
    for programs that read the CSV.
    """
    text = csv_value(value)
    if raw or not text.startswith(FORMULA_STARTS) or _NUMBER.match(text):
        return text
    return "'" + text


def csv_text(
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    columns: Sequence[str],
    *,
    raw: bool = False,
) -> str:
    """A whole CSV: the header row (also when there are no rows), then one line per row."""
    buf = io.StringIO()
    write_csv_rows(buf, [columns], raw=True)
    write_csv_rows(buf, rows, columns=columns, raw=raw)
    return buf.getvalue()


def write_csv_rows(
    handle: Writable,
    rows: Iterable[Mapping[str, Any] | Sequence[Any]],
    *,
    columns: Sequence[str] | None = None,
    raw: bool = False,
) -> None:
    """Write ``rows`` (mappings read by ``columns``, or sequences) as safe CSV lines."""
    writer = csv.writer(handle, lineterminator="\n")
    for row in rows:
        if isinstance(row, Mapping):
            values: Sequence[Any] = [row.get(c) for c in columns or ()]
        else:
            values = row
        writer.writerow([csv_cell(v, raw=raw) for v in values])


def markdown_text(text: str) -> str:
    """Markdown with every ``<`` and ``>`` of the data escaped: a viewer renders no HTML."""
    return text.replace("<", "&lt;").replace(">", "&gt;")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (so GraphML and GEXF parse)."""
    return _XML_INVALID.sub("", text)


def _mode_for(path: Path) -> int:
    """The permissions the target has (or a new file would get under the umask)."""
    with suppress(OSError):
        return os.stat(path).st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class AtomicFile:
    """A text file written beside ``path`` and renamed over it by :meth:`commit`.

    Use it as a context manager: a clean exit commits, an exception discards the temporary file
    and leaves the old ``path`` untouched. Operating-system errors name ``path``, never the
    temporary file.
    """

    def __init__(self, path: Path, *, newline: str | None = "") -> None:
        self.path = Path(path)
        self._tmp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
            )
            self.handle: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline=newline)
        except OSError as e:
            self.discard()
            raise _naming(e, self.path) from e

    def write(self, text: str) -> None:
        try:
            self.handle.write(text)
        except OSError as e:
            self.discard()
            raise _naming(e, self.path) from e

    def commit(self) -> Path:
        """Flush, sync and rename over the target; returns the target."""
        if self._tmp is None:
            return self.path
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.chmod(self._tmp, _mode_for(self.path))
            os.replace(self._tmp, self.path)
        except OSError as e:
            self.discard()
            raise _naming(e, self.path) from e
        self._tmp = None
        return self.path

    def discard(self) -> None:
        """Drop the temporary file; the target keeps its last good content."""
        if self._tmp is None:
            return
        with suppress(OSError, AttributeError):
            self.handle.close()
        with suppress(OSError):
            os.unlink(self._tmp)
        self._tmp = None

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def atomic_write(path: Path, text: str, *, newline: str | None = "") -> Path:
    """Write ``text`` (UTF-8) to ``path`` whole, or leave the old file; returns ``path``."""
    with AtomicFile(path, newline=newline) as out:
        out.write(text)
    return out.path


def _naming(error: OSError, path: Path) -> OSError:
    """``error`` naming the target rather than the temporary file."""
    return OSError(error.errno, error.strerror or str(error), str(path))
