"""Parsing the values real exports contain: ids, dates, amounts, booleans, picklists.

Each parser returns the clean value or raises FieldError with the reason and the fix.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation

_SF_ID = re.compile(r"^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$")
_CHECKSUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_TEXT = 100_000


class FieldError(ValueError):
    """A cell's value is not usable; the message says why and what to write instead."""


def sf_id(value: str) -> str:
    """A Salesforce id in its 18-character case-safe form (15-char ids are converted).

    An 18-character id whose suffix has lower-case letters was case-folded (by a spreadsheet:
    Salesforce writes the suffix in capitals); the suffix encodes the case of the first 15
    characters, so the id is restored from it, or refused when the suffix cannot fit.
    """
    value = value.strip()
    if not _SF_ID.match(value):
        raise FieldError(f"{value[:40]!r} is not a 15- or 18-character Salesforce id")
    if len(value) == 15:
        return value + _suffix(value)
    suffix = value[15:].upper()
    if value[15:] == suffix:
        return value[:15] + suffix
    restored = ""
    for chunk in range(3):
        bits = _CHECKSUM.find(suffix[chunk])
        if bits < 0:
            raise FieldError(_FOLDED.format(value=value, why=f"{suffix[chunk]!r} is no checksum"))
        for i, ch in enumerate(value[chunk * 5 : chunk * 5 + 5]):
            upper = bool(bits & 1 << i)
            if upper and not ch.isalpha():
                raise FieldError(
                    _FOLDED.format(value=value, why=f"it marks {ch!r} as a capital letter")
                )
            restored += ch.upper() if upper else ch.lower()
    return restored + suffix


_FOLDED = (
    "{value!r} looks case-folded (its last 3 characters are lower case) but its case cannot "
    "be restored from them ({why}); export the ids again and keep them as text"
)


def _suffix(value: str) -> str:
    """The 3-character checksum that makes a 15-character id case-safe."""
    suffix = ""
    for chunk in range(3):
        bits = 0
        for i, ch in enumerate(value[chunk * 5 : chunk * 5 + 5]):
            if "A" <= ch <= "Z":
                bits |= 1 << i
        suffix += _CHECKSUM[bits]
    return suffix


def any_id(value: str) -> str:
    """An id from a non-Salesforce system: trimmed, non-empty, printable."""
    value = value.strip()
    if not value:
        raise FieldError("is empty")
    if _CONTROL.search(value) or len(value) > 200:
        raise FieldError("contains control characters or is longer than 200 characters")
    return value


