"""The handover brief: one customer group on a page of Markdown a new rep reads in five minutes.

Built from the group view (kamgraph/group.py: members, people, deals, roles) and registered
queries (``coverage-gaps``, ``stale-map``, ``runs`` and the internal ``cypher/briefs/``
statements); this module only arranges their rows as text.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kamgraph import money, queries
from kamgraph.backends.base import Backend, Row
from kamgraph.files import markdown_text
from kamgraph.group import check_day, group_view
from kamgraph.maps import STALE_DAYS
from kamgraph.personal.notice import personal_data_notice
from kamgraph.schema.model import ATTITUDES, DECISIVE_ROLES, INFLUENCE_LEVELS

#: How many of the latest ordinary notes the brief shows (playbook steps are all shown).
LATEST_NOTES = 8
#: How many closed deals the history lists (the competitor table covers the rest).
LATEST_CLOSED = 10


def _cell(value: Any) -> str:
    """A Markdown table cell: empty for missing values, pipes and newlines escaped."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def _money(amount: Any, currency: Any) -> str:
    if amount is None:
        return "–"
    return f"{float(amount):,.0f} {currency or ''}".strip()


def _tree(members: list[Row]) -> list[str]:
    """The family as an indented list, children under their parent, by name."""
    children: dict[str | None, list[Row]] = defaultdict(list)
    ids = {m["account_id"] for m in members}
    for m in members:
        parent = m["parent_id"] if m["parent_id"] in ids else None
        children[parent].append(m)
    lines: list[str] = []

    def walk(parent: str | None, depth: int) -> None:
        for m in sorted(children.get(parent, []), key=lambda r: (r["name"] or "", r["account_id"])):
            facts = [m["hierarchy_type"] or "company", m["country"]]
            deals = f"won {m['won']} / lost {m['lost']} / open {m['open']}"
            revenue = None
            if m["revenue"]:
                shown = money.shown(m["revenue_base"], m["base_currency"], m["unconverted_count"])
                revenue = f"revenue {shown}"
            text = ", ".join(str(f) for f in (*facts, deals, revenue) if f)
            lines.append(f"{'  ' * depth}- **{m['name']}** (`{m['account_id']}`) — {text}")
            walk(m["account_id"], depth + 1)

    walk(None, 0)
    return lines


def _role_rank(contact: Row) -> tuple[int, int, int, str]:
    roles = contact["roles"] or []
    decisive = 0 if any(r in DECISIVE_ROLES for r in roles) else 1
    influence = contact["influence"]
    attitude = contact["attitude"]
    return (
        decisive,
        INFLUENCE_LEVELS.index(influence) if influence in INFLUENCE_LEVELS else 3,
        ATTITUDES.index(attitude) if attitude in ATTITUDES else 5,
        contact["name"] or contact["contact_id"],
    )


def _deciders(contacts: list[Row], names: dict[str, str]) -> list[str]:
    deciders = sorted((c for c in contacts if c["roles"]), key=_role_rank)
    if deciders:
        out = _table(
            ["Contact", "Company", "Title", "Decision roles", "Attitude", "Influence", "Verified"],
            [
                [
                    f"{c['name']} (`{c['contact_id']}`)",
                    names.get(c["account_id"], c["account_id"]),
                    c["job_title"],
                    c["roles"],
                    c["attitude"],
                    c["influence"],
                    c["last_verified"] or "never",
                ]
                for c in deciders
            ],
        )
    else:
        out = ["Nobody at this group holds a decision role on any deal we know of."]
    others = sorted(
        (c for c in contacts if not c["roles"]), key=lambda c: c["name"] or c["contact_id"]
    )
    if others:
        known = [
            f"{c['name']} ({c['job_title'] or 'no title'}, {names.get(c['account_id'], '?')}, "
            f"verified {c['last_verified'] or 'never'})"
            for c in others
        ]
        out += ["", "Also known (no decision role yet): " + "; ".join(known)]
    return out


def _open_deals(open_deals: list[Row], names: dict[str, str]) -> list[str]:
    if not open_deals:
        return ["No open deals."]
    return _table(
        ["Deal", "Company", "Amount", "Product families", "Created"],
        [
            [
                f"{d['name'] or d['deal_id']} (`{d['deal_id']}`)",
                names.get(d["account_id"], d["account_id"]),
                _money(d["amount"], d["currency"]),
                sorted(d["families"] or []),
                d["created"],
            ]
            for d in open_deals
        ],
    )


