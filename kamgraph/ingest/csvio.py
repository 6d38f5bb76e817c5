"""Reading export files row by row (streaming), with encodings real CRM exports use.

A file that cannot be read at all (empty, no header, unknown encoding) raises InputDataError.
A row the CSV layer cannot use (wrong number of cells, broken quoting, bytes in another
encoding) is still yielded, marked with a ``PROBLEM`` cell saying why, so the reader rejects it
with its line number and goes on: one bad row never costs the rows after it.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, NamedTuple

from kamgraph.errors import InputDataError

# Real exports carry very long description fields; the csv module's default limit is 128 KiB.
FIELD_LIMIT = 64 * 1024 * 1024
csv.field_size_limit(FIELD_LIMIT)

_SNIFF_BYTES = 1 << 20

#: The cell that marks an unusable row; its value is the reason. (Named for its first use, a
#: row with the wrong number of cells; it now covers every row the CSV layer cannot use.)
PROBLEM = "__width__"


class EncodingError(InputDataError):
    """A file is not in the encoding it was read with; the fix is naming its encoding."""

    #: The setting that fixes it (the CLI names its own option for it).
    setting = "encoding"


@dataclass(frozen=True)
class SourceRow:
    """One data row: where it came from, its cells by lower-cased header, and its raw text."""

    file: str
    line: int
    cells: dict[str, str]
    raw: list[str]

    def get(self, field: str) -> str:
        """The trimmed cell for ``field`` (case-insensitive), '' when absent."""
        return (self.cells.get(field.lower()) or "").strip()


def detect_encoding(path: Path, declared: str | None = None) -> str:
    """UTF-8 (with or without BOM) unless the bytes say otherwise; then GB18030.

    A file whose lines are mostly UTF-8 but some not is read as UTF-8 (the other lines are
    rejected): reading it as GB18030 would silently garble every UTF-8 line instead.
    """
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError as e:
            raise InputDataError(
                f"{path}: unknown encoding {declared!r}; use e.g. utf-8 or gb18030"
            ) from e
        return declared
    try:
        with path.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError as e:
        raise InputDataError(f"{path}: cannot open: {e.strerror}") from e
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    lines = head.split(b"\n")
    if len(head) == _SNIFF_BYTES:
        lines.pop()  # may end inside a multi-byte character
    utf8 = other = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            other += 1
    if other == 0 or utf8 >= other:
        return "utf-8"
    try:
        for line in lines:
            if not line.isascii():
                line.decode("gb18030")
    except UnicodeDecodeError:
        raise EncodingError(
            f"{path}: neither UTF-8 nor GB18030; name the file's encoding (the encoding setting)"
        ) from None
    return "gb18030"


def read_csv(path: Path, *, encoding: str | None = None) -> Iterator[SourceRow]:
    """Yield rows of a CSV file; header names are matched case-insensitively.

    Raises InputDataError for a file that cannot be parsed at all (empty, no header, a
    delimiter that is not a comma/semicolon/tab). Rows the CSV layer cannot use come with a
    ``PROBLEM`` cell (see the module docstring).
    """
    with _CsvFile(path, encoding) as csv_file:
        yield from csv_file.rows()


def read_header(path: Path, *, encoding: str | None = None) -> list[str]:
    """The lower-cased column names of a CSV file; raises InputDataError as ``read_csv`` does."""
    with _CsvFile(path, encoding) as csv_file:
        return list(csv_file.names)


def check_columns(path: Path, names: list[str], required: Iterable[tuple[str, ...]]) -> None:
    """Raise InputDataError naming the required columns ``names`` lacks (one of a tuple will do)."""
    have = set(names)
    missing = [" or ".join(group) for group in required if not have & {c.lower() for c in group}]
    if not missing:
        return
    shown = ", ".join(repr(n) for n in names[:8]) + (", ..." if len(names) > 8 else "")
    hint = "export the object with these fields"
    if len(names) == 1 and any(sep in names[0] for sep in "|:^~ "):
        hint = "the columns seem to be separated by something other than commas, semicolons or tabs"
    raise InputDataError(
        f"{path}:1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
        f"(the header has {shown}); {hint}"
    )


def raw_line(row: SourceRow) -> str:
    """The row re-encoded as one CSV line, for the rejects file."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(row.raw)
    return buf.getvalue()


class _Line(NamedTuple):
    """One physical line of the file, decoded, and what is wrong with its bytes (if anything)."""

    number: int
    text: str
    problem: str | None = None


class _Lines:
    """The file's lines for ``csv.reader``, remembering those the current row used.

    After a quoting error the lines the broken row swallowed are handed out again, so the
    parser resynchronizes on the line after the one that broke it.
    """

    def __init__(self, lines: Iterator[_Line]) -> None:
        self._lines = lines
        self._again: deque[_Line] = deque()
        self.taken: list[_Line] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._again.popleft() if self._again else next(self._lines)
        self.taken.append(line)
        return line.text

    def again(self, lines: list[_Line]) -> None:
        self._again.extendleft(reversed(lines))


