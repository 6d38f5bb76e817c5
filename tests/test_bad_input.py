"""The bad input corpus (tests/data/bad, see its README): every bad row is rejected with file,
line, field and reason, every good row still lands, file-level problems refuse the run before
anything is written, and text that looks like Cypher stays inert text. Both backends.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.cli import app
from kamgraph.dump import canonical_dump
from kamgraph.errors import InputDataError
from kamgraph.ingest.pipeline import RunReport, ingest
from kamgraph.ingest.runs import list_pending
from kamgraph.maps import build_group_map
from kamgraph.queries.registry import default_registry
from kamgraph.schema import apply_schema
from kamgraph.schema.model import NODE_KEYS, RELATIONSHIPS
from kamgraph.viz.orgmap import write_org_map

from .conftest import DATA, SF_SMALL

BAD = DATA / "bad"


def A(n: int) -> str:  # the account ids as the corpus README writes them
    return f"001BAD{n:09d}AAA"


def load(backend: Backend, source: str, path: Path, **kw: object) -> RunReport:
    apply_schema(backend)
    return ingest(backend, source, path, **kw)  # type: ignore[arg-type]


def rejects_of(report: RunReport) -> dict[tuple[str, int, str], str]:
    return {(Path(r.file).name, r.line, r.field): r.reason for r in report.rejects}


#: (file, line, field) -> a phrase the reason must contain. Lines are physical lines (a
#: quoted cell over two lines makes the next row start one line later).
ROW_REJECTS = {
    ("Account.csv", 8, "Id"): f"Id {A(2)} appears again (first on line 4) with different content",
    ("Account.csv", 10, "(row)"): "10 cells, header has 8; check quoting and delimiters",
    ("Account.csv", 11, "Id"): "'not-an-id' is not a 15- or 18-character Salesforce id",
    ("Account.csv", 12, "Name"): "Name is required but empty",
    ("Account.csv", 13, "ParentId"): "ParentId points at the account itself",
    ("Account.csv", 14, "(row)"): "quoting is broken on this line",
    ("Account.csv", 16, "(row)"): "line 16: bytes that are not UTF-8 (they read as GB18030)",
    ("Account.csv", 18, "(row)"): "quoted cell opened on this line is never closed",
    ("Contact.csv", 4, "Last_Verified__c"): "'31/13/2025' is not a date in this column's order",
    ("Opportunity.csv", 3, "Amount"): "'-500' is negative",
    ("Opportunity.csv", 4, "Amount"): "'twelve' is not a number",
    ("Opportunity.csv", 5, "Amount"): "'1e400' is not a finite number",
    ("Opportunity.csv", 8, "CloseDate"): "'2025-02-30' is not a date",
    ("Opportunity.csv", 9, "CreatedDate"): "'1899-12-01' is outside the years 1900-2200",
    ("Opportunity.csv", 10, "Id"): "appears again (first on line 2) with different content",
    ("Opportunity.csv", 11, "CloseDate"): "'45678' is not a date",
}

#: References to records no file has loaded (yet): not rejected but kept pending, listed with
#: the same file, line, field and reason, and completed if a later run loads the record.
ROW_PENDING = {
    ("Account.csv", 7, "ParentId"): f"ParentId {A(999)} is not a known account",
    ("Contact.csv", 3, "AccountId"): f"AccountId {A(999)} is not a known account",
    ("Contact.csv", 5, "ReportsToId"): "ReportsToId 003BAD000000777AAA is not a known contact",
    ("Opportunity.csv", 6, "AccountId"): f"AccountId {A(999)} is not a known account",
}


def pending_of(backend: Backend) -> dict[tuple[str, int, str], str]:
    return {
        (Path(p["file"]).name, p["line"], p["field"]): p["reason"] for p in list_pending(backend)
    }


GOOD_COMPANIES = {
    A(1): "Good Holding AG",
    A(2): "Good Sub GmbH",  # the first of its two rows (line 4), not line 8's FR/Retail
    A(3): "'}) DETACH DELETE n //",
    A(4): "ControlChars Ltd",  # BEL and ESC removed
    A(5): "Orphan Branch",  # loaded; only its parent link waits (pending)
    A(8): "Self Parent",
    A(10): "After Quote AG",  # the line after the unbalanced quote
    A(12): "Ünïcode Zürich AG",  # the UTF-8 line after the GB18030 one
}


def test_every_bad_row_is_rejected_with_file_line_field_and_reason(
    backend: Backend, tmp_path: Path
) -> None:
    rejects_file = tmp_path / "rejects.csv"
    report = load(backend, "salesforce", BAD / "rows", rejects=rejects_file)
    got = rejects_of(report)
    assert set(got) == set(ROW_REJECTS)
    for where, phrase in ROW_REJECTS.items():
        assert phrase in got[where], where
    assert report.status == "partial"
    assert report.counts.rejected == len(ROW_REJECTS)
    pending = pending_of(backend)
    assert set(pending) == set(ROW_PENDING) and report.pending == len(ROW_PENDING)
    for where, phrase in ROW_PENDING.items():
        assert phrase in pending[where], where

    with rejects_file.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["file", "line", "field", "reason", "original"]
    in_file = {(Path(r[0]).name, int(r[1]), r[2]) for r in rows[1:]}
    assert in_file == set(ROW_REJECTS) and len(rows) == 1 + len(ROW_REJECTS)
    originals = {(Path(r[0]).name, int(r[1])): r[4] for r in rows[1:]}
    assert "华东精密制造有限公司" in originals[("Account.csv", 16)]  # shown readable, not as �
    assert originals[("Account.csv", 8)].startswith(f"{A(2)},Good Sub GmbH,{A(1)},Subsidiary,FR")


def test_every_good_row_lands_and_first_row_of_a_duplicate_id_wins(backend: Backend) -> None:
    load(backend, "salesforce", BAD / "rows")
    companies = backend.read(
        "MATCH (c:Company) RETURN c.account_id AS id, c.name AS name, c.country AS country, "
        "c.industry AS industry"
    )
    assert {r["id"]: r["name"] for r in companies} == GOOD_COMPANIES
    sub = next(r for r in companies if r["id"] == A(2))
    assert (sub["country"], sub["industry"]) == ("DE", "Manufacturing")
    contacts = backend.read("MATCH (c:Contact) RETURN c.contact_id AS id, c.last_verified AS v")
    assert {r["id"]: r["v"] for r in contacts} == {
        "003BAD000000001AAA": "2025-05-01",
        "003BAD000000002AAA": "2025-05-01",  # its AccountId dangles: contact kept, link pending
        "003BAD000000004AAA": "2025-05-01",  # 20250501 is a date export tools write
        "003BAD000000005AAA": "2025-05-01",
    }
    deals = backend.read(
        "MATCH (d:Deal) RETURN d.deal_id AS id, d.amount AS amount, d.created AS created, "
        "d.closed AS closed"
    )
    assert {r["id"]: (r["amount"], r["created"], r["closed"]) for r in deals} == {
        "006BAD000000001AAA": (1234.5, "2025-01-15", "2025-03-31"),  # "1.234,50"
        "006BAD000000005AAA": (100.0, "2025-01-15", None),
        "006BAD000000006AAA": (100.0, "2025-03-01", "2025-03-31"),  # Mar 01, 2025 / 31-Mar-2025
        "006BAD000000010AAA": (100.0, "2025-01-15", None),
    }
    links = backend.read(
        "MATCH (a:Company)-[r:SUBSIDIARY_OF|BRANCH_OF]->(b:Company) "
        "RETURN a.account_id AS child, type(r) AS type, b.account_id AS parent"
    )
    assert sorted((r["child"], r["type"], r["parent"]) for r in links) == [
        (A(2), "SUBSIDIARY_OF", A(1)),
        (A(3), "SUBSIDIARY_OF", A(1)),
        (A(4), "BRANCH_OF", A(1)),
        (A(10), "BRANCH_OF", A(1)),
    ]


def test_rerunning_the_bad_corpus_changes_nothing(backend: Backend) -> None:
    first = load(backend, "salesforce", BAD / "rows")
    before = canonical_dump(backend)
    again = load(backend, "salesforce", BAD / "rows")
    assert (again.counts.created, again.counts.updated, again.counts.linked) == (0, 0, 0)
    assert rejects_of(again) == rejects_of(first)
    assert canonical_dump(backend) == before


FINANCE_REJECTS = {
    ("finance.csv", 3, "date"): "'2025-02-31' is not a date",
    ("finance.csv", 4, "amount"): "amount is negative; book credit notes as kind=cost",
    ("finance.csv", 7, "document_id"): "document_id INV-1 appears again (first on line 2)",
    ("finance.csv", 8, "amount"): "'abc' is not a number",
    ("finance.csv", 9, "document_id"): "contains control characters",
    ("finance.csv", 11, "amount"): "'NaN' is not a finite number",
}


#: Finance rows naming an account no run has loaded: kept pending, not rejected.
FINANCE_PENDING = {
    ("finance.csv", 6, "account_id"): f"account_id {A(999)} is not a known company",
    ("finance.csv", 10, "account_id"): "is not a known company",
}


def test_finance_rows_are_rejected_one_by_one(backend: Backend) -> None:
    load(backend, "salesforce", BAD / "rows")
    report = load(backend, "finance", BAD / "finance.csv")
    got = rejects_of(report)
    assert set(got) == set(FINANCE_REJECTS)
    for where, phrase in FINANCE_REJECTS.items():
        assert phrase in got[where], where
    pending = {k: v for k, v in pending_of(backend).items() if k[0] == "finance.csv"}
    assert set(pending) == set(FINANCE_PENDING) and report.pending == len(FINANCE_PENDING)
    for where, phrase in FINANCE_PENDING.items():
        assert phrase in pending[where], where
    entries = backend.read("MATCH (f:FinanceEntry) RETURN f.entry_id AS id, f.amount AS amount")
    assert {r["id"]: r["amount"] for r in entries} == {
        "INV-1": 1000.0,  # "1,000.00"; line 7's 2000 with the same id is the rejected duplicate
        "CN-1": -50.0,  # a negative cost (credit note) is allowed
        "INV-4": 10.0,
        "INV-7": 10.0,
    }
    billed = backend.read(
        "MATCH (f:FinanceEntry)-[:BILLED_TO]->(c:Company) RETURN f.entry_id AS id, "
        "c.account_id AS account"
    )
    assert sorted((r["id"], r["account"]) for r in billed) == [("CN-1", A(1)), ("INV-1", A(1))]


# -- text that looks like Cypher ----------------------------------------------------------

PAYLOADS = {
    ("Company", "name"): "'}) DETACH DELETE n //",
    ("Contact", "name"): "Robert'); MATCH (n) DETACH DELETE n; // Tables",
    ("Deal", "name"): 'x" }) WITH 1 AS x MATCH (n) DETACH DELETE n //',
    ("Competitor", "name"): "x'}) CREATE (:Pwned) //",
    ("FinanceEntry", "account_ref"): "' OR 1=1 }) DETACH DELETE n //",
}


def test_cypher_looking_text_is_stored_as_inert_text(backend: Backend) -> None:
    load(backend, "salesforce", SF_SMALL)
    clean = canonical_dump(backend)
    load(backend, "salesforce", BAD / "rows")
    load(backend, "finance", BAD / "finance.csv")
    after = canonical_dump(backend)
    # Nothing of the earlier graph was deleted or changed...
    assert set(clean) <= set(after)
    # ...nothing but model labels, types and plain property names exist...
    labels = {tuple(r["labels"]) for r in backend.read("MATCH (n) RETURN labels(n) AS labels")}
    assert {label for ls in labels for label in ls} <= set(NODE_KEYS)
    assert all(len(ls) == 1 for ls in labels)
    types = backend.read("MATCH ()-[r]->() RETURN DISTINCT type(r) AS t")
    assert {r["t"] for r in types} <= set(RELATIONSHIPS)
    keys = {k for line in after for k in _property_names(line)}
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in keys), keys
    # ...and each payload is exactly one property value, verbatim.
    for (label, prop), payload in PAYLOADS.items():
        rows = backend.read(
            f"MATCH (n:`{label}`) WHERE n.`{prop}` = $payload RETURN count(n) AS n",
            {"payload": payload},
        )
        assert rows == [{"n": 1}], (label, payload)
    assert backend.read("MATCH (n) WHERE n.name CONTAINS 'Pwned' RETURN labels(n) AS l") == [
        {"l": ["Competitor"]}
    ]


def _property_names(dump_line: str) -> list[str]:
    import json

    item = json.loads(dump_line)
    return list(item["props"])


# -- file-level problems ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("wrong_delimiter", r"Account\.csv:1: missing columns Id, Name .*separated by something"),
        ("missing_columns", r"Account\.csv:1: missing column Name \(the header has 'id', "),
        ("late_bad_header", r"Opportunity\.csv:1: missing column CreatedDate or CloseDate"),
        ("empty", r"Account\.csv: the file is empty; expected a header row"),
    ],
)
def test_a_broken_file_refuses_the_run_before_anything_is_written(
    backend: Backend, folder: str, message: str
) -> None:
    apply_schema(backend)
    with pytest.raises(InputDataError, match=message):
        ingest(backend, "salesforce", BAD / folder)
    assert backend.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_a_finance_file_without_an_amount_column_is_refused(
    backend: Backend, tmp_path: Path
) -> None:
    path = tmp_path / "finance.csv"
    path.write_text("document_id,account_id,date,total\nINV-1,X,2025-01-01,5\n", encoding="utf-8")
    apply_schema(backend)
    with pytest.raises(InputDataError, match=r"finance\.csv:1: missing column amount"):
        ingest(backend, "finance", path)
    assert backend.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_a_header_only_file_is_an_empty_export(backend: Backend) -> None:
    report = load(backend, "salesforce", BAD / "header_only")
    assert (report.status, report.counts.rows_read, report.counts.rejected) == ("ok", 0, 0)


def test_a_gb18030_file_with_one_utf8_line_rejects_that_line(backend: Backend) -> None:
    report = load(backend, "salesforce", BAD / "gb18030_mixed")
    got = rejects_of(report)
    assert list(got) == [("Account.csv", 4, "(row)")]
    assert "UTF-8 in a file that is otherwise GB18030" in got[("Account.csv", 4, "(row)")]
    names = backend.read("MATCH (c:Company) RETURN c.name AS name")
    assert sorted(r["name"] for r in names) == sorted(
        ["华东精密制造集团有限公司", "华南精密制造有限公司", "北方精密制造有限公司"]
    )


# -- ten-megabyte cells -------------------------------------------------------------------


def test_ten_megabyte_cells_reject_their_row_or_pass_when_unused(
    backend: Backend, tmp_path: Path
) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    huge = "x" * 10_000_000
    (folder / "Account.csv").write_text(
        "Id,Name,Description\n"
        f"{A(1)},{huge},\n"
        f'{A(2)},Long Description AG,"{huge}\n{huge}"\n'
        f"{A(3)},After The Big Ones AG,\n",
        encoding="utf-8",
    )
    report = load(backend, "salesforce", folder)
    assert rejects_of(report) == {
        ("Account.csv", 2, "Name"): "Name is 10,000,000 characters long (limit 100,000); "
        "shorten it in the source"
    }
    names = backend.read("MATCH (c:Company) RETURN c.name AS name ORDER BY name")
    assert [r["name"] for r in names] == ["After The Big Ones AG", "Long Description AG"]


# -- ParentId cycles ----------------------------------------------------------------------

CYCLE = [f"001CYC{n:09d}AAA" for n in range(1, 7)]


@pytest.mark.timeout(300)
def test_parent_cycles_are_flagged_and_nothing_loops(backend: Backend, tmp_path: Path) -> None:
    report = load(backend, "salesforce", BAD / "cycle")
    assert report.status == "ok"  # a cycle is what the CRM says: stored, flagged, not rejected
    rows = backend.read(
        "MATCH (c:Company) RETURN c.account_id AS id, c.group_id AS group_id, "
        "c.hierarchy_issue AS issue"
    )
    assert {r["id"]: (r["group_id"], r["issue"]) for r in rows} == {
        CYCLE[0]: (CYCLE[0], "parent cycle"),  # a cycle's group: its smallest account id
        CYCLE[1]: (CYCLE[0], "parent cycle"),
        CYCLE[2]: (CYCLE[0], "parent cycle"),
        CYCLE[3]: (CYCLE[0], "parent cycle"),  # hangs below the cycle
        CYCLE[4]: (CYCLE[4], None),
        CYCLE[5]: (CYCLE[4], None),
    }
    # Every public query finishes on it, for the whole graph and for the cycle's group.
    for query in queries.list_queries():
        declared = {p.name for p in query.params}
        for params in ({}, {"group_id": CYCLE[0]} if "group_id" in declared else None):
            if params is not None:
                assert isinstance(queries.run(backend, query.name, params), list), query.name
    if "hierarchy-issues" in default_registry():
        issues = queries.run(backend, "hierarchy-issues", {"group_id": CYCLE[0]})
        assert {r["account_id"] for r in issues if r["issue"] == "parent_cycle"} == set(CYCLE[:4])
    org = build_group_map(backend, CYCLE[2], as_of="2025-12-31")
    companies = [n for n in org.nodes if n.kind == "company"]
    assert len(companies) == 4
    html = write_org_map(org, tmp_path / "cycle.html").read_text(encoding="utf-8")
    assert "Loop A" in html and "Hanger-on" in html


# -- the CLI (embedded store) -------------------------------------------------------------


def test_cli_exit_codes_for_bad_rows_and_broken_files(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"KAMGRAPH_STORE": str(tmp_path / "store.kgl"), "NEO4J_URI": ""}
    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(
        app, ["ingest", "salesforce", str(BAD / "rows"), "--rejects", str(rejects)], env=env
    )
    assert result.exit_code == 10, result.output
    assert f"rejected {BAD / 'rows' / 'Account.csv'}:8 [Id]" in result.stderr
    assert len(rejects.read_text(encoding="utf-8").splitlines()) == 1 + len(ROW_REJECTS)
    result = runner.invoke(app, ["ingest", "salesforce", str(BAD / "wrong_delimiter")], env=env)
    assert result.exit_code == 5
    lines = result.stderr.strip().splitlines()
    assert (
        lines[-1].startswith("error: ") and "Account.csv:1: missing columns Id, Name" in lines[-1]
    )
    assert "Traceback" not in result.output
