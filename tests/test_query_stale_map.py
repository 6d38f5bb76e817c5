"""stale-map: stale contacts, ended employments, unknown members and completeness scores."""

from __future__ import annotations

from typing import Any

import pytest

from kamgraph import queries
from kamgraph.backends.base import Backend

from .fixture_graphs import fixture_ids, load_folder

ID = fixture_ids("stale-map")
NAME = {v: k for k, v in ID.items()}
AS_OF = "2025-12-31"  # fresh = verified on/after 2025-07-04; half weight on/after 2025-01-05


def by_kind(backend: Backend, **params: Any) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in queries.run(backend, "stale-map", params):
        out.setdefault(row["kind"], []).append(row)
    return out


@pytest.fixture
def graph(backend: Backend) -> Backend:
    reports = load_folder(backend, "stale-map")
    assert all(r.counts.rejected == 0 for r in reports)
    return backend


def test_stale_contacts_ended_employments_and_unknown_members(graph: Backend) -> None:
    rows = by_kind(graph, as_of=AS_OF)
    assert [(NAME[r["contact_id"]], r["detail"]) for r in rows["stale_contact"]] == [
        ("aging", "last verified 2025-03-01, before 2025-07-04"),
        ("old", "last verified 2024-06-01, before 2025-07-04"),
        ("never", "never verified"),
    ]
    assert [
        (NAME[r["contact_id"]], NAME[r["account_id"]], r["detail"])
        for r in rows["ended_employment"]
    ] == [
        ("moved", "A0", "left Atlas Holding on 2025-06-30; now at Atlas Werk"),
    ]
    assert [NAME[r["account_id"]] for r in rows["no_contact"]] == ["A0", "A2"]


def test_completeness_scores_weight_roles_by_verification_age(graph: Backend) -> None:
    rows = by_kind(graph, as_of=AS_OF)
    # o1: Decision Maker fresh (1) + Champion aging (0.5) -> 0.75
    # o2: Economic Buyer old (0) + Champion fresh (1)      -> 0.5
    # o3: nobody                                           -> 0;  o4 is closed.
    assert {NAME[r["account_id"]]: r["score"] for r in rows["account_score"]} == {
        "A1": 0.63,  # mean of 0.75 and 0.5 = 0.625, rounded half up
        "A2": 0.0,
    }
    board = [(r["rank"], NAME[r["rep_id"]], r["score"]) for r in rows["rep_score"]]
    assert board == [(1, "rita", 0.75), (2, "sam", 0.25)]
    assert rows["rep_score"][0]["detail"] == (
        "1 open deal(s); a verified decisive role on 1, a verified Champion on 1"
    )


def test_max_age_days_changes_what_counts_as_fresh(graph: Backend) -> None:
    rows = by_kind(graph, as_of=AS_OF, max_age_days=730)
    assert [NAME[r["contact_id"]] for r in rows["stale_contact"]] == ["never"]
    assert [(r["rank"], NAME[r["rep_id"]], r["score"]) for r in rows["rep_score"]] == [
        (1, "rita", 1.0),
        (2, "sam", 0.5),
    ]
    nothing_fresh = by_kind(graph, as_of=AS_OF, max_age_days=1)
    # Equal scores share a rank.
    assert [(r["rank"], r["score"]) for r in nothing_fresh["rep_score"]] == [(1, 0.0), (1, 0.0)]


def test_as_of_before_the_move_and_the_deals(graph: Backend) -> None:
    rows = by_kind(graph, as_of="2025-06-01")
    assert "ended_employment" not in rows  # Max still at Atlas Holding until 2025-06-30
    assert [NAME[r["account_id"]] for r in rows["no_contact"]] == ["A2"]
    assert "account_score" not in rows and "rep_score" not in rows  # no deal open then


def test_group_filter(graph: Backend) -> None:
    assert by_kind(graph, group_id="001000000000999AAA", as_of=AS_OF) == {}
    rows = by_kind(graph, group_id=ID["A0"], as_of=AS_OF)
    assert {r["group_id"] for r in rows["rep_score"]} == {ID["A0"]}
