"""handover-risk: groups whose knowledge sits with one rep, on tests/data/handover-risk."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from kamgraph import queries
from kamgraph.backends.base import Backend

from .conftest import DATA
from .fixture_graphs import fixture_ids, load_folder

ID = fixture_ids("handover-risk")
NAME = {v: k for k, v in ID.items()}


def risk(backend: Backend, **params: Any) -> list[tuple[Any, ...]]:
    rows = queries.run(backend, "handover-risk", params)
    return [
        (
            NAME[r["group_id"]],
            NAME[r["rep_id"]],
            r["deals"],
            r["contacts"],
            r["notes"],
            r["share"],
            r["risk"],
        )
        for r in rows
    ]


@pytest.fixture
def graph(backend: Backend) -> Backend:
    reports = load_folder(backend, "handover-risk")
    assert all(r.counts.rejected == 0 for r in reports)
    return backend


def test_portfolio_scan_lists_single_rep_and_concentrated_groups(graph: Backend) -> None:
    assert risk(graph) == [
        # Solo: 2 deals (one at the branch), 1 contact, 3 notes (about HQ, contact, deal).
        ("S0", "rita", 2, 1, 3, 1.0, "single-rep"),
        # Mixed: Rita holds 3 of 4 deals, the one contact, the one note: 5 of 6.
        ("M0", "rita", 3, 1, 1, 0.83, "concentrated"),
    ]


def test_min_share_lowers_the_bar(graph: Backend) -> None:
    rows = risk(graph, min_share=0.5)
    # Team: 5 items, Sam holds 3 (a deal, a contact, a note); Una has no owner.
    assert ("T0", "sam", 1, 1, 1, 0.6, "concentrated") in rows
    assert [r for r in rows if r[1] == "rita" and r[0] == "T0"] == []


def test_one_group_shows_every_rep_holding_part_of_it(graph: Backend) -> None:
    assert risk(graph, group_id=ID["T0"]) == [
        ("T0", "sam", 1, 1, 1, 0.6, "spread"),
        ("T0", "rita", 1, 0, 0, 0.2, "spread"),
    ]


def test_rows_carry_names(graph: Backend) -> None:
    [row] = queries.run(graph, "handover-risk", {"group_id": ID["S0"]})
    assert (row["group_name"], row["rep_name"]) == ("Solo Holding", "Rita Rep")


def test_a_deal_handed_over_counts_once(graph: Backend, tmp_path: Path) -> None:
    # m4 moves from Sam to Rita. Whether or not the old OWNS link is ended, the group still
    # has 6 items, and Rita now holds all of them.
    folder = tmp_path / "export"
    shutil.copytree(DATA / "handover-risk", folder)
    deals = folder / "Opportunity.csv"
    lines = deals.read_text(encoding="utf-8").splitlines()
    lines = [
        line.replace(ID["sam"], ID["rita"]) if line.startswith(ID["m4"]) else line for line in lines
    ]
    deals.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_folder(graph, "", folder=folder, now=dt.datetime(2025, 9, 1, tzinfo=dt.UTC))
    rows = risk(graph, group_id=ID["M0"])
    assert rows[0] == ("M0", "rita", 4, 1, 1, 1.0, "single-rep")
