"""Maintained findings (kamgraph/queries/findings.py): the portfolio answers of procurement-links
and cross-sell-gaps read from the findings each ingest run refreshes are the live answers, on
every day and after every kind of change, on both backends."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.errors import KamgraphError
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


ACME, ACME_LTD = "001000000000001AAA", "001000000000008AAA"
BOTH = {"procurement-links": True, "cross-sell-gaps": True}
NEITHER = {"procurement-links": False, "cross-sell-gaps": False}
#: Nights after the first load of sf_small, each changing one thing (so each way of finding
#: the touched groups is needed): (day, what changes, --full, edits of the export).
NIGHTS: list[tuple[str, str, bool, list[tuple[str, str | None, str]]]] = [
    (
        "2025-06-02",
        "a won deal of ACME Holdings Ltd is lost (a changed node)",
        False,
        [
            (
                "Opportunity.csv",
                "Sensors Shanghai,Closed Won,true,true",
                "Sensors Shanghai,Closed Lost,true,false",
            )
        ],
    ),
    (
        "2025-06-03",
        "ACME's CFO, Economic Buyer on its deal, becomes Evaluator (a changed link only)",
        False,
        [
            (
                "OpportunityContactRole.csv",
                "003000000000002AAA,Economic Buyer,true",
                "003000000000002AAA,Evaluator,true",
            )
        ],
    ),
    (
        "2025-06-04",
        "and Economic Buyer on an Acme deal (a new link only)",
        False,
        [
            (
                "OpportunityContactRole.csv",
                None,
                "00K000000000003EAA,006000000000003AAA,003000000000002AAA,Economic Buyer,false",
            )
        ],
    ),
    (
        "2025-06-05",
        "Stuttgart (with its open deal) moves from Acme to ACME Holdings Ltd",
        False,
        [
            (
                "Account.csv",
                "001000000000007AAA,Acme Süd Stuttgart,001000000000003AAA",
                "001000000000007AAA,Acme Süd Stuttgart,001000000000008AAA",
            )
        ],
    ),
    (
        "2025-06-06",
        "a won Gateways deal of Acme Nord is dated ahead, on 2025-06-20",
        False,
        [
            (
                "Opportunity.csv",
                None,
                "006000000000007AAA,001000000000002AAA,Gateways Nord,Closed Won,true,true,7000,"
                "EUR,2025-06-25,2025-06-20T09:00:00.000+0000,005000000000001AAA,",
            ),
            (
                "OpportunityLineItem.csv",
                None,
                "00k000000000007AAA,006000000000007AAA,01t000000000002AAA,1,7000,7000",
            ),
        ],
    ),
    ("2025-06-21", "nothing, but the Acme group's span has ended", False, []),
    (
        "2025-06-22",
        "the lost München deal leaves the export (--full: made inactive)",
        True,
        [
            (
                "Opportunity.csv",
                "006000000000002AAA,001000000000006AAA,Sensors München,Closed Lost,true,false,"
                "9000,EUR,2025-04-20,2025-03-20T09:00:00.000+0000,005000000000001AAA,Rival GmbH\n",
                "",
            )
        ],
    ),
]


@pytest.mark.slow
def test_findings_follow_nightly_changes_and_dates(backend: Backend, tmp_path: Path) -> None:
    apply_schema(backend)
    folder = tmp_path / "export"
    shutil.copytree(SF_SMALL, folder)
    night(backend, folder, "2025-06-01")
    # The first run computes every group; the answers are read from them on that day and later.
    for day in ("2025-06-01", "2025-06-15", "2025-08-02"):
        assert same_as_live(backend, day) == BOTH
    # A past date before a group's latest compared date is computed live, and still equal.
    assert same_as_live(backend, "2025-03-15") == NEITHER
    for day, what, full, edits in NIGHTS:
        for file, old, new in edits:
            edit(folder, file, old, new)
        night(backend, folder, day, full=full)
        assert same_as_live(backend, day) == BOTH, f"after {what}"
        same_as_live(backend, "2025-06-26")
        if day == "2025-06-06":
            # Up to the day before the dated deal the findings hold; from then on, live.
            assert same_as_live(backend, "2025-06-19") == BOTH
            assert same_as_live(backend, "2025-06-20") == NEITHER

    # Forgetting a person drops the findings (they name people): live until the next run.
    forget(backend, "003000000000002AAA", today="2025-06-23")
    assert same_as_live(backend, "2025-06-23") == NEITHER
    night(backend, folder, "2025-06-24", full=True)
    assert same_as_live(backend, "2025-06-24") == BOTH


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


def test_a_run_that_fails_before_its_refresh_leaves_reads_live_until_the_next(
    backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply_schema(backend)
    folder = tmp_path / "export"
    shutil.copytree(SF_SMALL, folder)
    night(backend, folder, "2025-06-01")
    edit(folder, *NIGHTS[0][3][0])

    def broken(*args: Any, **kwargs: Any) -> None:
        raise KamgraphError("refresh failed")

    monkeypatch.setattr(findings, "refresh_after_run", broken)
    with pytest.raises(KamgraphError):
        night(backend, folder, "2025-06-02")
    monkeypatch.undo()
    # The failed run changed the graph but not the findings: answers are live meanwhile.
    assert same_as_live(backend, "2025-06-02") == NEITHER
    # The next run changes nothing itself, and still brings in the failed run's changes.
    night(backend, folder, "2025-06-03")
    assert same_as_live(backend, "2025-06-03") == BOTH


def test_a_completed_pending_link_touches_the_groups_of_its_ends(
    backend: Backend, tmp_path: Path
) -> None:
    apply_schema(backend)
    folder = tmp_path / "export"
    shutil.copytree(SF_SMALL, folder)
    edit(folder, "OpportunityContactRole.csv", "Economic Buyer,true", "Evaluator,true")
    night(backend, folder, "2025-06-01")
    # Another source said ACME Holdings Ltd's CFO is Economic Buyer on a deal not loaded yet.
    backend.write(
        "CREATE (:PendingLink {pending_id: 'p1', statement: 'link-role', source: 'csv', "
        "system: 'csv', run_id: 'csv-run', stated_at: '2025-06-01T03:00:00+00:00', "
        "from_key: '003000000000002AAA', to_key: '006000000000009AAA', "
        "props: '{\"role\": \"Economic Buyer\"}', owner: '003000000000002AAA'})"
    )
    assert same_as_live(backend, "2025-06-01") == BOTH
    # The deal arrives (in Cobalt's group): the link is written with the other source's run
    # id, and ACME Holdings Ltd's answer (its CFO's most decisive role) changes although
    # nothing else of that group did.
    edit(
        folder,
        "Opportunity.csv",
        None,
        "006000000000009AAA,001000000000010AAA,Cobalt Sensors,Proposal/Price Quote,false,false,"
        "5000,EUR,2025-09-01,2025-05-20T09:00:00.000+0000,005000000000001AAA,",
    )
    edit(
        folder,
        "OpportunityLineItem.csv",
        None,
        "00k000000000009AAA,006000000000009AAA,01t000000000001AAA,1,5000,5000",
    )
    night(backend, folder, "2025-06-02")
    assert same_as_live(backend, "2025-06-02") == BOTH
