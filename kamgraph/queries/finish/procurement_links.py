"""procurement-links: the densest window of deals per group and family, and who was left out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kamgraph.backends.base import Row
from kamgraph.queries.run import post_processor
from kamgraph.schema.model import DECISION_ROLES


def day_of(value: str) -> dt.date:
    """The day of a stored date or timestamp string (its first ten characters)."""
    return dt.date.fromisoformat(value[:10])


def densest_window(
    deals: list[dict[str, Any]], window_days: int
) -> tuple[set[str], str | None, str | None]:
    """The window of ``window_days`` holding deals of the most distinct members.

    Returns (members in it, first date, last date). Ties go to the earliest window, so the
    answer is deterministic. A sliding window over dates parsed once: linear in the deals.
    """
    dated = sorted((d["created"][:10], d["account_id"]) for d in deals if d.get("created"))
    days = [day_of(day) for day, _ in dated]
    best: set[str] = set()
    best_span: tuple[str | None, str | None] = (None, None)
    counts: dict[str, int] = {}
    end = 0
    for start in range(len(dated)):
        limit = days[start] + dt.timedelta(days=window_days)
        while end < len(dated) and days[end] <= limit:
            counts[dated[end][1]] = counts.get(dated[end][1], 0) + 1
            end += 1
        if len(counts) > len(best):
            best = set(counts)
            best_span = (dated[start][0], dated[end - 1][0])
        member = dated[start][1]
        counts[member] -= 1
        if not counts[member]:
            del counts[member]
    return best, best_span[0], best_span[1]


def _action(row: Row) -> str:
    family, untouched, lost = row["product_family"], row["untouched"], row["lost"]
    hq = row["hq_contacts"]
    if not row["is_wave"]:
        if untouched and row["won"]:
            return f"Cross-sell {family} to {len(untouched)} member(s) using the won reference(s)."
        return "No group-wide buying pattern; follow up deal by deal."
    parts = []
    if not hq:
        parts.append(
            "Group HQ is buying centrally and we know nobody there: get an "
            "introduction to HQ procurement"
        )
    else:
        parts.append("Engage the HQ contacts to make us the group's standard supplier")
    if untouched:
        parts.append(f"approach the {len(untouched)} untouched member(s) before they buy")
    if lost:
        competitors = sorted({x["competitor"] or "unknown" for x in lost})
        parts.append(f"win back {len(lost)} member(s) lost to {', '.join(competitors)}")
    return "; ".join(parts) + "."


def _role_rank(role: str | None) -> tuple[int, str]:
    if role in DECISION_ROLES:
        return (DECISION_ROLES_BY_WEIGHT.index(role), role or "")
    return (len(DECISION_ROLES_BY_WEIGHT), role or "")


#: Most telling role first, when one contact played several.
DECISION_ROLES_BY_WEIGHT = (
    "Economic Buyer",
    "Economic Decision Maker",
    "Decision Maker",
    "Executive Sponsor",
    "Champion",
    "Coach",
    "Technical Buyer",
    "Influencer",
    "Evaluator",
    "Business User",
    "Other",
)


def _one_role_each(contacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per contact, with the most decisive role they played (else their title)."""
    best: dict[str, str | None] = {}
    for c in contacts:
        cid = c.get("contact_id")
        if not cid:
            continue
        role = c.get("role")
        if cid not in best or _role_rank(role) < _role_rank(best[cid]):
            best[cid] = role
    return [{"contact_id": cid, "role": best[cid]} for cid in sorted(best)]


