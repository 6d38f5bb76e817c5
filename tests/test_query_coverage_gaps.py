"""coverage-gaps: the holes in the political map, on tests/data/coverage-gaps (README there)."""

from __future__ import annotations

from typing import Any

import pytest

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.queries.registry import default_registry
from kamgraph.schema.model import DECISIVE_ROLES

from .fixture_graphs import fixture_ids, load_folder

ID = fixture_ids("coverage-gaps")


def gaps(backend: Backend, **params: Any) -> list[tuple[str | None, str, str, list[str]]]:
    """(deal, gap, account, contacts) with short names, in the query's order."""
    name = {v: k for k, v in ID.items()}
    rows = queries.run(backend, "coverage-gaps", params)
    return [
        (
            name.get(r["deal_id"]) if r["deal_id"] else None,
            r["gap"],
            name[r["account_id"]],
            [name[c] for c in r["contacts"]],
        )
        for r in rows
    ]


@pytest.fixture
def graph(backend: Backend) -> Backend:
    reports = load_folder(backend, "coverage-gaps")
    assert all(r.counts.rejected == 0 for r in reports)
    return backend


def test_every_gap_of_the_fixture_group(graph: Backend) -> None:
    assert gaps(graph, as_of="2025-06-30") == [
        (None, "hq_procurement_uncovered", "G0", []),  # POL-G; Carl's relation to G0 ended
        ("hostile", "hostile_decision_maker", "G1", ["dora"]),  # Carl the Champion is fine
        ("later", "missing_decisive_role", "G1", []),  # won only after as_of: still open then
        ("single", "missing_decisive_role", "G2", ["sina"]),
        ("single", "single_threaded", "G2", ["sina"]),
        ("nobody", "missing_decisive_role", "G2", []),
    ]


def test_rows_name_the_group_and_explain_the_gap(graph: Backend) -> None:
    rows = queries.run(graph, "coverage-gaps", {"as_of": "2025-06-30"})
    assert {r["group_id"] for r in rows} == {ID["G0"]}
    assert {r["group_name"] for r in rows} == {"Globex Holding AG"}
    by_gap = {(r["deal_id"], r["gap"]): r["detail"] for r in rows}
    assert by_gap[(None, "hq_procurement_uncovered")] == (
        "Globex Holding AG issued procurement policies for Sensors (POL-G) and we know nobody there"
    )
    assert by_gap[(ID["hostile"], "hostile_decision_maker")] == (
        "Nord hostile: Dora Decider is Decision Maker and Enemy"
    )
    assert by_gap[(ID["nobody"], "missing_decisive_role")].startswith(
        "Süd nobody: no contact at all on the deal"
    )


def test_a_well_covered_group_has_no_gaps(graph: Backend) -> None:
    # Hooli: Economic Buyer (Supporter) plus a second contact, and people known at its HQ.
    assert gaps(graph, group_id=ID["H0"], as_of="2025-06-30") == []


def test_as_of_moves_deals_in_and_out(graph: Backend) -> None:
    later = gaps(graph, group_id=ID["G0"], as_of="2025-09-01")
    assert ("later", "missing_decisive_role", "G1", []) not in later  # won by then
    assert ("future", "missing_decisive_role", "G2", []) in later  # created 2025-07-15
    before_policy = gaps(graph, as_of="2025-01-10")
    assert [g for g in before_policy if g[1] == "hq_procurement_uncovered"] == []


def test_the_decisive_roles_are_the_models() -> None:
    text = default_registry().get("coverage-gaps").text
    for role in DECISIVE_ROLES:
        assert f"'{role}'" in text
