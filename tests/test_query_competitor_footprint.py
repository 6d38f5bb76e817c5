"""competitor-footprint on both backends over tests/data/competitor-footprint."""

from __future__ import annotations

from typing import Any

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.ingest.pipeline import ingest
from kamgraph.schema import apply_schema

from .conftest import DATA

FIXTURE = DATA / "competitor-footprint"
K0, K1, K2 = (f"001000000000{n}AAA" for n in (801, 802, 803))
L0 = "001000000000901AAA"


def load(backend: Backend) -> None:
    apply_schema(backend)
    ingest(backend, "salesforce", FIXTURE)


def run(backend: Backend, **params: Any) -> list[dict[str, Any]]:
    return queries.run(backend, "competitor-footprint", {"as_of": "2025-12-01", **params})


def test_where_each_competitor_beat_us_per_group(backend: Backend) -> None:
    load(backend)
    assert run(backend) == [
        {
            "group_id": K0,
            "group_name": "Kappa Holding AG",
            "competitor": "Rival GmbH",
            "wins": 3,
            "accounts": [K1, K2],
            "account_names": ["Kappa Nord GmbH", "Kappa Nord Kiel"],  # names beside the ids
            # The Kiel deal carried Gateways and Services; both families count.
            "product_families": ["Gateways", "Sensors", "Services"],
            "first_win": "2025-02-01",
            "last_win": "2025-08-01",
        },
        {
            "group_id": K0,
            "group_name": "Kappa Holding AG",
            "competitor": "Other Corp",
            "wins": 1,
            "accounts": [K2],
            "account_names": ["Kappa Nord Kiel"],
            "product_families": ["Services"],
            "first_win": "2024-11-01",
            "last_win": "2024-11-01",
        },
        {
            "group_id": L0,
            "group_name": "Lumen Foods Ltd",
            "competitor": "Rival GmbH",
            "wins": 1,
            "accounts": [L0],
            "account_names": ["Lumen Foods Ltd"],
            "product_families": ["Sensors"],
            "first_win": "2025-04-01",
            "last_win": "2025-04-01",
        },
    ]


def test_as_of_and_group_filter(backend: Backend) -> None:
    load(backend)
    later = run(backend, as_of="2026-02-01", group_id=K0)
    assert [(r["competitor"], r["wins"], r["first_win"], r["last_win"]) for r in later] == [
        ("Rival GmbH", 3, "2025-02-01", "2025-08-01"),
        ("Other Corp", 2, "2024-11-01", "2026-01-10"),
    ]
    earlier = run(backend, as_of="2025-03-31")
    assert [(r["group_id"], r["competitor"], r["wins"]) for r in earlier] == [
        (K0, "Other Corp", 1),
        (K0, "Rival GmbH", 1),
    ]
    assert run(backend, group_id=K1) == []  # a member, not a group's top company
