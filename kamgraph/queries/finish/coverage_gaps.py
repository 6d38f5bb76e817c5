"""coverage-gaps: one order over both parts of the UNION (group rows first within a group)."""

from __future__ import annotations

from typing import Any

from kamgraph.backends.base import Row
from kamgraph.queries.run import post_processor

#: Most urgent first within a deal.
GAP_ORDER = (
    "hq_procurement_uncovered",
    "hostile_decision_maker",
    "missing_decisive_role",
    "single_threaded",
)


@post_processor("coverage-gaps")
def coverage_gaps(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    def key(row: Row) -> tuple[str, bool, str, str, int]:
        return (
            row["group_id"],
            row["deal_id"] is not None,
            row["account_id"] or "",
            row["deal_id"] or "",
            GAP_ORDER.index(row["gap"]),
        )

    return sorted(rows, key=key)
