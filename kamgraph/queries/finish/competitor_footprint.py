"""competitor-footprint: sort the collected accounts and families (collect order is engine's)."""

from __future__ import annotations

from typing import Any

from kamgraph.backends.base import Row
from kamgraph.queries.run import post_processor


@post_processor("competitor-footprint")
def competitor_footprint(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    return [
        {
            **row,
            "accounts": sorted(row["accounts"]),
            "product_families": sorted(f for f in row["product_families"] if f is not None),
        }
        for row in rows
    ]
