"""account-roi on both backends over tests/data/account-roi (accounts + finance entries)."""

from __future__ import annotations

from typing import Any

import pytest

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.errors import InvalidValueError
from kamgraph.ingest.pipeline import ingest
from kamgraph.schema import apply_schema

from .conftest import DATA

FIXTURE = DATA / "account-roi"
P0, P1, P2 = (f"001000000001{n}AAA" for n in ("001", "002", "003"))
Q0 = "001000000001101AAA"
FIRST_HALF = {"from": "2025-01-01", "to": "2025-06-30"}


def load(backend: Backend) -> None:
    apply_schema(backend)
    ingest(backend, "salesforce", FIXTURE)
    ingest(backend, "finance", FIXTURE / "finance.csv")


def run(backend: Backend, **params: Any) -> list[dict[str, Any]]:
    return queries.run(backend, "account-roi", params)


MONEY = ("revenue", "cost", "margin", "roi", "prev_revenue", "prev_cost", "revenue_trend")


def old_fields(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fields account-roi had before currencies (the names beside ids and the converted
    fields are checked in tests/test_currency.py)."""
    keep = ("level", "group_id", "account_id", "name", *MONEY)
    return [{k: r[k] for k in keep} for r in rows]


def row(level: str, group: str, account: str | None, name: str, *values: Any) -> dict[str, Any]:
    keys = MONEY
    return {
        "level": level,
        "group_id": group,
        "account_id": account,
        "name": name,
        **dict(zip(keys, values, strict=True)),
    }


def test_revenue_cost_margin_roi_per_group_and_member(backend: Backend) -> None:
    load(backend)
    rows = run(backend, **FIRST_HALF)
    # Every entry is in EUR, the default base currency: converting changes nothing.
    for r in rows:
        assert {k: r[f"{k}_base"] for k in MONEY} == {k: r[k] for k in MONEY}
        assert (r["base_currency"], r["unconverted_count"]) == ("EUR", 0)
    assert old_fields(rows) == [
        # Pi: revenue 1000 + 500; cost 200 - 50; previous period 1000 revenue, 100 cost.
        row("group", P0, None, "Pi Holding AG", 1500.0, 150.0, 1350.0, 9.0, 1000.0, 100.0, 0.5),
        row("member", P0, P0, "Pi Holding AG", 1000.0, 150.0, 850.0, 5.6667, 0.0, 0.0, None),
        row("member", P0, P1, "Pi Nord GmbH", 500.0, 0.0, 500.0, None, 1000.0, 100.0, -0.5),
        # Pi Nord Kiel's only entry lies before the previous period: no row.
        row("group", Q0, None, "Quartz Retail Ltd", 300.0, 0.0, 300.0, None, 0.0, 0.0, None),
        row("member", Q0, Q0, "Quartz Retail Ltd", 300.0, 0.0, 300.0, None, 0.0, 0.0, None),
    ]


def test_from_defaults_to_365_days_before_to(backend: Backend) -> None:
    load(backend)
    default = run(backend, to="2025-06-30")
    assert default == run(backend, to="2025-06-30", **{"from": "2024-06-30"})
    members = {r["account_id"]: r["revenue"] for r in default if r["level"] == "member"}
    assert members == {P0: 1000.0, P1: 1500.0, P2: 777.0, Q0: 300.0}


def test_group_filter(backend: Backend) -> None:
    load(backend)
    assert [(r["level"], r["account_id"]) for r in run(backend, group_id=Q0, **FIRST_HALF)] == [
        ("group", None),
        ("member", Q0),
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2025-07-01", "to": "2025-06-30"}, "is after to"),
        ({"from": "July", "to": "2025-06-30"}, "from='July' is not a date"),
    ],
)
def test_bad_period_is_refused_with_the_fix(
    backend: Backend, params: dict[str, str], message: str
) -> None:
    load(backend)
    with pytest.raises(InvalidValueError, match=message):  # a bad value: exit 2
        run(backend, **params)