class _CsvFile:
    """An open CSV file: encoding and delimiter found, header read."""

    def __init__(self, path: Path, encoding: str | None) -> None:
        self.path = path
        self.encoding = detect_encoding(path, encoding)
        self._auto_gb = encoding is None and self.encoding == "gb18030"
        try:
            self._handle: BinaryIO = path.open("rb")
        except OSError as e:
            raise InputDataError(f"{path}: cannot open: {e.strerror}") from e
        try:
            self._start()
        except BaseException:
            self._handle.close()
            raise

    def __enter__(self) -> _CsvFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._handle.close()

    def _start(self) -> None:
        source = self._decoded_lines()
        first: _Line | None = None
        skipped: list[_Line] = []
        for line in source:
            skipped.append(line)
            if line.text.strip():
                first = line
                break
        if first is None:
            raise InputDataError(f"{self.path}: the file is empty; expected a header row")
        if skipped[0] is not first:
            raise InputDataError(f"{self.path}:1: the header row is blank")
        self.delimiter = _delimiter(self.path, first.text)
        self._lines = _Lines(source)
        self._lines.again(skipped)
        self._reader = csv.reader(self._lines, delimiter=self.delimiter, strict=True)
        try:
            header = next(self._reader)
        except csv.Error as e:
            raise InputDataError(f"{self.path}:1: cannot parse the header: {e}") from e
        bad = next((line.problem for line in self._lines.taken if line.problem), None)
        if bad:
            raise InputDataError(f"{self.path}:1: cannot read the header: {bad}")
        self.names = [h.strip().lstrip("\ufeff").lower() for h in header]
        if not any(self.names):
            raise InputDataError(f"{self.path}:1: the header row is blank")

    def rows(self) -> Iterator[SourceRow]:
        lines, names = self._lines, self.names
        while True:
            lines.taken = []
            try:
                raw = next(self._reader)
            except StopIteration:
                return
            except csv.Error as e:
                taken = lines.taken
                if not taken:
                    raise InputDataError(f"{self.path}: the CSV is malformed ({e})") from e
                lines.again(taken[1:])
                yield self._broken(taken[0], _quoting_problem(e, taken))
                continue
            if not raw or not any(cell.strip() for cell in raw):
                continue
            first = lines.taken[0].number if lines.taken else 0
            cells = dict(zip(names, raw, strict=False))
            bad = next((line for line in lines.taken if line.problem), None)
            if bad is not None:
                cells[PROBLEM] = f"line {bad.number}: {bad.problem}"
            elif len(raw) != len(names):
                cells[PROBLEM] = f"{len(raw)} cells, header has {len(names)}"
            yield SourceRow(str(self.path), first, cells, raw)

    def _broken(self, line: _Line, problem: str) -> SourceRow:
        """A line where the quoting broke: its cells as well as they can be read, marked."""
        text = line.text.rstrip("\r\n")
        try:
            raw = next(csv.reader([text], delimiter=self.delimiter, strict=False))
        except (csv.Error, StopIteration):
            raw = [text]
        cells = dict(zip(self.names, raw, strict=False))
        cells[PROBLEM] = problem
        return SourceRow(str(self.path), line.number, cells, raw)

    def _decoded_lines(self) -> Iterator[_Line]:
        if not _ascii_compatible(self.encoding):
            yield from self._text_lines()
            return
        number = 0
        for chunk in self._handle:
            # Old Mac exports end lines with a bare CR; split those the way text mode would.
            parts = chunk.splitlines(keepends=True) if b"\r" in chunk.rstrip(b"\r\n") else (chunk,)
            for part in parts:
                number += 1
                if part.isascii():  # the common case, and the same text in any of these
                    yield _Line(number, part.decode("ascii"))
                else:
                    yield _Line(number, *self._decode(part))

    def _decode(self, data: bytes) -> tuple[str, str | None]:
        try:
            text = data.decode(self.encoding)
        except UnicodeDecodeError:
            name = _label(self.encoding)
            other = "utf-8" if name == "GB18030" else "gb18030"
            try:
                return data.decode(other), (
                    f"bytes that are not {name} (they read as {_label(other)}); save the whole "
                    "file in one encoding"
                )
            except UnicodeDecodeError:
                return data.decode(self.encoding, errors="replace"), (
                    f"bytes that are not {name}; fix this row or name the file's encoding"
                )
        if self._auto_gb and not data.isascii():
            try:
                utf8 = data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                return utf8, (
                    "this line is UTF-8 in a file that is otherwise GB18030; save the whole file "
                    "in one encoding"
                )
        return text, None

    def _text_lines(self) -> Iterator[_Line]:
        """UTF-16/32 files: decoded as a whole (their lines cannot be split as bytes)."""
        text = io.TextIOWrapper(self._handle, encoding=self.encoding, newline="")
        number = 0
        while True:
            try:
                line = text.readline()
            except UnicodeDecodeError as e:
                raise EncodingError(
                    f"{self.path}:{number + 1}: bytes that are not {self.encoding}; name the "
                    "file's encoding (the encoding setting)"
                ) from e
            if not line:
                return
            number += 1
            yield _Line(number, line)


def _ascii_compatible(encoding: str) -> bool:
    name = codecs.lookup(encoding).name
    if name.startswith(("utf-16", "utf-32")):
        return False
    return name == "utf-8-sig" or '\n\r,;\t"a'.encode(encoding) == b'\n\r,;\t"a'


def _label(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return "UTF-8" if name.startswith("utf-8") else name.upper()


def _quoting_problem(e: csv.Error, taken: list[_Line]) -> str:
    first, last = taken[0].number, taken[-1].number
    again = f"; lines {first + 1}-{last} were read again on their own" if last > first else ""
    message = str(e)
    if "field larger than field limit" in message:
        return f"a cell is larger than {FIELD_LIMIT // (1024 * 1024)} MiB{again}"
    if "unexpected end of data" in message:
        return (
            "a quoted cell opened on this line is never closed (the file may be cut short, "
            f"or a quote is unbalanced){again}"
        )
    return (
        f"the quoting is broken on this line ({message}); write a quote inside a quoted cell "
        f'as ""{again}'
    )


def _delimiter(path: Path, first: str) -> str:
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0 and len(first.split()) > 1 and "," not in first:
        raise InputDataError(
            f"{path}:1: cannot find the delimiter in the header; save the file as CSV "
            "with commas, semicolons or tabs"
        )
    return best if counts[best] else ","
