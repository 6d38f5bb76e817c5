"""Assembling a customer group's org map from the group view (the renderer never touches a store).

``resolve_group`` lives in kamgraph/group.py and is re-exported here for older imports.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from kamgraph import money, queries
from kamgraph.backends.base import Backend, Row
from kamgraph.errors import ConfigError
from kamgraph.group import check_day, group_view, resolve_group
from kamgraph.queries.registry import default_registry
from kamgraph.schema.model import DECISIVE_ROLES
from kamgraph.viz.model import MapEdge, MapNode, OrgMap

__all__ = [
    "LAYERS",
    "STALE_DAYS",
    "build_group_map",
    "build_portfolio_map",
    "check_layers",
    "group_file_name",
    "resolve_group",
    "write_all_maps",
]

#: Contacts not verified for this many days are drawn faded.
STALE_DAYS = 180
#: What a group map can show besides the family tree (``kamgraph map --layers``).
LAYERS = ("contacts", "deals", "products", "whitespace", "waves")


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _short_member_name(name: str, parent: str | None) -> str:
    """ "Acme Nord GmbH - Werk Hamburg" under "Acme Nord GmbH" is drawn as "Werk Hamburg"."""
    if parent and name.startswith(parent) and len(name) > len(parent) + 2:
        rest = name[len(parent) :].lstrip(" -–—,/:·")
        if rest:
            return rest
    return name


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


def check_layers(layers: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Validate ``--layers`` names."""
    unknown = sorted(set(layers) - set(LAYERS))
    if unknown:
        raise ConfigError(
            f"unknown map layer(s) {', '.join(unknown)}; choose from {', '.join(LAYERS)}"
        )
    return tuple(layers)


#: A gap is badged on the map when at least this many other members bought the family (the
#: header counts every gap); one peer's purchase is too weak a signal to colour a member.
BADGE_MIN_EVIDENCE = 2


def _gaps(
    backend: Backend, group_id: str, day: str, links: list[Row]
) -> list[tuple[str, str, int]]:
    """(account_id, product family, evidence) whitespace, from cross-sell-gaps when installed."""
    if "cross-sell-gaps" in default_registry():
        rows = queries.run(backend, "cross-sell-gaps", {"group_id": group_id, "as_of": day})
        return sorted({(r["account_id"], r["product_family"], int(r["evidence"])) for r in rows})
    gaps: set[tuple[str, str, int]] = set()
    for row in links:
        if row["won"]:
            gaps.update((acc, row["product_family"], len(row["won"])) for acc in row["untouched"])
    return sorted(gaps)


