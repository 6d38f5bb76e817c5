"""Days given by a user (an "as of" date, a period's ends): one parser, one message."""

from __future__ import annotations

import datetime as dt

from kamgraph.errors import InvalidValueError


def iso_day(value: str) -> str:
    """``value`` (``YYYY-MM-DD``, or an ISO date-time whose day is taken) as ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise InvalidValueError(f"{value!r} is not a date; write YYYY-MM-DD") from None
