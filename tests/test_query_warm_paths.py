"""warm-paths: who can introduce us, on tests/data/warm-paths (README there)."""

from __future__ import annotations

from typing import Any

import pytest

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.errors import InvalidValueError, NotFoundError

from .fixture_graphs import fixture_ids, load_folder

ID = fixture_ids("warm-paths")
NAME = {v: k for k, v in ID.items()}
AS_OF = "2025-06-30"


def paths(backend: Backend, **params: Any) -> list[tuple[str, str, int, int, list[str]]]:
    rows = queries.run(backend, "warm-paths", {"as_of": AS_OF, **params})
    return [
        (
            NAME[r["target"]],
            NAME[r["via_contact_id"]],
            r["hops"],
            r["strength"],
            [NAME[p["id"]] for p in r["path"]],
        )
        for r in rows
    ]


@pytest.fixture
def graph(backend: Backend) -> Backend:
    reports = load_folder(backend, "warm-paths")
    assert all(r.counts.rejected == 0 for r in reports)
    return backend


def test_paths_to_a_company_ranked_by_length_then_strength(graph: Backend) -> None:
    assert paths(graph, target=ID["T0"]) == [
        ("T0", "mia", 2, 3, ["mia", "T1", "T0"]),  # Mentor at the branch
        ("T0", "max", 2, 1, ["max", "T2", "T0"]),  # moved from Xylo to the subsidiary
        # Champion on the won Xylo pilot, where Tina of Target Sub took part.
        ("T0", "chris", 4, 3, ["chris", "pilot", "tina", "T2", "T0"]),
    ]
    # Leo was Champion on a lost deal: not a relationship.


def test_rows_explain_the_relationship_and_name_every_step(graph: Backend) -> None:
    rows = queries.run(graph, "warm-paths", {"as_of": AS_OF, "target": ID["T0"]})
    assert [(r["via_name"], r["reason"]) for r in rows] == [
        ("Mia Mentor", "Mentor"),
        ("Max Mover", "moved from Xylo Corp to Target Sub"),
        ("Chris Champion", "Champion on won deal Xylo pilot"),
    ]
    assert rows[2]["path"][1] == {"kind": "deal", "id": ID["pilot"], "name": "Xylo pilot"}
    assert {r["target_name"] for r in rows} == {"Target Holding"}


def test_max_hops_bounds_the_walk(graph: Backend) -> None:
    assert [p[1] for p in paths(graph, target=ID["T0"], max_hops=3)] == ["mia", "max"]
    assert paths(graph, target=ID["T0"], max_hops=1) == []
    with pytest.raises(InvalidValueError, match="max_hops"):
        paths(graph, target=ID["T0"], max_hops=0)


def test_a_contact_as_target(graph: Backend) -> None:
    assert paths(graph, target=ID["tina"]) == [
        ("tina", "chris", 2, 3, ["chris", "pilot", "tina"]),
        ("tina", "max", 2, 1, ["max", "T2", "tina"]),
        ("tina", "mia", 4, 3, ["mia", "T1", "T0", "T2", "tina"]),
    ]


def test_without_target_every_hq_where_we_know_nobody(graph: Backend) -> None:
    # Tops: Target Holding and Zeta (nobody known; Zeta unreachable); Xylo has Chris.
    assert [p[:2] for p in paths(graph)] == [("T0", "mia"), ("T0", "max"), ("T0", "chris")]


def test_before_the_move_max_is_not_a_relationship(graph: Backend) -> None:
    # On 2025-01-15 Max still worked at Xylo (until 2025-01-31): no move yet.
    assert "max" not in [p[1] for p in paths(graph, target=ID["T0"], as_of="2025-01-15")]


def test_unknown_target(graph: Backend) -> None:
    with pytest.raises(NotFoundError, match="001000000000999AAA"):
        paths(graph, target="001000000000999AAA")
