"""Deterministic tree layout for org maps: x/y positions computed in Python, no physics.

The company family is laid out as a tidy top-down tree (HQ at the top, one row
per depth). Each tree node carries a block of attached items (contacts, deals,
notes) drawn as a small grid directly below it. Parents with many leaf children
wrap those children into a grid instead of one very wide row. Items that belong
to no single company go to a band below everything.

The result depends only on the order of the inputs, which the caller sorts; no
randomness, no floating-point noise (positions are rounded to integers).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TREE_W = 230
"""Horizontal slot of one tree node (company box plus gap)."""
ITEM_W = 175
"""Horizontal slot of one attached item."""
ITEM_H = 70
"""Vertical slot of one row of attached items."""
BLOCK_TOP = 85
"""Distance from a company's centre to its first row of attached items."""
LEVEL_GAP = 90
"""Vertical gap between the lowest attached row of a depth and the next depth."""
WRAP_LEAVES = 12
"""A node with more leaf children than this lays them out in a grid."""
GRID_ASPECT = 1.6
"""Width to height ratio aimed at when wrapping leaf children into a grid."""


@dataclass(frozen=True)
class LayoutResult:
    """Positions by node id, and the depth of every tree node."""

    positions: Mapping[str, tuple[int, int]]
    depths: Mapping[str, int]


def _block_shape(groups: Sequence[Sequence[str]]) -> tuple[int, list[int]]:
    """Columns and rows per group of a block of attached items."""
    total = sum(len(g) for g in groups)
    if total == 0:
        return 0, []
    cols = max(1, min(total, math.ceil(math.sqrt(total))))
    return cols, [math.ceil(len(g) / cols) for g in groups if g]


def tree_layout(
    tree: Sequence[tuple[str, str | None]],
    attached: Mapping[str, Sequence[Sequence[str]]],
    loose: Sequence[str] = (),
) -> LayoutResult:
    """Lay out a forest with attached item blocks.

    ``tree`` lists ``(id, parent_id)`` in sibling order; a parent that is
    missing, the node itself, or closes a cycle makes the node a root.
    ``attached`` maps a tree id to groups of item ids (each group starts a new
    row, e.g. contacts then deals). ``loose`` items are placed in a band below.
    """
    order = [node_id for node_id, _ in tree]
    known = set(order)
    children: dict[str, list[str]] = {node_id: [] for node_id in order}
    has_parent: set[str] = set()
    for node_id, parent in tree:
        if parent is not None and parent in known and parent != node_id:
            children[parent].append(node_id)
            has_parent.add(node_id)

    # Depths by BFS from the roots; nodes caught in a parent cycle are
    # unreachable, so the first of them (in input order) becomes a root.
    depth: dict[str, int] = {}
    tree_children: dict[str, list[str]] = {node_id: [] for node_id in order}
    roots: list[str] = []

    def walk(root: str) -> None:
        depth[root] = 0
        roots.append(root)
        queue = [root]
        while queue:
            nxt: list[str] = []
            for node_id in queue:
                for child in children[node_id]:
                    if child not in depth:
                        depth[child] = depth[node_id] + 1
                        tree_children[node_id].append(child)
                        nxt.append(child)
            queue = nxt

    for node_id in order:
        if node_id not in has_parent:
            walk(node_id)
    for node_id in order:
        if node_id not in depth:
            walk(node_id)

    block: dict[str, tuple[int, list[int]]] = {
        node_id: _block_shape(attached.get(node_id, ())) for node_id in order
    }

    def own_width(node_id: str) -> int:
        return max(TREE_W, block[node_id][0] * ITEM_W + 2 * (ITEM_W // 4))

    def cell_height(node_id: str) -> int:
        return BLOCK_TOP + sum(block[node_id][1]) * ITEM_H + LEVEL_GAP

    # Subtree widths, children before parents (reverse BFS order is enough).
    bfs: list[str] = []
    for root in roots:
        level = [root]
        while level:
            bfs.extend(level)
            level = [c for n in level for c in tree_children[n]]
    width: dict[str, int] = {}
    grid: dict[str, tuple[int, int, list[int]]] = {}
    for node_id in reversed(bfs):
        kids = tree_children[node_id]
        if not kids:
            width[node_id] = own_width(node_id)
            continue
        if len(kids) > WRAP_LEAVES and all(not tree_children[k] for k in kids):
            cell_w = max(width[k] for k in kids)
            cell_h = max(cell_height(k) for k in kids)
            # Aim for a grid about 1.6 times wider than tall.
            cols = math.ceil(math.sqrt(len(kids) * GRID_ASPECT * cell_h / cell_w))
            cols = max(1, min(len(kids), cols))
            row_h = [
                max(cell_height(k) for k in kids[r * cols : (r + 1) * cols])
                for r in range(math.ceil(len(kids) / cols))
            ]
            grid[node_id] = (cols, cell_w, row_h)
            width[node_id] = max(own_width(node_id), cols * cell_w)
        else:
            width[node_id] = max(own_width(node_id), sum(width[k] for k in kids))

    # One row per depth, tall enough for the largest block at that depth.
    max_depth = max(depth.values(), default=0)
    row_y = [0] * (max_depth + 2)
    for d in range(max_depth + 1):
        deepest = max((sum(block[n][1]) for n in order if depth[n] == d), default=0)
        row_y[d + 1] = row_y[d] + BLOCK_TOP + deepest * ITEM_H + LEVEL_GAP

    pos: dict[str, tuple[float, float]] = {}
    stack: list[tuple[str, float, float]] = []
    left = 0.0
    for root in roots:
        stack.append((root, left + width[root] / 2, float(row_y[0])))
        left += width[root]
    stack.reverse()
    while stack:
        node_id, x, y = stack.pop()
        pos[node_id] = (x, y)
        cols = max(1, block[node_id][0])
        row_top = y + BLOCK_TOP
        for group in attached.get(node_id, ()):
            for start in range(0, len(group), cols):
                row = group[start : start + cols]
                for i, item in enumerate(row):
                    pos[item] = (x + (i - (len(row) - 1) / 2) * ITEM_W, row_top)
                row_top += ITEM_H
        kids = tree_children[node_id]
        placed: list[tuple[str, float, float]] = []
        if node_id in grid:
            gcols, cell_w, row_h = grid[node_id]
            first_x = x - (gcols - 1) * cell_w / 2
            cy = float(row_y[depth[node_id] + 1])
            for r, height in enumerate(row_h):
                for c, kid in enumerate(kids[r * gcols : (r + 1) * gcols]):
                    placed.append((kid, first_x + c * cell_w, cy))
                cy += height
        else:
            kid_left = x - sum(width[k] for k in kids) / 2
            for kid in kids:
                placed.append((kid, kid_left + width[kid] / 2, float(row_y[depth[kid]])))
                kid_left += width[kid]
        stack.extend(reversed(placed))

    if loose:
        bottom = max((p[1] for p in pos.values()), default=0.0)
        span = max(left, float(ITEM_W))
        cols = max(1, min(len(loose), int(span // ITEM_W)))
        y0 = bottom + LEVEL_GAP + ITEM_H
        for idx, item in enumerate(loose):
            r, c = divmod(idx, cols)
            n_in_row = min(cols, len(loose) - r * cols)
            pos[item] = (span / 2 + (c - (n_in_row - 1) / 2) * ITEM_W, y0 + r * ITEM_H)

    return LayoutResult(
        positions={k: (round(v[0]), round(v[1])) for k, v in pos.items()},
        depths=dict(depth),
    )