def text(value: str, *, limit: int = MAX_TEXT) -> str | None:
    """Free text with control characters removed; None when blank; long text is refused."""
    value = _CONTROL.sub("", value).strip()
    if not value:
        return None
    if len(value) > limit:
        raise FieldError(
            f"is {len(value):,} characters long (limit {limit:,}); shorten it in the source"
        )
    return value


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d-%b-%Y", "%b %d, %Y")
_SLASH_DATE = re.compile(r"^(\d{1,2})([/.])(\d{1,2})[/.](\d{2}|\d{4})$")
#: The largest amount or number taken (larger ones are typos or overflowed cells).
MAX_NUMBER = 1e15
#: Excel's day 0 (serial dates count days from it; 1900's leap-year bug included).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(value: str, order: str | None = None) -> str | None:
    """An ISO date (YYYY-MM-DD) from the formats exports use; None when blank.

    Always accepted: 2024-03-31, 2024-03-31T10:00:00.000+0000, 2024/03/31, 20240331,
    31-Mar-2024, Mar 31, 2024, 2024年3月31日. ``order`` says how the column writes d/m/y:
    "dmy" (31/03/2024, 31.03.2024), "mdy" (03/31/2024), "excel" (serial days, 45678), or a
    strptime format; decided per column by :mod:`kamgraph.ingest.columns`. Without it only a
    slash/dot date whose order is plain from the value itself (a field above 12) is read.
    """
    value = value.strip()
    if not value:
        return None
    m = re.match(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", value)
    if m:
        value = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    if "T" in value[:11] or (len(value) > 10 and value[10] == " " and value[4] == "-"):
        value = value[:10]
    elif m := re.match(r"^(\d{1,2}[/.]\d{1,2}[/.]\d{2,4})[ T]\d", value):
        value = m.group(1)  # 05/07/2018 09:30, 5/7/2018 9:30 AM
    parsed = _parse_date(value, order)
    if parsed is None:
        hint = ""
        if re.fullmatch(r"\d{1,5}(\.\d+)?", value) and order != "excel":
            hint = " (an Excel serial date? name the date format excel)"
        raise FieldError(f"{value[:40]!r} is not a date; write YYYY-MM-DD{hint}")
    if not 1900 <= parsed.year <= 2200:
        raise FieldError(f"{value!r} is outside the years 1900-2200")
    return parsed.isoformat()


def _parse_date(value: str, order: str | None) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    if order == "excel":
        if re.fullmatch(r"\d{1,5}(\.\d+)?", value):
            return _EXCEL_EPOCH + dt.timedelta(days=int(float(value)))
        return None
    if order not in (None, "dmy", "mdy"):
        try:
            return dt.datetime.strptime(value, order).date()
        except ValueError:
            raise FieldError(f"{value[:40]!r} does not match the date format {order}") from None
    m = _SLASH_DATE.match(value)
    if not m:
        return None
    first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    if year < 100:
        year += 2000 if year < 70 else 1900
    if order is None:
        if first > 12 >= second or m.group(2) == ".":
            order = "dmy"  # dotted dates are day-first wherever they are written
        elif second > 12 >= first:
            order = "mdy"
        else:
            raise FieldError(
                f"{value!r} reads both as day/month and month/day; name the date format "
                "(the date_format setting) or write YYYY-MM-DD"
            )
    day, month = (first, second) if order == "dmy" else (second, first)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise FieldError(
            f"{value!r} is not a date in this column's order "
            f"({'day/month/year' if order == 'dmy' else 'month/day/year'})"
        ) from None


def _bounded(number: float, raw: str) -> float:
    if not math.isfinite(number):
        raise FieldError(f"{raw[:40]!r} is not a finite number")
    if abs(number) > MAX_NUMBER:
        raise FieldError(
            f"{raw[:40]!r} is beyond {MAX_NUMBER:.0e}; no real amount is that large: fix the cell"
        )
    return number


def amount(value: str, *, allow_negative: bool = False, decimal: str | None = None) -> float | None:
    """A money amount; accepts 1,234.50 and 1.234,50 and currency signs; None when blank.

    ``decimal`` is the column's decimal mark ("," or "."), decided from the whole column by
    :mod:`kamgraph.ingest.columns`; without it each value decides for itself.
    """
    raw = value.strip()
    if not raw:
        return None
    cleaned = re.sub(r"[\s€$£¥]|[A-Z]{3}$|^[A-Z]{3}", "", raw)
    if decimal == ",":
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif decimal == ".":
        cleaned = cleaned.replace(",", "")
    elif re.match(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$", cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.match(r"^-?\d+,\d{1,2}$", cleaned):
        cleaned = cleaned.replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise FieldError(f"{raw[:40]!r} is not a number; write e.g. 1234.50") from None
    # 1e400 is a finite Decimal but an infinite float: both must be refused.
    if not number.is_finite():
        raise FieldError(f"{raw[:40]!r} is not a finite number")
    result = _bounded(float(number), raw)
    if number < 0 and not allow_negative:
        raise FieldError(f"{raw[:40]!r} is negative; amounts must be >= 0")
    return result


def number(value: str, *, decimal: str | None = None) -> float | None:
    """A quantity or percentage; None when blank (``decimal`` as for :func:`amount`)."""
    raw = value.strip().rstrip("%").strip()
    if not raw:
        return None
    if decimal == ",":
        raw = raw.replace(".", "").replace(",", ".")
    else:
        raw = raw.replace(",", "")
    try:
        result = float(raw)
    except ValueError:
        raise FieldError(f"{value[:40]!r} is not a number") from None
    return _bounded(result, value)


def optional_boolean(value: str) -> bool | None:
    """:func:`boolean`, but an empty cell (or a missing column) is no value, not false: a flag
    the export does not carry is unknown, and every reader stores it the same way."""
    return None if not value.strip() else boolean(value)


def boolean(value: str, *, default: bool = False) -> bool:
    """true/false in the spellings exports use (true, 1, yes, y, x, 是)."""
    v = value.strip().lower()
    if not v:
        return default
    if v in ("true", "1", "yes", "y", "x", "t", "是"):
        return True
    if v in ("false", "0", "no", "n", "f", "否"):
        return False
    raise FieldError(f"{value[:40]!r} is not true/false")


def choice(value: str, allowed: tuple[str, ...]) -> str | None:
    """A picklist value, matched case-insensitively to its canonical spelling."""
    v = value.strip()
    if not v:
        return None
    for option in allowed:
        if option.lower() == v.lower():
            return option
    raise FieldError(f"{v[:40]!r} is not one of: {', '.join(allowed)}")
