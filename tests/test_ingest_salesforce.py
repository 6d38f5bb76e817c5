"""Salesforce CSV ingestion on both backends: what lands, idempotence, rejects, history."""

from __future__ import annotations

import shutil
from pathlib import Path

from kamgraph.backends.base import Backend
from kamgraph.ingest.pipeline import ingest
from kamgraph.ingest.runs import list_pending
from kamgraph.schema import apply_schema
from kamgraph.stats import graph_stats

from .conftest import SF_SMALL


def load(backend: Backend, folder: Path = SF_SMALL, **kw: object) -> object:
    apply_schema(backend)
    return ingest(backend, "salesforce", folder, **kw)  # type: ignore[arg-type]


def test_small_fixture_lands_completely(backend: Backend) -> None:
    report = load(backend)
    assert report.status == "ok"  # type: ignore[attr-defined]
    stats = graph_stats(backend)
    assert stats["nodes"] == {
        "Company": 10,
        "Competitor": 2,
        "Contact": 3,
        "Deal": 6,
        "Product": 2,
        "Rep": 2,
    }
    assert stats["relationships"]["BRANCH_OF"] == 5
    assert stats["relationships"]["SUBSIDIARY_OF"] == 2
    assert stats["relationships"]["HAS_DEAL"] == 6
    assert stats["relationships"]["LOST_TO"] == 2
    assert stats["runs"] == 1


def test_families_are_computed_at_every_depth(backend: Backend, sf_ids: dict[str, str]) -> None:
    load(backend)
    rows = backend.read(
        "MATCH (c:Company) RETURN c.account_id AS id, c.group_id AS g, c.depth AS d"
    )
    by_id = {r["id"]: (r["g"], r["d"]) for r in rows}
    assert by_id[sf_ids["A2b"]] == (sf_ids["A0"], 2)
    assert by_id[sf_ids["A1"]] == (sf_ids["A0"], 1)
    assert by_id[sf_ids["A0"]] == (sf_ids["A0"], 0)
    assert by_id[sf_ids["B1"]] == (sf_ids["B0"], 1)
    assert by_id[sf_ids["C0"]] == (sf_ids["C0"], 0)


def test_second_run_is_a_no_op(backend: Backend) -> None:
    load(backend)
    before = graph_stats(backend)
    report = load(backend)
    after = graph_stats(backend)
    assert report.counts.created == 0  # type: ignore[attr-defined]
    assert report.counts.updated == 0  # type: ignore[attr-defined]
    assert report.counts.linked == 0  # type: ignore[attr-defined]
    assert before["nodes"] == after["nodes"]
    assert before["relationships"] == after["relationships"]
    assert after["runs"] == 2


