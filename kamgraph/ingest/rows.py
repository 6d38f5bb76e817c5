"""Row helpers every file reader shares: typed, field-named cells, row errors, duplicate ids.

Nothing here knows a source: the Salesforce, mapped-CSV, finance, notes and policy readers and
the hierarchy readers all turn a bad cell into the same ``RowError`` naming its field.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kamgraph.ingest import fields as f
from kamgraph.ingest.columns import ColumnProfile
from kamgraph.ingest.csvio import PROBLEM, SourceRow


class RowError(Exception):
    """A field of the current row is bad; becomes a Reject naming the field."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


class Cells:
    """Typed, field-named access to one CSV row; every failure names its field.

    ``id_parser`` reads the ids of the system that sent the row (Salesforce's 15/18-character
    ids by default; any printable id for other systems). ``profile`` is the file's column
    profile (date order and decimal mark per column, see kamgraph.ingest.columns).
    """

    def __init__(
        self,
        row: SourceRow,
        id_parser: Callable[[str], str] = f.sf_id,
        profile: ColumnProfile | None = None,
    ) -> None:
        self.row = row
        self._id_parser = id_parser
        self.profile = profile or ColumnProfile()

    def _parse(self, name: str, parse: Callable[[str], object]) -> object:
        try:
            return parse(self.row.get(name))
        except f.FieldError as e:
            raise RowError(name, f"{name} {e}") from None

    def required(self, name: str) -> str:
        value = self.row.get(name)
        if not value:
            raise RowError(name, f"{name} is required but empty; fill it in the export")
        return value

    def required_text(self, name: str) -> str:
        """Free text that must be present (control characters removed, length limited)."""
        value = self.text(name)
        if not value:
            raise RowError(name, f"{name} is required but empty; fill it in the export")
        return value

    def any_id(self, name: str) -> str:
        """A required id of another system (trimmed, printable, at most 200 characters)."""
        self.required(name)
        return str(self._parse(name, f.any_id))

    def sf_id(self, name: str, *, required: bool = False) -> str | None:
        value = self.row.get(name)
        if not value:
            if required:
                raise RowError(name, f"{name} is required but empty")
            return None
        return str(self._parse(name, self._id_parser))

    def text(self, name: str) -> str | None:
        return self._parse(name, f.text)  # type: ignore[return-value]

    def date(self, name: str) -> str | None:
        order = self.profile.order(name)
        return self._parse(name, lambda v: _date(v, order))  # type: ignore[return-value]

    def amount(self, name: str, *, allow_negative: bool = False) -> float | None:
        mark = self.profile.decimal_mark(name)
        return self._parse(  # type: ignore[return-value]
            name, lambda v: f.amount(v, allow_negative=allow_negative, decimal=mark)
        )

    def number(self, name: str) -> float | None:
        mark = self.profile.decimal_mark(name)
        return self._parse(name, lambda v: f.number(v, decimal=mark))  # type: ignore[return-value]

    def boolean(self, name: str, default: bool = False) -> bool:
        return bool(self._parse(name, lambda v: f.boolean(v, default=default)))

    def optional_boolean(self, name: str) -> bool | None:
        return self._parse(name, f.optional_boolean)  # type: ignore[return-value]

    def choice(self, name: str, allowed: tuple[str, ...]) -> str | None:
        return self._parse(name, lambda v: f.choice(v, allowed))  # type: ignore[return-value]

    def has(self, name: str) -> bool:
        return name.lower() in self.row.cells


#: Dates read so far (value, order) -> ISO date: an export repeats few distinct dates.
_DATES: dict[tuple[str, str | None], str | None] = {}
_DATES_KEPT = 20_000


def _date(value: str, order: str | None) -> str | None:
    """``fields.date``, remembered per distinct value (a bad one raises every time)."""
    key = (value, order)
    found = _DATES.get(key, _DATES)
    if found is not _DATES:
        return found  # type: ignore[return-value]
    parsed = f.date(value, order)
    if len(_DATES) >= _DATES_KEPT:
        _DATES.clear()
    _DATES[key] = parsed
    return parsed


def problem_reason(row: SourceRow) -> str:
    """Why the CSV layer marked ``row`` unusable, with the fix."""
    reason = row.cells[PROBLEM]
    if re.fullmatch(r"\d+ cells, header has \d+", reason):
        reason += "; check quoting and delimiters on this line"
    return reason


class FirstRowWins:
    """Duplicate ids in one export: the first row of an id is loaded, an exact repeat is
    skipped, and a later row with other content is rejected naming the first row's line.

    First (not last) wins because it streams, keeps re-runs identical, and the rejects file then
    shows exactly the row that was not loaded.
    """

    def __init__(self) -> None:
        #: Per scope: 64-bit hash of the key -> first line << 36 | 36 bits of its content hash.
        #: Two small ints a row (about 100 bytes) instead of the key and content tuples.
        self._first: dict[str, dict[int, int]] = {}

    def check(self, scope: str, key: str, row: SourceRow, key_column: str) -> str | None:
        """None to load ``row``, '' to skip it silently, else the reason to reject it."""
        skip = (key_column.lower(), PROBLEM)
        content = hash(tuple((k, v.strip()) for k, v in sorted(row.cells.items()) if k not in skip))
        mine = (row.line << _CONTENT_BITS) | (content & _CONTENT_MASK)
        first = self._first.setdefault(scope, {}).setdefault(hash(key), mine)
        if first == mine:
            return None
        if (first ^ mine) & _CONTENT_MASK == 0:
            return ""
        return (
            f"{key_column} {key} appears again (first on line {first >> _CONTENT_BITS}) with "
            "different content; the first row was loaded: remove or merge the duplicate in the "
            "export"
        )

    def forget(self, scope: str) -> None:
        """Drop what is kept for ``scope`` (no row of it is checked any more)."""
        self._first.pop(scope, None)


_CONTENT_BITS = 36
_CONTENT_MASK = (1 << _CONTENT_BITS) - 1
