"""scorecard: per rep, per team tier and for the key-account program, numbers checked by hand."""

from __future__ import annotations

from typing import Any

import pytest

from kamgraph.analytics.scorecard import COLUMNS, scorecard
from kamgraph.backends.base import Backend
from kamgraph.errors import ConfigError, InvalidValueError
from kamgraph.ingest.pipeline import ingest

from .conftest import DATA
from .fixture_graphs import fixture_ids, load_folder

PERIOD = {"start": "2025-01-01", "end": "2025-06-30"}
NUMBERS = COLUMNS[4 : COLUMNS.index("revenue_trend") + 1]
MONEY = ("revenue", "cost", "prev_revenue", "prev_cost", "revenue_trend")


@pytest.fixture
def loaded(backend: Backend) -> Backend:
    load_folder(backend, "analytics")
    ingest(backend, "finance", DATA / "analytics" / "finance.csv")
    return backend


def numbers(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c] for c in NUMBERS)


# accounts, key roles known, fresh, touchpoints/account, single-threaded, whitespace converted,
# waves caught, missed, revenue, cost, prev revenue, prev cost, trend (tests/data/analytics).
EXPECTED = {
    # Eve: A3. Deals in the period D4, D7 (no decisive role); Bea never verified; EV2 was in
    # 2024; A3 is in the Sensors wave (caught) and the Gateways wave (missed).
    ("rep", "Eve Exp"): (1, 0.0, 0.0, 0.0, 0, 0, 1, 1, 0.0, 0.0, 0.0, 0.0, None),
    # Kim: A0, A1. D6, D3 in the period, neither with a decisive role; Carla and Mia fresh, Dan
    # not; TK3 + EV1 at A1; D3 open with Mia alone; A0 and A1 in the Gateways wave only; A1's
    # invoice and cost fell in the previous period.
    ("rep", "Kim Key"): (2, 0.0, 0.6667, 1.0, 1, 0, 0, 1, 0.0, 0.0, 200000.0, 10000.0, -1.0),
    # Pat: A2, B0. D1 (Eli, Economic Buyer) and D5 (Otto, Decision Maker); Eli fresh, Hal and
    # Otto not; TK4 at B0 (TK1 was at A0, not Pat's account); A2 converted Sensors whitespace
    # (A1 had won it before); A2 in the caught Sensors wave.
    ("rep", "Pat Prog"): (2, 1.0, 0.3333, 0.5, 0, 1, 1, 0, 1030000.0, 50000.0, 0.0, 0.0, None),
    # Expansion memberships: Eve on A3, Pat on B0 (as Sales Rep).
    ("tier", "expansion tier"): (2, 0.3333, 0.0, 0.5, 0, 0, 1, 1, 30000.0, 0.0, 0.0, 0.0, None),
    ("tier", "progression tier"): (1, 1.0, 0.5, 0.0, 0, 1, 1, 0, 1e6, 50000.0, 0.0, 0.0, None),
    ("tier", "key-account tier"): (2, 0.0, 0.6667, 1.0, 1, 0, 0, 1, 0.0, 0.0, 2e5, 1e4, -1.0),
    # Key accounts: every Acme member (Kim is on Acme's team); Beta and Tiny are not.
    # 4 touchpoints (TK1, TK2, TK3, EV1) over 4 accounts; D1 of D6, D3, D1, D4, D7 decided;
    # 3 of 6 people fresh; revenue 1M against 200k before: trend 4.0.
    ("program", "key accounts"): (4, 0.2, 0.5, 1.0, 1, 1, 1, 1, 1e6, 50000.0, 2e5, 1e4, 4.0),
}


def test_scorecard_by_hand(loaded: Backend) -> None:
    rows = scorecard(loaded, **PERIOD)
    assert [(r["level"], r["name"]) for r in rows] == list(EXPECTED)
    for row in rows:
        assert numbers(row) == EXPECTED[(row["level"], row["name"])], row["name"]
        # The fixture bills in EUR, the default base currency: converting changes nothing.
        assert [row[f"{m}_base"] for m in MONEY] == [row[m] for m in MONEY], row["name"]
        assert (row["base_currency"], row["unconverted_count"]) == ("EUR", 0)
    ids = fixture_ids("analytics")
    assert [(r["rep_id"], r["tier"]) for r in rows[:3]] == [
        (ids["R3"], "expansion"),
        (ids["R1"], "key-account"),
        (ids["R2"], "progression"),
    ]
    assert list(rows[0]) == list(COLUMNS)


def test_one_team_only(loaded: Backend) -> None:
    rows = scorecard(loaded, team="key-account", **PERIOD)
    assert [(r["level"], r["name"]) for r in rows] == [
        ("rep", "Kim Key"),
        ("tier", "key-account tier"),
        ("program", "key accounts"),
    ]


def test_an_earlier_period(loaded: Backend) -> None:
    """2024-07-01 .. 2024-12-31: D2 was won, A1 invoiced 200k; nothing else had happened."""
    rows = {r["name"]: r for r in scorecard(loaded, start="2024-07-01", end="2024-12-31")}
    kim = rows["Kim Key"]
    assert (kim["revenue"], kim["cost"], kim["prev_revenue"]) == (200000.0, 10000.0, 0.0)
    assert kim["key_roles_known"] == 1.0  # D2: Dan is Decision Maker
    assert kim["whitespace_converted"] == 0  # nobody in Acme had won Sensors before D2
    assert rows["key accounts"]["waves_caught"] + rows["key accounts"]["waves_missed"] == 0


def test_bad_options(loaded: Backend) -> None:
    with pytest.raises(ConfigError, match="the team 'vip' is not one of"):
        scorecard(loaded, team="vip")
    with pytest.raises(InvalidValueError, match="after to=2025-01-01"):
        scorecard(loaded, start="2025-06-30", end="2025-01-01")
