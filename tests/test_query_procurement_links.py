"""procurement-links on the sf_small families (see tests/data/sf_small/README.md), both backends.

Acme Holding AG (A0) has three levels; its Sensors deals: A1a won 2025-03-01 (under Nord),
A2a lost to Rival GmbH 2025-03-20 (under Süd), A1b lost to Other Corp 2025-04-15 (under Nord):
three members within 45 days. ACME Holdings Ltd. (B0), a near-identical name, bought Sensors
on 2025-03-10 and must stay out of Acme's wave.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.ingest.pipeline import ingest
from kamgraph.schema import apply_schema

from .conftest import SF_SMALL

AS_OF = "2025-12-01"


def load(backend: Backend) -> None:
    apply_schema(backend)
    ingest(backend, "salesforce", SF_SMALL, now=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))


def run(backend: Backend, **params: Any) -> list[dict[str, Any]]:
    return queries.run(backend, "procurement-links", {"as_of": AS_OF, **params})


def sensors(rows: list[dict[str, Any]], group: str) -> dict[str, Any]:
    [row] = [r for r in rows if r["group_id"] == group and r["product_family"] == "Sensors"]
    return row


def test_wave_across_branches_of_different_subsidiaries(
    backend: Backend, sf_ids: dict[str, str]
) -> None:
    load(backend)
    row = sensors(run(backend), sf_ids["A0"])
    assert row["is_wave"] is True
    assert (row["window_start"], row["window_end"]) == ("2025-03-01", "2025-04-15")
    assert row["won"] == [sf_ids["A1a"]]
    # Names beside the ids (kamgraph/queries/names.py): each listed member and contact.
    assert row["lost"] == [
        {"account_id": sf_ids["A1b"], "competitor": "Other Corp", "name": "Acme Nord Bremen"},
        {"account_id": sf_ids["A2a"], "competitor": "Rival GmbH", "name": "Acme Süd München"},
    ]
    assert len(row["untouched_names"]) == 3 and "Acme Nord GmbH" in row["untouched_names"]
    assert row["open"] == []
    assert row["untouched"] == sorted([sf_ids["A1"], sf_ids["A2"], sf_ids["A2b"]])
    assert row["hq_contacts"] == []
    assert "we know nobody there" in row["suggested_action"]
    # The look-alike group is its own row and not part of the wave.
    other = sensors(run(backend), sf_ids["B0"])
    assert other["is_wave"] is False and other["won"] == [sf_ids["B1"]]
    assert other["hq_contacts"] == [
        {"contact_id": sf_ids["c2"], "role": "Economic Buyer", "name": "Li Wei"}
    ]
    assert sf_ids["B1"] not in row["won"] + row["untouched"]


def test_window_edges(backend: Backend, sf_ids: dict[str, str]) -> None:
    load(backend)
    inside = sensors(run(backend, window_days=45), sf_ids["A0"])
    outside = sensors(run(backend, window_days=44), sf_ids["A0"])
    assert inside["is_wave"] is True
    assert outside["is_wave"] is False
    assert sensors(run(backend, window_days=44, min_members=2), sf_ids["A0"])["is_wave"]


def test_waves_only_group_and_deal_filters(backend: Backend, sf_ids: dict[str, str]) -> None:
    load(backend)
    waves = run(backend, waves_only=True)
    assert [(r["group_id"], r["product_family"]) for r in waves] == [(sf_ids["A0"], "Sensors")]
    assert {r["group_id"] for r in run(backend, group_id=sf_ids["B0"])} == {sf_ids["B0"]}
    [hit] = run(backend, deal_id=sf_ids["o3"])
    assert hit["deal_in_wave"] is True and hit["product_family"] == "Sensors"
    [miss] = run(backend, deal_id=sf_ids["o5"])
    assert miss["deal_in_wave"] is False and miss["product_family"] == "Gateways"


def test_as_of_replays_the_wave_as_it_unfolded(backend: Backend, sf_ids: dict[str, str]) -> None:
    load(backend)
    early = sensors(run(backend, as_of="2025-03-25"), sf_ids["A0"])
    assert early["is_wave"] is False
    assert early["won"] == [] and early["lost"] == []
    # A1a closed (won) on 04-01 and A2a (lost) on 04-20: both still open on 03-25.
    assert early["open"] == [sf_ids["A1a"], sf_ids["A2a"]]
    assert sf_ids["A1b"] in early["untouched"]


def test_policy_makes_a_wave_and_hq_contact_after_a_move(
    backend: Backend, tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    load(backend)
    policies = tmp_path / "policies.csv"
    policies.write_text(
        "policy_id,issuer_account_id,product_family,issued_on,title,applies_to\n"
        f"POL-1,{sf_ids['A0']},Gateways,2025-05-01,Standard gateways,all\n",
        encoding="utf-8",
    )
    ingest(backend, "policies", policies)
    gateways = [r for r in run(backend) if r["product_family"] == "Gateways"]
    assert gateways[0]["is_wave"] is True and gateways[0]["policies"] == ["POL-1"]
    assert run(backend, as_of="2025-04-30", waves_only=True)[0]["product_family"] == "Sensors"
    # Hanna Berg moves from branch A1a to the HQ A0 on 2025-09-01.
    moved = tmp_path / "moved"
    shutil.copytree(SF_SMALL, moved)
    contacts = moved / "Contact.csv"
    contacts.write_text(
        contacts.read_text(encoding="utf-8").replace(
            f"{sf_ids['c1']},{sf_ids['A1a']},", f"{sf_ids['c1']},{sf_ids['A0']},"
        ),
        encoding="utf-8",
    )
    ingest(backend, "salesforce", moved, now=dt.datetime(2025, 9, 1, tzinfo=dt.UTC))
    before = sensors(run(backend, as_of="2025-08-01"), sf_ids["A0"])
    after = sensors(run(backend, as_of="2025-10-01"), sf_ids["A0"])
    assert before["hq_contacts"] == []
    assert after["hq_contacts"] == [
        {"contact_id": sf_ids["c1"], "role": "Champion", "name": "Hanna Berg"}
    ]
    assert "Engage the HQ contacts" in after["suggested_action"]


def test_densest_window_matches_brute_force() -> None:
    import random

    from kamgraph.queries.finish.procurement_links import densest_window

    rng = random.Random(7)
    for _ in range(200):
        deals = [
            {
                "created": (
                    dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(200))
                ).isoformat(),
                "account_id": f"m{rng.randrange(8)}",
            }
            for _ in range(rng.randrange(1, 25))
        ]
        window = rng.randrange(0, 60)
        dated = sorted((d["created"], d["account_id"]) for d in deals)
        best: set[str] = set()
        for i, (start, _) in enumerate(dated):
            limit = (dt.date.fromisoformat(start) + dt.timedelta(days=window)).isoformat()
            members = {acc for day, acc in dated[i:] if day <= limit}
            best = members if len(members) > len(best) else best
        assert densest_window(deals, window)[0] == best
