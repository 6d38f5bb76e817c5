"""relationship-strength: score each (rep, contact) pair from what they did together.

score = sum of touchpoint weights (event 2, task 1) halved every ``half_life_days`` of age,
+ 1 per deal role the contact played on a deal the rep owns (halved by the age of a closed
deal, full while open), + the contact's attitude (Mentor 1.5, Supporter 1, Non-Supporter -0.5,
Enemy -1). ``touch_score`` is the touchpoint part alone: a decision maker on an open deal of the
rep whose touch score is below ``dark_below`` has gone dark.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from kamgraph.backends.base import Row
from kamgraph.queries.run import post_processor
from kamgraph.schema.model import DECISIVE_ROLES

#: Weight of one touchpoint by kind, before decay (a meeting counts twice a call or email).
TOUCH_WEIGHT = {"event": 2.0, "task": 1.0}
ROLE_WEIGHT = 1.0
ATTITUDE_WEIGHT = {"Mentor": 1.5, "Supporter": 1.0, "Non-Supporter": -0.5, "Enemy": -1.0}
#: Roles that make a contact a decision maker for the gone-dark alert.
DARK_ROLES = frozenset(DECISIVE_ROLES) | {"Executive Sponsor"}


def _decay(day: str | None, as_of: dt.date, half_life: float) -> float:
    if not day:
        return 1.0
    age = max((as_of - dt.date.fromisoformat(day[:10])).days, 0)
    return float(0.5 ** (age / half_life))


def _round(x: float) -> float:
    return round(x * 100) / 100


@post_processor("relationship-strength")
def relationship_strength(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    as_of = dt.date.fromisoformat(params["as_of"][:10])
    half_life = float(params["half_life_days"])
    dark_below = float(params["dark_below"])
    out: list[Row] = []
    for row in rows:
        touches: dict[str, list[dict[str, Any]]] = defaultdict(list)
        roles: dict[str, list[dict[str, Any]]] = defaultdict(list)
        names: dict[str, str] = {}
        for t in row["touches"]:
            if t.get("rep_id") and t.get("touchpoint_id"):
                touches[t["rep_id"]].append(t)
                names[t["rep_id"]] = t["rep_name"]
        for r in row["roles"]:
            if r.get("rep_id") and r.get("deal_id"):
                roles[r["rep_id"]].append(r)
                names[r["rep_id"]] = r["rep_name"]
        attitude = ATTITUDE_WEIGHT.get(row.get("attitude") or "", 0.0)
        for rep_id in sorted(names):
            listed = []
            touch_score = 0.0
            for t in touches[rep_id]:
                weight = TOUCH_WEIGHT.get(t.get("kind") or "", 1.0) * _decay(
                    t.get("date"), as_of, half_life
                )
                touch_score += weight
                listed.append(
                    {
                        "touchpoint_id": t["touchpoint_id"],
                        "kind": t.get("kind"),
                        "date": t.get("date"),
                        "subject": t.get("subject") or t.get("activity_type"),
                        "weight": _round(weight),
                    }
                )
            role_score = sum(
                ROLE_WEIGHT
                * (1.0 if r["status"] == "open" else _decay(r.get("closed"), as_of, half_life))
                for r in roles[rep_id]
            )
            dark = sorted(
                r["deal_id"]
                for r in roles[rep_id]
                if r["status"] == "open" and r.get("role") in DARK_ROLES
            )
            gone_dark = bool(dark) and touch_score < dark_below
            out.append(
                {
                    "rep_id": rep_id,
                    "rep_name": names[rep_id],
                    "contact_id": row["contact_id"],
                    "contact_name": row["contact_name"],
                    "account_id": row["account_id"],
                    "account_name": row["account_name"],
                    "score": _round(touch_score + role_score + attitude),
                    "touch_score": _round(touch_score),
                    "last_touch": max((t["date"] or "" for t in listed), default=None) or None,
                    "touchpoints": listed,
                    "roles": [
                        {
                            "deal_id": r["deal_id"],
                            "deal_name": r.get("deal_name"),
                            "role": r.get("role"),
                            "status": r["status"],
                        }
                        for r in roles[rep_id]
                    ],
                    "attitude": row.get("attitude"),
                    "gone_dark": gone_dark,
                    "dark_deals": dark if gone_dark else [],
                }
            )
    out.sort(key=lambda r: (-r["score"], r["rep_id"], r["contact_id"]))
    return out
