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
import re
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, NamedTuple

from charset_normalizer import from_bytes

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
class ZipMember:
    """A file inside a ZIP archive (a Salesforce weekly export), read streamed from it."""

    archive: Path
    member: str

    @property
    def name(self) -> str:
        """The member's file name (without the folders inside the archive)."""
        return self.member.rsplit("/", 1)[-1]

    def open(self, mode: str = "rb") -> BinaryIO:
        """The member's bytes, streamed (the archive stays open until they are closed)."""
        assert mode == "rb"
        try:
            with zipfile.ZipFile(self.archive) as archive:
                return archive.open(self.member)  # type: ignore[return-value]
        except (OSError, zipfile.BadZipFile, KeyError) as e:
            raise InputDataError(f"{self}: cannot open in the archive: {e}") from e

    def __str__(self) -> str:
        return f"{self.archive}/{self.member}"


#: A file to read: on disk, or inside a ZIP archive.
FileRef = Path | ZipMember


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


def detect_encoding(path: FileRef, declared: str | None = None) -> str:
    """The file's encoding: the declared one, else found from its bytes (or refused).

    A BOM decides (UTF-8, UTF-16). Otherwise UTF-8 when the bytes are UTF-8; a file whose
    lines are mostly UTF-8 but some not is read as UTF-8 (the other lines are rejected):
    reading it in a legacy encoding would silently garble every UTF-8 line instead. Else the
    legacy encodings real exports use (Windows-1252, GB18030, Big5, Shift-JIS) are tried: those
    that decode the lines and read plausibly stay candidates, charset-normalizer ranks them,
    and a file where no single one is clear raises EncodingError naming the candidates.
    """
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError as e:
            raise InputDataError(
                f"{path}: unknown encoding {declared!r}; use e.g. utf-8, cp1252 or gb18030"
            ) from e
        return declared
    try:
        with path.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError as e:
        raise InputDataError(f"{path}: cannot open: {e.strerror}") from e
    return _sniff_encoding(str(path), head, complete=len(head) < _SNIFF_BYTES)


def _sniff_encoding(name: str, head: bytes, *, complete: bool) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    unmarked = _utf16_without_bom(head)
    if unmarked:
        return unmarked
    lines = head.split(b"\n")
    if not complete:
        lines.pop()  # may end inside a multi-byte character
    utf8 = 0
    legacy: list[bytes] = []
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            legacy.append(line)
    if not legacy or utf8 >= len(legacy):
        return "utf-8"
    sample = b"\n".join(legacy)
    decoded: dict[str, str] = {}
    for encoding in LEGACY_ENCODINGS:
        try:
            decoded[encoding] = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
    plausible = [e for e, text in decoded.items() if _plausible(e, text)]
    if len(plausible) == 1:
        return plausible[0]
    if len(plausible) > 1:
        cut = sample.rfind(b"\n", 0, _RANK_BYTES) if len(sample) > _RANK_BYTES else -1
        ranked = from_bytes(sample[:cut] if cut > 0 else sample, cp_isolation=plausible)
        chosen = [m for m in ranked if m.encoding in plausible]
        if len(chosen) == 1 or (
            len(chosen) > 1 and chosen[0].chaos + _CLEAR_MARGIN <= chosen[1].chaos
        ):
            return chosen[0].encoding
    shown = plausible or list(decoded)
    first = legacy[0]
    readings = "; ".join(
        f"{_label(e)} reads {_excerpt(first.decode(e, errors='replace'))!r}" for e in shown
    )
    if not shown:
        tried = ", ".join(_label(e) for e in ("utf-8", *LEGACY_ENCODINGS))
        raise EncodingError(
            f"{name}: the encoding is not clear: the bytes are none of {tried}; name the "
            "file's encoding (the encoding setting)"
        )
    verdict = "could be any of" if plausible else "reads as none of"
    raise EncodingError(
        f"{name}: the encoding is not clear: the file {verdict} "
        f"{', '.join(_label(e) for e in shown)} ({readings}); name the file's encoding "
        "(the encoding setting), e.g. cp1252 for Western European Excel"
    )


