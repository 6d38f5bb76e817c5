"""Exchange-rate files: the ECB reference-rate CSV and a plain date,currency,rate CSV.

Both are read into ``FxRate`` records (units of a currency per 1 EUR on a date), the form
kamgraph/money.py converts with:

- the ECB shape (``eurofxref-hist.csv`` / ``eurofxref.csv``): a ``Date`` column, then one
  column per currency; ``N/A`` or an empty cell means no rate that day (skipped, not an error);
- the long shape: ``date, currency, rate`` columns, one rate per row, rate per 1 EUR.

A rate that is not a positive number is rejected naming the file, line and column.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kamgraph.errors import InputDataError
from kamgraph.ingest import fields as f
from kamgraph.ingest.csvio import PROBLEM, raw_line, read_csv, read_header
from kamgraph.ingest.records import Origin, Record, Reject, node
from kamgraph.ingest.rows import problem_reason
from kamgraph.money import QUOTE_CURRENCY, currency_code

#: Cells of the ECB file that mean "no rate that day".
NO_RATE = frozenset({"", "N/A", "NA", "-"})
LONG_COLUMNS = ("date", "currency", "rate")


def rate_record(currency: str, day: str, rate: float, origin: Origin) -> Record:
    """One rate as a node record for ``upsert-fx-rate``."""
    key = f"{currency}@{day}"
    props = {"rate_id": key, "currency": currency, "date": day, "rate": rate}
    return node("upsert-fx-rate", key, props, origin)


def _rate(value: str, column: str) -> float:
    rate = f.number(value)
    if rate is None or rate <= 0:
        raise f.FieldError(f"rate {value!r} in column {column} is not a positive number")
    return rate


def read_rates(path: Path, *, encoding: str | None = None) -> Iterator[Record | Reject]:
    """The rate records of one file of either shape (decided by its header)."""
    if not path.is_file():
        raise InputDataError(f"{path}: no such file")
    header = [h.strip().lower() for h in read_header(path, encoding=encoding)]
    long = all(c in header for c in LONG_COLUMNS)
    if not long and "date" not in header:
        raise InputDataError(
            f"{path}: not a rate file: the header needs Date plus one column per currency "
            "(the ECB eurofxref-hist.csv shape) or date, currency, rate"
        )
    currencies = [] if long else [h for h in header if h != "date" and h]
    for column in currencies:
        if currency_code(column) is None:
            raise InputDataError(
                f"{path}: column {column!r} is not a three-letter currency code; "
                "the ECB shape has Date, then one column per currency (USD, JPY, ...)"
            )
    return _records(path, encoding, long, currencies)


def _records(
    path: Path, encoding: str | None, long: bool, currencies: list[str]
) -> Iterator[Record | Reject]:
    for row in read_csv(path, encoding=encoding):
        origin = Origin(row.file, row.line, raw_line(row))
        if PROBLEM in row.cells:
            yield Reject(row.file, row.line, "(row)", problem_reason(row), origin.raw)
            continue
        try:
            day = f.date(row.get("date"))
        except f.FieldError as e:
            yield Reject(row.file, row.line, "date", f"date {e}", origin.raw)
            continue
        if not day:
            yield Reject(
                row.file, row.line, "date", "date is required; write YYYY-MM-DD", origin.raw
            )
            continue
        cells = (
            [(row.get("currency"), row.get("rate"), "rate")]
            if long
            else [(c, row.get(c), c.upper()) for c in currencies]
        )
        for code, value, column in cells:
            if not long and value.upper() in NO_RATE:
                continue
            currency = currency_code(code)
            if currency is None:
                reason = f"currency {code!r} is not a three-letter ISO 4217 code such as USD"
                yield Reject(row.file, row.line, "currency", reason, origin.raw)
                continue
            if currency == QUOTE_CURRENCY:
                continue  # 1 EUR is 1 EUR: rates are quoted per 1 EUR
            try:
                rate = _rate(value, column)
            except f.FieldError as e:
                yield Reject(
                    row.file, row.line, column, f"{e}; rates are units per 1 EUR", origin.raw
                )
                continue
            yield rate_record(currency, day, rate, origin)


def open_source(
    path: Path, encoding: str | None, options: Mapping[str, Any]
) -> tuple[Iterator[Record | Reject], list[str]]:
    """The ``fx`` ingest source (kamgraph.ingest.pipeline.SOURCES)."""
    return read_rates(path, encoding=encoding), [str(path)]
