"""key-account-candidates: measures, scores, McDonald matrix quadrant and rank per group.

Every score is relative: a measure is turned into its percentile among all groups (the lowest
value 0, the highest 1, ties share their mid-rank), so no scale or weight has to be tuned. The
scoring always runs over all groups; the ``region`` filter only chooses which rows are shown,
so a group's quadrant does not depend on the filter. docs/queries/key-account-candidates.md
explains the measures for readers.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import statistics
from collections.abc import Sequence
from typing import Any

from kamgraph.backends.base import Row
from kamgraph.money import Conversion, conversion_of
from kamgraph.queries.finish.account_roi import Periods, periods, ratio
from kamgraph.queries.run import post_processor
from kamgraph.schema.model import DECISIVE_ROLES

#: (high attractiveness, high strength) -> quadrant of the McDonald / Woodburn KAM matrix.
QUADRANTS: dict[tuple[bool, bool], str] = {
    (True, True): "strategic",
    (True, False): "star",
    (False, True): "status",
    (False, False): "streamline",
}
#: Rank order: the quadrants that deserve key-account investment first.
QUADRANT_ORDER = ("strategic", "star", "status", "streamline")
ATTRACTIVENESS = ("revenue_12m", "revenue_trend", "deals", "members", "whitespace", "industry")
STRENGTH = ("win_rate", "decision_role_coverage", "tenure_years")
#: A family with at least this many members where we won in at most one is an entry point.
ENTRY_POINT_MEMBERS = 3


def percentiles(values: Sequence[float]) -> list[float]:
    """Each value's mid-rank percentile in ``values``: lowest 0, highest 1, ties share."""
    n = len(values)
    if n == 1:
        return [0.5]
    ordered = sorted(values)
    out = []
    for v in values:
        below = bisect.bisect_left(ordered, v)
        equal = bisect.bisect_right(ordered, v) - below
        out.append((below + (equal - 1) / 2) / (n - 1))
    return out


def _closed_by(deal: dict[str, Any], as_of: str) -> bool:
    return str(deal.get("closed") or deal.get("created") or "9999") <= as_of


def measures(row: Row, as_of: str, span: Periods, conversion: Conversion) -> dict[str, Any]:
    """What the query reports per group, from the gathered deals and invoices.

    Revenue is scored in the base currency (``revenue_12m_base``); ``revenue_12m`` keeps the
    plain sum of the amounts as given.
    """
    current, previous = conversion.money(), conversion.money()
    for inv in sorted((i for i in row["invoices"] if i.get("day")), key=lambda i: str(i["day"])):
        which = span.which(str(inv["day"]))
        if which is not None and inv["amount"]:
            money = current if which == "current" else previous
            money.add(inv["amount"], inv.get("currency"), inv["day"], inv.get("entries"))
    revenue, prev_revenue = current.base_total, previous.base_total
    given, prev_given = round(current.given, 2), round(previous.given, 2)
    deals = [d for d in row["deals"] if d.get("deal_id")]
    won = [d for d in deals if d["status"] == "won" and _closed_by(d, as_of)]
    lost = [d for d in deals if d["status"] == "lost" and _closed_by(d, as_of)]
    covered = [d for d in deals if set(d["roles"] or []) & set(DECISIVE_ROLES)]
    buyers: dict[str, set[str]] = {}
    for d in won:
        for family in d["families"] or []:
            buyers.setdefault(family, set()).add(d["account_id"])
    members = int(row["members"])
    first_won = min((str(d["closed"] or d["created"]) for d in won), default=None)
    tenure = None
    if first_won:
        days = (dt.date.fromisoformat(as_of) - dt.date.fromisoformat(first_won[:10])).days
        tenure = round(days / 365.25, 1)
    return {
        "members": members,
        "revenue_12m": given,
        "revenue_prev_12m": prev_given,
        "revenue_trend": ratio(given - prev_given, prev_given),
        "base_currency": conversion.base,
        "revenue_12m_base": revenue,
        "revenue_prev_12m_base": prev_revenue,
        "revenue_trend_base": ratio(revenue - prev_revenue, prev_revenue),
        "unconverted_count": current.unconverted + previous.unconverted,
        "currencies": sorted(current.currencies | previous.currencies),
        "deals": len(deals),
        "win_rate": ratio(len(won), len(won) + len(lost)),
        "decision_role_coverage": ratio(len(covered), len(deals)),
        "tenure_years": tenure,
        "whitespace": sum(members - len(b) for b in buyers.values()),
        "won_members": len({d["account_id"] for d in won}),
    }


