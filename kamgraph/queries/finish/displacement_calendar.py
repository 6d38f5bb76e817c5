"""displacement-calendar: when a competitor's contract at a member we lost comes up again.

The term, in this order: the lost deal's own contract end (``contract_end``) or term
(``contract_term_months``); else our own renewal cadence for the family in the portfolio (the
median months between a member's successive won deals of the family, when at least
``MIN_GAPS`` such gaps exist); else ``default_term_months``. A date already past is rolled on by
the term (the competitor is assumed to have renewed once more).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from kamgraph.backends.base import Row
from kamgraph.queries.finish.procurement_links import day_of
from kamgraph.queries.run import post_processor

#: Fewest won-to-won gaps a family needs before its cadence is trusted.
MIN_GAPS = 2


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day (Jan 31 + 1 = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def renewal_cadence(won: list[Row]) -> dict[str, tuple[int, int]]:
    """Per family: (median months between a member's successive won deals, gaps seen)."""
    dates: dict[tuple[str, str], set[dt.date]] = defaultdict(set)
    for r in won:
        if r.get("closed"):
            dates[(r["account_id"], r["product_family"])].add(day_of(r["closed"]))
    gaps: dict[str, list[float]] = defaultdict(list)
    for (_, family), days in dates.items():
        ordered = sorted(days)
        gaps[family] += [(b - a).days / 30.44 for a, b in zip(ordered, ordered[1:], strict=False)]
    return {
        family: (round(statistics.median(g)), len(g))
        for family, g in gaps.items()
        if len(g) >= MIN_GAPS
    }


@post_processor("displacement-calendar")
def displacement_calendar(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    as_of = day_of(params["as_of"])
    horizon = int(params["horizon"])
    default = int(params["default_term_months"])
    cadence = renewal_cadence([r for r in rows if r["part"] == "won"])
    latest: dict[tuple[str, str], Row] = {}
    for r in sorted(
        (r for r in rows if r["part"] == "lost"), key=lambda r: (r["closed"], r["deal_id"])
    ):
        latest[(r["account_id"], r["product_family"])] = r
    out: list[Row] = []
    for (_, family), deal in sorted(latest.items()):
        if deal["status"] != "lost" or not deal.get("competitor"):
            continue
        lost_on = day_of(deal["closed"])
        if deal.get("contract_end"):
            renewal, source = day_of(deal["contract_end"]), "contract_end"
            term = max(round((renewal - lost_on).days / 30.44), 1)
            evidence = [f"contract end {renewal.isoformat()} on the lost deal"]
        else:
            if deal.get("contract_term_months"):
                term, source = int(deal["contract_term_months"]), "contract_term"
                evidence = [f"contract term {term} months on the lost deal"]
            elif family in cadence:
                term, source = cadence[family][0], "renewal_cadence"
                evidence = [
                    f"our renewal cadence for {family}: {term} months "
                    f"(median of {cadence[family][1]} won-to-won gaps in the portfolio)"
                ]
            else:
                term, source = default, "default"
                evidence = [f"no term known for {family}: the default {default} months"]
            renewal = add_months(lost_on, term)
        cycles = 0
        while renewal < as_of:
            renewal = add_months(renewal, max(term, 1))
            cycles += 1
        if cycles:
            evidence.append(f"rolled on {cycles} term(s): assumed renewed with the competitor")
        days_until = (renewal - as_of).days
        if days_until > horizon:
            continue
        out.append(
            {
                "group_id": deal["group_id"],
                "account_id": deal["account_id"],
                "account_name": deal["account_name"],
                "product_family": family,
                "competitor": deal["competitor"],
                "lost_deal_id": deal["deal_id"],
                "lost_on": lost_on.isoformat(),
                "term_months": term,
                "term_source": source,
                "expected_renewal": renewal.isoformat(),
                "days_until": days_until,
                "evidence": [f"lost to {deal['competitor']} on {lost_on.isoformat()}", *evidence],
            }
        )
    out.sort(
        key=lambda r: (r["expected_renewal"], r["group_id"], r["account_id"], r["product_family"])
    )
    return out