#: Legacy encodings tried when a file is not UTF-8 (Windows-1252 covers Latin-1's letters).
LEGACY_ENCODINGS = ("cp1252", "gb18030", "big5", "shift_jis")
_CLEAR_MARGIN = 0.1
_RANK_BYTES = 1 << 16  # charset-normalizer ranks the first 64 KiB of the non-UTF-8 lines
_C1 = re.compile("[\x80-\x9f]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_LATIN_SYMBOLS = frozenset("€£¥°±²³µ·«»–—‘’‚“”„•…©®™§¶¿¡\xa0×÷¢")


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, CJK punctuation, kana, ideographs
        or 0xAC00 <= code <= 0xD7AF  # hangul
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFF00 <= code <= 0xFFEF  # fullwidth and halfwidth forms
        or 0x20000 <= code <= 0x3FFFF  # extension ideographs
        or ch in "、。・「」『』【】〜々ー"
    )


def _plausible(encoding: str, text: str) -> bool:
    """Whether ``text`` (the non-UTF-8 lines) reads like real text in ``encoding``.

    Windows-1252: no C1 controls, mostly letters, and accented letters mostly alone inside
    words (long runs of symbols are CJK bytes misread). CJK encodings: the characters are CJK,
    and a CJK character is not wedged between Latin letters (``M黮ler`` is ``Müller`` misread).
    """
    runs = _NON_ASCII_RUN.findall(text)
    chars = "".join(runs)
    if not chars:
        return True
    if encoding == "cp1252":
        if _C1.search(text):
            return False
        odd = sum(1 for ch in chars if not ch.isalpha() and ch not in _LATIN_SYMBOLS)
        long_runs = sum(len(run) for run in runs if len(run) >= 3)
        return odd * 10 <= len(chars) and long_runs * 3 <= len(chars)
    if sum(1 for ch in chars if not _is_cjk(ch)) * 10 > len(chars):
        return False
    wedged = touching = 0
    for match in _NON_ASCII_RUN.finditer(text):
        before = text[match.start() - 1 : match.start()]
        after = text[match.end() : match.end() + 1]
        left, right = before.isascii() and before.isalpha(), after.isascii() and after.isalpha()
        wedged += left and right
        touching += left or right
    return not wedged and touching * 2 <= len(runs)


