"""account-roi: cut each company's daily finance sums into the period and the one before it.

The period arithmetic lives here (not in Cypher) because portable Cypher compares ISO date
strings but does no date arithmetic; ``key-account-candidates`` reuses :func:`periods`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kamgraph.backends.base import Row
from kamgraph.dates import iso_day
from kamgraph.errors import InvalidValueError
from kamgraph.queries.run import post_processor

#: Length of the default period when ``from`` is not given.
DEFAULT_PERIOD = dt.timedelta(days=365)


@dataclass(frozen=True)
class Periods:
    """A period and the previous period of equal length, all bounds inclusive ISO dates."""

    start: str
    end: str
    prev_start: str
    prev_end: str

    def which(self, day: str) -> str | None:
        """'current', 'previous' or None for an ISO date."""
        day = day[:10]
        if self.start <= day <= self.end:
            return "current"
        if self.prev_start <= day <= self.prev_end:
            return "previous"
        return None


def _date(query: str, name: str, value: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(iso_day(str(value)))
    except InvalidValueError as e:
        raise InvalidValueError(f"query {query!r}: parameter {name}={e}") from None


def periods(query: str, end: Any, start: Any = None, *, end_name: str = "to") -> Periods:
    """``start``..``end`` (``start`` = ``end`` - 365 days when None) and the period before it."""
    last = _date(query, end_name, end)
    first = last - DEFAULT_PERIOD if start is None else _date(query, "from", start)
    if first > last:
        raise InvalidValueError(
            f"query {query!r}: from={first.isoformat()} is after {end_name}={last.isoformat()}; "
            "swap them"
        )
    days = (last - first).days + 1
    prev_end = first - dt.timedelta(days=1)
    prev_start = first - dt.timedelta(days=days)
    return Periods(
        first.isoformat(), last.isoformat(), prev_start.isoformat(), prev_end.isoformat()
    )


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator to 4 decimals, None when the denominator is 0."""
    return None if denominator == 0 else round(numerator / denominator, 4)


@dataclass
class Totals:
    revenue: float = 0.0
    cost: float = 0.0
    prev_revenue: float = 0.0
    prev_cost: float = 0.0
    #: Entries (day sums) that fell into either period.
    entries: int = 0

    def add(self, other: Totals) -> None:
        self.revenue += other.revenue
        self.cost += other.cost
        self.prev_revenue += other.prev_revenue
        self.prev_cost += other.prev_cost
        self.entries += other.entries


def _totals(days: Iterable[dict[str, Any]], span: Periods) -> Totals:
    t = Totals()
    for d in sorted((d for d in days if d.get("day")), key=lambda d: str(d["day"])):
        which = span.which(str(d["day"]))
        t.entries += which is not None
        if which == "current":
            t.revenue += d["revenue"] or 0
            t.cost += d["cost"] or 0
        elif which == "previous":
            t.prev_revenue += d["revenue"] or 0
            t.prev_cost += d["cost"] or 0
    return t


def _row(level: str, group_id: str, account_id: str | None, name: str, t: Totals) -> Row:
    revenue, cost = round(t.revenue, 2), round(t.cost, 2)
    margin = round(revenue - cost, 2)
    prev_revenue = round(t.prev_revenue, 2)
    return {
        "level": level,
        "group_id": group_id,
        "account_id": account_id,
        "name": name,
        "revenue": revenue,
        "cost": cost,
        "margin": margin,
        "roi": ratio(margin, cost),
        "prev_revenue": prev_revenue,
        "prev_cost": round(t.prev_cost, 2),
        "revenue_trend": ratio(revenue - prev_revenue, prev_revenue),
    }


@post_processor("account-roi")
def account_roi(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    span = periods("account-roi", params["to"], params.get("from"))
    groups: dict[str, tuple[str, Totals, list[Row]]] = {}
    for row in rows:
        t = _totals(row["days"], span)
        if not t.entries:
            continue
        name, total, members = groups.setdefault(row["group_id"], (row["group_name"], Totals(), []))
        total.add(t)
        members.append(_row("member", row["group_id"], row["account_id"], row["name"], t))
    out: list[Row] = []
    ordered = sorted(groups.items(), key=lambda kv: (-round(kv[1][1].revenue, 2), kv[0]))
    for group_id, (name, total, members) in ordered:
        out.append(_row("group", group_id, None, name, total))
        out.extend(sorted(members, key=lambda r: (-r["revenue"], r["account_id"])))
    return out