def _history(closed: list[Row], competitors: list[Row], names: dict[str, str]) -> list[str]:
    out: list[str] = []
    for d in closed[:LATEST_CLOSED]:
        outcome = "Won" if d["status"] == "won" else "Lost"
        if d["status"] == "lost" and d["lost_to"]:
            outcome += f" to {d['lost_to']}"
        company = names.get(d["account_id"], d["account_id"])
        out.append(
            f"- {d['closed'] or d['created']}: {outcome} — {d['name'] or d['deal_id']} "
            f"({company}, {_money(d['amount'], d['currency'])})"
        )
    if len(closed) > LATEST_CLOSED:
        out.append(f"- … and {len(closed) - LATEST_CLOSED} earlier closed deals.")
    if not closed:
        out.append("No closed deals yet.")
    if competitors:
        out.append("")
        out += _table(
            ["Competitor", "Deals met", "We won", "They won", "Still open", "Last met"],
            [
                [k["competitor"], k["deals"], k["won"], k["lost_to_them"], k["open"], k["last_met"]]
                for k in competitors
            ],
        )
    return out


def _notes(notes: list[Row]) -> list[str]:
    if not notes:
        return ["No notes or playbook steps."]

    def when(n: Row) -> tuple[str, str]:
        return (n["date"] or "", n["note_id"])

    playbook = sorted((n for n in notes if n["kind"] == "playbook"), key=when)
    ordinary = sorted((n for n in notes if n["kind"] != "playbook"), key=when, reverse=True)
    out: list[str] = []
    if playbook:
        out.append("Playbook steps:")
        out += [
            f"{i}. {n['date'] or 'undated'} — {n['text']} ({n['about_name']}; "
            f"{n['author'] or 'unknown author'})"
            for i, n in enumerate(playbook, 1)
        ]
    if playbook and ordinary:
        out.append("")
    if ordinary:
        out.append(f"Latest notes ({min(len(ordinary), LATEST_NOTES)} of {len(ordinary)}):")
        out += [
            f"- {n['date'] or 'undated'}, {n['author'] or 'unknown author'} on "
            f"{n['about_name']}: {n['text']}"
            for n in ordinary[:LATEST_NOTES]
        ]
    return out


def _gaps(gaps: list[Row], contact_names: dict[str, str], deal_names: dict[str, str]) -> list[str]:
    """One bullet for the group-level gaps and one per deal, in coverage-gaps' order."""
    if not gaps:
        return ["No coverage gaps on the open deals."]
    by_deal: dict[str | None, list[Row]] = {}
    for g in gaps:
        by_deal.setdefault(g["deal_id"], []).append(g)
    out = []
    for deal_id, rows in by_deal.items():
        title = deal_names.get(deal_id, deal_id) if deal_id else None
        details = [g["detail"].removeprefix(f"{title}: ") if title else g["detail"] for g in rows]
        who = sorted({contact_names.get(c, c) for g in rows for c in g["contacts"]})
        suffix = f" (contacts: {', '.join(who)})" if who else ""
        head = f"**{title}**: " if title else "**HQ procurement**: "
        out.append(f"- {head}{'; '.join(details)}{suffix}")
    return out


def _freshness(
    freshness: list[Row], contacts: list[Row], members: list[Row], notes: list[Row], runs: list[Row]
) -> list[str]:
    def of(kind: str) -> list[Row]:
        return [r for r in freshness if r["kind"] == kind]

    out = []
    stale = of("stale_contact")
    verified = sorted(c["last_verified"] for c in contacts if c["last_verified"])
    if verified:
        names = ": " + ", ".join(r["name"] for r in stale) if stale else ""
        out.append(
            f"- Contacts last verified between {verified[0]} and {verified[-1]}; "
            f"{len(stale)} not verified within {STALE_DAYS} days{names}."
        )
    else:
        out.append("- No verified contacts.")
    if ended := of("ended_employment"):
        out.append(
            "- Left their company: "
            + "; ".join(f"{r['name']} ({r['detail']})" for r in ended)
            + "."
        )
    if nobody := of("no_contact"):
        out.append(
            f"- Nobody known at {len(nobody)} of {len(members)} companies: "
            + ", ".join(r["name"] for r in nobody)
            + "."
        )
    if scores := of("account_score"):
        out.append(
            "- Map completeness on open deals (key roles known, by verification age): "
            + ", ".join(f"{r['name']} {r['score']:.2f}" for r in scores)
            + "."
        )
    if dated := [n["date"] for n in notes if n["date"]]:
        out.append(f"- Notes from {min(dated)} to {max(dated)}.")
    latest_run: dict[str, Row] = {}
    for run in runs:  # newest first
        if run["status"] in ("ok", "partial") and run["source"] not in latest_run:
            latest_run[run["source"]] = run
    if latest_run:
        loads = [f"{s} {str(r['started_at'])[:10]}" for s, r in sorted(latest_run.items())]
        out.append("- Data loaded: " + ", ".join(loads) + ".")
    return out


