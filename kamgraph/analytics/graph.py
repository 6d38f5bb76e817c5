"""A customer group's relationship graph: the group view (kamgraph/group.py) as a networkx graph.

One directed graph holds what the analyses and the exports need: the family's companies, the
people employed there on a date, their deals, and our reps. Node ids are ``kind:key``
(``company:001...``, ``contact:003...``, ``deal:006...``, ``rep:005...``); every node has
``kind`` and ``label`` (its name); attributes are never None (a missing value is left out).

Edges (``relation`` attribute):

- ``SUBSIDIARY_OF`` / ``BRANCH_OF``  company -> parent company (active links only)
- ``WORKS_AT``   contact -> company (every member they are employed at on ``as_of``)
- ``REPORTS_TO`` contact -> contact (their current manager, both employed in the family)
- ``HAS_DEAL``   company -> deal;  ``ROLE_IN`` contact -> deal (``role``, ``is_primary``)
- ``OWNS``       rep -> deal;  ``ON_TEAM`` rep -> company (``team_role``, ``tier``)
- ``KNOWS``      rep -> contact: ``touchpoints`` (count in the window), ``last_touch``, and
  ``owner`` (the rep owns the contact record in the CRM)

Reps appear only when they have an edge into the family.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from kamgraph.backends.base import Backend, Row
from kamgraph.group import (
    DEFAULT_WINDOW_DAYS,
    GroupView,
    check_day,
    read_group,
    resolve_group,
    window_start,
)

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "build_graph",
    "check_day",
    "edges_of",
    "group_graph",
    "nodes_of",
    "portfolio_graph",
    "window_start",
]


def _attrs(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Attributes without None values (the writers and Gephi want strings or numbers)."""
    return {k: v for k, v in pairs if v is not None}


def build_graph(rows: GroupView, *, as_of: str, group_id: str | None = None) -> nx.DiGraph:
    """The relationship graph of a group view (see the module docstring for its shape)."""
    g = nx.DiGraph(as_of=as_of)
    if group_id is not None:
        g.graph["group_id"] = group_id
    for m in sorted(rows.members, key=lambda r: r["account_id"]):
        g.add_node(
            f"company:{m['account_id']}",
            **_attrs(
                [
                    ("kind", "company"),
                    ("label", m["name"] or m["account_id"]),
                    ("account_id", m["account_id"]),
                    ("group_id", m["group_id"]),
                    ("depth", m["depth"]),
                    ("hierarchy_type", m["hierarchy_type"]),
                    ("country", m["country"]),
                ]
            ),
        )
    for m in rows.members:
        parent = f"company:{m['parent_id']}"
        if m["parent_id"] and parent in g:
            g.add_edge(f"company:{m['account_id']}", parent, relation=m["parent_type"])
    people: dict[str, Row] = {}
    for c in sorted(rows.people, key=lambda r: (r["contact_id"], r["group_id"])):
        node = f"contact:{c['contact_id']}"
        if node not in g:
            people[node] = c
            g.add_node(
                node,
                **_attrs(
                    [
                        ("kind", "contact"),
                        ("label", c["name"] or c["contact_id"]),
                        ("contact_id", c["contact_id"]),
                        ("account_id", c["account_id"]),
                        ("group_id", c["group_id"]),
                        ("job_title", c["job_title"]),
                        ("last_verified", c["last_verified"]),
                        ("attitude", c["attitude"]),
                        ("influence", c["influence"]),
                    ]
                ),
            )
        for employer in c["employers"] or [c["account_id"]]:
            if f"company:{employer}" in g:
                g.add_edge(node, f"company:{employer}", relation="WORKS_AT")
    for node, c in people.items():
        boss = f"contact:{c['reports_to']}"
        if c["reports_to"] and boss in people and boss != node:
            g.add_edge(node, boss, relation="REPORTS_TO")
    for d in sorted(rows.deals, key=lambda r: r["deal_id"]):
        node = f"deal:{d['deal_id']}"
        g.add_node(
            node,
            **_attrs(
                [
                    ("kind", "deal"),
                    ("label", d["name"] or d["deal_id"]),
                    ("deal_id", d["deal_id"]),
                    ("account_id", d["account_id"]),
                    ("group_id", d["group_id"]),
                    ("status", d["status"]),
                    ("amount", None if d["amount"] is None else float(d["amount"])),
                    ("currency", d["currency"]),
                    ("created", d["created"]),
                    ("closed", d["closed"]),
                    ("families", "; ".join(d["families"] or []) or None),
                ]
            ),
        )
        g.add_edge(f"company:{d['account_id']}", node, relation="HAS_DEAL")
    for r in sorted(rows.roles, key=lambda r: (r["contact_id"], r["deal_id"])):
        person, deal = f"contact:{r['contact_id']}", f"deal:{r['deal_id']}"
        if person in people and deal in g:
            g.add_edge(
                person,
                deal,
                relation="ROLE_IN",
                role=r["role"] or "Other",
                is_primary=bool(r["is_primary"]),
            )
    reps = {r["rep_id"]: r for r in rows.reps}

    def rep_node(rep_id: str) -> str:
        node = f"rep:{rep_id}"
        if node not in g:
            rep = reps.get(rep_id, {})
            g.add_node(
                node,
                **_attrs(
                    [
                        ("kind", "rep"),
                        ("label", rep.get("name") or rep_id),
                        ("rep_id", rep_id),
                        ("job_title", rep.get("job_title")),
                        ("tier", rep.get("tier")),
                    ]
                ),
            )
        return node

    for d in sorted(rows.deals, key=lambda r: r["deal_id"]):
        if d["owner_id"]:
            g.add_edge(rep_node(d["owner_id"]), f"deal:{d['deal_id']}", relation="OWNS")
    for t in sorted(rows.team, key=lambda r: (r["rep_id"], r["account_id"])):
        company = f"company:{t['account_id']}"
        if company in g:
            g.add_edge(
                rep_node(t["rep_id"]),
                company,
                **_attrs(
                    [
                        ("relation", "ON_TEAM"),
                        ("team_role", t["team_role"]),
                        ("tier", t["team_tier"]),
                    ]
                ),
            )
    known: dict[tuple[str, str], dict[str, Any]] = {}
    for node, c in sorted(people.items()):
        if c["owner_id"] in reps:
            known[(c["owner_id"], node)] = {"touchpoints": 0, "owner": True}
    for t in rows.touchpoints:
        node = f"contact:{t['contact_id']}"
        if node not in people or t["rep_id"] not in reps:
            continue
        link = known.setdefault((t["rep_id"], node), {"touchpoints": 0, "owner": False})
        link["touchpoints"] += int(t["touchpoints"])
        link["last_touch"] = max(link.get("last_touch", ""), t["last_date"] or "") or None
    for (rep_id, node), link in sorted(known.items()):
        g.add_edge(rep_node(rep_id), node, relation="KNOWS", **_attrs(link.items()))
    return g


