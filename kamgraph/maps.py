"""Assembling a customer group's org map from the group view (the renderer never touches a store).

``resolve_group`` lives in kamgraph/group.py and is re-exported here for older imports.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kamgraph import money, queries
from kamgraph.backends.base import Backend, Row
from kamgraph.errors import ConfigError, NotFoundError
from kamgraph.group import GroupView, check_day, group_view, resolve_group
from kamgraph.money import format_money
from kamgraph.personal.notice import personal_data_notice
from kamgraph.queries.registry import default_registry
from kamgraph.schema.model import DECISIVE_ROLES
from kamgraph.viz.model import MapEdge, MapNode, MemberState, OrgMap

__all__ = [
    "LAYERS",
    "STALE_DAYS",
    "build_group_map",
    "build_portfolio_map",
    "check_layers",
    "find_groups",
    "group_file_name",
    "resolve_group",
    "resolve_map_target",
    "write_all_maps",
]

#: Contacts not verified for this many days are drawn faded.
STALE_DAYS = 180
#: What a group map can show besides the family tree (``kamgraph map --layers``).
LAYERS = ("contacts", "deals", "products", "whitespace", "waves", "reps")


def _short_member_name(name: str, parent: str | None) -> str:
    """ "Acme Nord GmbH - Werk Hamburg" under "Acme Nord GmbH" is drawn as "Werk Hamburg"."""
    if parent and name.startswith(parent) and len(name) > len(parent) + 2:
        rest = name[len(parent) :].lstrip(" -–—,/:·")
        if rest:
            return rest
    return name


def _short_deal_name(name: str, group_name: str) -> str:
    """ "Nordwind Wien - Safety Sensors 2024" in the Nordwind group is drawn as "Safety Sensors
    2024": the deal sits in its member's row, and the shared prefix made labels look alike."""
    head, sep, rest = name.partition(" - ")
    first = group_name.split(" ", 1)[0].casefold()
    if sep and rest.strip() and first and head.casefold().startswith(first):
        return rest.strip()
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


def _member_states(
    links: list[Row], member_ids: list[str]
) -> dict[str, list[tuple[str, MemberState, str]]]:
    """Account id -> (family, state, competitor) per product family, as procurement-links says.

    procurement-links decides a member's outcome per family (its latest deal); members it does
    not name for a family are untouched.
    """
    states: dict[str, list[tuple[str, MemberState, str]]] = defaultdict(list)
    for row in sorted(links, key=lambda r: str(r["product_family"])):
        family = str(row["product_family"])
        named: dict[str, tuple[MemberState, str]] = {acc: ("won", "") for acc in row["won"]}
        named.update({acc: ("open", "") for acc in row["open"]})
        named.update({x["account_id"]: ("lost", x.get("competitor") or "") for x in row["lost"]})
        for acc in member_ids:
            state, detail = named.get(acc, ("untouched", ""))
            states[acc].append((family, state, detail))
    return states


#: Next buyers marked per (group, family) on the map.
NEXT_BUYERS_SHOWN = 3


def _next_buyers(backend: Backend, group_id: str, day: str) -> dict[tuple[str, str], str]:
    """(account id, family) -> "next buyer #r (from .. to)" for the top of next-buyers: the
    family view shows it on the untouched member, the badges list it."""
    rows = queries.run(
        backend, "next-buyers", {"group_id": group_id, "as_of": day, "top": NEXT_BUYERS_SHOWN}
    )
    return {
        (r["account_id"], r["product_family"]): (
            f"next buyer #{r['rank']} ({r['expected_from']} .. {r['expected_to']})"
        )
        for r in rows
    }