#: Next buyers shown per product family.
NEXT_BUYERS = 3


def _next_moves(backend: Backend, params: dict[str, Any]) -> list[str]:
    """Next buyers (next-buyers), people who moved (people-moves), relationships gone dark
    (relationship-strength): what is likely to happen before a competitor sees it."""
    out: list[str] = []
    for r in queries.run(backend, "next-buyers", {**params, "top": NEXT_BUYERS}):
        out.append(
            f"- Next buyer #{r['rank']} of {r['product_family']}: {r['account_name']}, "
            f"expected {r['expected_from']} to {r['expected_to']} ({'; '.join(r['reasons'])})."
        )
    for r in queries.run(backend, "people-moves", params):
        out.append(
            f"- Moved: {r['headline']}, {r['moved_on'] or 'date unknown'} "
            f"({'; '.join(r['evidence'])})."
        )
    for r in queries.run(backend, "relationship-strength", params):
        if r["gone_dark"]:
            out.append(
                f"- Gone dark: {r['contact_name']} ({r['account_name']}) decides on "
                f"{len(r['dark_deals'])} open deal(s) of {r['rep_name']}; touch score "
                f"{r['touch_score']:.2f}, last touch {r['last_touch'] or 'never'}."
            )
    return out or ["No buying wave under way, nobody moved, nobody gone dark."]


def build_brief(
    backend: Backend,
    group_or_member_id: str,
    as_of: str | None = None,
    currency: str | None = None,
) -> str:
    """The Markdown handover brief of the group ``group_or_member_id`` belongs to; totals in
    the base currency ``currency`` (None: the KAMGRAPH_BASE_CURRENCY setting)."""
    day = check_day(as_of)
    view = group_view(backend, group_or_member_id, as_of=day, currency=currency)
    conversion = money.conversion_for(backend, currency, money.open_amounts(view.deals, day))
    group_id, group_name = str(view.group_id), view.group_name
    params = {"group_id": group_id, "as_of": day}
    members = view.members
    roles_of = view.roles_of()
    contacts = [p | {"roles": roles_of.get(p["contact_id"], [])} for p in view.people]
    deals = view.deals
    notes = queries.run(backend, "brief-notes", params)

    names = {m["account_id"]: m["name"] for m in members}
    open_deals = [d for d in deals if d["status"] == "open"]
    closed = sorted(
        (d for d in deals if d["status"] in ("won", "lost")),
        key=lambda d: (d["closed"] or d["created"] or "", d["deal_id"]),
        reverse=True,
    )
    won = sum(1 for d in closed if d["status"] == "won")
    pipeline = money.pipeline(open_deals, day, conversion)
    revenue = money.shown(
        sum(m["revenue_base"] for m in members),
        conversion.base,
        sum(m["unconverted_count"] for m in members),
    )
    out = [
        f"# Handover brief: {group_name}",
        "",
        f"_{personal_data_notice(day)}_",
        "",
        f"Group `{group_id}` as of {day}: {len(members)} companies, {len(contacts)} contacts "
        f"known, {len(open_deals)} open deal(s) (pipeline "
        f"{money.shown(pipeline.base_total, conversion.base, pipeline.unconverted)}), "
        f"{won} won and {len(closed) - won} lost so far; revenue invoiced {revenue}.",
        "",
        "## Family tree",
        "",
        *_tree(members),
        "",
        "## Who decides",
        "",
        *_deciders(contacts, names),
        "",
        "## Open deals",
        "",
        *_open_deals(open_deals, names),
        "",
        "## History: wins, losses and competitors",
        "",
        *_history(closed, queries.run(backend, "brief-competitors", params), names),
        "",
        "## Notes and playbook",
        "",
        *_notes(notes),
        "",
        "## Next moves",
        "",
        *_next_moves(backend, params),
        "",
        "## Gaps",
        "",
        *_gaps(
            queries.run(backend, "coverage-gaps", params),
            {c["contact_id"]: c["name"] for c in contacts},
            {d["deal_id"]: d["name"] or d["deal_id"] for d in deals},
        ),
        "",
        "## How fresh this is",
        "",
        *_freshness(
            queries.run(backend, "stale-map", {**params, "max_age_days": STALE_DAYS}),
            contacts,
            members,
            notes,
            queries.run(backend, "runs", {"limit": 50}),
        ),
    ]
    # Names, titles and notes come from the exports: no HTML of theirs reaches a viewer.
    return markdown_text("\n".join(out) + "\n")