def _excerpt(text: str) -> str:
    text = text.strip()
    match = _NON_ASCII_RUN.search(text)
    start = max(0, (match.start() if match else 0) - 20)
    return text[start : start + 50]


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 without a BOM, told by its NUL bytes (ASCII text has one in every pair)."""
    sample = head[: 4096 - 4096 % 2]
    if len(sample) < 4 or sample.count(0) * 4 < len(sample):
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    encoding = "utf-16-le" if odd > even * 4 else "utf-16-be" if even > odd * 4 else None
    if encoding is None:
        return None
    try:
        head[: len(head) - len(head) % 2].decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding


def read_csv(path: FileRef, *, encoding: str | None = None) -> Iterator[SourceRow]:
    """Yield rows of a CSV file; header names are matched case-insensitively.

    Raises InputDataError for a file that cannot be parsed at all (empty, no header, a
    delimiter that is not a comma/semicolon/tab). Rows the CSV layer cannot use come with a
    ``PROBLEM`` cell (see the module docstring).
    """
    with _CsvFile(path, encoding) as csv_file:
        yield from csv_file.rows()


def read_header(path: FileRef, *, encoding: str | None = None) -> list[str]:
    """The lower-cased column names of a CSV file; raises InputDataError as ``read_csv`` does."""
    with _CsvFile(path, encoding) as csv_file:
        return list(csv_file.names)


def check_columns(path: FileRef, names: list[str], required: Iterable[tuple[str, ...]]) -> None:
    """Raise InputDataError naming the required columns ``names`` lacks (one of a tuple will do)."""
    have = set(names)
    missing = [" or ".join(group) for group in required if not have & {c.lower() for c in group}]
    if not missing:
        return
    shown = ", ".join(repr(n) for n in names[:8]) + (", ..." if len(names) > 8 else "")
    hint = "export the object with these fields"
    if len(names) == 1 and any(sep in names[0] for sep in "|:^~ "):
        hint = (
            "the columns seem to be separated by something other than commas, semicolons, "
            "tabs or pipes"
        )
    raise InputDataError(
        f"{path}:1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
        f"(the header has {shown}); {hint}"
    )


def _refuse_duplicate_columns(path: FileRef, header: list[str]) -> None:
    """Raise InputDataError naming columns the header has twice (case-insensitive)."""
    first: dict[str, str] = {}
    twice: list[str] = []
    for name in header:
        key = name.lower()
        if not key:
            continue
        if key in first:
            twice.append(f"{first[key]!r} and {name!r}")
        else:
            first[key] = name
    if twice:
        raise InputDataError(
            f"{path}:1: the header names a column twice ({'; '.join(twice)}; column names are "
            "matched case-insensitively); remove or rename one of each so no value is dropped"
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

    def __init__(self, path: FileRef, encoding: str | None) -> None:
        self.path = path
        self.encoding = detect_encoding(path, encoding)
        self._auto_legacy = encoding is None and self.encoding in LEGACY_ENCODINGS
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
        sample = [first.text]
        for line in source:
            skipped.append(line)
            sample.append(line.text)
            if len(sample) > _SNIFF_ROWS:
                break
        self.delimiter = _delimiter(self.path, sample)
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
        _refuse_duplicate_columns(self.path, [h.strip().lstrip("\ufeff") for h in header])

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
            others = LEGACY_ENCODINGS if name == "UTF-8" else ("utf-8",)
            for other in others:
                try:
                    reading = data.decode(other)
                except UnicodeDecodeError:
                    continue
                if other == "utf-8" or _plausible(other, reading):
                    return reading, (
                        f"bytes that are not {name} (they read as {_label(other)}); save the "
                        "whole file in one encoding"
                    )
            return data.decode(self.encoding, errors="replace"), (
                f"bytes that are not {name}; fix this row or name the file's encoding"
            )
        if self._auto_legacy and not data.isascii():
            try:
                utf8 = data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                return utf8, (
                    f"this line is UTF-8 in a file that is otherwise {_label(self.encoding)}; save "
                    "the whole file in one encoding"
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


def _parse_sample(sample: list[str], delimiter: str) -> list[list[str]]:
    """The rows of ``sample`` up to the first that does not parse (a cut-off quoted cell)."""
    rows: list[list[str]] = []
    reader = csv.reader(sample, delimiter=delimiter, strict=True)
    while True:
        try:
            rows.append(next(reader))
        except (csv.Error, StopIteration):
            return rows


def _delimiter(path: FileRef, sample: list[str]) -> str:
    """The delimiter (one of ``DELIMITERS``) decided from the header and the first rows.

    A delimiter that splits the header into several columns and every sampled row into as many
    cells is a candidate; one candidate decides. Several are ambiguous and refused. None (rows
    that break the pattern, e.g. a bad row early in the file): the header alone decides, as
    long as one delimiter splits it most.
    """
    widths: dict[str, int] = {}
    consistent: list[str] = []
    for delimiter in DELIMITERS:
        parsed = [row for row in _parse_sample(sample, delimiter) if any(c.strip() for c in row)]
        if not parsed:
            continue
        width = len(parsed[0])
        widths[delimiter] = width
        if width > 1 and all(len(row) == width for row in parsed[1:]):
            consistent.append(delimiter)
    if len(consistent) == 1:
        return consistent[0]
    if len(consistent) > 1:
        shown = " and ".join(_DELIMITER_NAMES[d] for d in consistent)
        raise InputDataError(
            f"{path}:1: the delimiter is not clear: the header and first rows split evenly by "
            f"{shown}; save the file with one delimiter only in the header (or quote the cells)"
        )
    best = max(widths, key=lambda d: widths[d], default=",")
    ties = [d for d in widths if widths[d] == widths[best]]
    if widths.get(best, 1) > 1 and len(ties) > 1:
        shown = " and ".join(_DELIMITER_NAMES[d] for d in ties)
        raise InputDataError(
            f"{path}:1: the delimiter is not clear: the header splits as evenly by {shown}; "
            "save the file with one delimiter only in the header (or quote the cells)"
        )
    if widths.get(best, 1) > 1:
        return best
    if len(sample[0].split()) > 1 and "," not in sample[0]:
        raise InputDataError(
            f"{path}:1: cannot find the delimiter in the header; save the file as CSV "
            "with commas, semicolons, tabs or pipes"
        )
    return ","


#: The delimiters a CSV file may use; the first rows decide which (see ``_delimiter``).
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes"}
_SNIFF_ROWS = 20
