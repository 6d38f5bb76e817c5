"""Column profiles: how a file writes its dates and numbers, decided from whole columns.

A reader streams each file once before its rows are mapped (:func:`profile_file`), over the
date and number columns it knows. A column's values decide together, never one by one:

- dates: any slash/dot date whose first field is above 12 makes the column day-first (so does
  any dotted date: 01.04.2025 is day-first in every locale that writes dots); any whose
  second field is above 12 makes it month-first; both refuse the column (naming an example of
  each); a column whose slash dates are all ambiguous (05/07/2018) needs the date format
  setting. ISO dates and date-times are always read. Excel serial dates (45678) only with the
  date format ``excel``.
- numbers: a value with both separators (1.234,50), or with one that cannot be a thousands
  separator (12,00; 12.5), decides the column's decimal mark; values that only fit thousands
  groups (1.234, 2,500) follow it. A column with both decimal marks, or only undecidable
  values, is refused with the fix.

Only the verdicts and one example per kind of evidence are kept: memory does not grow with the
file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kamgraph.errors import InputDataError
from kamgraph.ingest.csvio import PROBLEM, SourceRow

#: A date written d/m/y or m/d/y (slashes or dots), the only ambiguous shapes.
SLASH_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})(?:[ T].*)?$")
#: The date format value that declares Excel serial dates (days since 1899-12-30).
EXCEL = "excel"
_GROUPED_DOT = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^-?[1-9]\d{0,2}(,\d{3})+$")


class ColumnError(InputDataError):
    """A date or number column whose values cannot be read one way; the message says the fix."""

    setting = "date_format"


def date_format_problem(fmt: str) -> str | None:
    """Why ``fmt`` is not a date format (a strptime format such as %d/%m/%Y, or excel)."""
    if fmt == EXCEL:
        return None
    if "%" not in fmt:
        return f'{fmt!r} is not a strptime format; write e.g. "%d/%m/%Y" (or excel)'
    try:
        dt.datetime(2024, 3, 31).strftime(fmt)
    except ValueError as e:
        return f"{fmt!r} is not a strptime format ({e})"
    return None


def check_date_format(fmt: str | None) -> str | None:
    """``fmt`` when it is a date format (or None); ColumnError naming the setting otherwise."""
    problem = date_format_problem(fmt) if fmt is not None else None
    if problem:
        raise ColumnError(f"the date format (the date_format setting): {problem}")
    return fmt


@dataclass
class _DateEvidence:
    day_first: str = ""
    month_first: str = ""
    ambiguous: str = ""


@dataclass
class _NumberEvidence:
    comma: str = ""
    point: str = ""
    ambiguous: str = ""


@dataclass
class ColumnProfile:
    """The verdicts for one file: date order per column ("dmy", "mdy" or a declared format)
    and decimal mark per number column ("," or ".")."""

    date_format: str | None = None
    date_order: dict[str, str] = field(default_factory=dict)
    decimal: dict[str, str] = field(default_factory=dict)

    def order(self, column: str) -> str | None:
        """How ``column``'s ambiguous dates are read: a declared format, "dmy", "mdy" or None."""
        return self.date_format or self.date_order.get(column.lower())

    def decimal_mark(self, column: str) -> str | None:
        return self.decimal.get(column.lower())


def number_cleaned(value: str) -> str:
    """``value`` without blanks and currency signs or codes."""
    return re.sub(r"[\s€$£¥]|[A-Z]{3}$|^[A-Z]{3}", "", value.strip())


def _number_evidence(value: str) -> str | None:
    """The decimal mark ``value`` decides ("," or "."), "?" when it cannot, None: no mark."""
    v = number_cleaned(value).lstrip("+-")
    has_dot, has_comma = "." in v, "," in v
    if has_dot and has_comma:
        return "," if v.rfind(",") > v.rfind(".") else "."
    if has_comma:
        if v.count(",") > 1:
            return "." if _GROUPED_COMMA.match(v) else None
        return "?" if _GROUPED_COMMA.match(v) else ","
    if has_dot:
        if v.count(".") > 1:
            return "," if _GROUPED_DOT.match(v) else None
        return "?" if _GROUPED_DOT.match(v) else "."
    return None


def profile_file(
    file: str,
    rows: Iterable[SourceRow],
    *,
    dates: Iterable[str] = (),
    numbers: Iterable[str] = (),
    date_format: str | None = None,
) -> ColumnProfile:
    """Stream ``rows`` once and decide each date and number column (ColumnError if one can't)."""
    date_cols = {c.lower() for c in dates}
    number_cols = {c.lower() for c in numbers}
    seen_dates = {c: _DateEvidence() for c in date_cols}
    seen_numbers = {c: _NumberEvidence() for c in number_cols}
    for row in rows:
        if PROBLEM in row.cells:
            continue
        if date_format is None:
            for col, ev in seen_dates.items():
                value = row.cells.get(col, "").strip()
                m = SLASH_DATE.match(value)
                if not m:
                    continue
                first, second = int(m.group(1)), int(m.group(2))
                dotted = "." in value[:6]  # 31.03.2024: day-first wherever dots are written
                if (first > 12 or (dotted and second <= 12)) and not ev.day_first:
                    ev.day_first = value
                elif second > 12 and not ev.month_first:
                    ev.month_first = value
                elif first <= 12 and second <= 12 and not ev.ambiguous:
                    ev.ambiguous = value
        for col, nev in seen_numbers.items():
            value = row.cells.get(col, "")
            mark = _number_evidence(value) if value.strip() else None
            if mark == "," and not nev.comma:
                nev.comma = value.strip()
            elif mark == "." and not nev.point:
                nev.point = value.strip()
            elif mark == "?" and not nev.ambiguous:
                nev.ambiguous = value.strip()
    profile = ColumnProfile(date_format=date_format)
    for col, ev in sorted(seen_dates.items()):
        if ev.day_first and ev.month_first:
            raise ColumnError(
                f"{file}: column {col} mixes day-first ({ev.day_first!r}) and month-first "
                f"({ev.month_first!r}) dates; write the column as YYYY-MM-DD in one order"
            )
        if ev.day_first:
            profile.date_order[col] = "dmy"
        elif ev.month_first:
            profile.date_order[col] = "mdy"
        elif ev.ambiguous:
            raise ColumnError(
                f"{file}: column {col} has only dates that read both day-first and month-first "
                f"(e.g. {ev.ambiguous!r}); name the date format (the date_format setting, e.g. "
                "%d/%m/%Y or %m/%d/%Y) or write YYYY-MM-DD"
            )
    for col, nev in sorted(seen_numbers.items()):
        if nev.comma and nev.point:
            raise ColumnError(
                f"{file}: column {col} mixes decimal commas ({nev.comma!r}) and decimal points "
                f"({nev.point!r}); write every number of the column one way (e.g. 1234.50)"
            )
        if nev.comma:
            profile.decimal[col] = ","
        elif nev.point:
            profile.decimal[col] = "."
        elif nev.ambiguous:
            raise ColumnError(
                f"{file}: column {col} has only numbers like {nev.ambiguous!r} that read both as "
                "thousands (1234) and as decimals (1.234); write them with their decimals "
                "(1234.000 or 1.234,000) or without thousands separators"
            )
    return profile
