"""The key-account program scorecard: how well each rep and each team tier keeps its accounts.

Rows come in three levels (docs/analytics.md defines every number):

- ``rep``: one per rep on an account team, over the accounts they are on the team of;
- ``tier``: one per team tier (``expansion``, ``progression``, ``key-account``), over the team
  memberships of that tier (``ON_TEAM.tier``, else the rep's own tier);
- ``program``: the key accounts as a whole: every member of a group that has a key-account
  rep on its team, with its revenue and cost against the previous period of equal length.

Everything is read through the group view of the whole portfolio (kamgraph/group.py, with its
per-company touchpoints) and the registered ``account-roi`` and ``procurement-links``
queries; this module only counts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kamgraph import queries
from kamgraph.backends.base import Backend, Row
from kamgraph.errors import InvalidValueError
from kamgraph.group import account_touchpoints, read_group
from kamgraph.money import base_currency
from kamgraph.queries.finish.account_roi import Periods, periods, ratio
from kamgraph.schema.model import DECISIVE_ROLES, REP_TIERS

#: A contact verified within this many days before the period's end counts as fresh.
FRESH_DAYS = 180
KEY_ACCOUNT = "key-account"

COLUMNS = (
    "level",
    "rep_id",
    "name",
    "tier",
    "accounts_covered",
    "key_roles_known",
    "map_freshness",
    "touchpoints_per_account",
    "single_threaded_deals",
    "whitespace_converted",
    "waves_caught",
    "waves_missed",
    "revenue",
    "cost",
    "prev_revenue",
    "prev_cost",
    "revenue_trend",
    "base_currency",
    "revenue_base",
    "cost_base",
    "prev_revenue_base",
    "prev_cost_base",
    "revenue_trend_base",
    "unconverted_count",
    "currencies",
)


@dataclass
class _Facts:
    """Everything the scorecard counts, read once for the whole portfolio."""

    span: Periods
    groups: dict[str, str]
    reps: dict[str, Row]
    team: list[Row]
    contacts: dict[str, list[Row]] = field(default_factory=dict)
    open_in_period: dict[str, list[str]] = field(default_factory=dict)
    decided: set[str] = field(default_factory=set)
    single_threaded: dict[str, int] = field(default_factory=dict)
    converted: dict[str, int] = field(default_factory=dict)
    touchpoints: dict[tuple[str, str], int] = field(default_factory=dict)
    money: dict[str, Row] = field(default_factory=dict)
    #: The base currency of the ``*_base`` columns.
    base: str = ""
    waves: list[tuple[set[str], set[str]]] = field(default_factory=list)


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def _whitespace_converted(
    deals: list[Row], span: Periods, groups: dict[str, str]
) -> dict[str, int]:
    """Per member: product families it first won in the period while a sister had won before."""
    won_before: dict[tuple[str, str], set[str]] = defaultdict(set)  # (group, family) -> members
    won_in: set[tuple[str, str]] = set()  # (member, family)
    for d in deals:
        if d["status"] != "won" or not d["closed"]:
            continue
        for family in d["families"] or []:
            if d["closed"] < span.start:
                won_before[(groups[d["account_id"]], family)].add(d["account_id"])
            elif d["closed"] <= span.end:
                won_in.add((d["account_id"], family))
    converted: dict[str, int] = defaultdict(int)
    for member, family in sorted(won_in):
        earlier = won_before.get((groups[member], family), set())
        if member not in earlier and earlier - {member}:
            converted[member] += 1
    return converted


def _read(backend: Backend, span: Periods, currency: str | None) -> _Facts:
    as_of = {"as_of": span.end}
    view = read_group(backend, None, as_of=span.end)
    groups = {m["account_id"]: m["group_id"] for m in view.members}
    facts = _Facts(
        span=span,
        groups=groups,
        reps={r["rep_id"]: r for r in view.reps},
        team=view.team,
    )
    fresh_since = (_day(span.end) - dt.timedelta(days=FRESH_DAYS)).isoformat()
    for c in view.people:
        fresh = bool(c["last_verified"]) and fresh_since <= c["last_verified"] <= span.end
        facts.contacts.setdefault(c["account_id"], []).append({"fresh": fresh, **c})
    deals = view.deals
    holders: dict[str, set[str]] = defaultdict(set)
    for r in view.roles:
        holders[r["deal_id"]].add(r["contact_id"])
        if r["role"] in DECISIVE_ROLES:
            facts.decided.add(r["deal_id"])
    for d in deals:
        if d["status"] == "open" or (d["closed"] or "") >= span.start:
            facts.open_in_period.setdefault(d["account_id"], []).append(d["deal_id"])
        if d["status"] == "open" and len(holders[d["deal_id"]]) == 1:
            facts.single_threaded[d["account_id"]] = (
                facts.single_threaded.get(d["account_id"], 0) + 1
            )
    facts.converted = _whitespace_converted(deals, span, groups)
    for t in account_touchpoints(backend, since=span.start, as_of=span.end):
        facts.touchpoints[(t["rep_id"], t["account_id"])] = int(t["touchpoints"])
    roi = queries.run(
        backend, "account-roi", {"from": span.start, "to": span.end, "currency": currency}
    )
    facts.money = {r["account_id"]: r for r in roi if r["level"] == "member"}
    facts.base = base_currency(currency)
    for w in queries.run(backend, "procurement-links", as_of):
        if not w["is_wave"] or not w["wave_members"]:
            continue
        if w["window_start"] <= span.end and w["window_end"] >= span.start:
            facts.waves.append((set(w["wave_members"]), set(w["won"])))
    return facts


def _score(
    facts: _Facts, accounts: set[str], pairs: Iterable[tuple[str, str]] | None
) -> dict[str, Any]:
    """The numbers of one row, over ``accounts``; touchpoints by the (rep, account) ``pairs``
    (None: by any rep)."""
    n = len(accounts)
    deals = [d for a in accounts for d in facts.open_in_period.get(a, [])]
    people = [c for a in accounts for c in facts.contacts.get(a, [])]
    if pairs is None:
        touches = sum(v for (_, a), v in facts.touchpoints.items() if a in accounts)
    else:
        touches = sum(facts.touchpoints.get(p, 0) for p in set(pairs))
    caught = missed = 0
    for wave_members, won in facts.waves:
        if wave_members & accounts:
            if 2 * len(wave_members & won) >= len(wave_members):
                caught += 1
            else:
                missed += 1
    money = [facts.money[a] for a in accounts if a in facts.money]

    def total(name: str) -> float:
        return round(sum((m[name] for m in money), 0.0), 2)

    revenue, prev_revenue = total("revenue"), total("prev_revenue")
    revenue_base, prev_revenue_base = total("revenue_base"), total("prev_revenue_base")
    return {
        "accounts_covered": n,
        "key_roles_known": ratio(sum(d in facts.decided for d in deals), len(deals)),
        "map_freshness": ratio(sum(c["fresh"] for c in people), len(people)),
        "touchpoints_per_account": None if not n else round(touches / n, 2),
        "single_threaded_deals": sum(facts.single_threaded.get(a, 0) for a in accounts),
        "whitespace_converted": sum(facts.converted.get(a, 0) for a in accounts),
        "waves_caught": caught,
        "waves_missed": missed,
        "revenue": revenue,
        "cost": total("cost"),
        "prev_revenue": prev_revenue,
        "prev_cost": total("prev_cost"),
        "revenue_trend": ratio(revenue - prev_revenue, prev_revenue),
        "base_currency": facts.base,
        "revenue_base": revenue_base,
        "cost_base": total("cost_base"),
        "prev_revenue_base": prev_revenue_base,
        "prev_cost_base": total("prev_cost_base"),
        "revenue_trend_base": ratio(revenue_base - prev_revenue_base, prev_revenue_base),
        "unconverted_count": sum(int(m["unconverted_count"]) for m in money),
        "currencies": sorted({c for m in money for c in m["currencies"]}),
    }


def scorecard(
    backend: Backend,
    *,
    team: str | None = None,
    start: str | None = None,
    end: str | None = None,
    currency: str | None = None,
) -> list[Row]:
    """Scorecard rows (columns :data:`COLUMNS`): reps, then tiers, then the program.

    The period is ``start``..``end`` inclusive (``end`` default today, ``start`` default
    ``end`` minus 365 days); ``team`` keeps only the reps and the tier row of that tier. The
    ``*_base`` columns are in the base currency ``currency`` (None: the setting, else EUR).
    """
    if team is not None and team not in REP_TIERS:
        raise InvalidValueError(f"the team {team!r} is not one of {', '.join(REP_TIERS)}")
    span = periods("scorecard", end or dt.date.today().isoformat(), start)
    facts = _read(backend, span, currency)
    rows: list[Row] = []
    by_rep: dict[str, set[str]] = defaultdict(set)
    by_tier: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for t in facts.team:
        by_rep[t["rep_id"]].add(t["account_id"])
        if t["team_tier"]:
            by_tier[t["team_tier"]].add((t["rep_id"], t["account_id"]))
    for rep_id in sorted(by_rep, key=lambda r: (facts.reps.get(r, {}).get("name") or r, r)):
        rep = facts.reps.get(rep_id, {})
        if team is not None and rep.get("tier") != team:
            continue
        accounts = by_rep[rep_id]
        head = {"level": "rep", "rep_id": rep_id, "name": rep.get("name"), "tier": rep.get("tier")}
        rows.append(head | _score(facts, accounts, ((rep_id, a) for a in accounts)))
    for tier in REP_TIERS:
        if (team is not None and tier != team) or tier not in by_tier:
            continue
        pairs = by_tier[tier]
        head = {"level": "tier", "rep_id": None, "name": f"{tier} tier", "tier": tier}
        rows.append(head | _score(facts, {a for _, a in pairs}, pairs))
    key_groups = {
        facts.groups[t["account_id"]]
        for t in facts.team
        if KEY_ACCOUNT in (t["team_tier"], t["rep_tier"]) and t["account_id"] in facts.groups
    }
    key_accounts = {a for a, g in facts.groups.items() if g in key_groups}
    head = {"level": "program", "rep_id": None, "name": "key accounts", "tier": KEY_ACCOUNT}
    rows.append(head | _score(facts, key_accounts, None))
    return rows


def period_of(start: str | None, end: str | None) -> Periods:
    """The period and previous period a scorecard with these bounds covers (for messages)."""
    return periods("scorecard", end or dt.date.today().isoformat(), start)
