"""Personal data: forget sticks across ingests, retention erases exactly the people past the
window, a person's record is complete, undo lets them back (docs/personal-data.md).

The export is the small Salesforce fixture with a three-level reports-to chain (Greta <- Hanna
<- Otto), e-mails, an account-contact relation, a task and notes about Hanna.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamgraph.backends.base import Backend
from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.cli.app import app
from kamgraph.dump import canonical_dump
from kamgraph.errors import ConfigError, NotFoundError
from kamgraph.ingest.pipeline import ingest
from kamgraph.ingest.runs import list_runs
from kamgraph.personal.erase import forget, undo
from kamgraph.personal.record import person_record
from kamgraph.personal.suppression import stored_hasher
from kamgraph.queries import statement
from kamgraph.schema import apply_schema

from .conftest import SF_SMALL

GRETA, HANNA, OTTO, LI = (f"00300000000000{n}AAA" for n in ("4", "1", "3", "2"))
HAMBURG = "001000000000004AAA"
HANNA_TRACES = ("Hanna", "Berg", "hanna.berg", "Branch Manager", "Regional Director", HANNA)
DAY1, DAY2 = dt.datetime(2025, 1, 10, tzinfo=dt.UTC), dt.datetime(2025, 2, 10, tzinfo=dt.UTC)


def contact(
    cid: str, first: str, last: str, title: str, boss: str = "", deleted: str = ""
) -> dict[str, str]:
    email = f"{first}.{last}@acme.example".lower()
    return {
        "Id": cid,
        "AccountId": HAMBURG,
        "FirstName": first,
        "LastName": last,
        "Email": email,
        "Title": title,
        "ReportsToId": boss,
        "IsDeleted": deleted,
    }


def people(
    hanna_title: str = "Branch Manager", deleted: tuple[str, ...] = ()
) -> list[dict[str, str]]:
    rows = [
        contact(GRETA, "Greta", "Gross", "Head of Region"),
        contact(HANNA, "Hanna", "Berg", hanna_title, GRETA),
        contact(OTTO, "Otto", "Klein", "Technician", HANNA),
        contact(LI, "Li", "Wei", "CFO"),
    ]
    for row in rows:
        row["IsDeleted"] = "true" if row["Id"] in deleted else ""
    return rows


def write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def export(tmp: Path, name: str, rows: list[dict[str, str]]) -> Path:
    """sf_small with these contacts, a relation and a task naming Hanna."""
    folder = tmp / name
    shutil.copytree(SF_SMALL, folder)
    (folder / "README.md").unlink()
    (folder / "ids.json").unlink()
    write(folder / "Contact.csv", rows)
    write(
        folder / "AccountContactRelation.csv",
        [{"ContactId": HANNA, "AccountId": "001000000000001AAA", "Roles": "Advisor"}],
    )
    write(
        folder / "Task.csv",
        [
            {
                "Id": "00T000000000001AAA",
                "WhoId": HANNA,
                "WhatId": HAMBURG,
                "OwnerId": "005000000000001AAA",
                "ActivityDate": "2025-01-05",
                "Type": "Call",
                "Subject": "Intro call",
                "Status": "Completed",
            }
        ],
    )
    return folder


def notes(tmp: Path) -> Path:
    path = tmp / "notes.csv"
    write(
        path,
        [
            {
                "note_id": "N1",
                "about_id": HANNA,
                "kind": "note",
                "date": "2025-01-06",
                "author_id": "005000000000001AAA",
                "text": "Prefers calls in the morning.",
            },
            {
                "note_id": "N2",
                "about_id": HAMBURG,
                "kind": "note",
                "date": "2025-01-07",
                "author_id": "005000000000001AAA",
                "text": "Hanna Berg signs off sensor orders.",
            },
            {
                "note_id": "N3",
                "about_id": HAMBURG,
                "kind": "note",
                "date": "2025-01-08",
                "author_id": "005000000000001AAA",
                "text": "Nobody in particular.",
            },
        ],
    )
    return path


@pytest.fixture
def loaded(backend: Backend, tmp_path: Path) -> Path:
    """Two runs (Hanna's title changes: history), plus notes; returns the second export."""
    apply_schema(backend)
    ingest(backend, "salesforce", export(tmp_path, "v1", people()), now=DAY1)
    second = export(tmp_path, "v2", people("Regional Director"))
    ingest(backend, "salesforce", second, now=DAY2)
    ingest(backend, "notes", notes(tmp_path), now=DAY2)
    return second


def everything(backend: Backend) -> str:
    """Every node and relationship with all properties, bookkeeping included."""
    nodes = backend.read(statement("dump-nodes").text)
    rels = backend.read(statement("dump-relationships").text)
    return json.dumps([nodes, rels], default=str, ensure_ascii=False)


def manager_links(backend: Backend) -> set[tuple[str, str, bool]]:
    rows = backend.read(
        "MATCH (a:Contact)-[r:REPORTS_TO]->(b:Contact) "
        "RETURN a.contact_id AS a, b.contact_id AS b, r.active AS active"
    )
    return {(r["a"], r["b"], r["active"]) for r in rows}


def test_person_record_is_complete_for_a_person_with_history(
    backend: Backend, loaded: Path
) -> None:
    [record] = person_record(backend, HANNA, today="2025-02-10")
    props = record["properties"]
    assert props["name"] == "Hanna Berg" and props["job_title"] == "Regional Director"
    assert props["email"] == "hanna.berg@acme.example"
    assert record["history"]["titles"] == ["Branch Manager (until 2025-02-10)"]
    assert [e["other_id"] for e in record["history"]["employments"]] == [
        "001000000000001AAA",
        HAMBURG,
    ]
    assert [m["other_id"] for m in record["history"]["managers"]] == [GRETA]
    assert [r["other_id"] for r in record["history"]["reports"]] == [OTTO]
    assert [(r["other_id"], r["role"]) for r in record["history"]["decision_roles"]] == [
        ("006000000000001AAA", "Champion")
    ]
    kinds = sorted((r["type"], r["direction"]) for r in record["relationships"])
    assert kinds == [
        ("ABOUT", "in"),
        ("REPORTS_TO", "in"),
        ("REPORTS_TO", "out"),
        ("ROLE_IN", "out"),
        ("WITH", "in"),
        ("WORKS_AT", "out"),
        ("WORKS_AT", "out"),
    ]
    names = {r["type"]: r["other_name"] for r in record["relationships"] if r["direction"] == "in"}
    assert (names["ABOUT"], names["WITH"]) == (None, "Intro call")
    assert [(n["note_id"], n["about"]) for n in record["notes"]] == [("N1", True), ("N2", False)]
    assert "2025-02-10" in record["notice"] and "personal data" in record["notice"]
    # the e-mail finds the same person, in any case
    assert person_record(backend, "HANNA.Berg@acme.example")[0]["contact_id"] == HANNA


def test_forget_then_reingest_leaves_only_the_hash(backend: Backend, loaded: Path) -> None:
    again = ingest(backend, "salesforce", loaded, now=DAY2)
    # the same export again is a no-op; the rows it stands for are those the loading run read
    assert again.unchanged_since is not None and again.counts.rows_read == 0
    rows_read = next(
        r["rows_read"] for r in list_runs(backend, limit=10) if r["run_id"] == again.unchanged_since
    )
    done = forget(backend, "Hanna.Berg@ACME.example", today="2025-02-11")
    assert (done.people, done.reports_closed) == (1, 1)
    assert [n["note_id"] for n in done.notes] == ["N1", "N2"]
    # Otto now reports to Greta; Hanna's own links are gone
    assert manager_links(backend) == {(OTTO, GRETA, True)}

    report = ingest(backend, "salesforce", loaded, now=dt.datetime(2025, 2, 12, tzinfo=dt.UTC))
    # Hanna's contact row, Otto's row naming her as manager, her decision role, the relation
    # and the task naming her
    assert report.suppressed == 5
    assert report.counts.rows_read == rows_read  # skipped rows are still read
    assert list_runs(backend, limit=1)[0]["suppressed"] == 5
    # the notes file still has a note about her: skipped (the stored one is kept for review)
    assert ingest(backend, "notes", loaded.parent / "notes.csv").suppressed == 1
    assert manager_links(backend) == {(OTTO, GRETA, True)}
    dump = "\n".join(canonical_dump(backend))
    raw = everything(backend)
    assert HANNA not in dump and HANNA not in raw
    # Notes keep their text (listed for review above); nothing else names her.
    for trace in HANNA_TRACES:
        assert not [line for line in dump.splitlines() if trace in line and "N2" not in line], trace
    hasher = stored_hasher(backend)
    assert hasher is not None and hasher.of_id(HANNA) in dump
    assert hasher.of_email("hanna.berg@acme.example") in dump
    # the task itself stays (it is the rep's), without its link to her
    assert "Intro call" in dump
    with pytest.raises(NotFoundError, match="was forgotten"):
        person_record(backend, HANNA)


def test_forget_undo_lets_the_next_ingest_bring_them_back(backend: Backend, loaded: Path) -> None:
    forget(backend, HANNA)
    with pytest.raises(NotFoundError, match="already forgotten"):
        forget(backend, HANNA)
    assert undo(backend, "hanna.berg@acme.example") == 1
    with pytest.raises(NotFoundError, match="no suppression entry"):
        undo(backend, HANNA)
    report = ingest(backend, "salesforce", loaded)
    assert report.suppressed == 0
    assert person_record(backend, HANNA)[0]["properties"]["name"] == "Hanna Berg"
    hasher = stored_hasher(backend)
    assert hasher is not None and hasher.of_id(HANNA) not in everything(backend)


def test_retention_erases_exactly_the_people_past_the_window(
    backend: Backend, tmp_path: Path
) -> None:
    apply_schema(backend)
    ingest(backend, "salesforce", export(tmp_path, "all", people()), now=DAY1)
    # Li is deleted in the CRM on 2025-01-20, Otto on 2025-03-01
    ingest(
        backend,
        "salesforce",
        export(tmp_path, "li", people(deleted=(LI,))),
        now=dt.datetime(2025, 1, 20, tzinfo=dt.UTC),
    )
    ingest(
        backend,
        "salesforce",
        export(tmp_path, "otto", people(deleted=(LI, OTTO))),
        now=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
    )
    with pytest.raises(ConfigError, match="retain_inactive_days setting 0"):
        ingest(backend, "salesforce", SF_SMALL, retain_inactive_days=0)
    # On 2025-03-15 a 30-day window keeps people inactive since 2025-02-13 or later.
    report = ingest(
        backend,
        "salesforce",
        export(tmp_path, "later", people(deleted=(LI, OTTO))),
        now=dt.datetime(2025, 3, 15, tzinfo=dt.UTC),
        retain_inactive_days=30,
    )
    assert report.erased == 1 and report.suppressed == 0
    left = {
        r["contact_id"] for r in backend.read("MATCH (c:Contact) RETURN c.contact_id AS contact_id")
    }
    assert left == {GRETA, HANNA, OTTO}
    assert list_runs(backend, limit=1)[0]["erased"] == 1
    # the next run skips Li's (deleted) row and her decision role instead of keeping a trace
    again = ingest(backend, "salesforce", export(tmp_path, "next", people(deleted=(LI, OTTO))))
    assert again.suppressed == 2


def test_embedded_store_survives_forget_and_reopen(tmp_path: Path) -> None:
    """kglite numbers new nodes by their count after a reopen: erasing must leave no hole."""
    path = tmp_path / "store.kgl"

    def session(work: object) -> None:
        store = EmbeddedBackend.open(path)
        try:
            work(store)  # type: ignore[operator]
        finally:
            store.close()

    first = export(tmp_path, "v1", people())
    session(lambda b: (apply_schema(b), ingest(b, "salesforce", first)))
    session(lambda b: forget(b, HANNA))
    session(lambda b: forget(b, OTTO))
    session(lambda b: ingest(b, "notes", notes(tmp_path)))
    session(lambda b: undo(b, OTTO))
    session(lambda b: ingest(b, "salesforce", first))
    session(lambda b: forget(b, LI))
    store = EmbeddedBackend.open(path)
    try:
        ids = {
            r["contact_id"]
            for r in store.read("MATCH (c:Contact) RETURN c.contact_id AS contact_id")
        }
        assert ids == {GRETA, OTTO}
        assert store._graph.verify_integrity()["ok"]
    finally:
        store.close()


def test_cli_forget_person_and_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"KAMGRAPH_STORE": str(tmp_path / "g.kgl")}
    folder = export(tmp_path, "v1", people())
    assert runner.invoke(app, ["ingest", "salesforce", str(folder), "-q"], env=env).exit_code == 0
    shown = runner.invoke(app, ["person", HANNA, "--format", "json"], env=env)
    assert shown.exit_code == 0 and json.loads(shown.stdout)["properties"]["last_name"] == "Berg"
    table = runner.invoke(app, ["person", HANNA], env=env)
    assert table.exit_code == 0 and "Contains personal data" in table.stdout
    assert "REPORTS_TO" in table.stdout
    gone = runner.invoke(app, ["forget", HANNA, "--format", "json"], env=env)
    assert gone.exit_code == 0 and json.loads(gone.stdout)["erased"] == 1
    for argv in (["forget", HANNA], ["person", HANNA], ["forget", "--undo", "x@y.example"]):
        result = runner.invoke(app, argv, env=env)
        assert result.exit_code == NotFoundError.exit_code, (argv, result.output)
    assert runner.invoke(app, ["forget"], env=env).exit_code == ConfigError.exit_code
    again = runner.invoke(app, ["ingest", "salesforce", str(folder)], env=env)
    assert again.exit_code == 0 and "5 suppressed" in again.output
    bad = runner.invoke(
        app,
        ["ingest", "salesforce", str(folder), "-q"],
        env={**env, "KAMGRAPH_RETAIN_INACTIVE_DAYS": "0"},
    )
    assert bad.exit_code == ConfigError.exit_code
    assert "--retain-inactive-days DAYS 0 must be 1 or more" in bad.output
    assert runner.invoke(app, ["forget", "--undo", HANNA], env=env).exit_code == 0


