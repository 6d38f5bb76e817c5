"""group-whitespace on both backends over the hand-written fixture tests/data/group-whitespace."""

from __future__ import annotations

from typing import Any

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.ingest.pipeline import ingest
from kamgraph.schema import apply_schema

from .conftest import DATA

FIXTURE = DATA / "group-whitespace"
M0, N0, O0, R0, X0 = (f"001000000000{n}01AAA" for n in (3, 4, 5, 6, 7))
NAMES = {M0: "Mira Maschinenbau AG", N0: "Nova Machines Ltd", O0: "Orion Tools SA"}


def load(backend: Backend) -> None:
    apply_schema(backend)
    ingest(backend, "salesforce", FIXTURE)


def run(backend: Backend, **params: Any) -> list[dict[str, Any]]:
    return queries.run(backend, "group-whitespace", {"as_of": "2025-12-01", **params})


def row(group: str, family: str, peers: int, revenue: float) -> dict[str, Any]:
    return {
        "group_id": group,
        "group_name": NAMES[group],
        "industry": "Machinery",
        "product_family": family,
        "peer_groups": peers,
        "peer_revenue": revenue,
        # The fixture's deals are in EUR, the default base currency.
        "base_currency": "EUR",
        "peer_revenue_base": revenue,
        "unconverted_count": 0,
    }


def test_families_peers_won_and_the_group_never_did(backend: Backend) -> None:
    load(backend)
    assert run(backend) == [
        # Nova and Orion both won Sensors (1000 + 2000); Mira never did.
        row(M0, "Sensors", 2, 3000.0),
        # Mira's Services win counts for the group, though Mira Service's own industry is Retail.
        row(N0, "Services", 1, 4000.0),
        row(O0, "Services", 1, 4000.0),
        row(M0, "Gateways", 1, 500.0),
        row(O0, "Gateways", 1, 500.0),
    ]
    # Rhea has no Retail peer group (Mira Service is a member, not a group); Xeno has no industry.


def test_as_of_counts_wins_closed_by_then(backend: Backend) -> None:
    load(backend)
    rows = run(backend, as_of="2026-02-01")  # Orion's Gateways win closed 2026-01-15
    assert [
        (r["group_id"], r["product_family"], r["peer_groups"], r["peer_revenue"]) for r in rows
    ] == [
        (M0, "Sensors", 2, 3000.0),
        (M0, "Gateways", 2, 1200.0),
        (N0, "Services", 1, 4000.0),
        (O0, "Services", 1, 4000.0),
    ]
    # Before any Machinery win there is nothing to learn from peers.
    assert run(backend, as_of="2025-01-31") == []


def test_group_filter(backend: Backend) -> None:
    load(backend)
    assert [r["product_family"] for r in run(backend, group_id=M0)] == ["Sensors", "Gateways"]
    assert run(backend, group_id=R0) == []
    assert run(backend, group_id=X0) == []
