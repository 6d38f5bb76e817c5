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


def _converted(
    rows: list[Row], params: dict[str, Any], deals: str, total: str, rank: tuple[str, ...]
) -> list[Row]:
    """Rows with ``total``'s converted sum beside it, ordered by ``rank[0]`` (descending), the
    converted sum (descending), then the other ``rank`` fields."""
    conversion = conversion_of(params)
    # Rows of one group and family share their evidence: each distinct list converts once
    # (measured at M: 32k rows carried 587k amounts, 36 s of conversions before this).
    totals: dict[tuple[tuple[Any, Any, Any], ...], tuple[float, int]] = {}
    out = []
    for row in rows:
        amounts = tuple(
            (d["amount"], d.get("currency"), d.get("day"))
            for d in row.get(deals) or []
            if d.get("amount")
        )
        if amounts not in totals:
            money = conversion.money()
            for amount, currency, day in amounts:
                money.add(amount, currency, day)
            totals[amounts] = (money.base_total, money.unconverted)
        base_total, unconverted = totals[amounts]
        added = {
            "base_currency": conversion.base,
            f"{total}_base": base_total,
            "unconverted_count": unconverted,
        }
        out.append(beside(row, total, added, drop=deals))
    first, *rest = rank
    return sorted(out, key=lambda r: (-r[first], -r[f"{total}_base"], *(r[k] for k in rest)))


@post_processor("cross-sell-gaps")
def cross_sell_gaps(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    rank = ("evidence", "group_id", "account_id", "product_family")
    return _converted(rows, params, "evidence_deals", "evidence_revenue", rank)


@post_processor("group-whitespace")
def group_whitespace(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    rank = ("peer_groups", "group_id", "product_family")
    return _converted(rows, params, "peer_deals", "peer_revenue", rank)
