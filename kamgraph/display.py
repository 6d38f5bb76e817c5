"""Text for people's screens: cells made safe for a terminal, measured in terminal columns.

A terminal shows East Asian wide and full-width characters (Chinese, Japanese, Korean) in two
columns and combining marks in none, so widths are counted with ``unicodedata``, not ``len``.
Control characters (C0 and C1) and the Unicode bidi controls are shown as ``<U+202E>``
instead of being sent: they could reorder, hide or recolour what surrounds them. Lists of ids
have their names beside them under :func:`names_key`; tables show the names.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from typing import Any

#: Unicode bidi controls (embeddings, overrides, isolates, marks): they reorder what follows.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
ELLIPSIS = "…"


def name_key(key: str) -> str:
    """The field beside an id field that holds its name (``rep_id`` -> ``rep_name``)."""
    return key.removesuffix("_id") + "_name"


def names_key(key: str) -> str:
    """The field beside a list of ids that holds their names (``won`` -> ``won_names``,
    ``wave_members`` -> ``wave_member_names``, ``contacts`` -> ``contact_names``)."""
    return (key[:-1] if key.endswith("s") else key) + "_names"


def named_columns(columns: list[str], rows: list[Mapping[str, Any]]) -> list[str]:
    """``columns`` with the name fields the rows hold beside them, each after its id field."""
    present = set(rows[0]) if rows else set()
    out: list[str] = []
    for c in columns:
        out.append(c)
        for companion in (name_key(c), names_key(c)):
            if companion in present and companion not in columns and companion not in out:
                out.append(companion)
    return out


def _unsafe(ch: str) -> bool:
    if ch in BIDI_CONTROLS:
        return True
    # Cc: C0 and C1 controls (tab and newline included: a cell is one line).
    return unicodedata.category(ch) == "Cc" or ch in "\u2028\u2029"


def neutralise(text: str) -> str:
    """``text`` with control and bidi characters shown as ``<U+XXXX>``."""
    if not any(_unsafe(ch) for ch in text):
        return text
    return "".join(f"<U+{ord(ch):04X}>" if _unsafe(ch) else ch for ch in text)


def char_width(ch: str) -> int:
    """Terminal columns of one character: 2 for wide / full-width, 0 for combining marks."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text: str) -> int:
    """Terminal columns ``text`` takes."""
    return sum(char_width(ch) for ch in text)


def fit(text: str, columns: int) -> str:
    """``text`` cut to at most ``columns`` terminal columns, ending in … when cut."""
    if width(text) <= columns:
        return text
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > columns - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def pad(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns."""
    return text + " " * max(0, columns - width(text))


def _label(item: Mapping[str, Any]) -> str:
    """A listed record for people: its name (else its id), then its other values."""
    ids = [k for k in item if k.endswith("_id")]
    name = item.get("name") or next((item[k] for k in ids if item.get(k)), "")
    rest = [str(v) for k, v in item.items() if k != "name" and k not in ids and v not in (None, "")]
    return f"{name} ({', '.join(rest)})" if rest else str(name)


def flat(value: Any, *, by_name: bool) -> str:
    """A list or record as one line: items joined with ``; ``; records as ``name (values)``
    (``by_name``) or ``key=value`` pairs."""
    if isinstance(value, Mapping):
        if by_name:
            return _label(value)
        return ", ".join(f"{k}={flat(v, by_name=by_name)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(flat(v, by_name=by_name) for v in value)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""  # NaN / Infinity: no value, as in JSON's null
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
