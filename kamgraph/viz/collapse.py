"""Collapse branch companies (level >= 2) of a big map into one count node per parent.

Above the collapse threshold a map would be slow to read and to draw, so each
group of branches under the same level 0/1 company, with everything hanging off
them (contacts, deals, notes), becomes one placeholder such as "37 branches".
Links into the collapsed part are redirected to the placeholder.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kamgraph.viz.model import MapEdge, MapNode, OrgMap

COLLAPSED_PREFIX = "collapsed:"


@dataclass(frozen=True)
class CollapsedGroup:
    """The placeholder for the collapsed branches below one company (``parent``)."""

    id: str
    parent: str | None
    companies: int
    statuses: tuple[tuple[str, int], ...]
    contacts: int
    deals: int
    deal_statuses: tuple[tuple[str, int], ...]
    others: int
    badged: int

    @property
    def label(self) -> str:
        """Two-line drawn label: the branch count, then what came with them."""
        head = f"{self.companies} branch" if self.companies == 1 else f"{self.companies} branches"
        parts = [f"{self.contacts} contacts", f"{self.deals} deals"]
        if self.others:
            parts.append(f"{self.others} other")
        return head + "\n" + " · ".join(parts)

    @property
    def details(self) -> tuple[tuple[str, str], ...]:
        """Field/value pairs for the details panel."""
        rows: list[tuple[str, str]] = [("branch companies", str(self.companies))]
        rows += [(f"  {status or 'no status'}", str(n)) for status, n in self.statuses]
        rows.append(("contacts", str(self.contacts)))
        rows.append(("deals", str(self.deals)))
        rows += [(f"  {status or 'no status'}", str(n)) for status, n in self.deal_statuses]
        if self.others:
            rows.append(("other items", str(self.others)))
        rows.append(("items with badges", str(self.badged)))
        return tuple(rows)


@dataclass(frozen=True)
class Collapsed:
    """A map with its branches replaced by count placeholders."""

    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    groups: tuple[CollapsedGroup, ...]
    note: str


def _counts(values: list[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(Counter(values).items()))


def collapse_branches(org: OrgMap) -> Collapsed | None:
    """Collapse level >= 2 companies and their attached items; ``None`` if there are none."""
    by_id = {n.id: n for n in org.nodes}

    def anchor_of(company: MapNode) -> str | None:
        """Nearest ancestor company with level < 2 (cycle-safe)."""
        seen = {company.id}
        current = company
        while current.parent is not None and current.parent in by_id and current.parent not in seen:
            current = by_id[current.parent]
            seen.add(current.id)
            if current.kind == "company" and current.level < 2:
                return current.id
        return None

    taken_ids = set(by_id)

    def group_id(anchor: str | None) -> str:
        candidate = COLLAPSED_PREFIX + (anchor if anchor is not None else "(unattached)")
        while candidate in taken_ids:
            candidate += "~"
        return candidate

    # node id -> group id, for collapsed companies first, then things hanging off them.
    target: dict[str, str] = {}
    gid_by_anchor: dict[str | None, str] = {}
    for node in sorted(org.nodes, key=lambda n: n.id):
        if node.kind == "company" and node.level >= 2:
            anchor = anchor_of(node)
            if anchor not in gid_by_anchor:
                gid_by_anchor[anchor] = group_id(anchor)
            target[node.id] = gid_by_anchor[anchor]
    if not target:
        return None
    group_parent = {gid: anchor for anchor, gid in gid_by_anchor.items()}

    changed = True
    while changed:
        changed = False
        for node in org.nodes:
            if node.id not in target and node.kind != "company" and node.parent in target:
                target[node.id] = target[node.parent]
                changed = True

    members: dict[str, list[MapNode]] = {}
    for node in org.nodes:
        if node.id in target:
            members.setdefault(target[node.id], []).append(node)
    groups = []
    for gid in sorted(members):
        items = members[gid]
        companies = [n for n in items if n.kind == "company"]
        deals = [n for n in items if n.kind == "deal"]
        contacts = [n for n in items if n.kind == "contact"]
        groups.append(
            CollapsedGroup(
                id=gid,
                parent=group_parent[gid],
                companies=len(companies),
                statuses=_counts([n.status.casefold().strip() for n in companies]),
                contacts=len(contacts),
                deals=len(deals),
                deal_statuses=_counts([n.status.casefold().strip() for n in deals]),
                others=len(items) - len(companies) - len(deals) - len(contacts),
                badged=sum(1 for n in items if n.badges),
            )
        )

    seen_edges: set[tuple[str, str, str]] = set()
    edges: list[MapEdge] = []
    for edge in sorted(org.edges, key=lambda e: (e.source, e.target, e.kind, e.label)):
        source = target.get(edge.source, edge.source)
        dest = target.get(edge.target, edge.target)
        if source == dest:
            continue
        remapped = edge.source in target or edge.target in target
        key = (source, dest, edge.kind)
        if key in seen_edges:
            continue
        seen_edges.add(key)
        edges.append(MapEdge(source, dest, edge.kind, "" if remapped else edge.label))

    n_companies = sum(g.companies for g in groups)
    n_items = len(target) - n_companies
    note = (
        f"{n_companies} branch companies (level 2 and below) with their {n_items} "
        "contacts, deals and notes "
        f"were collapsed into {len(groups)} count node{'s' if len(groups) != 1 else ''} "
        f"because the map has {len(org.nodes)} nodes."
    )
    return Collapsed(
        nodes=tuple(n for n in org.nodes if n.id not in target),
        edges=tuple(edges),
        groups=tuple(groups),
        note=note,
    )
