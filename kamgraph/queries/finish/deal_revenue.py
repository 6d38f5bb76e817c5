"""cross-sell-gaps and group-whitespace: won deals' amounts converted to the base currency.

Cypher returns the won deals behind each row's sum (``evidence_deals`` / ``peer_deals``:
amount, currency, close date); this step adds the converted sum beside the sum as given and
orders the rows by it (kamgraph/money.py converts; docs/queries.md, "Currencies").
"""

from __future__ import annotations

from typing import Any

from kamgraph.backends.base import Row
from kamgraph.money import beside, conversion_of
from kamgraph.queries.run import post_processor


def _converted(rows: list[Row], params: dict[str, Any], deals: str, total: str) -> list[Row]:
    conversion = conversion_of(params)
    out = []
    for row in rows:
        money = conversion.money()
        for d in row.get(deals) or []:
            if d.get("amount"):
                money.add(d["amount"], d.get("currency"), d.get("day"))
        added = {
            "base_currency": conversion.base,
            f"{total}_base": money.base_total,
            "unconverted_count": money.unconverted,
        }
        out.append(beside(row, total, added, drop=deals))
    return out


@post_processor("cross-sell-gaps")
def cross_sell_gaps(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    converted = _converted(rows, params, "evidence_deals", "evidence_revenue")
    return sorted(
        converted,
        key=lambda r: (
            -r["evidence"],
            -r["evidence_revenue_base"],
            r["group_id"],
            r["account_id"],
            r["product_family"],
        ),
    )


@post_processor("group-whitespace")
def group_whitespace(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    converted = _converted(rows, params, "peer_deals", "peer_revenue")
    return sorted(
        converted,
        key=lambda r: (
            -r["peer_groups"],
            -r["peer_revenue_base"],
            r["group_id"],
            r["product_family"],
        ),
    )
