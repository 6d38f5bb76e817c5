"""next-buyers: rank the members of a live buying wave that have not bought yet.

The wave is procurement-links' densest window of deals (one rule, imported from there). A
member's score adds up the signals below; ``reasons`` lists each one that counted, so a rep
sees why a member is on top. The expected window follows the wave's pace: the rank-r member is
expected about r average gaps after the wave's last deal (never before ``as_of``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kamgraph.backends.base import Row
from kamgraph.queries.finish.procurement_links import day_of, densest_window
from kamgraph.queries.run import post_processor

#: Points per signal (docs/queries/next-buyers.md).
SIBLINGS = 3.0  # times the share of siblings (same parent) with a deal in the wave
PARENT_BOUGHT = 1.0  # the member's parent has a deal in the wave
OWN_WON = 1.0  # the member bought this family from us before the wave (a won deal)
OWN_OTHER = 0.5  # an earlier deal of the family, not won (lost or still open)
POLICY = 1.5  # an HQ policy for the family binds the member
#: Shortest expected window, in days.
MIN_WINDOW = 14


def _wave(
    deals: list[dict[str, Any]], policies: list[dict[str, Any]], params: dict[str, Any]
) -> str | None:
    """The first day of the live wave, or None when the family has none on as_of.

    Live: the densest window among the deals created in the last ``live_days`` holds deals
    of ``min_members`` members; else the earliest policy for the family starts it."""
    since = (day_of(params["as_of"]) - dt.timedelta(days=int(params["live_days"]))).isoformat()
    recent = [d for d in deals if d["created"][:10] >= since]
    in_window, start, _ = densest_window(recent, int(params["window_days"]))
    if len(in_window) >= int(params["min_members"]) and start:
        return start
    issued = sorted(p["issued_on"] or "0000-01-01" for p in policies)
    return issued[0] if issued else None


def _pace(firsts: list[dt.date], window_days: int, min_members: int) -> float:
    """Average days between successive members' first deals in the wave."""
    if len(firsts) < 2:
        return window_days / max(min_members, 1)
    return max((firsts[-1] - firsts[0]).days / (len(firsts) - 1), 1.0)


def _binds(policy: dict[str, Any], account_id: str) -> bool:
    return bool(policy.get("applies_to_all")) or account_id in (policy.get("members") or [])


def _score(
    member: dict[str, Any],
    parent_of: dict[str, str | None],
    bought: set[str],
    before: dict[str, list[str]],
    policies: list[dict[str, Any]],
) -> tuple[float, list[str]]:
    account_id = member["account_id"]
    parent = parent_of.get(account_id)
    score, reasons = 0.0, []
    siblings = [a for a, p in parent_of.items() if parent and p == parent and a != account_id]
    if siblings:
        share = sum(a in bought for a in siblings) / len(siblings)
        if share:
            score += SIBLINGS * share
            reasons.append(
                f"{sum(a in bought for a in siblings)} of {len(siblings)} sibling(s) under "
                "the same parent already in the wave"
            )
    if parent in bought:
        score += PARENT_BOUGHT
        reasons.append("its parent already bought in the wave")
    history = before.get(account_id, [])
    if "won" in history:
        score += OWN_WON
        reasons.append(f"bought this family before ({history.count('won')} won deal(s))")
    elif history:
        score += OWN_OTHER
        reasons.append(f"earlier deal(s) of this family ({', '.join(sorted(set(history)))})")
    for policy in policies:
        if _binds(policy, account_id):
            score += POLICY
            reasons.append(
                f"HQ policy {policy['policy_id']} (issued {policy.get('issued_on') or 'undated'}) "
                "binds it"
            )
            break
    return round(score * 100) / 100, reasons


@post_processor("next-buyers")
def next_buyers(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    as_of = day_of(params["as_of"])
    window_days, min_members = int(params["window_days"]), int(params["min_members"])
    top = params.get("top")
    out: list[Row] = []
    for row in rows:
        deals = [d for d in row["deals"] if d.get("deal_id") and d.get("created")]
        policies = sorted(
            (p for p in row["policies"] if p.get("policy_id")), key=lambda p: p["policy_id"]
        )
        start = _wave(deals, policies, params)
        if start is None:
            continue
        in_wave = [d for d in deals if d["created"][:10] >= start[:10]]
        first: dict[str, str] = {}
        for d in sorted(in_wave, key=lambda d: (d["created"], d["deal_id"])):
            first.setdefault(d["account_id"], d["created"][:10])
        bought = set(first)
        before: dict[str, list[str]] = {}
        for d in deals:
            if d["created"][:10] < start[:10]:
                before.setdefault(d["account_id"], []).append(d["status"])
        parent_of = {m["account_id"]: min(m["parents"] or [None]) for m in row["members"]}
        firsts = sorted(day_of(x) for x in first.values())
        gap = _pace(firsts, window_days, min_members)
        last = firsts[-1] if firsts else day_of(start)
        pace = f"wave since {start[:10]}: {len(bought)} member(s), one every {round(gap)} day(s)"
        ranked = []
        for member in row["members"]:
            account_id = member["account_id"]
            if account_id in bought or account_id == row["group_id"]:
                continue
            score, reasons = _score(member, parent_of, bought, before, policies)
            ranked.append((-score, member["name"] or "", account_id, score, reasons, member))
        ranked.sort(key=lambda r: r[:3])
        for rank, (_, _, account_id, score, reasons, member) in enumerate(ranked, start=1):
            if top is not None and rank > int(top):
                break
            expected = max(as_of, last + dt.timedelta(days=round((rank - 0.5) * gap)))
            out.append(
                {
                    "group_id": row["group_id"],
                    "product_family": row["product_family"],
                    "account_id": account_id,
                    "account_name": member["name"],
                    "rank": rank,
                    "expected_from": expected.isoformat(),
                    "expected_to": (
                        expected + dt.timedelta(days=max(round(gap), MIN_WINDOW))
                    ).isoformat(),
                    "score": score,
                    "reasons": [*reasons, pace],
                }
            )
    return out
