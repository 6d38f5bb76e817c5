"""Money in one currency: exchange rates read from the graph, and sums that convert each amount
at the rate of its own date (the one place amounts are converted; docs/queries.md, "Currencies").

Rates are stored as the ECB quotes them: units of a currency per 1 EUR on a date. An amount in
currency C on day D is converted with the rates of the latest rate date on or before D (a
weekend or holiday uses the last business day before it); base = amount / rate(C) * rate(base).
An amount already in the base currency needs no rate. An amount with no currency, or whose
currency (or the base) has no rate on or before its date, is *unconverted*: it is left out of
the converted total and counted, never added as if it were in the base currency.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kamgraph.backends.base import Backend
from kamgraph.errors import InvalidValueError

#: The currency the stored rates are quoted against (the ECB publishes rates per 1 EUR).
QUOTE_CURRENCY = "EUR"
#: The base currency when neither a flag nor KAMGRAPH_BASE_CURRENCY names one.
DEFAULT_BASE = "EUR"
BASE_ENV = "KAMGRAPH_BASE_CURRENCY"
_CODE = re.compile(r"^[A-Z]{3}$")


def currency_code(value: Any) -> str | None:
    """``value`` as an upper-case ISO 4217 code, None when blank or not a three-letter code."""
    text = str(value or "").strip().upper()
    return text if _CODE.match(text) else None


def base_currency(value: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The base currency: ``value``, else KAMGRAPH_BASE_CURRENCY, else EUR; checked."""
    env = os.environ if environ is None else environ
    given = value if value not in (None, "") else env.get(BASE_ENV) or DEFAULT_BASE
    code = currency_code(given)
    if code is None:
        raise InvalidValueError(
            f"the base currency {given!r} (the currency setting, or {BASE_ENV}) is not a "
            "three-letter ISO 4217 code such as EUR or USD"
        )
    return code


@dataclass(frozen=True)
class Rates:
    """Rates per 1 EUR by currency: each a date-sorted list of (ISO date, rate)."""

    by_currency: Mapping[str, tuple[tuple[str, ...], tuple[float, ...]]] = field(
        default_factory=dict
    )

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> Rates:
        """Rates from rows with ``currency``, ``date`` and ``rate`` (units per 1 EUR)."""
        pairs: dict[str, dict[str, float]] = {}
        for r in rows:
            code = currency_code(r.get("currency"))
            if code is None or not r.get("date") or not r.get("rate"):
                continue
            pairs.setdefault(code, {})[str(r["date"])[:10]] = float(r["rate"])
        return cls(
            {
                code: (tuple(sorted(days)), tuple(days[d] for d in sorted(days)))
                for code, days in pairs.items()
            }
        )

    def per_eur(self, currency: str, day: str) -> float | None:
        """Units of ``currency`` per 1 EUR on ``day``: the latest rate on or before it."""
        if currency == QUOTE_CURRENCY:
            return 1.0
        found = self.by_currency.get(currency)
        if found is None:
            return None
        days, rates = found
        i = bisect.bisect_right(days, day[:10]) - 1
        return rates[i] if i >= 0 else None

    def convert(self, amount: float, currency: Any, day: Any, base: str) -> float | None:
        """``amount`` in ``currency`` on ``day`` in ``base``; None when it cannot be converted."""
        code = currency_code(currency)
        if code is None:
            return None
        if code == base:
            return float(amount)
        if not day:
            return None
        source, target = self.per_eur(code, str(day)), self.per_eur(base, str(day))
        if source is None or target is None:
            return None
        return float(amount) / source * target


@dataclass
class Money:
    """A sum kept twice: as given (mixed currencies, the old fields) and converted to ``base``."""

    base: str
    rates: Rates
    #: The plain sum of the amounts, whatever their currencies (what the old fields report).
    given: float = 0.0
    #: The sum of the amounts that could be converted, in ``base``.
    converted: float = 0.0
    #: How many entries could not be converted (no currency, or no rate on or before the day).
    unconverted: int = 0
    currencies: set[str] = field(default_factory=set)

    def add(self, amount: Any, currency: Any, day: Any, entries: Any = 1) -> None:
        """Add one amount (the sum of ``entries`` entries of one currency on one day)."""
        if amount is None:
            return
        self.given += float(amount)
        code = currency_code(currency)
        self.currencies.add(code or "(none)")
        value = self.rates.convert(float(amount), code, day, self.base)
        if value is None:
            self.unconverted += int(entries or 1)
        else:
            self.converted += value

    def merge(self, other: Money) -> None:
        self.given += other.given
        self.converted += other.converted
        self.unconverted += other.unconverted
        self.currencies |= other.currencies

    @property
    def base_total(self) -> float:
        return round(self.converted, 2)


