"""History survives re-imports: employer moves and ended relations, replayed as of a date."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.ingest.pipeline import ingest
from kamgraph.schema import apply_schema

from .conftest import SF_SMALL


def contacts_of(backend: Backend, group: str, as_of: str) -> set[str]:
    rows = queries.run(backend, "group-people", {"group_id": group, "as_of": as_of})
    return {r["name"] for r in rows}


def test_contact_moving_employer_keeps_history(
    backend: Backend, tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    apply_schema(backend)
    ingest(backend, "salesforce", SF_SMALL, now=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    # Hanna Berg (c1) leaves Acme Nord Hamburg (group A0) for ACME Holdings Ltd. HQ (group B0).
    moved = tmp_path / "moved"
    shutil.copytree(SF_SMALL, moved)
    contact_csv = moved / "Contact.csv"
    contact_csv.write_text(
        contact_csv.read_text(encoding="utf-8").replace(
            f"{sf_ids['c1']},{sf_ids['A1a']},", f"{sf_ids['c1']},{sf_ids['B0']},"
        ),
        encoding="utf-8",
    )
    ingest(backend, "salesforce", moved, now=dt.datetime(2025, 9, 1, tzinfo=dt.UTC))
    assert "Hanna Berg" in contacts_of(backend, sf_ids["A0"], "2025-08-01")
    assert "Hanna Berg" not in contacts_of(backend, sf_ids["B0"], "2025-08-01")
    assert "Hanna Berg" not in contacts_of(backend, sf_ids["A0"], "2025-10-01")
    assert "Hanna Berg" in contacts_of(backend, sf_ids["B0"], "2025-10-01")
    rows = backend.read(
        "MATCH (c:Contact {contact_id: $id})-[w:WORKS_AT]->(a:Company) "
        "RETURN a.account_id AS a, w.active AS active, w.since AS since, w.until AS until "
        "ORDER BY a",
        {"id": sf_ids["c1"]},
    )
    assert rows == sorted(
        [
            {"a": sf_ids["A1a"], "active": False, "since": None, "until": "2025-09-01"},
            {"a": sf_ids["B0"], "active": True, "since": "2025-09-01", "until": None},
        ],
        key=lambda r: str(r["a"]),
    )


def test_inactive_account_contact_relation_is_stored_inactive(
    backend: Backend, tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    folder = tmp_path / "acr"
    shutil.copytree(SF_SMALL, folder)
    (folder / "AccountContactRelation.csv").write_text(
        "Id,ContactId,AccountId,IsActive,StartDate,EndDate,Roles\n"
        f"07k000000000001AAA,{sf_ids['c2']},{sf_ids['B1']},false,2023-01-01,2024-12-31,Advisor\n",
        encoding="utf-8",
    )
    apply_schema(backend)
    report = ingest(backend, "salesforce", folder)
    assert report.counts.rejected == 0
    rows = backend.read(
        "MATCH (:Contact {contact_id: $c})-[w:WORKS_AT]->(:Company {account_id: $a}) "
        "RETURN w.active AS active, w.since AS since, w.until AS until, w.roles AS roles",
        {"c": sf_ids["c2"], "a": sf_ids["B1"]},
    )
    assert rows == [
        {"active": False, "since": "2023-01-01", "until": "2024-12-31", "roles": "Advisor"}
    ]
    assert "Li Wei" in contacts_of(backend, sf_ids["B0"], "2024-06-01")


def test_title_and_decision_role_changes_keep_the_old_values(
    backend: Backend, tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    apply_schema(backend)
    ingest(backend, "salesforce", SF_SMALL, now=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    changed = tmp_path / "changed"
    shutil.copytree(SF_SMALL, changed)
    contacts = changed / "Contact.csv"
    contacts.write_text(
        contacts.read_text(encoding="utf-8").replace("Branch Manager", "Regional Director"),
        encoding="utf-8",
    )
    roles = changed / "OpportunityContactRole.csv"
    roles.write_text(
        roles.read_text(encoding="utf-8").replace("Champion", "Decision Maker"), encoding="utf-8"
    )
    for _ in range(2):  # the second run must change nothing more
        ingest(backend, "salesforce", changed, now=dt.datetime(2025, 9, 1, tzinfo=dt.UTC))
    rows = backend.read(
        "MATCH (c:Contact {contact_id: $id}) RETURN c.job_title AS title, "
        "c.previous_titles AS previous, c.job_title_since AS since",
        {"id": sf_ids["c1"]},
    )
    assert rows == [
        {
            "title": "Regional Director",
            "previous": ["Branch Manager (until 2025-09-01)"],
            "since": "2025-09-01",
        }
    ]
    role = backend.read(
        "MATCH (:Contact {contact_id: $c})-[r:ROLE_IN]->(:Deal {deal_id: $d}) "
        "RETURN r.role AS role, r.previous_roles AS previous, r.role_since AS since",
        {"c": sf_ids["c1"], "d": sf_ids["o1"]},
    )
    assert role == [
        {
            "role": "Decision Maker",
            "previous": ["Champion (until 2025-09-01)"],
            "since": "2025-09-01",
        }
    ]