def build_group_map(
    backend: Backend,
    account_id: str,
    *,
    as_of: str | None = None,
    layers: tuple[str, ...] = LAYERS,
    currency: str | None = None,
) -> OrgMap:
    """The org map of the group ``account_id`` belongs to, as of a date (default today).

    Money is shown in the base currency ``currency`` (None: the KAMGRAPH_BASE_CURRENCY setting).
    """
    layers = check_layers(layers)
    day = check_day(as_of)
    cutoff = (dt.date.fromisoformat(day) - dt.timedelta(days=STALE_DAYS)).isoformat()
    view = group_view(backend, account_id, as_of=day, currency=currency)
    conversion = money.conversion_for(backend, currency, money.open_amounts(view.deals, day))
    group_id, group_name = str(view.group_id), view.group_name or str(view.group_id)
    members = view.members
    roles_of = view.roles_of()
    contacts = view.people if "contacts" in layers else []
    deals = view.deals if "deals" in layers else []
    links = queries.run(backend, "procurement-links", {"group_id": group_id, "as_of": day})

    badges: dict[str, list[str]] = defaultdict(list)
    waves = [w for w in links if w["is_wave"]]
    if "waves" in layers:
        for wave in waves:
            family = wave["product_family"]
            for acc in wave["wave_members"]:
                badges[acc].append(f"wave: {family}")
            for acc in wave["untouched"]:
                badges[acc].append(f"untouched: {family} wave")
    gap_list = _gaps(backend, group_id, day, links)
    if "whitespace" in layers:
        for acc, family, evidence in gap_list:
            if evidence >= BADGE_MIN_EVIDENCE:
                badges[acc].append(f"gap: {family} ({evidence} peers bought)")
    gaps = len(gap_list)

    nodes: list[MapNode] = []
    edges: list[MapEdge] = []
    company_node = {m["account_id"]: f"company:{m['account_id']}" for m in members}
    names = {m["account_id"]: m["name"] or m["account_id"] for m in members}
    for m in members:
        nid = company_node[m["account_id"]]
        parent = company_node.get(m["parent_id"]) if m["parent_id"] else None
        nodes.append(
            MapNode(
                id=nid,
                kind="company",
                label=_short_member_name(names[m["account_id"]], names.get(m["parent_id"])),
                status=_company_status(m),
                parent=parent,
                level=int(m["depth"] or 0),
                badges=tuple(sorted(badges.get(m["account_id"], []))),
                details=_details(
                    [
                        ("name", names[m["account_id"]]),
                        ("account id", m["account_id"]),
                        ("type", m["hierarchy_type"]),
                        ("country", m["country"]),
                        ("industry", m["industry"]),
                        (
                            "revenue",
                            money.shown(m["revenue_base"], conversion.base, m["unconverted_count"]),
                        ),
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
        roles = roles_of.get(c["contact_id"], [])
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
                        ("previous titles", c.get("previous_titles") or []),
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
    products: set[str] = set()
    open_pipeline = money.pipeline(deals, day, conversion)
    for d in deals:
        company = company_node.get(d["account_id"])
        nid = f"deal:{d['deal_id']}"
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
        if "products" in layers:
            for family in sorted(d["families"] or []):
                pid = f"product:{family}"
                if pid not in products:
                    products.add(pid)
                    nodes.append(MapNode(id=pid, kind="product", label=family))
                edges.append(MapEdge(nid, pid, "includes"))

    verified = sorted(c["last_verified"] for c in contacts if c["last_verified"])
    summary = (
        ("members", str(len(members))),
        (
            "revenue (invoiced)",
            money.shown(
                sum(m["revenue_base"] for m in members),
                conversion.base,
                sum(m["unconverted_count"] for m in members),
            ),
        ),
        (
            "open pipeline",
            money.shown(open_pipeline.base_total, conversion.base, open_pipeline.unconverted),
        ),
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


def _quadrants(backend: Backend, day: str, currency: str) -> dict[str, Row]:
    if "key-account-candidates" not in default_registry():
        return {}
    rows = queries.run(backend, "key-account-candidates", {"as_of": day, "currency": currency})
    return {r["group_id"]: r for r in rows}


def build_portfolio_map(
    backend: Backend, *, as_of: str | None = None, currency: str | None = None
) -> OrgMap:
    """All groups at once: one node per group sized by revenue (in the base currency
    ``currency``), coloured by quadrant."""
    day = as_of or dt.date.today().isoformat()
    base = money.base_currency(currency)
    groups = queries.run(backend, "portfolio-groups", {"as_of": day, "currency": base})
    scored = _quadrants(backend, day, base)
    shared = queries.run(backend, "portfolio-links", {})
    top = max([float(g["revenue_base"]) for g in groups] + [1.0])
    nodes = [MapNode(id="portfolio", kind="company", label="Our portfolio", level=0)]
    edges: list[MapEdge] = []
    used = sorted({scored.get(g["group_id"], {}).get("quadrant") or "unscored" for g in groups})
    for quadrant in used:
        nodes.append(
            MapNode(
                id=f"quadrant:{quadrant}",
                kind="company",
                label=quadrant.title(),
                status=quadrant,
                parent="portfolio",
                level=1,
            )
        )
        edges.append(MapEdge(f"quadrant:{quadrant}", "portfolio", "subsidiary_of"))
    for g in groups:
        score = scored.get(g["group_id"], {})
        quadrant = score.get("quadrant") or "unscored"
        nid = f"group:{g['group_id']}"
        nodes.append(
            MapNode(
                id=nid,
                kind="company",
                label=g["group_name"] or g["group_id"],
                status=quadrant,
                parent=f"quadrant:{quadrant}",
                level=2,
                weight=float(g["revenue_base"]) / top,
                details=_details(
                    [
                        ("group id", g["group_id"]),
                        ("open its map", f"kamgraph map {g['group_id']} -o group.html"),
                        ("members", g["members"]),
                        (
                            "revenue (invoiced)",
                            money.shown(g["revenue_base"], base, g["unconverted_count"]),
                        ),
                        ("deals won / lost / open", f"{g['won']} / {g['lost']} / {g['open']}"),
                        ("industry", g["industry"]),
                        ("region", g["region"]),
                        ("key-account quadrant", score.get("quadrant")),
                        ("rank", score.get("rank")),
                    ]
                ),
            )
        )
        edges.append(MapEdge(nid, f"quadrant:{quadrant}", "subsidiary_of"))
    for link in shared:
        edges.append(
            MapEdge(
                f"group:{link['group_a']}",
                f"group:{link['group_b']}",
                "works_at",
                label=f"{link['shared_contacts']} shared contact(s)",
            )
        )
    total = sum(float(g["revenue_base"]) for g in groups)
    unconverted = sum(int(g["unconverted_count"]) for g in groups)
    summary = (
        ("groups", str(len(groups))),
        ("revenue (invoiced)", money.shown(total, base, unconverted)),
        ("group pairs sharing contacts", str(len(shared))),
    )
    notes: tuple[str, ...] = (
        "Click a group: its details name the command that opens its own map.",
    )
    if not scored:
        notes += ("Key-account quadrants are not available: groups are shown unscored.",)
    return OrgMap(
        title="Portfolio",
        as_of=day,
        summary=summary,
        nodes=tuple(nodes),
        edges=tuple(edges),
        notes=notes,
    )


def group_file_name(group_id: str, name: str) -> str:
    """A stable, safe file name for a group's map: ``<ascii-name>-<id>.html``."""
    import re
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:40]
    safe_id = re.sub(r"[^A-Za-z0-9_-]", "_", group_id)
    return f"{slug}-{safe_id}.html" if slug else f"{safe_id}.html"


def write_all_maps(
    backend: Backend,
    directory: Path,
    *,
    as_of: str | None = None,
    min_members: int = 2,
    currency: str | None = None,
) -> list[tuple[Row, Path]]:
    """One map per group with at least ``min_members`` members or any deal, plus index.html."""
    from kamgraph.viz.orgmap import write_index, write_org_map

    day = as_of or dt.date.today().isoformat()
    directory.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Row, Path]] = []
    for g in queries.run(backend, "portfolio-groups", {"as_of": day, "currency": currency}):
        if g["members"] < min_members and not (g["won"] or g["lost"] or g["open"]):
            continue
        org = build_group_map(backend, g["group_id"], as_of=day, currency=currency)
        name = group_file_name(g["group_id"], g["group_name"] or "")
        written.append((g, write_org_map(org, directory / name)))
    write_index(
        directory / "index.html",
        title="Org maps",
        as_of=day,
        rows=[
            (
                path.name,
                g["group_name"] or g["group_id"],
                f"{g['members']} members · {g['won']} won · {g['lost']} lost · {g['open']} open",
            )
            for g, path in written
        ],
    )
    return written
