"""Company ids as registers print them differently, brought to one form for matching.

Every reader and the resolver use :func:`normalize_id`, so a CRM's "0000059527" and EX-21's
"59527" are one CIK, and "15-048-3782" one D-U-N-S number.
"""

from __future__ import annotations

import re
from typing import Any

#: Ids a company can be matched by, in order of trust.
ID_KINDS = ("lei", "duns", "cik", "registration_code")


def normalize_id(kind: str, value: Any) -> str | None:
    """``value`` as the ``kind`` id compares: LEI upper case, D-U-N-S nine digits, CIK digits
    without leading zeros, registration codes trimmed; None when empty."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if kind == "lei":
        return text.upper()
    if kind == "duns":
        digits = re.sub(r"\D", "", text)
        return digits.zfill(9) if digits.strip("0") else None
    if kind == "cik":
        digits = re.sub(r"\D", "", text)
        return digits.lstrip("0") or None
    return text