def wanted(value: Any) -> Iterator[tuple[str, str]]:
    """The (currency, day) pairs of the amounts in ``value``: every record, at any depth, with
    ``currency`` and ``day`` (the shape the money queries' Cypher returns)."""
    if isinstance(value, Mapping):
        code = currency_code(value.get("currency"))
        if code and value.get("day"):
            yield code, str(value["day"])[:10]
        for v in value.values():
            if isinstance(v, list | Mapping):
                yield from wanted(v)
    elif isinstance(value, list):
        for v in value:
            yield from wanted(v)


def load_rates(backend: Backend, needs: Iterable[tuple[str, str]], base: str) -> Rates:
    """The stored rates that convert amounts of these (currency, day) pairs to ``base``: those
    between the first and the last day, and the latest before the first day (a full ECB
    history holds 200,000 rates; a query needs a few hundred)."""
    from kamgraph import queries

    pairs = set(needs)  # many rows share their amounts' (currency, day)
    if not pairs:
        return Rates()
    currencies = sorted({c for c, _ in pairs} | {base} - {QUOTE_CURRENCY})
    if not currencies:
        return Rates()
    first, last = min(d for _, d in pairs), max(d for _, d in pairs)
    between = {"currencies": currencies, "from": first, "to": last}
    before = {"currencies": currencies, "before": first}
    return Rates.from_rows(
        [
            *queries.run(backend, "fx-rates-before", before),
            *queries.run(backend, "fx-rates", between),
        ]
    )


@dataclass(frozen=True)
class Conversion:
    """What a money query needs to convert: the base currency and the rates."""

    base: str
    rates: Rates

    def money(self) -> Money:
        return Money(self.base, self.rates)


def conversion_of(params: Mapping[str, Any]) -> Conversion:
    """The conversion a finishing step was given (kamgraph.queries.run adds it)."""
    found = params.get(CONVERSION_PARAM)
    if isinstance(found, Conversion):
        return found
    return Conversion(base_currency(params.get("currency")), Rates())


#: The key under which :func:`kamgraph.queries.run` hands a money query's finishing step its
#: :class:`Conversion` (never passed to Cypher).
CONVERSION_PARAM = "_conversion"


def unconverted_warning(rows: Iterable[Mapping[str, Any]]) -> str | None:
    """A one-line warning when rows hold amounts that could not be converted, else None."""
    counted = [r for r in rows if int(r.get("unconverted_count") or 0) > 0]
    if not counted:
        return None
    base = counted[0].get("base_currency") or "the base currency"
    return (
        f"{len(counted)} row(s) hold amounts that could not be converted to {base} (no currency, "
        "or no exchange rate on or before their date); they are left out of the *_base totals "
        "and counted in unconverted_count. Load rates with `kamgraph ingest fx FILE`."
    )


def shown(amount: float, base: str, unconverted: int = 0) -> str:
    """``amount`` for people: ``1,234,567 EUR``, naming what was left out when anything was."""
    text = format_money(amount, base)
    if unconverted:
        text += f" (+{unconverted} amount(s) not converted: no rate)"
    return text


def open_amounts(deals: Iterable[Mapping[str, Any]], day: str) -> list[dict[str, Any]]:
    """The open deals' amounts, each dated ``day`` (the view's date: an open deal is worth what
    it is worth today)."""
    return [
        {"amount": d["amount"], "currency": d.get("currency"), "day": day}
        for d in deals
        if d.get("status") == "open" and d.get("amount")
    ]


def pipeline(deals: Iterable[Mapping[str, Any]], day: str, conversion: Conversion) -> Money:
    """The open deals' amounts in the base currency (:func:`open_amounts`)."""
    total = conversion.money()
    for d in open_amounts(deals, day):
        total.add(d["amount"], d["currency"], d["day"])
    return total


def conversion_for(backend: Backend, currency: str | None, amounts: Any) -> Conversion:
    """The base currency (``currency``, else the setting) and the stored rates ``amounts``
    (records with ``currency`` and ``day``, at any depth) need."""
    base = base_currency(currency)
    return Conversion(base, load_rates(backend, wanted(amounts), base))


def beside(row: Mapping[str, Any], key: str, added: Mapping[str, Any], drop: str) -> dict[str, Any]:
    """``row`` without ``drop`` (the amounts Cypher gathered), ``added`` placed after ``key``."""
    out: dict[str, Any] = {}
    for k, v in row.items():
        if k != drop:
            out[k] = v
        if k == key:
            out.update(added)
    return out


#: Shown where the data records an amount but no currency.
NO_CURRENCY = "(currency not recorded)"


def format_money(amount: float | int | None, currency: str | None) -> str:
    """One amount as given, with the currency code the data gives (no conversion):
    ``1234567.8, "EUR"`` -> ``"1,234,568 EUR"``; no amount -> ``"–"``."""
    if amount is None:
        return "–"
    code = (currency or "").strip().upper()
    return f"{float(amount):,.0f} {code or NO_CURRENCY}"
