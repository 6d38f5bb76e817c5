"""Maintained findings (kamgraph/queries/findings.py): the portfolio answers of procurement-links
and cross-sell-gaps read from the findings each ingest run refreshes are the live answers, on
every day and after every kind of change, on both backends."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.ingest.pipeline import ingest
from kamgraph.personal.erase import forget
from kamgraph.queries import findings
from kamgraph.schema import apply_schema

from .conftest import SF_SMALL

#: Parameters the maintained read serves (defaults, Python-step filters, min_evidence).
CASES: list[tuple[str, dict[str, Any]]] = [
    ("procurement-links", {}),
    ("procurement-links", {"waves_only": True, "min_members": 2, "window_days": 400}),
    ("cross-sell-gaps", {}),
    ("cross-sell-gaps", {"min_evidence": 2}),
    ("cross-sell-gaps", {"currency": "EUR"}),
]


def night(backend: Backend, folder: Path, day: str, *, full: bool = False) -> None:
    moment = dt.datetime.fromisoformat(day).replace(hour=2, tzinfo=dt.UTC)
    ingest(backend, "salesforce", folder, now=moment, full=full)


def same_as_live(backend: Backend, day: str) -> dict[str, bool]:
    """Assert the answer equals the live one for ``day``; whether findings were used."""
    used: dict[str, bool] = {}
    for name, params in CASES:
        given = {"as_of": day, **params}
        live = queries.run(backend, name, given, live=True)
        kept = queries.run(backend, name, given)
        assert kept == live, f"{name} {given}: maintained answer differs from the live one"
        used[name] = findings.LAST_READ[name]
    return used


def edit(folder: Path, file: str, old: str | None, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    if old is None:
        text = text.rstrip("\n") + "\n" + new + "\n"
    else:
        assert old in text, f"{file}: {old!r} not found"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_findings_follow_nightly_changes_and_dates(backend: Backend, tmp_path: Path) -> None:
    apply_schema(backend)
    folder = tmp_path / "export"
    shutil.copytree(SF_SMALL, folder)
    night(backend, folder, "2025-06-01")
    # The first run computes every group; the answers are read from them on that day and later.
    for day in ("2025-06-01", "2025-06-15", "2025-08-02"):
        assert same_as_live(backend, day) == {"procurement-links": True, "cross-sell-gaps": True}
    # A past date before a group's latest compared date is computed live, and still equal.
    assert same_as_live(backend, "2025-03-15") == {
        "procurement-links": False,
        "cross-sell-gaps": False,
    }

    # Night 2: a lost deal is won, Stuttgart moves to the other group (with its open deal),
    # the CFO of ACME Holdings takes a role on an Acme deal, a won deal is dated ahead.
    edit(
        folder,
        "Opportunity.csv",
        "Sensors Bremen,Closed Lost,true,false",
        "Sensors Bremen,Closed Won,true,true",
    )
    edit(folder, "Opportunity.csv", ",Other Corp", ",")
    edit(
        folder,
        "Account.csv",
        "001000000000007AAA,Acme Süd Stuttgart,001000000000003AAA",
        "001000000000007AAA,Acme Süd Stuttgart,001000000000008AAA",
    )
    edit(
        folder,
        "Opportunity.csv",
        None,
        "006000000000007AAA,001000000000002AAA,Sensors Nord,Closed Won,true,true,7000,EUR,"
        "2025-06-25,2025-06-20T09:00:00.000+0000,005000000000001AAA,",
    )
    edit(
        folder,
        "OpportunityLineItem.csv",
        None,
        "00k000000000007AAA,006000000000007AAA,01t000000000002AAA,1,7000,7000",
    )
    edit(
        folder,
        "OpportunityContactRole.csv",
        None,
        "00K000000000003EAA,006000000000003AAA,003000000000002AAA,Decision Maker,false",
    )
    night(backend, folder, "2025-06-02")
    assert same_as_live(backend, "2025-06-02") == {
        "procurement-links": True,
        "cross-sell-gaps": True,
    }
    assert same_as_live(backend, "2025-06-19")["procurement-links"] is True
    # The deal dated 2025-06-20 ends the Acme group's span: that group is computed live.
    same_as_live(backend, "2025-06-20")
    same_as_live(backend, "2025-06-26")

    # Night 3 (--full, after that date): the lost München deal leaves the export (inactive).
    edit(
        folder,
        "Opportunity.csv",
        "006000000000002AAA,001000000000006AAA,Sensors München,Closed Lost,true,false,9000,EUR,"
        "2025-04-20,2025-03-20T09:00:00.000+0000,005000000000001AAA,Rival GmbH\n",
        "",
    )
    night(backend, folder, "2025-06-21", full=True)
    assert same_as_live(backend, "2025-06-21") == {
        "procurement-links": True,
        "cross-sell-gaps": True,
    }
    same_as_live(backend, "2025-06-26")

    # A run that changes nothing reads nothing new and keeps the findings in use.
    night(backend, folder, "2025-06-22", full=True)
    assert same_as_live(backend, "2025-06-22") == {
        "procurement-links": True,
        "cross-sell-gaps": True,
    }

    # Forgetting a person drops the findings (they name people): live until the next run.
    forget(backend, "003000000000002AAA", today="2025-06-23")
    assert same_as_live(backend, "2025-06-23") == {
        "procurement-links": False,
        "cross-sell-gaps": False,
    }
    night(backend, folder, "2025-06-24", full=True)
    assert same_as_live(backend, "2025-06-24") == {
        "procurement-links": True,
        "cross-sell-gaps": True,
    }


def test_a_group_given_or_other_parameters_run_live(backend: Backend) -> None:
    apply_schema(backend)
    night(backend, SF_SMALL, "2025-06-01")
    rows = queries.run(backend, "cross-sell-gaps", {"as_of": "2025-06-01"})
    assert rows and findings.LAST_READ["cross-sell-gaps"] is True
    group = rows[0]["group_id"]
    findings.LAST_READ.clear()
    queries.run(backend, "cross-sell-gaps", {"group_id": group, "as_of": "2025-06-01"})
    assert "cross-sell-gaps" not in findings.LAST_READ
    deal = "006000000000001AAA"
    given = {"deal_id": deal, "as_of": "2025-06-01"}
    live = queries.run(backend, "procurement-links", given, live=True)
    assert queries.run(backend, "procurement-links", given) == live
    assert findings.LAST_READ["procurement-links"] is False