def test_changed_rows_update_in_place_and_parent_change_keeps_history(
    backend: Backend, tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    load(backend)
    folder = tmp_path / "export2"
    shutil.copytree(SF_SMALL, folder)
    account_csv = folder / "Account.csv"
    text = account_csv.read_text(encoding="utf-8")
    # Acme Süd Stuttgart moves from Acme Süd to Acme Nord, and Cobalt is renamed.
    text = text.replace(
        f"{sf_ids['A2b']},Acme Süd Stuttgart,{sf_ids['A2']}",
        f"{sf_ids['A2b']},Acme Süd Stuttgart,{sf_ids['A1']}",
    ).replace("Cobalt Logistics Inc", "Cobalt Logistics International")
    account_csv.write_text(text, encoding="utf-8")
    report = load(backend, folder)
    assert report.counts.created == 0  # type: ignore[attr-defined]
    assert report.counts.updated == 1  # type: ignore[attr-defined]
    rows = backend.read(
        "MATCH (c:Company {account_id: $id})-[r:BRANCH_OF]->(p:Company) "
        "RETURN p.account_id AS parent, r.active AS active, r.until AS until ORDER BY parent",
        {"id": sf_ids["A2b"]},
    )
    assert {(r["parent"], r["active"]) for r in rows} == {
        (sf_ids["A1"], True),
        (sf_ids["A2"], False),
    }
    assert all(r["until"] for r in rows if not r["active"])
    name = backend.read(
        "MATCH (c:Company {account_id: $id}) RETURN c.name AS name", {"id": sf_ids["C0"]}
    )
    assert name == [{"name": "Cobalt Logistics International"}]


def test_fifteen_and_eighteen_character_ids_are_the_same_record(
    backend: Backend, tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    load(backend)
    folder = tmp_path / "short"
    folder.mkdir()
    short = sf_ids["C0"][:15]
    (folder / "Account.csv").write_text(
        f"Id,Name\n{short},Cobalt Logistics Inc\n", encoding="utf-8"
    )
    report = load(backend, folder)
    assert report.counts.created == 0  # type: ignore[attr-defined]
    assert graph_stats(backend)["nodes"]["Company"] == 10


def test_bad_rows_are_rejected_with_file_line_field_and_good_rows_land(
    backend: Backend, tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "Account.csv").write_text(
        "Id,Name,ParentId\n"
        "001000000000001AAA,Good One,\n"
        "not-an-id,Bad Id,\n"
        "001000000000003AAA,,\n"
        "001000000000004AAA,Orphan,001000000000099AAA\n"
        '001000000000005AAA,"\'}) DETACH DELETE n //",\n',
        encoding="utf-8",
    )
    (folder / "Opportunity.csv").write_text(
        "Id,AccountId,StageName,Amount,CloseDate,CreatedDate\n"
        "006000000000001AAA,001000000000001AAA,Closed Won,abc,2025-01-01,2025-01-01\n"
        "006000000000002AAA,001000000000001AAA,Closed Won,100,31/31/2025,2025-01-01\n"
        "006000000000003AAA,001000000000001AAA,Closed Won,100,2025-02-01,2025-01-01\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    report = load(backend, folder, rejects=rejects)
    got = {(Path(r.file).name, r.line, r.field) for r in report.rejects}  # type: ignore[attr-defined]
    assert got == {
        ("Account.csv", 3, "Id"),
        ("Account.csv", 4, "Name"),
        ("Opportunity.csv", 2, "Amount"),
        ("Opportunity.csv", 3, "CloseDate"),
    }
    assert report.status == "partial"  # type: ignore[attr-defined]
    lines = rejects.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file,line,field,reason,original"
    assert len(lines) == 5
    # The orphan's parent is not a bad row but a reference no run has loaded yet: pending.
    waiting = [(Path(p["file"]).name, p["line"], p["field"]) for p in list_pending(backend)]
    assert waiting == [("Account.csv", 5, "ParentId")]
    names = {r["name"] for r in backend.read("MATCH (c:Company) RETURN c.name AS name")}
    assert names == {"Good One", "Orphan", "'}) DETACH DELETE n //"}
    assert backend.read("MATCH (d:Deal) RETURN d.deal_id AS id") == [{"id": "006000000000003AAA"}]


def test_gb18030_and_bom_files_are_read(backend: Backend, tmp_path: Path) -> None:
    folder = tmp_path / "enc"
    folder.mkdir()
    (folder / "Account.csv").write_bytes(
        "Id,Name\n001000000000001AAA,华东精密制造集团有限公司\n".encode("gb18030")
    )
    load(backend, folder)
    folder2 = tmp_path / "bom"
    folder2.mkdir()
    (folder2 / "account.CSV").write_bytes(
        "\ufeffID,NAME\n001000000000002AAA,Ünïcode GmbH\n".encode()
    )
    load(backend, folder2)
    names = sorted(r["name"] for r in backend.read("MATCH (c:Company) RETURN c.name AS name"))
    assert names == ["Ünïcode GmbH", "华东精密制造集团有限公司"]


def test_deleted_rows_are_kept_inactive(
    backend: Backend, tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    load(backend)
    folder = tmp_path / "del"
    folder.mkdir()
    (folder / "Opportunity.csv").write_text(
        "Id,IsDeleted,StageName,CloseDate\n" + f"{sf_ids['o6']},true,Closed Lost,2025-08-01\n",
        encoding="utf-8",
    )
    load(backend, folder)
    rows = backend.read(
        "MATCH (d:Deal {deal_id: $id}) RETURN d.active AS active", {"id": sf_ids["o6"]}
    )
    assert rows == [{"active": False}]
    assert graph_stats(backend)["nodes"]["Deal"] == 6
