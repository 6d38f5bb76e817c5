"""The ``[activities]`` mapping section: a CRM's activity log -> touchpoints, like Task / Event."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kamgraph.backends.base import Backend
from kamgraph.ingest import pipeline
from kamgraph.ingest.generic import GenericReader, open_generic
from kamgraph.ingest.mapping import MappingError, load_mapping
from kamgraph.ingest.pipeline import RunReport, SourceSpec, ingest
from kamgraph.ingest.records import Record
from kamgraph.ingest.runs import list_pending
from kamgraph.schema import apply_schema
from kamgraph.stats import graph_stats

from .conftest import DATA

CRM = DATA / "generic_crm"
LOG = DATA / "generic_activities"
TOML = LOG / "activities.toml"
YAML = LOG / "activities.yaml"


@pytest.fixture(autouse=True)
def csv_source(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``csv`` source, registered as kamgraph/ingest/pipeline.py registers it."""
    spec = SourceSpec("csv", "generic CRM CSVs", "folder", open_generic)
    monkeypatch.setitem(pipeline.SOURCES, "csv", pipeline.SOURCES.get("csv", spec))


def load(backend: Backend, folder: Path, mapping: Path, **kw: Any) -> RunReport:
    apply_schema(backend)
    return ingest(backend, "csv", folder, options={"mapping": mapping}, **kw)


def load_crm_then_log(backend: Backend, mapping: Path = TOML) -> RunReport:
    first = load(backend, CRM, CRM / "mapping.toml")
    assert first.status == "ok", first.rejects
    return load(backend, LOG, mapping)


def touchpoints(backend: Backend) -> dict[str, dict[str, Any]]:
    rows = backend.read(
        "MATCH (t:Touchpoint) "
        "OPTIONAL MATCH (r:Rep)-[:LOGGED]->(t) "
        "OPTIONAL MATCH (t)-[:`WITH`]->(c:Contact) "
        "OPTIONAL MATCH (t)-[:CONCERNS]->(x) "
        "RETURN t.touchpoint_id AS id, t.kind AS kind, t.date AS date, "
        "t.activity_type AS activity_type, t.subject AS subject, t.status AS status, "
        "t.source AS source, r.rep_id AS rep, c.contact_id AS contact, "
        "coalesce(x.account_id, x.deal_id) AS concerns ORDER BY id"
    )
    return {r.pop("id"): r for r in rows}


def test_an_activity_log_lands_as_touchpoints(backend: Backend) -> None:
    report = load_crm_then_log(backend)
    found = touchpoints(backend)
    assert set(found) == {"A-1", "A-2", "A-4", "A-5"}
    assert found["A-1"] == {
        "kind": "task",
        "date": "2025-04-03",
        "activity_type": "Anruf",
        "subject": "Kick-off call",
        "status": "erledigt",
        "source": "csv",
        "rep": "mweber",
        "contact": "P-1",
        "concerns": "ORG-1",
    }
    assert (found["A-2"]["kind"], found["A-2"]["concerns"]) == ("event", "D-1")
    assert (found["A-4"]["contact"], found["A-4"]["rep"]) == (None, "tkoch")
    assert (found["A-5"]["kind"], found["A-5"]["rep"], found["A-5"]["contact"]) == (
        "task",
        None,
        "P-4",
    )
    rels = graph_stats(backend)["relationships"]
    assert (rels["LOGGED"], rels["WITH"], rels["CONCERNS"]) == (3, 3, 4)
    assert report.counts.rows_read == 7


