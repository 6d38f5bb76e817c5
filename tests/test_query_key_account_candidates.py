"""key-account-candidates on both backends over tests/data/key-account-candidates.

The fixture's four groups are built so that each lands in a different quadrant of the
McDonald matrix; the expected scores below are worked out by hand in the comments.
"""

from __future__ import annotations

from typing import Any

import pytest

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.ingest.pipeline import ingest
from kamgraph.queries.finish.key_account_candidates import percentiles
from kamgraph.schema import apply_schema

from .conftest import DATA

FIXTURE = DATA / "key-account-candidates"
A0, B0, C0, D0 = (f"001000000002{n}01AAA" for n in (0, 1, 2, 3))
AS_OF = "2025-12-01"


def load(backend: Backend) -> None:
    apply_schema(backend)
    ingest(backend, "salesforce", FIXTURE)
    ingest(backend, "finance", FIXTURE / "finance.csv")
    ingest(backend, "fx", FIXTURE / "fx.csv")  # Delta bills in USD: scored in EUR


def run(backend: Backend, **params: Any) -> list[dict[str, Any]]:
    return queries.run(backend, "key-account-candidates", {"as_of": AS_OF, **params})


MEASURES = (
    "region",
    "industry",
    "members",
    "revenue_12m",
    "revenue_prev_12m",
    "revenue_trend",
    "deals",
    "win_rate",
    "decision_role_coverage",
    "tenure_years",
    "whitespace",
    "entry_point",
)


def test_measures_per_group(backend: Backend) -> None:
    load(backend)
    got = {r["group_id"]: tuple(r[k] for k in MEASURES) for r in run(backend)}
    assert got == {
        # tenure: 2023-06-01 .. 2025-12-01 = 914 days = 2.5 years; whitespace 2 + 3.
        A0: ("EMEA", "Machinery", 4, 10000.0, 5000.0, 1.0, 4, 0.75, 1.0, 2.5, 5, False),
        # won in one member of five: an entry point into a larger family.
        B0: ("APAC", "Machinery", 5, 8000.0, 2000.0, 3.0, 6, 0.25, 0.0, 0.2, 4, True),
        C0: ("EMEA", "Retail", 1, 3000.0, 3000.0, 0.0, 2, 1.0, 1.0, 2.9, 0, False),
        D0: ("Americas", "Retail", 3, 0.0, 500.0, -1.0, 1, 0.0, 0.0, None, 0, True),
    }


def test_quadrants_split_at_the_median_and_rank(backend: Backend) -> None:
    load(backend)
    rows = run(backend)
    # Percentiles among 4 groups are 0, 1/3, 2/3, 1 (ties share their mid-rank).
    # Attractiveness = mean of revenue, trend, deals, members, whitespace, industry:
    #   A (1, 2/3, 2/3, 2/3, 1, 2/3) = 0.778   B (2/3, 1, 1, 1, 2/3, 1) = 0.889
    #   C (1/3, 1/3, 1/3, 0, 1/6, 0) = 0.194   D (0, 0, 0, 1/3, 1/6, 1/3) = 0.139
    # Strength = mean of win rate, decision-role coverage, tenure:
    #   A (2/3, 5/6, 2/3) = 0.722   B (1/3, 1/6, 1/3) = 0.278
    #   C (1, 5/6, 1) = 0.944       D (0, 1/6, 0) = 0.056
    # Medians: attractiveness (0.194 + 0.778) / 2, strength (0.278 + 0.722) / 2.
    assert [
        (r["rank"], r["group_id"], r["quadrant"], r["attractiveness"], r["strength"]) for r in rows
    ] == [
        (1, A0, "strategic", 0.778, 0.722),
        (2, B0, "star", 0.889, 0.278),
        (3, C0, "status", 0.194, 0.944),
        (4, D0, "streamline", 0.139, 0.056),
    ]
    # The industry factor is our revenue in the same industry from the other groups.
    assert {r["group_id"]: r["scores"]["industry"] for r in rows} == {
        A0: 0.667,
        B0: 1.0,
        C0: 0.0,
        D0: 0.333,
    }


def test_whitespace_is_the_number_of_cross_sell_gaps(backend: Backend) -> None:
    load(backend)
    gaps = queries.run(backend, "cross-sell-gaps", {"as_of": AS_OF})
    for row in run(backend):
        assert row["whitespace"] == sum(1 for g in gaps if g["group_id"] == row["group_id"])


def test_region_filter_shows_a_part_of_the_same_portfolio(backend: Backend) -> None:
    load(backend)
    everything = {r["group_id"]: r for r in run(backend)}
    emea = run(backend, region="emea")
    assert [(r["rank"], r["group_id"]) for r in emea] == [(1, A0), (2, C0)]
    for r in emea:  # scores and quadrants are portfolio-wide, not recomputed for the region
        assert {k: v for k, v in r.items() if k != "rank"} == {
            k: v for k, v in everything[r["group_id"]].items() if k != "rank"
        }
    assert run(backend, region="Antarctica") == []


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([5.0], [0.5]),
        ([1.0, 2.0, 3.0], [0.0, 0.5, 1.0]),
        ([0.0, 0.0, 7.0, 9.0], [1 / 6, 1 / 6, 2 / 3, 1.0]),
    ],
)
def test_percentiles_give_ties_their_mid_rank(values: list[float], expected: list[float]) -> None:
    assert percentiles(values) == pytest.approx(expected)
