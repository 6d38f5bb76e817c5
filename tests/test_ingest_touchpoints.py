"""Salesforce Task and Event -> Touchpoint: nodes, links, rejects and idempotent re-runs."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from kamgraph.backends.base import Backend
from kamgraph.ingest.pipeline import RunReport, ingest
from kamgraph.ingest.runs import list_pending
from kamgraph.schema import apply_schema
from kamgraph.stats import graph_stats

from .conftest import DATA
from .fixture_graphs import fixture_ids

FOLDER = DATA / "touchpoints"
NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)


def load(backend: Backend, folder: Path = FOLDER, **kw: Any) -> RunReport:
    apply_schema(backend)
    return ingest(backend, "salesforce", folder, now=NOW, **kw)


def touchpoints(backend: Backend) -> dict[str, dict[str, Any]]:
    rows = backend.read(
        "MATCH (t:Touchpoint) "
        "OPTIONAL MATCH (r:Rep)-[:LOGGED]->(t) "
        "OPTIONAL MATCH (t)-[:`WITH`]->(c:Contact) "
        "OPTIONAL MATCH (t)-[:CONCERNS]->(x) "
        "RETURN t.touchpoint_id AS id, t.kind AS kind, t.date AS date, "
        "t.activity_type AS activity_type, t.subject AS subject, t.status AS status, "
        "r.rep_id AS rep, c.contact_id AS contact, "
        "coalesce(x.account_id, x.deal_id) AS concerns ORDER BY id"
    )
    return {r.pop("id"): r for r in rows}


def test_tasks_and_events_become_touchpoints(backend: Backend) -> None:
    ids = fixture_ids("touchpoints")
    report = load(backend)
    found = touchpoints(backend)
    assert set(found) == {ids[k] for k in ("T1", "T2", "T4", "T5", "E1", "E2")}
    assert found[ids["T1"]] == {
        "kind": "task",
        "date": "2025-03-01",
        "activity_type": "Call",
        "subject": "Intro call",
        "status": "Completed",
        "rep": ids["R1"],
        "contact": ids["C1"],
        "concerns": ids["A1"],
    }
    # A US date, an opportunity as WhatId.
    t2 = found[ids["T2"]]
    assert (t2["date"], t2["concerns"], t2["rep"]) == ("2025-03-15", ids["D1"], ids["R2"])
    # The contact we never exported: the touchpoint and its other links still load.
    t4 = found[ids["T4"]]
    assert (t4["contact"], t4["rep"], t4["concerns"]) == (None, ids["R1"], ids["A2"])
    # A lead (00Q) is not a contact: no link, no reject.
    assert found[ids["T5"]]["contact"] is None and found[ids["T5"]]["concerns"] is None
    e1 = found[ids["E1"]]
    assert (e1["kind"], e1["contact"], e1["concerns"]) == ("event", ids["C1"], ids["D1"])
    assert e1["status"] is None and e1["activity_type"] == "Meeting"
    # No ActivityDate: the date comes from StartDateTime; an unknown owner rejects LOGGED only.
    e2 = found[ids["E2"]]
    assert (e2["date"], e2["contact"], e2["rep"]) == ("2025-05-06", ids["C3"], None)
    rels = graph_stats(backend)["relationships"]
    assert (rels["LOGGED"], rels["WITH"], rels["CONCERNS"]) == (5, 4, 4)
    assert graph_stats(backend)["nodes"]["Touchpoint"] == 6
    assert report.status == "partial"


def test_bad_rows_are_rejected_naming_file_line_and_field(backend: Backend, tmp_path: Path) -> None:
    rejects_file = tmp_path / "rejects.csv"
    report = load(backend, rejects=rejects_file)
    found = {(Path(r.file).name, r.line, r.field): r.reason for r in report.rejects}
    assert set(found) == {("Task.csv", 4, "ActivityDate")}
    assert "a touchpoint needs a date" in found[("Task.csv", 4, "ActivityDate")]
    # Ids no file has loaded are pending references (completed if a later run loads them).
    waiting = {
        (Path(p["file"]).name, p["line"], p["field"]): p["reason"] for p in list_pending(backend)
    }
    assert set(waiting) == {("Task.csv", 5, "WhoId"), ("Event.csv", 3, "OwnerId")}
    assert "is not a known contact" in waiting[("Task.csv", 5, "WhoId")]
    assert "export User.csv" in waiting[("Event.csv", 3, "OwnerId")]
    assert (report.counts.rejected, report.pending) == (1, 2)
    text = rejects_file.read_text(encoding="utf-8")
    assert "Task.csv,4,ActivityDate," in text and "Undated call" in text
    undated = fixture_ids("touchpoints")["T3"]
    assert (
        backend.read(
            "MATCH (t:Touchpoint {touchpoint_id: $id}) RETURN t.touchpoint_id AS id",
            {"id": undated},
        )
        == []
    )


def test_a_second_run_changes_nothing(backend: Backend) -> None:
    load(backend)
    before = (graph_stats(backend), touchpoints(backend))
    again = load(backend)
    assert (again.counts.created, again.counts.updated, again.counts.linked) == (0, 0, 0)
    assert (again.counts.rejected, again.pending) == (1, 2)  # the same bad rows, again
    after = (graph_stats(backend), touchpoints(backend))
    assert after[0]["nodes"] == before[0]["nodes"]
    assert after[0]["relationships"] == before[0]["relationships"]
    assert after[1] == before[1]


def test_a_changed_task_updates_its_touchpoint(backend: Backend, tmp_path: Path) -> None:
    load(backend)
    folder = tmp_path / "export"
    shutil.copytree(FOLDER, folder)
    tasks = folder / "Task.csv"
    tasks.write_text(
        tasks.read_text(encoding="utf-8").replace("Intro call,Completed", "Intro call,Deferred"),
        encoding="utf-8",
    )
    report = load(backend, folder)
    assert (report.counts.created, report.counts.updated, report.counts.linked) == (0, 1, 0)
    assert touchpoints(backend)[fixture_ids("touchpoints")["T1"]]["status"] == "Deferred"
