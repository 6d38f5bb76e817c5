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


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d", "%m/%d/%Y", "%d-%b-%Y", "%b %d, %Y")


def date(value: str) -> str | None:
    """An ISO date (YYYY-MM-DD) from the formats exports use; None when blank.

    Accepted: 2024-03-31, 2024-03-31T10:00:00.000+0000, 2024/03/31, 31.03.2024, 20240331,
    03/31/2024 (US, Salesforce's default locale), 31-Mar-2024, Mar 31, 2024, 2024年3月31日.
    """
    value = value.strip()
    if not value:
        return None
    m = re.match(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", value)
    if m:
        value = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    if "T" in value[:11] or (len(value) > 10 and value[10] == " " and value[4] == "-"):
        value = value[:10]
    for fmt in _DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if not 1900 <= parsed.year <= 2200:
            raise FieldError(f"{value!r} is outside the years 1900-2200")
        return parsed.isoformat()
    raise FieldError(f"{value[:40]!r} is not a date; write YYYY-MM-DD")


def amount(value: str, *, allow_negative: bool = False) -> float | None:
    """A money amount; accepts 1,234.50 and 1.234,50 and currency signs; None when blank."""
    raw = value.strip()
    if not raw:
        return None
    cleaned = re.sub(r"[\s€$£¥]|[A-Z]{3}$|^[A-Z]{3}", "", raw)
    if re.match(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$", cleaned):
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
    if not number.is_finite() or not math.isfinite(float(number)):
        raise FieldError(f"{raw[:40]!r} is not a finite number")
    if number < 0 and not allow_negative:
        raise FieldError(f"{raw[:40]!r} is negative; amounts must be >= 0")
    return float(number)


def number(value: str) -> float | None:
    """A quantity or percentage; None when blank."""
    raw = value.strip().rstrip("%")
    if not raw:
        return None
    try:
        result = float(raw.replace(",", ""))
    except ValueError:
        raise FieldError(f"{value[:40]!r} is not a number") from None
    if result != result or result in (float("inf"), float("-inf")):
        raise FieldError(f"{value[:40]!r} is not a finite number")
    return result


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