def _ancestors(uplinks: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Every member's parents at any depth (a cycle stops the walk)."""
    parents = {u["account_id"]: set(u.get("parents") or []) for u in uplinks}
    out: dict[str, set[str]] = {}
    for member in parents:
        seen: set[str] = set()
        todo = list(parents[member])
        while todo:
            up = todo.pop()
            if up not in seen:
                seen.add(up)
                todo += parents.get(up, set())
        out[member] = seen
    return out


#: Roles that approve a purchase: one such person on several members' deals is one buyer.
APPROVER_ROLES = frozenset(
    {"Economic Buyer", "Economic Decision Maker", "Decision Maker", "Executive Sponsor"}
)


def central_evidence(
    hq_roles: list[dict[str, Any]],
    uplinks: list[dict[str, Any]],
    group_id: str,
    window_days: int,
) -> list[dict[str, Any]]:
    """People at the HQ or at a parent of the buying member whose roles show central buying.

    Each person listed holds roles on deals of two or more members of the family within
    ``window_days``. The group buys centrally when one of them approved (an approver role on
    those deals) or when two or more such people span the members; otherwise the list is
    empty (one HQ colleague helping on two deals is not a central purchase).
    """
    above = _ancestors(uplinks)
    employers: dict[str, set[str]] = {}
    for u in uplinks:
        for contact_id in u.get("staff") or []:
            employers.setdefault(contact_id, set()).add(u["account_id"])
    by_person: dict[str, list[dict[str, Any]]] = {}
    for r in hq_roles:
        member = r.get("account_id")
        if not (r.get("contact_id") and member and r.get("created")):
            continue
        over = employers.get(r["contact_id"], set()) & (above.get(member, set()) | {group_id})
        if over - {member}:
            by_person.setdefault(r["contact_id"], []).append(
                {**r, "employer": min(over - {member})}
            )
    evidence = []
    for contact_id, roles in sorted(by_person.items()):
        members, start, end = densest_window(roles, window_days)
        if len(members) < 2 or start is None or end is None:
            continue
        inside = [
            r for r in roles if start <= r["created"][:10] <= end and r["account_id"] in members
        ]
        evidence.append(
            {
                "contact_id": contact_id,
                "name": roles[0]["name"],
                "employer_id": roles[0]["employer"],
                "roles": sorted({r["role"] or "Other" for r in inside}),
                "members": sorted(members),
                "deals": sorted({r["deal_id"] for r in inside}),
            }
        )
    approver = any(APPROVER_ROLES & set(e["roles"]) for e in evidence)
    return evidence if approver or len(evidence) >= 2 else []


@post_processor("procurement-links")
def procurement_links(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    out: list[Row] = []
    for row in rows:
        deals = [d for d in row["deals"] if d.get("deal_id")]
        in_window, start, end = densest_window(deals, int(params["window_days"]))
        policies = sorted(
            (p for p in row["policies"] if p.get("policy_id")), key=lambda p: p["policy_id"]
        )
        is_wave = len(in_window) >= int(params["min_members"]) or bool(policies)
        # Each member counts once per family, by its latest deal: won beats open beats lost.
        latest: dict[str, dict[str, Any]] = {}
        for d in sorted(deals, key=lambda d: (d["created"] or "", d["deal_id"])):
            latest[d["account_id"]] = d
        won = sorted(a for a, d in latest.items() if d["status"] == "won")
        open_ = sorted(a for a, d in latest.items() if d["status"] == "open")
        lost = sorted(
            (
                {"account_id": a, "competitor": d.get("competitor")}
                for a, d in latest.items()
                if d["status"] == "lost"
            ),
            key=lambda x: str(x["account_id"]),
        )
        touched = set(latest)
        untouched = sorted(m for m in row["members"] if m not in touched and m != row["group_id"])
        hq_contacts = _one_role_each(row["hq_contacts"])
        result: Row = {
            "group_id": row["group_id"],
            "group_name": row["group_name"],
            "product_family": row["product_family"],
            "is_wave": is_wave,
            "window_start": start if is_wave else None,
            "window_end": end if is_wave else None,
            "won": won,
            "lost": lost,
            "open": open_,
            "untouched": untouched,
            "hq_contacts": hq_contacts,
            "policies": [p["policy_id"] for p in policies],
            "wave_members": sorted(in_window) if is_wave else [],
        }
        # bench/duck.py's SQL gathers no role holders: no evidence there, not an error.
        evidence = central_evidence(
            row.get("hq_roles") or [],
            row.get("uplinks") or [],
            row["group_id"],
            int(params["window_days"]),
        )
        result["central_buying"] = "policy" if policies else ("inferred" if evidence else None)
        result["central_evidence"] = evidence
        if params.get("deal_id"):
            deal = next(d for d in deals if d["deal_id"] == params["deal_id"])
            result["deal_in_wave"] = is_wave and deal["account_id"] in in_window
        result["suggested_action"] = _action(result)
        if params.get("waves_only") and not is_wave:
            continue
        out.append(result)
    return out
