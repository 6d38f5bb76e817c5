"""JSON text that is always valid JSON: NaN and Infinity become null, never bare words.

``json.dumps`` writes ``NaN``/``Infinity`` by default, which no strict JSON reader accepts.
Amounts are bounded on the way in (kamgraph.ingest.fields.MAX_NUMBER), so a non-finite number
here comes from arithmetic over stored values (or a graph written by another tool); it is
written as null and counted, so callers can warn.
"""

from __future__ import annotations

import json
import math
from typing import Any


def finite(value: Any) -> tuple[Any, int]:
    """``value`` with every NaN/Infinity float (in lists, tuples and dicts) made None, and how
    many were."""
    if isinstance(value, float):
        return (value, 0) if math.isfinite(value) else (None, 1)
    if isinstance(value, dict):
        count = 0
        out: dict[Any, Any] = {}
        for k, v in value.items():
            out[k], n = finite(v)
            count += n
        return out, count
    if isinstance(value, list | tuple):
        count = 0
        items = []
        for v in value:
            item, n = finite(v)
            items.append(item)
            count += n
        return items, count
    return value, 0


def dumps(value: Any, **options: Any) -> tuple[str, int]:
    """``json.dumps(value, **options)`` with non-finite numbers as null, and their count."""
    clean, count = finite(value)
    return json.dumps(clean, allow_nan=False, **options), count
