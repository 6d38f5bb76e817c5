"""displacement-calendar on a planted portfolio whose terms are known, both backends.

Four lost members, one per way of knowing the term: an explicit contract end, an explicit term,
our own renewal cadence for the family (two members renewing Sensors every 12 months), and
the default (Gateways: nobody renews it twice).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kamgraph import queries
from kamgraph.backends.base import Backend

from .fixture_graphs import load_folder
from .planted import Export

AS_OF = "2025-06-01"


def plant(tmp_path: Path) -> dict[str, str]:
    x = Export()
    sensors = x.add("Product2", Name="Sensor S1", Family="Sensors")
    gateways = x.add("Product2", Name="Gateway G1", Family="Gateways")
    hq = x.account("Delta Holding", kind="Headquarters")
    ids = {"hq": hq}
    for name in ("end", "term", "cadence", "default", "won1", "won2", "back"):
        ids[name] = x.account(f"Delta {name}", hq)
    for member in ("won1", "won2"):
        for year in (2022, 2023, 2024):
            x.deal(ids[member], sensors, dt.date(year, 3, 1), days_to_close=0)
    x.deal(
        ids["end"],
        sensors,
        dt.date(2024, 9, 1),
        status="lost",
        days_to_close=0,
        Lost_To__c="Rival",
        Contract_End_Date__c="2025-09-30",
    )
    x.deal(
        ids["term"],
        sensors,
        dt.date(2024, 10, 15),
        status="lost",
        days_to_close=0,
        Lost_To__c="Rival",
        Contract_Term__c="10",
    )
    x.deal(
        ids["cadence"],
        sensors,
        dt.date(2024, 11, 1),
        status="lost",
        days_to_close=0,
        Lost_To__c="Other",
    )
    x.deal(
        ids["default"],
        gateways,
        dt.date(2023, 2, 1),
        status="lost",
        days_to_close=0,
        Lost_To__c="Other",
    )
    # Lost, then won back: the competitor is gone, no row.
    x.deal(
        ids["back"],
        sensors,
        dt.date(2024, 1, 1),
        status="lost",
        days_to_close=0,
        Lost_To__c="Rival",
    )
    x.deal(ids["back"], sensors, dt.date(2024, 6, 1), days_to_close=0)
    x.write(tmp_path / "planted")
    return ids


def test_terms_in_their_order_and_the_horizon(backend: Backend, tmp_path: Path) -> None:
    ids = plant(tmp_path)
    load_folder(backend, "planted", folder=tmp_path / "planted")
    rows = queries.run(backend, "displacement-calendar", {"as_of": AS_OF, "horizon": 400})
    got = {
        r["account_id"]: (r["term_source"], r["term_months"], r["expected_renewal"]) for r in rows
    }
    assert got == {
        ids["end"]: ("contract_end", 13, "2025-09-30"),
        ids["term"]: ("contract_term", 10, "2025-08-15"),
        ids["cadence"]: ("renewal_cadence", 12, "2025-11-01"),
        ids["default"]: ("default", 36, "2026-02-01"),
    }
    assert [r["expected_renewal"] for r in rows] == sorted(r["expected_renewal"] for r in rows)
    [row] = [r for r in rows if r["account_id"] == ids["cadence"]]
    assert row["competitor"] == "Other" and row["days_until"] == 153
    assert any("median of 4 won-to-won gaps" in e for e in row["evidence"])
    near = queries.run(backend, "displacement-calendar", {"as_of": AS_OF, "horizon": 90})
    assert {r["account_id"] for r in near} == {ids["term"]}
    # Replayed before the cadence loss closed, that member is not lost yet.
    before = queries.run(backend, "displacement-calendar", {"as_of": "2024-10-31", "horizon": 1000})
    assert ids["cadence"] not in {r["account_id"] for r in before}
