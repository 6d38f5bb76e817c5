"""GLEIF ingestion on both backends: API JSON and golden-copy CSV shapes, links, re-runs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kamgraph.backends.base import Backend
from kamgraph.errors import InputDataError
from kamgraph.ingest.gleif import GleifReader, valid_lei
from kamgraph.ingest.records import Record, Reject
from kamgraph.ingest.runs import list_pending

from .conftest import SHARED
from .test_resolve import GLEIF, PUMA_LEI, companies, ingest_hierarchy, parent_links

API = GLEIF / "api"
GOLDEN = GLEIF / "golden"
PUMA = f"LEI:{PUMA_LEI}"
MICROSOFT = "LEI:INR2EJN1ERAN0W5ZP974"
FRAPORT = "LEI:5299001ERX0K10IZUL40"


def children(backend: Backend, parent: str, rel: str = "SUBSIDIARY_OF") -> set[str]:
    return {
        c for c, r, _, p, active in parent_links(backend) if p == parent and r == rel and active
    }


def facts(backend: Backend, key: str) -> dict[str, object]:
    rows = backend.read(
        "MATCH (c:Company {account_id: $key}) RETURN c.name AS name, c.name_key AS name_key, "
        "c.country AS country, c.lei AS lei, c.legal_form AS legal_form, "
        "c.entity_status AS entity_status, c.lei_status AS lei_status, "
        "c.registration_code AS registration_code, "
        "c.gleif_ultimate_parent AS ultimate, "
        "c.gleif_direct_parent_exception AS direct_exception, "
        "c.gleif_ultimate_parent_exception AS ultimate_exception",
        {"key": key},
    )
    assert len(rows) == 1, key
    return rows[0]


def test_api_responses_land_with_their_parent_links(backend: Backend) -> None:
    report = ingest_hierarchy(backend, "gleif", API)
    assert report.status == "ok" and report.counts.rejected == 0
    # 12 entities of multi_lei_records + PUMA's 13 children (12 direct, PUMA UK ultimate-only)
    # + Microsoft's 12 + Bloomberg L.P. and Bloomberg Inc.; the managing-LOU record is skipped.
    c = companies(backend)
    assert len(c) == 39
    assert "LEI:5299000J2N45DDNE4Y28" not in c
    assert facts(backend, PUMA) == {
        "name": "PUMA SE",
        "name_key": "puma",
        "country": "DE",
        "lei": PUMA_LEI,
        "legal_form": "SGST",
        "entity_status": "ACTIVE",
        "lei_status": "ISSUED",
        "registration_code": "HRB 13085",
        "ultimate": None,
        "direct_exception": "NO_KNOWN_PERSON",
        "ultimate_exception": None,
    }
    # 12 direct children and PUMA UNITED KINGDOM LTD, known only through its ultimate parent.
    assert len(children(backend, PUMA)) == 13
    assert "LEI:529900BMH4WOV2MWXU51" in children(backend, PUMA)  # PUMA Europe GmbH
    assert len(children(backend, MICROSOFT)) == 12
    assert "LEI:6354003LMZZAKOPXLX69" in children(backend, MICROSOFT)  # GITHUB INC
    # Bloomberg: direct parent as a link, ultimate parent as a property.
    finance = "LEI:5493001KJTIIGC8Y1R12"
    assert children(backend, "LEI:549300B56MD0ZC402L06") == {finance}
    assert facts(backend, finance)["ultimate"] == "549300RMUDWPHCUQNE66"
    # PUMA UNITED KINGDOM LTD is an ultimate-only child: it joins PUMA's family by a link
    # marked ultimate_only (before issue 13 it stayed a one-company group).
    uk = "LEI:213800LD7FMIZDDCQD70"
    assert facts(backend, uk)["ultimate"] is None
    marks = backend.read(
        "MATCH (c:Company)-[r:SUBSIDIARY_OF]->(p:Company) WHERE r.ultimate_only = true "
        "RETURN c.account_id AS child, p.account_id AS parent, r.relationship_type AS type"
    )
    assert {"child": uk, "parent": PUMA, "type": "IS_ULTIMATELY_CONSOLIDATED_BY"} in marks
    assert (c[uk]["group_id"], c["LEI:529900BMH4WOV2MWXU51"]["group_id"]) == (PUMA, PUMA)


def test_relationship_properties_carry_type_status_and_period(backend: Backend) -> None:
    ingest_hierarchy(backend, "gleif", API)
    rows = backend.read(
        "MATCH (:Company {account_id: 'LEI:529900TDXM6P1Z03OM28'})-[r:SUBSIDIARY_OF]->(p) "
        "RETURN p.account_id AS parent, r.source AS source, "
        "r.relationship_type AS type, r.relationship_status AS status, "
        "r.registration_status AS registration, r.period_start AS start, "
        "r.period_end AS period_end, r.active AS active"
    )
    assert rows == [
        {
            "parent": PUMA,
            "source": "gleif",
            "type": "IS_DIRECTLY_CONSOLIDATED_BY",
            "status": "ACTIVE",
            "registration": "LAPSED",
            "start": "2018-02-05",
            "period_end": None,
            "active": True,
        }
    ]


def test_golden_copy_csvs_land_with_branches_and_ended_links(backend: Backend) -> None:
    report = ingest_hierarchy(backend, "gleif", GOLDEN)
    # Line 8 of the relationships is a fund relationship: not a hierarchy, and not dropped in
    # silence (issue 13).
    assert [(Path(r.file).name, r.line, r.field) for r in report.rejects] == [
        ("lei2-golden-copy.csv", 7, "lei"),
        ("rr-golden-copy.csv", 8, "relationship"),
    ]
    c = companies(backend)
    assert set(c) == {
        FRAPORT,
        "LEI:254900RX3NW13DDG3905",
        "LEI:529900YR7EORVQ2U3353",
        "LEI:5299HIERTESTBRANCH59",
        "LEI:5299HIERTESTFORMER63",
    }
    links = parent_links(backend)
    assert links == {
        ("LEI:254900RX3NW13DDG3905", "SUBSIDIARY_OF", "gleif", FRAPORT, True),
        ("LEI:529900YR7EORVQ2U3353", "SUBSIDIARY_OF", "gleif", FRAPORT, True),
        ("LEI:5299HIERTESTBRANCH59", "BRANCH_OF", "gleif", FRAPORT, True),
        ("LEI:5299HIERTESTFORMER63", "SUBSIDIARY_OF", "gleif", FRAPORT, False),
    }
    ended = backend.read(
        "MATCH (:Company {account_id: 'LEI:5299HIERTESTFORMER63'})-[r:SUBSIDIARY_OF]->() "
        "RETURN r.until AS until, r.relationship_status AS status"
    )
    assert ended == [{"until": "2019-06-30", "status": "INACTIVE"}]
    assert {k: v["group_id"] for k, v in c.items()} == {
        FRAPORT: FRAPORT,
        "LEI:254900RX3NW13DDG3905": FRAPORT,
        "LEI:529900YR7EORVQ2U3353": FRAPORT,
        "LEI:5299HIERTESTBRANCH59": FRAPORT,
        "LEI:5299HIERTESTFORMER63": "LEI:5299HIERTESTFORMER63",  # the link has ended
    }
    assert facts(backend, "LEI:529900YR7EORVQ2U3353")["ultimate"] == "5299001ERX0K10IZUL40"
    assert facts(backend, FRAPORT)["ultimate_exception"] == "NO_KNOWN_PERSON"
    assert facts(backend, FRAPORT)["registration_code"] == "HRB 7042"


def test_a_rerun_creates_updates_and_links_nothing(backend: Backend) -> None:
    ingest_hierarchy(backend, "gleif", API)
    ingest_hierarchy(backend, "gleif", GOLDEN)
    before = parent_links(backend), companies(backend)
    for folder in (API, GOLDEN):
        again = ingest_hierarchy(backend, "gleif", folder)
        assert (again.counts.created, again.counts.updated, again.counts.linked) == (0, 0, 0)
        assert again.families_changed == 0
    assert (parent_links(backend), companies(backend)) == before


def test_a_changed_parent_ends_the_old_gleif_link(backend: Backend, tmp_path: Path) -> None:
    ingest_hierarchy(backend, "gleif", GOLDEN)
    moved = tmp_path / "rr.csv"
    text = (GOLDEN / "rr-golden-copy.csv").read_text(encoding="utf-8")
    # Lima Airport Partners now reports FRAPORT MALTA as its direct parent.
    moved.write_text(
        text.replace(
            '"254900RX3NW13DDG3905","LEI","5299001ERX0K10IZUL40","LEI","IS_DIRECTLY',
            '"254900RX3NW13DDG3905","LEI","529900YR7EORVQ2U3353","LEI","IS_DIRECTLY',
        ),
        encoding="utf-8",
    )
    ingest_hierarchy(backend, "gleif", moved)
    lima = "LEI:254900RX3NW13DDG3905"
    assert {(p, a) for c, _, _, p, a in parent_links(backend) if c == lima} == {
        (FRAPORT, False),
        ("LEI:529900YR7EORVQ2U3353", True),
    }
    assert companies(backend)[lima]["depth"] == 2


def test_single_files_of_each_shape_are_read(tmp_path: Path) -> None:
    single = GleifReader(API / "single_lei_record_529900GRZ2BQY5ZM9N49.json")
    records = [r for r in single if isinstance(r, Record)]
    assert [r.data["key"] for r in records] == [PUMA]
    multi = [r for r in GleifReader(API / "multi_lei_records.json") if isinstance(r, Record)]
    assert len(multi) == 12
    rels = list(GleifReader(API / "direct-child-relationships_529900GRZ2BQY5ZM9N49.json"))
    statements = [r.statement for r in rels if isinstance(r, Record)]
    # each chunk: end stale links first, then the links (so the loader writes whole batches)
    assert statements == ["end-parent-links"] * 12 + ["link-hierarchy-subsidiary"] * 12
    empty = tmp_path / "direct-children_X.json"
    empty.write_text(json.dumps({"data": []}), encoding="utf-8")
    assert list(GleifReader(empty)) == []


def test_files_that_are_not_gleif_data_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "accounts.csv"
    other.write_text("Id,Name\n1,Acme\n", encoding="utf-8")
    with pytest.raises(InputDataError, match="not a GLEIF file"):
        GleifReader(other)
    with pytest.raises(InputDataError, match="no GLEIF files found"):
        GleifReader(tmp_path)
    broken = tmp_path / "x.json"
    broken.write_text('{"data": {"type": "lei-records", ', encoding="utf-8")
    with pytest.raises(InputDataError, match="not valid JSON"):
        list(GleifReader(broken))
    with pytest.raises(InputDataError, match="no such file"):
        GleifReader(tmp_path / "missing")


def test_lei_check_digits() -> None:
    assert valid_lei(PUMA_LEI) and valid_lei("5299HIERTESTBRANCH59")
    assert not valid_lei("529900GRZ2BQY5ZM9N48")  # one check digit off
    assert not valid_lei("529900grz2bqy5zm9n49") and not valid_lei("HIERTESTNOTALEI0000X")


FIXTURES = SHARED / "gleif-api-fixtures"


@pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"{FIXTURES} is not here")
def test_all_shared_fixtures_land_as_the_flattened_csvs_say(backend: Backend) -> None:
    """The folder's derived/ CSVs (flattened independently) say what must come out."""
    with (FIXTURES / "derived" / "entities.csv").open(encoding="utf-8") as fh:
        entities = {r["lei"] for r in csv.DictReader(fh)}
    with (FIXTURES / "derived" / "relationships.csv").open(encoding="utf-8") as fh:
        rels = list(csv.DictReader(fh))
    direct = {
        (r["child_lei"], r["parent_lei"])
        for r in rels
        if r["relationship_type"] == "IS_DIRECTLY_CONSOLIDATED_BY"
    }
    # Children known only through their ultimate parent join that family too (issue 13).
    ultimate_only = {
        (r["child_lei"], r["parent_lei"])
        for r in rels
        if r["relationship_type"] == "IS_ULTIMATELY_CONSOLIDATED_BY"
        and r["child_lei"] not in {c for c, _ in direct}
    }
    direct |= ultimate_only
    lous = {
        json.loads(p.read_text(encoding="utf-8"))["data"]["attributes"]["lei"]
        for p in (FIXTURES / "lei_records").glob("managing-lou_*.json")
    }
    report = ingest_hierarchy(backend, "gleif", FIXTURES)
    stored = {k.removeprefix("LEI:") for k in companies(backend)}
    # managing-lou responses describe LEI issuers, not the groups: skipped unless the same
    # entity also comes in another response.
    lou_only = lous - _leis_outside_lou_files(FIXTURES)
    assert lou_only and stored == entities - lou_only
    landed = {
        (c.removeprefix("LEI:"), p.removeprefix("LEI:")) for c, _, _, p, _ in parent_links(backend)
    }
    missing_child = {(c, p) for c, p in direct if c not in stored}
    assert landed == direct - missing_child
    # A relationship whose child is in no response waits for it (a later file may bring it).
    assert report.counts.rejected == 0
    assert report.pending == len(missing_child) > 0
    waiting = list_pending(backend, source="gleif", limit=1000)
    assert {r["field"] for r in waiting} == {"relationship"}
    assert {
        (r["from_key"].removeprefix("LEI:"), r["to_key"].removeprefix("LEI:")) for r in waiting
    } == missing_child
    again = ingest_hierarchy(backend, "gleif", FIXTURES)
    assert (again.counts.created, again.counts.updated, again.counts.linked) == (0, 0, 0)


def _leis_outside_lou_files(root: Path) -> set[str]:
    found: set[str] = set()
    for path in (root / "lei_records").glob("*.json"):
        if path.name.startswith("managing-lou"):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
        for item in data if isinstance(data, list) else [data]:
            found.add(item["attributes"]["lei"])
    return found


def test_reader_yields_rejects_not_exceptions_for_bad_rows(tmp_path: Path) -> None:
    rr = tmp_path / "rr.csv"
    rr.write_text(
        "Relationship.StartNode.NodeID,Relationship.EndNode.NodeID,"
        "Relationship.RelationshipType,Relationship.RelationshipStatus\n"
        "NOT-A-LEI,5299001ERX0K10IZUL40,IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE\n"
        "254900RX3NW13DDG3905,5299001ERX0K10IZUL40,IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,extra\n",
        encoding="utf-8",
    )
    out = list(GleifReader(rr))
    assert [(r.line, r.field) for r in out if isinstance(r, Reject)] == [(2, "child"), (3, "(row)")]
    assert not [r for r in out if isinstance(r, Record)]