def group_graph(
    backend: Backend,
    account_id: str,
    *,
    as_of: str | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> nx.DiGraph:
    """The relationship graph of the group ``account_id`` (its top company or any member)."""
    day = check_day(as_of)
    group_id, group_name = resolve_group(backend, account_id)
    rows = read_group(backend, group_id, as_of=day, window_days=window_days)
    g = build_graph(rows, as_of=day, group_id=group_id)
    g.graph["group_name"] = group_name
    g.graph["window_days"] = window_days
    return g


def portfolio_graph(
    backend: Backend, *, as_of: str | None = None, window_days: int = DEFAULT_WINDOW_DAYS
) -> nx.DiGraph:
    """The relationship graph of every group at once (``kamgraph export --all``)."""
    day = check_day(as_of)
    g = build_graph(read_group(backend, None, as_of=day, window_days=window_days), as_of=day)
    g.graph["window_days"] = window_days
    return g


def nodes_of(g: nx.DiGraph, kind: str) -> list[str]:
    """Node ids of one kind, sorted (so every analysis walks the graph in the same order)."""
    return sorted(n for n, k in g.nodes(data="kind") if k == kind)


def edges_of(g: nx.DiGraph, relation: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Edges of one relation as (source, target, attributes), sorted by their ends."""
    return sorted(
        ((u, v, d) for u, v, d in g.edges(data=True) if d.get("relation") == relation),
        key=lambda e: (e[0], e[1]),
    )


def company_names(g: nx.DiGraph) -> dict[str, str]:
    """Account id -> the company's name, for the names shown beside ids."""
    return {
        str(d["account_id"]): str(d.get("label") or d["account_id"])
        for _, d in g.nodes(data=True)
        if d.get("kind") == "company" and d.get("account_id")
    }
