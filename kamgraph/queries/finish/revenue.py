"""group-members and portfolio-groups: invoiced revenue converted to the base currency.

Cypher returns each row's invoices summed per day and currency (``invoices``); this step adds
``revenue_base``, ``base_currency``, ``unconverted_count`` and ``currencies`` beside the plain
``revenue`` and drops the day list (kamgraph/money.py converts).
"""

from __future__ import annotations

from typing import Any

from kamgraph.backends.base import Row
from kamgraph.money import beside, conversion_of
from kamgraph.queries.run import post_processor


def with_revenue_base(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    conversion = conversion_of(params)
    out = []
    for row in rows:
        money = conversion.money()
        for inv in row.get("invoices") or []:
            if inv.get("day") and inv.get("amount"):
                money.add(inv["amount"], inv.get("currency"), inv["day"], inv.get("entries"))
        added = {
            "base_currency": conversion.base,
            "revenue_base": money.base_total,
            "unconverted_count": money.unconverted,
            "currencies": sorted(money.currencies),
        }
        out.append(beside(row, "revenue", added, drop="invoices"))
    return out


post_processor("group-members")(with_revenue_base)
post_processor("portfolio-groups")(with_revenue_base)
