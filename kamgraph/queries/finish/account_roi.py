"""account-roi: cut each company's daily finance sums into the period and the one before it.

The period arithmetic lives here (not in Cypher) because portable Cypher compares ISO date
strings but does no date arithmetic; ``key-account-candidates`` reuses :func:`periods`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kamgraph.backends.base import Row
from kamgraph.dates import iso_day
from kamgraph.errors import InvalidValueError
from kamgraph.money import Conversion, Money, conversion_of
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
    """Revenue and cost of the period and the previous one, each as given and converted."""

    conversion: Conversion
    revenue: Money = field(init=False)
    cost: Money = field(init=False)
    prev_revenue: Money = field(init=False)
    prev_cost: Money = field(init=False)
    #: Entries (day sums) that fell into either period.
    entries: int = 0

    def __post_init__(self) -> None:
        for name in ("revenue", "cost", "prev_revenue", "prev_cost"):
            setattr(self, name, self.conversion.money())

    def sums(self) -> tuple[Money, Money, Money, Money]:
        return self.revenue, self.cost, self.prev_revenue, self.prev_cost

    def add(self, other: Totals) -> None:
        for mine, theirs in zip(self.sums(), other.sums(), strict=True):
            mine.merge(theirs)
        self.entries += other.entries


def _totals(days: Iterable[dict[str, Any]], span: Periods, conversion: Conversion) -> Totals:
    t = Totals(conversion)
    for d in sorted((d for d in days if d.get("day")), key=lambda d: str(d["day"])):
        which = span.which(str(d["day"]))
        t.entries += which is not None
        if which is None:
            continue
        revenue, cost = (t.revenue, t.cost) if which == "current" else (t.prev_revenue, t.prev_cost)
        for money, amount in ((revenue, d["revenue"]), (cost, d["cost"])):
            if amount:
                money.add(amount, d.get("currency"), d["day"], d.get("entries"))
    return t


def _figures(revenue: float, cost: float, prev_revenue: float, prev_cost: float) -> Row:
    margin = round(revenue - cost, 2)
    return {
        "revenue": revenue,
        "cost": cost,
        "margin": margin,
        "roi": ratio(margin, cost),
        "prev_revenue": prev_revenue,
        "prev_cost": prev_cost,
        "revenue_trend": ratio(revenue - prev_revenue, prev_revenue),
    }


def _row(level: str, group_id: str, account_id: str | None, name: str, t: Totals) -> Row:
    given = _figures(*(round(m.given, 2) for m in t.sums()))
    base = _figures(*(m.base_total for m in t.sums()))
    return {
        "level": level,
        "group_id": group_id,
        "account_id": account_id,
        "name": name,
        **given,
        "base_currency": t.conversion.base,
        **{f"{k}_base": v for k, v in base.items()},
        "unconverted_count": sum(m.unconverted for m in t.sums()),
        "currencies": sorted(set().union(*(m.currencies for m in t.sums()))),
    }


@post_processor("account-roi")
def account_roi(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    span = periods("account-roi", params["to"], params.get("from"))
    conversion = conversion_of(params)
    groups: dict[str, tuple[str, Totals, list[Row]]] = {}
    for row in rows:
        t = _totals(row["days"], span, conversion)
        if not t.entries:
            continue
        name, total, members = groups.setdefault(
            row["group_id"], (row["group_name"], Totals(conversion), [])
        )
        total.add(t)
        members.append(_row("member", row["group_id"], row["account_id"], row["name"], t))
    out: list[Row] = []
    ordered = sorted(groups.items(), key=lambda kv: (-kv[1][1].revenue.base_total, kv[0]))
    for group_id, (name, total, members) in ordered:
        out.append(_row("group", group_id, None, name, total))
        out.extend(sorted(members, key=lambda r: (-r["revenue_base"], r["account_id"])))
    return out
