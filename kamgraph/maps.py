"""Assembling a customer group's org map from query rows (the renderer never touches a store)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from kamgraph import queries
from kamgraph.backends.base import Backend, Row
from kamgraph.errors import NotFoundError
from kamgraph.ingest import fields
from kamgraph.schema.model import DECISIVE_ROLES
from kamgraph.viz.model import MapEdge, MapNode, OrgMap

#: Contacts not verified for this many days are drawn faded.
STALE_DAYS = 180


def resolve_group(backend: Backend, account_id: str) -> tuple[str, str]:
    """The (group_id, group_name) of a company, given its id (15- or 18-char for Salesforce)."""
    candidates = [account_id]
    try:
        candidates.insert(0, fields.sf_id(account_id))
    except fields.FieldError:
        pass
    for candidate in candidates:
        rows = queries.run(backend, "map-group", {"account_id": candidate})
        if rows:
            return rows[0]["group_id"], rows[0]["group_name"] or rows[0]["group_id"]
    raise NotFoundError(
        f"no company with id {account_id!r}; `kamgraph query key-account-candidates` or "
        "`kamgraph stats` show what is loaded"
    )


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _company_status(row: Row) -> str:
    if row["won"]:
        return "customer"
    if row["lost"]:
        return "lost"
    if row["open"]:
        return "prospect"
    return "untouched"


def _details(pairs: list[tuple[str, Any]]) -> tuple[tuple[str, str], ...]:
    out = []
    for key, value in pairs:
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        out.append((key, str(value)))
    return tuple(out)


def build_group_map(backend: Backend, account_id: str, *, as_of: str | None = None) -> OrgMap:
    """The org map of the group ``account_id`` belongs to, as of a date (default today)."""
    day = as_of or dt.date.today().isoformat()
    try:
        cutoff = (dt.date.fromisoformat(day) - dt.timedelta(days=STALE_DAYS)).isoformat()
    except ValueError:
        raise NotFoundError(f"--as-of {day!r} is not a date; write YYYY-MM-DD") from None
    group_id, group_name = resolve_group(backend, account_id)
    params = {"group_id": group_id, "as_of": day}
    members = queries.run(backend, "map-members", params)
    contacts = queries.run(backend, "map-contacts", params)
    deals = queries.run(backend, "map-deals", params)
    links = queries.run(backend, "procurement-links", {"group_id": group_id, "as_of": day})

    badges: dict[str, list[str]] = defaultdict(list)
    waves = [w for w in links if w["is_wave"]]
    for wave in waves:
        family = wave["product_family"]
        for acc in wave["wave_members"]:
            badges[acc].append(f"wave: {family}")
        for acc in wave["untouched"]:
            badges[acc].append(f"untouched in wave: {family}")
    gaps = 0
    for row in links:
        if row["won"] and not row["is_wave"]:
            for acc in row["untouched"]:
                badges[acc].append(f"gap: {row['product_family']}")
                gaps += 1

    nodes: list[MapNode] = []
    edges: list[MapEdge] = []
    company_node = {m["account_id"]: f"company:{m['account_id']}" for m in members}
    for m in members:
        nid = company_node[m["account_id"]]
        parent = company_node.get(m["parent_id"]) if m["parent_id"] else None
        nodes.append(
            MapNode(
                id=nid,
                kind="company",
                label=m["name"] or m["account_id"],
                status=_company_status(m),
                parent=parent,
                level=int(m["depth"] or 0),
                badges=tuple(sorted(badges.get(m["account_id"], []))),
                details=_details(
                    [
                        ("account id", m["account_id"]),
                        ("type", m["hierarchy_type"]),
                        ("country", m["country"]),
                        ("industry", m["industry"]),
                        ("revenue", _money(m["revenue"] or 0)),
                        ("deals won / lost / open", f"{m['won']} / {m['lost']} / {m['open']}"),
                    ]
                ),
            )
        )
        if parent:
            kind = "branch_of" if m["parent_type"] == "BRANCH_OF" else "subsidiary_of"
            edges.append(MapEdge(nid, parent, kind))
    contact_node = {c["contact_id"]: f"contact:{c['contact_id']}" for c in contacts}
    for c in contacts:
        roles = sorted(c["roles"] or [])
        decisive = [r for r in roles if r in DECISIVE_ROLES]
        company = company_node.get(c["account_id"])
        nodes.append(
            MapNode(
                id=contact_node[c["contact_id"]],
                kind="contact",
                label=c["name"] or c["contact_id"],
                status=(decisive or roles or [""])[0],
                parent=company,
                attitude=c["attitude"] or "",
                faded=not c["last_verified"] or c["last_verified"] < cutoff,
                details=_details(
                    [
                        ("title", c["job_title"]),
                        ("department", c["department"]),
                        ("decision roles", roles),
                        ("attitude", c["attitude"]),
                        ("influence", c["influence"]),
                        ("last verified", c["last_verified"] or "never"),
                    ]
                ),
            )
        )
        if company:
            edges.append(MapEdge(contact_node[c["contact_id"]], company, "works_at"))
        if c["reports_to"] in contact_node:
            edges.append(
                MapEdge(contact_node[c["contact_id"]], contact_node[c["reports_to"]], "reports_to")
            )
    competitors: set[str] = set()
    open_pipeline = 0.0
    for d in deals:
        company = company_node.get(d["account_id"])
        nid = f"deal:{d['deal_id']}"
        if d["status"] == "open":
            open_pipeline += float(d["amount"] or 0)
        nodes.append(
            MapNode(
                id=nid,
                kind="deal",
                label=d["name"] or d["deal_id"],
                status=d["status"],
                parent=company,
                details=_details(
                    [
                        ("deal id", d["deal_id"]),
                        ("status", d["status"]),
                        (
                            "amount",
                            f"{_money(float(d['amount'] or 0))} {d['currency'] or ''}".strip(),
                        ),
                        ("product families", sorted(d["families"] or [])),
                        ("created", d["created"]),
                        ("closed", d["closed"]),
                        ("lost to", d["lost_to"]),
                    ]
                ),
            )
        )
        if company:
            edges.append(MapEdge(nid, company, "deal_of"))
        if d["lost_to"]:
            cid = f"competitor:{d['lost_to']}"
            if cid not in competitors:
                competitors.add(cid)
                nodes.append(MapNode(id=cid, kind="competitor", label=d["lost_to"]))
            edges.append(MapEdge(nid, cid, "lost_to"))

    verified = sorted(c["last_verified"] for c in contacts if c["last_verified"])
    summary = (
        ("members", str(len(members))),
        ("revenue (invoiced)", _money(sum(float(m["revenue"] or 0) for m in members))),
        ("open pipeline", _money(open_pipeline)),
        ("procurement waves", ", ".join(w["product_family"] for w in waves) or "none"),
        ("cross-sell gaps", str(gaps)),
        ("contacts", f"{len(contacts)} ({sum(1 for n in nodes if n.faded)} stale)"),
        ("data freshness", f"contacts last verified {verified[-1]}" if verified else "no contacts"),
    )
    notes = []
    if waves and not any(w["hq_contacts"] for w in waves):
        notes.append("Group HQ is buying centrally and we know nobody at HQ.")
    return OrgMap(
        title=group_name,
        as_of=day,
        summary=summary,
        nodes=tuple(nodes),
        edges=tuple(edges),
        notes=tuple(notes),
    )
