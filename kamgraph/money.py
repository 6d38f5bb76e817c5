"""Amounts as people read them: always with the currency code the data gives (no conversion)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

#: Shown where the data records an amount but no currency.
NO_CURRENCY = "(currency not recorded)"


def format_money(amount: float | int | None, currency: str | None) -> str:
    """``1234567.8, "EUR"`` -> ``"1,234,568 EUR"``; no amount -> ``"–"``."""
    if amount is None:
        return "–"
    code = (currency or "").strip().upper()
    return f"{float(amount):,.0f} {code or NO_CURRENCY}"


def format_totals(amounts: Iterable[tuple[float | int | None, str | None]]) -> str:
    """Amounts summed per currency: ``"337,351 EUR"``, ``"1,000 EUR + 500 USD"``, or ``"0"``."""
    totals: dict[str, float] = defaultdict(float)
    for amount, currency in amounts:
        totals[(currency or "").strip().upper()] += float(amount or 0)
    if not totals:
        return "0"
    return " + ".join(format_money(totals[c], c) for c in sorted(totals))
