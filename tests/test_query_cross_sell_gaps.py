"""cross-sell-gaps on both backends over the hand-written fixture tests/data/cross-sell-gaps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.ingest.pipeline import ingest
from kamgraph.schema import apply_schema

from .conftest import DATA

FIXTURE = DATA / "cross-sell-gaps"
G0, G1, G2, G3 = (f"001000000000{n}AAA" for n in (101, 102, 103, 104))
H0 = "001000000000201AAA"
NAMES = {
    G0: "Gamma Holding AG",
    G1: "Gamma Nord GmbH",
    G2: "Gamma Süd GmbH",
    G3: "Gamma Nord Kiel",
    H0: "Helix Retail Ltd",
}
FIELDS = [
    "group_id",
    "group_name",
    "account_id",
    "account_name",
    "product_family",
    "evidence",
    "evidence_revenue",
    "base_currency",
    "evidence_revenue_base",
    "unconverted_count",
    "lost_to",
]


def load(backend: Backend) -> None:
    apply_schema(backend)
    ingest(backend, "salesforce", FIXTURE)
    ingest(backend, "fx", FIXTURE / "fx.csv")  # Helix sells in GBP (0.8 per EUR)


def gap(
    group: str,
    account: str,
    family: str,
    evidence: int,
    revenue: float,
    lost_to: str | None,
    base: float | None = None,
) -> dict[str, Any]:
    return {
        "group_id": group,
        "group_name": NAMES[group],
        "account_id": account,
        "account_name": NAMES[account],
        "product_family": family,
        "evidence": evidence,
        "evidence_revenue": revenue,
        # Gamma's deals are in EUR, the default base currency; Helix's in GBP.
        "base_currency": "EUR",
        "evidence_revenue_base": revenue if base is None else base,
        "unconverted_count": 0,
        "lost_to": lost_to,
    }


def run(backend: Backend, **params: Any) -> list[dict[str, Any]]:
    return queries.run(backend, "cross-sell-gaps", {"as_of": "2025-12-01", **params})


def test_gaps_are_members_without_a_win_ranked_by_evidence(backend: Backend) -> None:
    load(backend)
    assert run(backend) == [
        # Sensors: G1 and G2 bought (10000 + 5000); G0's latest deal is open, G3's was lost.
        gap(G0, G0, "Sensors", 2, 15000.0, None),
        gap(G0, G3, "Sensors", 2, 15000.0, "Rival GmbH"),
        gap(G0, G0, "Services", 1, 7000.0, None),
        gap(G0, G1, "Services", 1, 7000.0, None),
        gap(G0, G2, "Services", 1, 7000.0, None),
        gap(G0, G0, "Gateways", 1, 3000.0, None),
        gap(G0, G2, "Gateways", 1, 3000.0, "Rival GmbH"),
        gap(G0, G3, "Gateways", 1, 3000.0, None),
        # Helix's wins are evidence only inside Helix.
        gap(H0, H0, "Sensors", 1, 2000.0, None, base=2500.0),  # 2000 GBP / 0.8
        gap(H0, H0, "Services", 1, 800.0, None, base=1000.0),
    ]


def test_rows_have_exactly_the_documented_fields(backend: Backend) -> None:
    load(backend)
    rows = run(backend)
    assert rows
    assert all(list(r) == FIELDS for r in rows)
    assert list(queries.statement("cross-sell-gaps").columns) == FIELDS


def test_as_of_sees_only_what_had_closed_by_then(backend: Backend) -> None:
    load(backend)
    # 2025-06-30: G3's Services win (closed 2025-09-01) and G2's Gateways loss (2025-07-01)
    # lie in the future, so Services is no gap in Gamma and G2's Gateways deal was still open.
    mid_year = run(backend, as_of="2025-06-30")
    assert [(r["account_id"], r["product_family"], r["lost_to"]) for r in mid_year] == [
        (G0, "Sensors", None),
        (G3, "Sensors", "Rival GmbH"),
        (G0, "Gateways", None),
        (G2, "Gateways", None),
        (G3, "Gateways", None),
        (H0, "Sensors", None),
        (H0, "Services", None),
    ]
    # 2025-03-15: G0's open deal did not exist yet, so its latest deal is the 2024 loss;
    # G3's Sensors deal was still open; H1's Sensors win (2025-05-20) had not happened.
    march = run(backend, as_of="2025-03-15")
    assert [(r["account_id"], r["product_family"], r["lost_to"]) for r in march] == [
        (G0, "Sensors", "Other Corp"),
        (G3, "Sensors", None),
        (G0, "Gateways", None),
        (G2, "Gateways", None),
        (G3, "Gateways", None),
        (H0, "Services", None),
    ]


def test_min_evidence_and_group_filter(backend: Backend) -> None:
    load(backend)
    assert [(r["account_id"], r["product_family"]) for r in run(backend, min_evidence=2)] == [
        (G0, "Sensors"),
        (G3, "Sensors"),
    ]
    assert [(r["account_id"], r["product_family"]) for r in run(backend, group_id=H0)] == [
        (H0, "Sensors"),
        (H0, "Services"),
    ]
    assert run(backend, group_id=G1) == []  # not a top company: no group of that id


def test_deleted_member_is_neither_a_gap_nor_evidence(backend: Backend, tmp_path: Path) -> None:
    load(backend)
    deleted = tmp_path / "deleted"
    deleted.mkdir()
    (deleted / "Account.csv").write_text(
        f"Id,Name,ParentId,Hierarchy_Type__c,IsDeleted\n{G2},Gamma Süd GmbH,{G0},Subsidiary,true\n",
        encoding="utf-8",
    )
    ingest(backend, "salesforce", deleted)
    rows = run(backend, group_id=G0)
    assert G2 not in {r["account_id"] for r in rows}
    sensors = [r for r in rows if r["product_family"] == "Sensors"]
    assert [(r["account_id"], r["evidence"], r["evidence_revenue"]) for r in sensors] == [
        (G0, 1, 10000.0),
        (G3, 1, 10000.0),
    ]
