"""analyze single-points: whose loss would uncover a member or a key decision role."""

from __future__ import annotations

import pytest

from kamgraph.analytics.graph import group_graph
from kamgraph.analytics.single_points import bridges, single_points
from kamgraph.backends.base import Backend

from .fixture_graphs import fixture_ids, load_folder

AS_OF = "2025-06-30"


@pytest.fixture
def ids(backend: Backend) -> dict[str, str]:
    load_folder(backend, "analytics")
    return fixture_ids("analytics")


def test_acme_single_points_by_hand(backend: Backend, ids: dict[str, str]) -> None:
    """tests/data/analytics: R1 alone knows Dan and Mia (A1), R3 alone knows Bea (A3), Carla is
    all we know at A0; Pat (R2) alone reaches Eli, the Economic Buyer at Acme South, but Kim
    still reaches Hal there through a touchpoint."""
    name = {v: k for k, v in ids.items()}
    rows = single_points(group_graph(backend, ids["A0"], as_of=AS_OF))
    got = [
        (
            name[r["person_id"]],
            r["articulation_point"],
            [name[a] for a in r["lost_members"]],
            r["lost_roles"],
            [name[c] for c in r["lost_contacts"]],
        )
        for r in rows
    ]
    assert got == [
        ("R1", True, ["A1"], ["Decision Maker at Acme North GmbH"], ["C2", "C3"]),
        ("R3", True, ["A3"], [], ["C6"]),
        ("C6", True, ["A3"], [], []),
        ("C1", True, ["A0"], [], []),
        ("R2", False, [], ["Economic Buyer at Acme South GmbH"], ["C4"]),
        ("C2", False, [], ["Decision Maker at Acme North GmbH"], []),
        ("C4", False, [], ["Economic Buyer at Acme South GmbH"], []),
    ]
    kim = rows[0]
    assert (kim["kind"], kim["name"], kim["account_id"]) == ("rep", "Kim Key", None)
    assert kim["what_is_lost"] == (
        "no one left we know at Acme North GmbH; uncovered: Decision Maker at Acme North GmbH; "
        "out of touch with Dan Director, Mia Manager"
    )
    bea = rows[2]
    assert (bea["kind"], bea["account_id"]) == ("contact", ids["A3"])


def test_an_old_touchpoint_no_longer_holds_coverage(backend: Backend, ids: dict[str, str]) -> None:
    """With a 30-day window no touchpoint counts (the latest is 2025-05-20): only CRM owners and
    deal owners reach people, so Kim alone reaches Carla and Pat alone reaches Hal."""
    rows = single_points(group_graph(backend, ids["A0"], as_of=AS_OF, window_days=30))
    lost = {r["person_id"]: sorted(r["lost_members"]) for r in rows}
    assert lost[ids["R1"]] == sorted([ids["A0"], ids["A1"]])
    assert lost[ids["R2"]] == [ids["A2"]]
    assert ids["C5"] not in lost  # Hal and Eli both work at Acme South


def test_bridges(backend: Backend, ids: dict[str, str]) -> None:
    g = group_graph(backend, ids["A0"], as_of=AS_OF)
    assert bridges(g) == sorted(
        [
            (f"company:{ids['A0']}", f"contact:{ids['C1']}"),
            (f"company:{ids['A3']}", f"contact:{ids['C6']}"),
            (f"contact:{ids['C6']}", f"rep:{ids['R3']}"),
        ]
    )


def test_nobody_to_lose_where_we_reach_nobody(backend: Backend, ids: dict[str, str]) -> None:
    """Tiny has no reps at all: nothing is covered, so no loss can uncover anything."""
    g = group_graph(backend, ids["T0"], as_of=AS_OF)
    assert single_points(g) == [] and bridges(g) == []
