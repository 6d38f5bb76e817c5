"""warm-paths: a breadth-first search from each target over the edges the Cypher listed.

The Cypher returns three kinds of rows (``part``): the target(s), the warm contacts with one
row per reason, and the edges of the walkable graph. Here every target gets one search, and
each warm contact reached within ``max_hops`` yields a row with its shortest path.
"""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any

from kamgraph.backends.base import Row
from kamgraph.errors import InvalidValueError, NotFoundError
from kamgraph.queries.finish.people_moves import match_people
from kamgraph.queries.run import post_processor

Node = tuple[str, str]  # (kind, key): ("company", account_id), ("contact", ...), ("deal", ...)

#: Order of the reasons in a row: how they feel about us, what they did for us, where they went.
REASON_KINDS = ("attitude", "won_role", "moved")


def _graph(rows: list[Row]) -> tuple[dict[Node, list[Node]], dict[Node, str]]:
    """Undirected adjacency (neighbours sorted, so the search is deterministic) and names."""
    neighbours: dict[Node, set[Node]] = defaultdict(set)
    names: dict[Node, str] = {}
    for row in rows:
        a: Node = (row["kind"], row["key"])
        b: Node = (row["other_kind"], row["other_key"])
        names[a] = row["name"]
        names[b] = row["other_name"]
        neighbours[a].add(b)
        neighbours[b].add(a)
    return {n: sorted(ns) for n, ns in neighbours.items()}, names


def _toward(
    target: Node, adjacency: dict[Node, list[Node]], max_hops: int
) -> tuple[dict[Node, int], dict[Node, Node]]:
    """Hops from every node within ``max_hops`` to ``target``, and each node's next step."""
    hops = {target: 0}
    step: dict[Node, Node] = {}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        if hops[node] == max_hops:
            continue
        for nxt in adjacency.get(node, []):
            if nxt not in hops:
                hops[nxt] = hops[node] + 1
                step[nxt] = node
                queue.append(nxt)
    return hops, step


def _warm(rows: list[Row], identities: list[Row]) -> dict[str, dict[str, Any]]:
    """Warm contacts: name, strength (best points per kind, summed) and reasons.

    A warm person's other Contact records (people-moves' matching) are warm as well, with
    the same points, unless their email bounced."""
    best: dict[str, dict[str, int]] = defaultdict(dict)
    reasons: dict[str, set[tuple[int, str]]] = defaultdict(set)
    names: dict[str, str] = {}
    for row in rows:
        key = row["key"]
        names[key] = row["name"]
        best[key][row["kind"]] = max(best[key].get(row["kind"], 0), int(row["points"]))
        reasons[key].add((REASON_KINDS.index(row["kind"]), row["detail"]))
    records = [{"contact_id": r["key"], "name": r["name"], **r["detail"]} for r in identities]
    for people, matched_by in match_people(records):
        known = [r for r in people if r["contact_id"] in best]
        for record in people:
            key = record["contact_id"]
            if record.get("email_bounced") or key in best or not known:
                continue
            source = known[0]["contact_id"]
            names[key] = record["name"]
            best[key] = dict(best[source])
            reasons[key] = set(reasons[source]) | {
                (
                    REASON_KINDS.index("moved"),
                    f"same person as record {source} ({'; '.join(matched_by)})",
                )
            }
    return {
        key: {
            "name": names[key],
            "strength": sum(best[key].values()),
            "reason": "; ".join(detail for _, detail in sorted(reasons[key])),
        }
        for key in best
    }


@post_processor("warm-paths")
def warm_paths(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    max_hops = int(params["max_hops"])
    if max_hops < 1:
        raise InvalidValueError(f"query 'warm-paths': max_hops={max_hops} must be at least 1")
    targets = sorted(
        {(r["kind"], r["key"]): r["name"] for r in rows if r["part"] == "target"}.items()
    )
    if params.get("target") is not None and not targets:
        raise NotFoundError(
            f"warm-paths: no company or contact with id {params['target']!r}; pass an "
            "account_id or contact_id in its 18-character form"
        )
    adjacency, names = _graph([r for r in rows if r["part"] == "edge"])
    warm = _warm(
        [r for r in rows if r["part"] == "warm"], [r for r in rows if r["part"] == "identity"]
    )
    out: list[Row] = []
    for target, target_name in targets:
        hops, step = _toward(target, adjacency, max_hops)
        for contact_id in sorted(warm):
            via: Node = ("contact", contact_id)
            if via == target or via not in hops:
                continue
            path = [via]
            while path[-1] != target:
                path.append(step[path[-1]])
            out.append(
                {
                    "target": target[1],
                    "target_name": target_name,
                    "via_contact_id": contact_id,
                    "via_name": warm[contact_id]["name"],
                    "hops": hops[via],
                    "path": [{"kind": k, "id": i, "name": names.get((k, i))} for k, i in path],
                    "strength": warm[contact_id]["strength"],
                    "reason": warm[contact_id]["reason"],
                }
            )
    out.sort(key=lambda r: (r["target"], r["hops"], -r["strength"], r["via_contact_id"]))
    return out
