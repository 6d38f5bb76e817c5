"""Corporate families: which group (top company) every company belongs to, at any depth.

Computed in Python over the active parent links because it must survive what Cypher cannot
report: ParentId cycles and companies with conflicting parents from different sources.
"""

from __future__ import annotations

from dataclasses import dataclass

from kamgraph.backends.base import Backend
from kamgraph.queries import statement

#: When sources disagree about a parent, the CRM wins for the family tree (the others are kept
#: as links and flagged by ``hierarchy-issues``).
SOURCE_PRIORITY = ("salesforce", "csv", "gleif", "dnb", "subsidiaries")
#: Sources that describe companies as context (reference data), not as customers: a family
#: made only of their companies is ``reference_only`` and stays out of the account analytics.
REFERENCE_SOURCES = frozenset({"gleif", "subsidiaries", "dnb"})


@dataclass(frozen=True)
class Membership:
    """A company's place in its family."""

    key: str
    group_id: str
    depth: int
    hierarchy_issue: str | None
    #: No company of the family comes from a CRM (only GLEIF, Exhibit 21, D&B).
    reference_only: bool = False


def compute_families(links: list[dict[str, str]], keys: list[str]) -> dict[str, Membership]:
    """Group every key by following its preferred parent up to the top; cycles are flagged."""
    parents: dict[str, list[tuple[int, str, str]]] = {}
    for link in links:
        source = link.get("source") or ""
        rank = SOURCE_PRIORITY.index(source) if source in SOURCE_PRIORITY else len(SOURCE_PRIORITY)
        parents.setdefault(link["child"], []).append((rank, link["parent"], source))
    preferred: dict[str, str] = {}
    conflicts: set[str] = set()
    for child, options in parents.items():
        options.sort()
        preferred[child] = options[0][1]
        if len({p for _, p, _ in options}) > 1:
            conflicts.add(child)
    result: dict[str, Membership] = {}
    for key in keys:
        path = [key]
        seen = {key}
        issue: str | None = "conflicting parents" if key in conflicts else None
        current = key
        while current in preferred:
            nxt = preferred[current]
            if nxt in seen:
                issue = "parent cycle"
                break
            path.append(nxt)
            seen.add(nxt)
            current = nxt
        if issue == "parent cycle":
            # A cycle has no top: the group is named by the smallest id on the cycle.
            cycle_start = path.index(preferred[current])
            top = min(path[cycle_start:])
            result[key] = Membership(key, top, cycle_start, issue)
        else:
            result[key] = Membership(key, path[-1], len(path) - 1, issue)
    return result


def update_families(backend: Backend) -> int:
    """Recompute and store group_id/depth/hierarchy_issue/reference_only where they changed;
    returns the number of companies changed."""
    links = backend.read(statement("parent-links").text)
    current = backend.read(statement("company-groups").text)
    computed = compute_families(links, [row["key"] for row in current])
    crm_groups = {
        computed[row["key"]].group_id for row in current if row["source"] not in REFERENCE_SOURCES
    }
    changes = []
    for row in current:
        m = computed[row["key"]]
        reference_only = m.group_id not in crm_groups
        if (
            row["group_id"],
            row["depth"],
            row["hierarchy_issue"],
            row["reference_only"] is True,
        ) != (m.group_id, m.depth, m.hierarchy_issue, reference_only):
            changes.append(
                {
                    "key": m.key,
                    "group_id": m.group_id,
                    "depth": m.depth,
                    "hierarchy_issue": m.hierarchy_issue,
                    "reference_only": reference_only,
                }
            )
    set_groups = statement("set-groups").text
    for start in range(0, len(changes), 1000):
        backend.write(set_groups, {"rows": changes[start : start + 1000]})
    return len(changes)
