"""analyze influence: personalized PageRank over roles, reports-to lines and touchpoints."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from networkx.algorithms.link_analysis import pagerank_alg

from kamgraph.analytics.graph import group_graph
from kamgraph.analytics.influence import personalized_pagerank, rank_influence, title_level
from kamgraph.backends.base import Backend
from kamgraph.ingest.pipeline import ingest

from .conftest import DATA
from .fixture_graphs import fixture_ids, load_folder

AS_OF = "2025-06-30"


@pytest.fixture
def ids(backend: Backend) -> dict[str, str]:
    load_folder(backend, "analytics")
    ingest(backend, "finance", DATA / "analytics" / "finance.csv")
    return fixture_ids("analytics")


def short(ids: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in ids.items()}


def test_the_tiny_family_by_hand(backend: Backend, ids: dict[str, str]) -> None:
    """X decides the only deal and reports to Y; Z has nothing (see tests/data/analytics)."""
    rows = rank_influence(group_graph(backend, ids["T0"], as_of=AS_OF), gap=2)
    name = short(ids)
    assert [(name[r["contact_id"]], r["score"], r["rank"], r["title_rank"]) for r in rows] == [
        ("X", round(1 / 1.425, 4), 1, 3),
        ("Y", round(0.425 / 1.425, 4), 2, 1),
        ("Z", 0.0, 3, 2),
    ]
    assert [r["disagreement"] for r in rows] == [True, False, False]
    assert rows[0]["why"] == (
        "Economic Buyer on 1 won deal worth 100k (100%). "
        "Title ranks them 3: more influential than the title says"
    )
    assert rows[1]["why"] == "1 person reports to them (100%)"
    assert rows[2]["why"] == "no decision roles, reports or touchpoints known"
    assert rows[0]["name"] == "Xena Worker" and rows[0]["job_title"] == "Maintenance Engineer"
    assert rows[0]["account_id"] == ids["T0"]


def test_the_economic_buyer_outranks_the_titles(backend: Backend, ids: dict[str, str]) -> None:
    """Acme: Eli (engineer) is Economic Buyer on the 1M deal; half of his weight goes to his
    manager Hal, and half of Hal's to the CEO, so Eli > Hal > Carla."""
    rows = rank_influence(group_graph(backend, ids["A2"], as_of=AS_OF))
    name = short(ids)
    assert [name[r["contact_id"]] for r in rows] == ["C4", "C5", "C1", "C2", "C6", "C3"]
    assert abs(sum(r["score"] for r in rows) - 1.0) < 1e-3
    by = {name[r["contact_id"]]: r for r in rows}
    assert {k: r["title_rank"] for k, r in by.items()} == {
        "C1": 1, "C2": 2, "C5": 2, "C3": 4, "C4": 5, "C6": 5,
    }  # fmt: skip
    assert [k for k, r in by.items() if r["disagreement"]] == ["C4"]  # 4 places above band 5-6
    assert by["C4"]["why"].startswith("Economic Buyer on 1 won deal worth 1.0M (100%)")
    assert by["C4"]["why"].endswith("Title ranks them 5-6: more influential than the title says")
    assert by["C1"]["why"].startswith("2 people report to them (4 in their line) (")
    assert "2 touchpoints with us, last 2025-05-20" in by["C2"]["why"]
    assert "Decision Maker on 1 won deal worth 200k" in by["C2"]["why"]
    # A bigger gap in the other direction: the CEO ranks third.
    flagged = rank_influence(group_graph(backend, ids["A2"], as_of=AS_OF), gap=2)
    assert {name[r["contact_id"]] for r in flagged if r["disagreement"]} == {"C4", "C1", "C3"}
    carla = next(r for r in flagged if name[r["contact_id"]] == "C1")
    assert carla["why"].endswith("Title ranks them 1: less influential than the title says")


def test_touchpoints_outside_the_window_do_not_count(backend: Backend, ids: dict[str, str]) -> None:
    name = short(ids)
    wide = rank_influence(group_graph(backend, ids["A0"], as_of=AS_OF))
    narrow = rank_influence(group_graph(backend, ids["A0"], as_of=AS_OF, window_days=100))
    bea = {r["contact_id"]: r for r in wide}[ids["C6"]]
    assert "1 touchpoint with us, last 2024-12-15" in bea["why"]  # 197 days before as_of
    bea = {r["contact_id"]: r for r in narrow}[ids["C6"]]
    assert "touchpoint" not in bea["why"]
    assert {name[r["contact_id"]] for r in narrow} == {name[r["contact_id"]] for r in wide}


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("Chief Executive Officer", 0),
        ("CTO", 0),
        ("Managing Director", 0),
        ("总经理", 0),
        ("VP Operations", 1),
        ("Vice President Sales", 1),
        ("Director Engineering", 2),  # "director" holds "cto": whole words only
        ("Head of EHS", 2),
        ("Leiter Einkauf", 2),
        ("Plant Manager", 3),
        ("Maintenance Lead", 3),
        ("Buyer", 4),
        ("", 5),
        (None, 5),
    ],
)
def test_title_levels(title: str | None, level: int) -> None:
    assert title_level(title) == level


def test_pagerank_matches_networkx() -> None:
    """The hand-written power iteration is networkx's algorithm (its pure-Python version)."""
    rng = random.Random(5)
    g = nx.gnp_random_graph(30, 0.08, seed=5, directed=True)
    for u, v in g.edges():
        g.edges[u, v]["weight"] = rng.choice((0.5, 1.0, 3.0))
    h = nx.relabel_nodes(g, {n: f"n{n:02d}" for n in g})
    p = {n: rng.random() for n in sorted(h) if rng.random() < 0.4}
    ours = personalized_pagerank(h, p, alpha=0.85)
    theirs = pagerank_alg._pagerank_python(
        h, alpha=0.85, personalization=p, dangling=p, weight="weight", tol=1e-13, max_iter=1000
    )
    assert max(abs(ours[n] - theirs[n]) for n in h) < 1e-9