def test_bad_rows_and_links_are_rejected_naming_the_column(backend: Backend) -> None:
    report = load_crm_then_log(backend)
    found = {(Path(r.file).name, r.line, r.field): r.reason for r in report.rejects}
    assert set(found) == {
        ("activities.csv", 4, "when"),
        ("activities.csv", 7, "when"),
        ("activities.csv", 8, "kind"),
    }
    # A person or login no run has loaded is a pending reference, not a reject: it is listed
    # with the same file, line, field and reason and completed if a later run loads it.
    waiting = {
        (Path(p["file"]).name, p["line"], p["field"]): p["reason"] for p in list_pending(backend)
    }
    assert set(waiting) == {("activities.csv", 5, "person"), ("activities.csv", 6, "login")}
    assert report.pending == 2
    assert "when (activities.date) is required but empty" in found[("activities.csv", 4, "when")]
    assert "P-99 is not a known contact" in waiting[("activities.csv", 5, "person")]
    assert "nobody is not a known rep" in waiting[("activities.csv", 6, "login")]
    assert "does not match the date format" in found[("activities.csv", 7, "when")]
    assert "'Sonstiges' is not one of: task, event" in found[("activities.csv", 8, "kind")]
    assert report.status == "partial"


def test_a_second_run_changes_nothing(backend: Backend) -> None:
    load_crm_then_log(backend)
    before = (graph_stats(backend), touchpoints(backend))
    again = load(backend, LOG, TOML)
    assert (again.counts.created, again.counts.updated, again.counts.linked) == (0, 0, 0)
    assert (again.counts.rejected, again.pending) == (3, 2)
    after = (graph_stats(backend), touchpoints(backend))
    assert (after[0]["nodes"], after[0]["relationships"], after[1]) == (
        before[0]["nodes"],
        before[0]["relationships"],
        before[1],
    )


def test_yaml_and_toml_give_the_same_touchpoints(backend: Backend) -> None:
    assert load_mapping(TOML).sections == load_mapping(YAML).sections
    load_crm_then_log(backend, YAML)
    assert set(touchpoints(backend)) == {"A-1", "A-2", "A-4", "A-5"}


def test_the_same_records_as_salesforce_activities() -> None:
    """Statements and property names match what the Salesforce reader writes for a Task."""
    items = [i for i in GenericReader(load_mapping(TOML), LOG) if isinstance(i, Record)]
    upsert = next(i for i in items if i.statement == "upsert-touchpoint")
    assert upsert.data["props"] == {
        "touchpoint_id": "A-1",
        "kind": "task",
        "date": "2025-04-03",
        "activity_type": "Anruf",
        "subject": "Kick-off call",
        "status": "erledigt",
    }
    links = {(i.statement, i.data["from"], i.data["to"]) for i in items if i.kind == "link"}
    assert {
        ("link-touchpoint-rep", "mweber", "A-1"),
        ("link-touchpoint-contact", "A-1", "P-1"),
        ("link-touchpoint-company", "A-1", "ORG-1"),
        ("link-touchpoint-deal", "A-2", "D-1"),
    } <= links


def test_contacts_by_name_in_one_mapping_with_the_crm(backend: Backend, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    shutil.copytree(CRM, folder)
    shutil.copy(LOG / "activities.csv", folder / "activities.csv")
    section = TOML.read_text(encoding="utf-8").split("[activities]", 1)[1]
    section = section.replace(
        'contact = "person"', 'contact = { column = "person_name", by = "name" }'
    )
    mapping = tmp_path / "all.toml"
    mapping.write_text(
        (CRM / "mapping.toml").read_text(encoding="utf-8") + "\n[activities]" + section,
        encoding="utf-8",
    )
    report = load(backend, folder, mapping)
    found = touchpoints(backend)
    assert (found["A-1"]["contact"], found["A-5"]["contact"]) == ("P-1", "P-4")  # marco rossi
    by_field = {(r.line, r.field): r.reason for r in report.rejects}
    assert "'Paula Unknown' names no contact in people.csv" in by_field[(5, "person_name")]
    assert found["A-4"]["contact"] is None and found["A-4"]["concerns"] == "ORG-2"


def test_an_activities_section_needs_its_date(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('[activities]\nfile = "a.csv"\nid = "no"\n', encoding="utf-8")
    with pytest.raises(MappingError, match=r"\[activities.date\]: \[activities\] needs 'date'"):
        load_mapping(path)