def _trend_key(m: dict[str, Any]) -> float:
    """Revenue growth for ranking: new revenue (nothing before) beats any finite growth."""
    current, previous = float(m["revenue_12m_base"]), float(m["revenue_prev_12m_base"])
    if previous:
        return (current - previous) / previous
    return math.inf if current > 0 else 0.0


def _keys(groups: list[dict[str, Any]]) -> dict[str, list[float]]:
    """The value each factor is ranked by, per group (missing measures rank lowest)."""
    by_industry: dict[str, float] = {}
    for g in groups:
        if g["industry"]:
            by_industry[g["industry"]] = by_industry.get(g["industry"], 0.0) + g["revenue_12m_base"]
    return {
        "revenue_12m": [g["revenue_12m_base"] for g in groups],
        "revenue_trend": [_trend_key(g) for g in groups],
        "deals": [g["deals"] for g in groups],
        "members": [g["members"] for g in groups],
        "whitespace": [g["whitespace"] for g in groups],
        # Our revenue in the group's industry from the *other* groups: proven demand there.
        "industry": [
            round(by_industry[g["industry"]] - g["revenue_12m_base"], 2) if g["industry"] else 0.0
            for g in groups
        ],
        "win_rate": [g["win_rate"] or 0.0 for g in groups],
        "decision_role_coverage": [g["decision_role_coverage"] or 0.0 for g in groups],
        "tenure_years": [g["tenure_years"] or 0.0 for g in groups],
    }


@post_processor("key-account-candidates")
def key_account_candidates(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    if not rows:
        return []
    as_of = str(params["as_of"])[:10]
    span = periods("key-account-candidates", as_of, end_name="as_of")
    conversion = conversion_of(params)
    groups = [
        {
            "group_id": r["group_id"],
            "group_name": r["group_name"],
            "region": r["region"],
            "industry": r["industry"],
            **measures(r, as_of, span, conversion),
        }
        for r in rows
    ]
    scores = {name: percentiles(values) for name, values in _keys(groups).items()}
    for i, g in enumerate(groups):
        g["scores"] = {name: round(scores[name][i], 3) for name in ATTRACTIVENESS + STRENGTH}
        g["attractiveness"] = round(statistics.fmean(scores[n][i] for n in ATTRACTIVENESS), 3)
        g["strength"] = round(statistics.fmean(scores[n][i] for n in STRENGTH), 3)
    mid_a = statistics.median(g["attractiveness"] for g in groups)
    mid_s = statistics.median(g["strength"] for g in groups)
    for g in groups:
        g["quadrant"] = QUADRANTS[(g["attractiveness"] >= mid_a, g["strength"] >= mid_s)]
        g["entry_point"] = g["members"] >= ENTRY_POINT_MEMBERS and g["won_members"] <= 1
    region = params.get("region")
    if region is not None:
        wanted = str(region).casefold()
        groups = [g for g in groups if (g["region"] or "").casefold() == wanted]
    groups.sort(
        key=lambda g: (
            QUADRANT_ORDER.index(g["quadrant"]),
            -g["attractiveness"],
            -g["strength"],
            g["group_id"],
        )
    )
    return [{"rank": i, **g} for i, g in enumerate(groups, start=1)]