def test_generated_files_state_as_of_and_personal_data(backend: Backend, tmp_path: Path) -> None:
    from kamgraph.analytics.export import export_text
    from kamgraph.analytics.graph import group_graph
    from kamgraph.brief import build_brief
    from kamgraph.maps import write_all_maps
    from kamgraph.personal.notice import personal_data_notice

    apply_schema(backend)
    ingest(backend, "salesforce", SF_SMALL)
    day = "2025-06-01"
    notice = personal_data_notice(day)
    assert day in notice and "personal data" in notice
    assert notice in build_brief(backend, HAMBURG, as_of=day)
    assert "Contains personal data" in export_text(group_graph(backend, HAMBURG, as_of=day), "json")
    with_people, without = tmp_path / "maps", tmp_path / "public"
    maps = write_all_maps(backend, with_people, as_of=day)
    write_all_maps(backend, without, as_of=day, people=False)
    acme = next(p.name for _, p in maps if "Hanna Berg" in p.read_text(encoding="utf-8"))
    assert "Contains personal data" in (with_people / acme).read_text(encoding="utf-8")
    public = (without / acme).read_text(encoding="utf-8")
    assert "Hanna Berg" not in public and "Otto Klein" not in public
    assert personal_data_notice(day, people=False) in public
    assert "Contains no personal data" in (without / "index.html").read_text(encoding="utf-8")


def test_a_forgotten_email_under_a_new_id_is_skipped_with_rows_naming_it(
    backend: Backend, tmp_path: Path
) -> None:
    apply_schema(backend)
    ingest(backend, "salesforce", export(tmp_path, "v1", people()))
    forget(backend, HANNA)
    moved = "003000000000009AAA"  # Hanna again, under another id, with the same e-mail
    rows = people()
    rows[1]["Id"], rows[2]["ReportsToId"] = moved, moved
    report = ingest(backend, "salesforce", export(tmp_path, "moved", rows))
    # her row (by e-mail), Otto's manager reference to the new id, and her decision role,
    # relation and task under the old id
    assert report.suppressed == 5
    assert moved not in everything(backend) and HANNA not in everything(backend)