def _strength(backend: Backend, group_id: str, day: str) -> dict[str, list[tuple[str, Any]]]:
    """Contact id -> person-card lines from relationship-strength: each rep's score with the
    touchpoints behind it, strongest first, and a gone-dark warning."""
    lines: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    rows = queries.run(backend, "relationship-strength", {"group_id": group_id, "as_of": day})
    for r in rows:  # strongest first
        last = f", last {r['last_touch']}" if r["last_touch"] else ""
        lines[r["contact_id"]].append(
            (
                f"strength with {r['rep_name']}",
                f"{r['score']:.2f} ({len(r['touchpoints'])} touchpoint(s){last})",
            )
        )
        if r["gone_dark"]:
            lines[r["contact_id"]].append(
                ("gone dark", f"with {r['rep_name']} on {len(r['dark_deals'])} open deal(s)")
            )
    return lines


def _default_family(links: list[Row]) -> str:
    """The family of the group's live wave (the latest), else the one most members bought."""
    waves = sorted(
        (w for w in links if w["is_wave"]),
        key=lambda w: (str(w["window_end"] or ""), str(w["product_family"])),
    )
    if waves:
        return str(waves[-1]["product_family"])
    busy = sorted(
        links,
        key=lambda r: (
            -(len(r["won"]) + len(r["open"]) + len(r["lost"])),
            str(r["product_family"]),
        ),
    )
    return str(busy[0]["product_family"]) if busy else ""


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def _headline(
    view: GroupView, links: list[Row], family: str, gaps: list[tuple[str, str, int]]
) -> str:
    """The map's findings as sentences: the wave, who we know at HQ, the gaps, the money."""
    members = view.members
    parts: list[str] = []
    wave = next((w for w in links if w["is_wave"] and w["product_family"] == family), None)
    if wave is not None:
        rivals = sorted({x.get("competitor") or "unknown" for x in wave["lost"]})
        lost = f"lost {len(wave['lost'])}" + (f" (to {', '.join(rivals)})" if rivals else "")
        parts.append(
            f"{family} is bought as a wave ({wave['window_start']} to {wave['window_end']}): "
            f"we won {len(wave['won'])}, {lost}, {len(wave['open'])} open and "
            f"{len(wave['untouched'])} of {len(members)} members are untouched."
        )
    else:
        parts.append("No procurement wave is running.")
    hq = {m["account_id"] for m in members if not m["parent_id"]}
    roles = view.roles_of()
    at_hq = [c for c in view.people if c["account_id"] in hq]
    deciders = [
        c for c in at_hq if any(r in DECISIVE_ROLES for r in roles.get(c["contact_id"], []))
    ]
    if not at_hq:
        parts.append("At HQ we know nobody.")
    else:
        named = ", ".join(
            f"{c['name'] or c['contact_id']} ({', '.join(roles[c['contact_id']])})"
            for c in deciders[:3]
        )
        parts.append(
            f"At HQ we know {_plural(len(at_hq), 'person', 'people')}"
            + (f", {_plural(len(deciders), 'decider')}: {named}." if deciders else ", no decider.")
        )
    if gaps:
        families = sorted({f for _, f, _ in gaps})
        parts.append(
            f"{_plural(len(gaps), 'cross-sell gap')} in {', '.join(families[:4])}"
            + (f" and {len(families) - 4} more families." if len(families) > 4 else ".")
        )
    else:
        parts.append("No cross-sell gaps.")
    return " ".join(parts)


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
    states = _member_states(links, [m["account_id"] for m in members])
    next_up = _next_buyers(backend, group_id, day)
    for acc, rows in states.items():
        states[acc] = [
            (f, st, next_up.get((acc, f), detail) if st == "untouched" else detail)
            for f, st, detail in rows
        ]
    family = _default_family(links)

    badges: dict[str, list[str]] = defaultdict(list)
    waves = [w for w in links if w["is_wave"]]
    if "waves" in layers:
        for wave in waves:
            wave_family = wave["product_family"]
            for acc in wave["wave_members"]:
                badges[acc].append(f"wave: {wave_family}")
            for acc in wave["untouched"]:
                badges[acc].append(f"untouched: {wave_family} wave")
    if "waves" in layers:
        for (acc, next_family), text in next_up.items():
            badges[acc].append(f"{text}: {next_family}")
    gap_list = _gaps(backend, group_id, day, links)
    if "whitespace" in layers:
        for acc, gap_family, evidence in gap_list:
            if evidence >= BADGE_MIN_EVIDENCE:
                badges[acc].append(f"gap: {gap_family} ({evidence} peers bought)")
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
                states=tuple(states.get(m["account_id"], [])),
                details=_details(
                    [
                        ("name", names[m["account_id"]]),
                        ("account id", m["account_id"]),
                        ("type", m["hierarchy_type"]),
                        ("country", m["country"]),
                        ("industry", m["industry"]),
                        (
                            "revenue (invoiced)",
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
    rep_names = {r["rep_id"]: r["name"] or r["rep_id"] for r in view.reps}
    known_by: dict[str, set[str]] = defaultdict(set)
    for t in view.touchpoints:
        known_by[t["contact_id"]].add(t["rep_id"])
    contact_node = {c["contact_id"]: f"contact:{c['contact_id']}" for c in contacts}
    strength = _strength(backend, group_id, day) if contacts else {}
    reps_drawn: set[str] = set()
    for c in contacts:
        roles = roles_of.get(c["contact_id"], [])
        decisive = [r for r in roles if r in DECISIVE_ROLES]
        company = company_node.get(c["account_id"])
        knowers = sorted(known_by.get(c["contact_id"], ()))
        nodes.append(
            MapNode(
                id=contact_node[c["contact_id"]],
                kind="contact",
                label=c["name"] or c["contact_id"],
                status=(decisive or roles or [""])[0],
                parent=company,
                attitude=c["attitude"] or "",
                faded=not c["last_verified"] or c["last_verified"] < cutoff,
                title=c["job_title"] or "",
                verified=c["last_verified"] or "",
                known_by=tuple(sorted(rep_names.get(r, r) for r in knowers)),
                decisive=bool(decisive),
                details=_details(
                    [
                        ("title", c["job_title"]),
                        ("previous titles", c.get("previous_titles") or []),
                        ("department", c["department"]),
                        ("decision roles", roles),
                        ("attitude", c["attitude"]),
                        ("influence", c["influence"]),
                        ("last verified", c["last_verified"] or "never"),
                        ("known by", sorted(rep_names.get(r, r) for r in knowers)),
                        *strength.get(c["contact_id"], []),
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
        if "reps" in layers:
            for rep in knowers:
                rid = f"rep:{rep}"
                if rid not in reps_drawn:
                    reps_drawn.add(rid)
                    nodes.append(MapNode(id=rid, kind="rep", label=rep_names.get(rep, rep)))
                edges.append(MapEdge(rid, contact_node[c["contact_id"]], "knows"))
    competitors: set[str] = set()
    products: set[str] = set()
    for d in deals:
        company = company_node.get(d["account_id"])
        nid = f"deal:{d['deal_id']}"
        nodes.append(
            MapNode(
                id=nid,
                kind="deal",
                label=_short_deal_name(d["name"] or d["deal_id"], group_name),
                status=d["status"],
                parent=company,
                families=tuple(sorted(d["families"] or [])),
                details=_details(
                    [
                        ("name", d["name"]),
                        ("deal id", d["deal_id"]),
                        ("status", d["status"]),
                        ("amount", format_money(float(d["amount"] or 0), d["currency"])),
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
            for product_family in sorted(d["families"] or []):
                pid = f"product:{product_family}"
                if pid not in products:
                    products.add(pid)
                    nodes.append(MapNode(id=pid, kind="product", label=product_family))
                edges.append(MapEdge(nid, pid, "includes"))

    # The header counts the whole group whatever layers are drawn.
    pipeline = money.pipeline(view.deals, day, conversion)
    open_pipeline = money.shown(pipeline.base_total, conversion.base, pipeline.unconverted)
    verified = sorted(c["last_verified"] for c in view.people if c["last_verified"])
    stale = sum(1 for c in view.people if not c["last_verified"] or c["last_verified"] < cutoff)
    revenue = money.shown(
        sum(m["revenue_base"] for m in members),
        conversion.base,
        sum(m["unconverted_count"] for m in members),
    )
    summary = (
        ("members", str(len(members))),
        ("revenue (invoiced)", revenue),
        ("open pipeline", open_pipeline),
        ("procurement waves", ", ".join(w["product_family"] for w in waves) or "none"),
        ("cross-sell gaps", str(gaps)),
        ("contacts", f"{len(view.people)} ({stale} stale)"),
        ("data freshness", f"contacts last verified {verified[-1]}" if verified else "no contacts"),
        ("personal data", personal_data_notice(day, people="contacts" in layers)),
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
        headline=_headline(view, links, family, gap_list) + f" Open pipeline {open_pipeline}.",
        families=tuple(sorted({str(r["product_family"]) for r in links})),
        family=family,
    )


def _quadrants(backend: Backend, day: str, currency: str) -> dict[str, Row]:
    if "key-account-candidates" not in default_registry():
        return {}
    rows = queries.run(backend, "key-account-candidates", {"as_of": day, "currency": currency})
    return {r["group_id"]: r for r in rows}


#: Quadrant names of the key-account matrix and the centre of their cell (x = our relative
#: strength, y = attractiveness; both split at the portfolio's medians).
MATRIX_QUADRANTS: tuple[tuple[str, float, float], ...] = (
    ("strategic", 0.75, 0.75),
    ("star", 0.25, 0.75),
    ("status", 0.75, 0.25),
    ("streamline", 0.25, 0.25),
)


def _around_median(value: float, median: float) -> float:
    """A 0..1 score placed so that the portfolio's median sits in the middle of the axis."""
    if value < median:
        return 0.5 * value / median if median > 0 else 0.0
    return 0.5 + 0.5 * (value - median) / (1 - median) if median < 1 else 1.0


def _group_findings(backend: Backend, day: str) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Group id -> its live wave families, and group id -> its cross-sell gap count."""
    waves: dict[str, list[str]] = defaultdict(list)
    for w in queries.run(backend, "procurement-links", {"waves_only": True, "as_of": day}):
        waves[w["group_id"]].append(w["product_family"])
    gaps: dict[str, int] = defaultdict(int)
    if "cross-sell-gaps" in default_registry():
        for row in queries.run(backend, "cross-sell-gaps", {"as_of": day}):
            gaps[row["group_id"]] += 1
    return waves, gaps


def build_portfolio_map(
    backend: Backend,
    *,
    as_of: str | None = None,
    links: dict[str, str] | None = None,
    currency: str | None = None,
) -> OrgMap:
    """All groups on the key-account matrix: attractiveness against our relative strength.

    Groups are placed by their key-account-candidates scores, sized by revenue and marked with
    their live waves and gaps. ``links`` (group id -> file name of its map, as written by
    :func:`write_all_maps`) makes each group open its own map. Revenue is in the base currency
    ``currency`` (None: the KAMGRAPH_BASE_CURRENCY setting).
    """
    day = check_day(as_of)
    base = money.base_currency(currency)
    groups = queries.run(backend, "portfolio-groups", {"as_of": day, "currency": base})
    scored = _quadrants(backend, day, base)
    waves, gaps = _group_findings(backend, day)
    top = max([float(g["revenue_base"]) for g in groups] + [1.0])
    mid_a = statistics.median([float(r["attractiveness"]) for r in scored.values()] or [0.5])
    mid_s = statistics.median([float(r["strength"]) for r in scored.values()] or [0.5])
    nodes: list[MapNode] = []
    for g in groups:
        score = scored.get(g["group_id"], {})
        quadrant = score.get("quadrant") or "unscored"
        group_waves = sorted(waves.get(g["group_id"], []))
        marks = [f"wave: {f}" for f in group_waves]
        if gaps.get(g["group_id"]):
            marks.append(f"gaps: {gaps[g['group_id']]}")
        point = (
            (
                _around_median(float(score["strength"]), mid_s),
                _around_median(float(score["attractiveness"]), mid_a),
            )
            if score
            else None
        )
        link = (links or {}).get(g["group_id"], "")
        nodes.append(
            MapNode(
                id=f"group:{g['group_id']}",
                kind="company",
                label=g["group_name"] or g["group_id"],
                status=quadrant,
                level=0,
                weight=float(g["revenue_base"]) / top,
                badges=tuple(marks),
                point=point,
                link=link,
                details=_details(
                    [
                        ("group id", g["group_id"]),
                        (
                            "open its map",
                            "" if link else f"kamgraph map {g['group_id']} -o group.html",
                        ),
                        ("members", g["members"]),
                        (
                            "revenue (invoiced)",
                            money.shown(g["revenue_base"], base, g["unconverted_count"]),
                        ),
                        ("deals won / lost / open", f"{g['won']} / {g['lost']} / {g['open']}"),
                        ("live waves", group_waves),
                        ("cross-sell gaps", gaps.get(g["group_id"], 0)),
                        ("industry", g["industry"]),
                        ("region", g["region"]),
                        ("key-account quadrant", score.get("quadrant")),
                        ("attractiveness", score.get("attractiveness")),
                        ("relative strength", score.get("strength")),
                        ("rank", score.get("rank")),
                    ]
                ),
            )
        )
    total = money.shown(
        sum(float(g["revenue_base"]) for g in groups),
        base,
        sum(int(g["unconverted_count"]) for g in groups),
    )
    with_waves = sum(1 for g in groups if waves.get(g["group_id"]))
    headline = (
        f"{_plural(len(groups), 'group')}; {with_waves} with a live procurement wave; "
        f"{sum(1 for g in groups if gaps.get(g['group_id']))} with cross-sell gaps. "
        "Top right: strategic accounts (attractive, and we are strong); top left: stars "
        "(attractive, we are weak)."
    )
    summary = (
        ("groups", str(len(groups))),
        ("revenue (invoiced)", total),
        ("groups with a live wave", str(with_waves)),
        ("personal data", personal_data_notice(day)),
    )
    notes: tuple[str, ...] = (
        "Click a group for its facts"
        + (" and a link to its map." if links else "; its details name the command for its map."),
    )
    if not scored:
        notes += ("Key-account scores are not available: groups are listed unplaced.",)
    return OrgMap(
        title="Portfolio",
        as_of=day,
        summary=summary,
        nodes=tuple(nodes),
        edges=(),
        notes=notes,
        headline=headline,
        matrix=("our relative strength →", "attractiveness →", MATRIX_QUADRANTS),
    )


def group_file_name(group_id: str, name: str) -> str:
    """A stable, safe file name for a group's map: ``<name>-<id>.html``.

    Letters and digits of any script are kept (a Chinese group keeps its name), Latin letters
    without their accents; everything else becomes ``-``; the id keeps two groups with the same
    name apart.
    """
    import re
    import unicodedata

    # accents dropped (Süd -> sud), other scripts kept as they are
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    flat = unicodedata.normalize("NFKC", bare).casefold()
    slug = re.sub(r"[^\w]+|_+", "-", flat).strip("-")[:40].strip("-")
    safe_id = re.sub(r"[^A-Za-z0-9_-]", "_", group_id)
    return f"{slug}-{safe_id}.html" if slug else f"{safe_id}.html"


def find_groups(backend: Backend, text: str, *, as_of: str | None = None) -> list[Row]:
    """Groups whose name contains ``text`` (case- and accent-insensitive), best match first.

    A group whose name equals ``text`` comes alone; otherwise every group containing it.
    """
    import unicodedata

    def fold(value: str) -> str:
        decomposed = unicodedata.normalize("NFKD", value.casefold())
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()

    wanted = fold(text)
    groups = queries.run(backend, "portfolio-groups", {"as_of": check_day(as_of)})
    exact = [g for g in groups if fold(g["group_name"] or "") == wanted]
    if exact:
        return exact
    return sorted(
        (g for g in groups if wanted and wanted in fold(g["group_name"] or "")),
        key=lambda g: (str(g["group_name"]).casefold(), g["group_id"]),
    )


def resolve_map_target(backend: Backend, text: str, *, as_of: str | None = None) -> str:
    """The account id a ``kamgraph map`` argument names: an account id, or a group's name.

    Raises NotFoundError when nothing matches, ConfigError (a usage error: name the group more
    closely) listing the candidates when several groups match.
    """
    try:
        return resolve_group(backend, text)[0]
    except NotFoundError:
        found = find_groups(backend, text, as_of=as_of)
    if len(found) == 1:
        return str(found[0]["group_id"])
    if not found:
        raise NotFoundError(
            f"no company with id {text!r} and no group whose name contains it; "
            "`kamgraph map --all DIR` lists every group"
        )
    listed = "; ".join(f"{g['group_name']} ({g['group_id']})" for g in found[:10])
    more = f" and {len(found) - 10} more" if len(found) > 10 else ""
    raise ConfigError(
        f"{len(found)} groups match {text!r}: {listed}{more}; give the group id or more of the name"
    )


def write_all_maps(
    backend: Backend,
    directory: Path,
    *,
    as_of: str | None = None,
    min_members: int = 1,
    on_start: Callable[[int], None] | None = None,
    on_map: Callable[[int], None] | None = None,
    people: bool = True,
    currency: str | None = None,
) -> list[tuple[Row, Path]]:
    """One map per group (with at least ``min_members`` members or any deal), index.html and
    portfolio.html (the key-account matrix linking to each map).

    ``on_start`` hears how many maps will be written, ``on_map`` each one written (progress).
    ``people=False`` leaves contacts out of every map, for wide distribution. Money is in the
    base currency ``currency`` (None: the KAMGRAPH_BASE_CURRENCY setting).
    """
    from kamgraph.viz.orgmap import IndexRow, write_index, write_org_map

    layers = LAYERS if people else tuple(x for x in LAYERS if x != "contacts")
    day = check_day(as_of)
    base = money.base_currency(currency)
    directory.mkdir(parents=True, exist_ok=True)
    groups = [
        g
        for g in queries.run(backend, "portfolio-groups", {"as_of": day, "currency": base})
        if g["members"] >= min_members or g["won"] or g["lost"] or g["open"]
    ]
    if on_start is not None:
        on_start(len(groups))
    written: list[tuple[Row, Path]] = []
    rows: list[IndexRow] = []
    for g in groups:
        org = build_group_map(backend, g["group_id"], as_of=day, layers=layers, currency=base)
        name = group_file_name(g["group_id"], g["group_name"] or "")
        path = write_org_map(org, directory / name)
        written.append((g, path))
        if on_map is not None:
            on_map(1)
        facts = dict(org.summary)
        rows.append(
            IndexRow(
                href=path.name,
                name=g["group_name"] or g["group_id"],
                members=int(g["members"]),
                revenue=float(g["revenue_base"]),
                revenue_text=money.shown(g["revenue_base"], base, g["unconverted_count"]),
                waves=facts.get("procurement waves", ""),
                gaps=int(facts.get("cross-sell gaps", "0") or 0),
                freshness=facts.get("data freshness", ""),
            )
        )
    portfolio = build_portfolio_map(
        backend, as_of=day, links={g["group_id"]: p.name for g, p in written}, currency=base
    )
    write_org_map(portfolio, directory / PORTFOLIO_FILE)
    write_index(
        directory / "index.html",
        title="Org maps",
        as_of=day,
        rows=rows,
        notice=personal_data_notice(day, people=people),
    )
    return written


#: The portfolio matrix's file name inside a ``map --all`` folder (the index links to it).
PORTFOLIO_FILE = "portfolio.html"
