"""Single points of failure in our coverage of a customer family.

Our coverage is what we reach from "us": us -> every rep -> the contacts a rep has a living
relationship with (touchpoints in the window, a decision role on a deal the rep owns, or owning
the contact in the CRM) -> the members those contacts work at. A member is covered when it is
reachable; a key decision role of a member (an Economic Buyer, Decision Maker or Economic
Decision Maker on one of its deals) is covered when one of its holders is reachable.

For every rep and contact, we take them out and look again: whatever was covered before and is
not any more is what their loss would cost. ``articulation_point`` says whether the person is a
cut vertex of the same graph taken undirected (networkx), the textbook name for the same risk.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from kamgraph.analytics.graph import company_names, edges_of, nodes_of
from kamgraph.backends.base import Row
from kamgraph.schema.model import DECISIVE_ROLES

US = "us"

COLUMNS = (
    "kind",
    "person_id",
    "name",
    "account_id",
    "account_name",
    "articulation_point",
    "lost_members",
    "lost_member_names",
    "lost_roles",
    "lost_contacts",
    "lost_contact_names",
    "what_is_lost",
)


def coverage_graph(g: nx.DiGraph) -> nx.DiGraph:
    """us -> reps -> contacts -> members, from a family graph (kamgraph.analytics.graph)."""
    c = nx.DiGraph()
    c.add_node(US)
    for rep in nodes_of(g, "rep"):
        c.add_edge(US, rep)
    for rep, person, _ in edges_of(g, "KNOWS"):
        c.add_edge(rep, person)
    owner = {deal: rep for rep, deal, _ in edges_of(g, "OWNS")}
    for person, deal, _ in edges_of(g, "ROLE_IN"):
        if deal in owner:
            c.add_edge(owner[deal], person)
    for person, company, _ in edges_of(g, "WORKS_AT"):
        c.add_edge(person, company)
    return c


def key_roles(g: nx.DiGraph) -> dict[tuple[str, str], set[str]]:
    """(member node, decisive role) -> the contacts holding it on a deal of that member."""
    company_of = {deal: company for company, deal, _ in edges_of(g, "HAS_DEAL")}
    roles: dict[tuple[str, str], set[str]] = {}
    for person, deal, d in edges_of(g, "ROLE_IN"):
        if d.get("role") in DECISIVE_ROLES:
            roles.setdefault((company_of[deal], d["role"]), set()).add(person)
    return roles


def _covered(
    c: nx.DiGraph, roles: dict[tuple[str, str], set[str]], without: str | None = None
) -> tuple[set[str], set[tuple[str, str]], set[str]]:
    if without is not None:
        c = nx.restricted_view(c, [without], [])
    reached = nx.descendants(c, US)
    members = {n for n in reached if n.startswith("company:")}
    people = {n for n in reached if n.startswith("contact:")}
    covered_roles = {key for key, holders in roles.items() if holders & people}
    return members, covered_roles, people


def _names(g: nx.DiGraph, nodes: Iterable[str]) -> str:
    return ", ".join(sorted(str(g.nodes[n]["label"]) for n in nodes))


def single_points(g: nx.DiGraph) -> list[Row]:
    """Reps and contacts whose loss would uncover a member or a key decision role.

    Rows (columns :data:`COLUMNS`), the biggest losses first. ``lost_members`` are account ids,
    ``lost_roles`` read "Economic Buyer at <member name>", ``lost_contacts`` are the contact ids
    we would be out of touch with (for a rep).
    """
    c = coverage_graph(g)
    roles = key_roles(g)
    members, covered_roles, people = _covered(c, roles)
    cut = set(nx.articulation_points(c.to_undirected()))
    companies = company_names(g)
    rows: list[Row] = []
    for node in nodes_of(g, "rep") + nodes_of(g, "contact"):
        after_members, after_roles, after_people = _covered(c, roles, without=node)
        lost_members = sorted(members - after_members)
        lost_roles = sorted(covered_roles - after_roles, key=lambda k: (k[0], k[1]))
        lost_people = sorted(people - after_people - {node})
        if not lost_members and not lost_roles:
            continue
        data = g.nodes[node]
        kind = str(data["kind"])
        role_text = [f"{role} at {g.nodes[company]['label']}" for company, role in lost_roles]
        parts = []
        if lost_members:
            parts.append(f"no one left we know at {_names(g, lost_members)}")
        if role_text:
            parts.append("uncovered: " + "; ".join(role_text))
        if lost_people:
            parts.append(f"out of touch with {_names(g, lost_people)}")
        rows.append(
            {
                "kind": kind,
                "person_id": data["rep_id"] if kind == "rep" else data["contact_id"],
                "name": data["label"],
                "account_id": data.get("account_id"),
                "account_name": companies.get(str(data.get("account_id"))),
                "articulation_point": node in cut,
                "lost_members": [g.nodes[m]["account_id"] for m in lost_members],
                "lost_member_names": [g.nodes[m]["label"] for m in lost_members],
                "lost_roles": role_text,
                "lost_contacts": [g.nodes[p]["contact_id"] for p in lost_people],
                "lost_contact_names": [g.nodes[p]["label"] for p in lost_people],
                "what_is_lost": "; ".join(parts),
            }
        )
    rows.sort(
        key=lambda r: (
            -len(r["lost_members"]),
            -len(r["lost_roles"]),
            r["kind"] != "rep",
            r["name"],
            r["person_id"],
        )
    )
    return rows


def bridges(g: nx.DiGraph) -> list[tuple[str, str]]:
    """Relationships (rep-contact, contact-member) that are the only link to what lies beyond.

    The bridges of the part of the undirected coverage graph we reach, as sorted (node, node)
    pairs; links from "us" to a rep are left out (every rep hangs on us by one link by
    construction).
    """
    c = coverage_graph(g).to_undirected()
    c = c.subgraph(nx.node_connected_component(c, US))  # what we do not reach cannot be cut
    found = {tuple(sorted(e)) for e in nx.bridges(c) if US not in e}
    return sorted((a, b) for a, b in found)
