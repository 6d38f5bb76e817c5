"""Reading export files row by row (streaming), with encodings real CRM exports use."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kamgraph.errors import InputDataError

# Real exports carry very long description fields; the csv module's default limit is 128 KiB.
csv.field_size_limit(64 * 1024 * 1024)

_SNIFF_BYTES = 1 << 20


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
    """UTF-8 (with or without BOM) unless the bytes say otherwise; then GB18030."""
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError as e:
            raise InputDataError(
                f"{path}: unknown encoding {declared!r}; use e.g. utf-8 or gb18030"
            ) from e
        return declared
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.start >= len(head) - 4:  # a multi-byte character cut by the sniff window
            return "utf-8"
    try:
        head.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        raise InputDataError(
            f"{path}: neither UTF-8 nor GB18030; pass --encoding with the file's encoding"
        ) from None


def read_csv(path: Path, *, encoding: str | None = None) -> Iterator[SourceRow]:
    """Yield rows of a CSV file; header names are matched case-insensitively.

    Raises InputDataError for a file that cannot be parsed at all (empty, no header, a
    delimiter that is not a comma/semicolon/tab). Rows with the wrong number of cells are
    yielded with a ``__width__`` marker cell so the caller can reject them with a line number.
    """
    enc = detect_encoding(path, encoding)
    try:
        handle = path.open("r", encoding=enc, errors="strict", newline="")
    except OSError as e:
        raise InputDataError(f"{path}: cannot open: {e.strerror}") from e
    with handle:
        sample = handle.read(64 * 1024)
        handle.seek(0)
        if not sample.strip():
            raise InputDataError(f"{path}: the file is empty; expected a header row")
        delimiter = _delimiter(path, sample)
        reader = csv.reader(handle, delimiter=delimiter, strict=False)
        try:
            header = next(reader)
        except csv.Error as e:
            raise InputDataError(f"{path}:1: cannot parse the header: {e}") from e
        names = [h.strip().lstrip("\ufeff").lower() for h in header]
        if not any(names):
            raise InputDataError(f"{path}:1: the header row is blank")
        while True:
            line = reader.line_num + 1
            try:
                raw = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                raise InputDataError(
                    f"{path}:{line}: the CSV is malformed ({e}); fix the quoting from this line on"
                ) from e
            except UnicodeDecodeError as e:
                raise InputDataError(
                    f"{path}:{line}: bytes that are not {enc}; pass --encoding"
                ) from e
            if not raw or not any(cell.strip() for cell in raw):
                continue
            cells = dict(zip(names, raw, strict=False))
            if len(raw) != len(names):
                cells["__width__"] = f"{len(raw)} cells, header has {len(names)}"
            yield SourceRow(str(path), line, cells, raw)


def _delimiter(path: Path, sample: str) -> str:
    first = sample.splitlines()[0] if sample else ""
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0 and len(first.split()) > 1 and "," not in first:
        raise InputDataError(
            f"{path}:1: cannot find the delimiter in the header; save the file as CSV "
            "with commas, semicolons or tabs"
        )
    return best if counts[best] else ","


def raw_line(row: SourceRow) -> str:
    """The row re-encoded as one CSV line, for the rejects file."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(row.raw)
    return buf.getvalue()
