# ruff: noqa: E501
"""Declared end rules, applied by the one builder for every CRM reader, night after night.

Three nightly exports of one small CRM are written three ways (Salesforce CSV, ``sf data
export tree`` JSON, and mapped CSV) and loaded on each backend. After every night the three
graphs must be the same (canonical dumps, provenance names aside), and hold the history the
rules in kamgraph/schema/end_rules.py declare.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kamgraph.backends.base import Backend
from kamgraph.dump import canonical_dump
from kamgraph.ingest.pipeline import FullExportError, RunReport, ingest
from kamgraph.schema import apply_schema
from kamgraph.schema.end_rules import END_RULES, end_rule_tables

from .conftest import wipe

REPO = Path(__file__).resolve().parents[1]


def sid(prefix: str, n: int) -> str:
    """An 18-character Salesforce id (already in its case-safe form)."""
    return f"{prefix}{n:012d}AAA"


A = {name: sid("001", i) for i, name in enumerate(["A0", "A1", "A2", "A3", "B0", "B1", "B2"], 1)}
C = {name: sid("003", i) for i, name in enumerate(["c1", "c2", "c3", "c4", "c5", "c6"], 1)}
O = {name: sid("006", i) for i, name in enumerate(["o1", "o2", "o3"], 1)}  # noqa: E741
U = {"U1": sid("005", 1), "U2": sid("005", 2)}
P1 = sid("01t", 1)

# Object -> rows (dicts with Salesforce field names). Night 1; later nights are edits of it.
NIGHT1: dict[str, list[dict[str, str]]] = {
    "User": [
        {"Id": U["U1"], "Name": "Rita Rep", "Email": "rita@example.com", "Rep_Tier__c": "key-account"},
        {"Id": U["U2"], "Name": "Sam Seller", "Email": "sam@example.com", "Rep_Tier__c": "expansion"},
    ],
    "Account": [
        {"Id": A["A0"], "Name": "Atlas Holding AG", "ParentId": "", "Hierarchy_Type__c": "Headquarters"},
        {"Id": A["A1"], "Name": "Atlas Nord GmbH", "ParentId": A["A0"], "Hierarchy_Type__c": "Subsidiary"},
        {"Id": A["A2"], "Name": "Atlas Süd GmbH", "ParentId": A["A0"], "Hierarchy_Type__c": "Subsidiary"},
        {"Id": A["A3"], "Name": "Atlas Nord Hamburg", "ParentId": A["A1"], "Hierarchy_Type__c": "Branch"},
        {"Id": A["B0"], "Name": "Borealis Group", "ParentId": "", "Hierarchy_Type__c": "Headquarters"},
        {"Id": A["B1"], "Name": "Borealis Services", "ParentId": A["B0"], "Hierarchy_Type__c": "Subsidiary"},
        {"Id": A["B2"], "Name": "Borealis Riga", "ParentId": A["B1"], "Hierarchy_Type__c": "Branch"},
    ],
    "Contact": [
        {"Id": C["c1"], "AccountId": A["A3"], "FirstName": "Hanna", "LastName": "Berg", "Title": "Branch Manager", "ReportsToId": ""},
        {"Id": C["c2"], "AccountId": A["A3"], "FirstName": "Otto", "LastName": "Klein", "Title": "Technician", "ReportsToId": C["c1"]},
        {"Id": C["c3"], "AccountId": A["A1"], "FirstName": "Li", "LastName": "Wei", "Title": "CFO", "ReportsToId": ""},
        {"Id": C["c4"], "AccountId": A["B1"], "FirstName": "Mia", "LastName": "Roth", "Title": "Buyer", "ReportsToId": C["c5"]},
        {"Id": C["c5"], "AccountId": A["B1"], "FirstName": "Jon", "LastName": "Falk", "Title": "Head of Purchasing", "ReportsToId": ""},
        {"Id": C["c6"], "AccountId": A["A1"], "FirstName": "Eva", "LastName": "Sand", "Title": "Controller", "ReportsToId": C["c3"]},
    ],
    "AccountTeamMember": [
        {"Id": sid("01M", 1), "AccountId": A["A0"], "UserId": U["U1"], "TeamMemberRole": "Key Account Manager"},
        {"Id": sid("01M", 2), "AccountId": A["B0"], "UserId": U["U2"], "TeamMemberRole": "Account Manager"},
    ],
    "Product2": [{"Id": P1, "Name": "Sensor S1", "Family": "Sensors", "ProductCode": "S1"}],
    "Opportunity": [
        {"Id": O["o1"], "AccountId": A["A3"], "Name": "Sensors Hamburg", "StageName": "Closed Won", "Amount": "12000", "CurrencyIsoCode": "EUR", "CloseDate": "2025-04-01", "CreatedDate": "2025-03-01", "OwnerId": U["U1"]},
        {"Id": O["o2"], "AccountId": A["A1"], "Name": "Gateways Nord", "StageName": "Prospecting", "Amount": "5000", "CurrencyIsoCode": "EUR", "CloseDate": "2025-12-01", "CreatedDate": "2025-05-01", "OwnerId": U["U2"]},
        {"Id": O["o3"], "AccountId": A["B1"], "Name": "Riga Rollout", "StageName": "Closed Lost", "Amount": "8000", "CurrencyIsoCode": "EUR", "CloseDate": "2025-05-15", "CreatedDate": "2025-04-15", "OwnerId": U["U1"]},
    ],
    "OpportunityLineItem": [
        {"Id": sid("00k", 1), "OpportunityId": O["o1"], "Product2Id": P1, "Quantity": "1", "UnitPrice": "12000", "TotalPrice": "12000"},
    ],
    "OpportunityContactRole": [
        {"Id": sid("00K", 1), "OpportunityId": O["o1"], "ContactId": C["c1"], "Role": "Champion", "IsPrimary": "true"},
        {"Id": sid("00K", 2), "OpportunityId": O["o3"], "ContactId": C["c5"], "Role": "Economic Buyer", "IsPrimary": "true"},
    ],
}  # fmt: skip


def edit(night: dict[str, list[dict[str, str]]], obj: str, key: str, **changes: str) -> None:
    for row in night[obj]:
        if row["Id"] == key:
            row.update(changes)
            return
    raise AssertionError(f"{obj} {key} not in the night")


def nights() -> list[dict[str, list[dict[str, str]]]]:
    one = json.loads(json.dumps(NIGHT1))
    two = json.loads(json.dumps(NIGHT1))
    edit(two, "Contact", C["c2"], ReportsToId=C["c3"])  # manager changed
    edit(two, "Contact", C["c1"], Title="Regional Director", AccountId=A["A2"])  # title; moved
    edit(two, "Opportunity", O["o1"], OwnerId=U["U2"])  # deal owner changed
    edit(two, "Opportunity", O["o2"], AccountId=A["A2"])  # deal moved to another account
    edit(two, "Account", A["A3"], ParentId=A["A2"])  # branch re-parented inside its group
    edit(two, "Account", A["B0"], Name="Borealis Group plc")  # account renamed
    edit(two, "OpportunityContactRole", sid("00K", 1), Role="Decision Maker")
    edit(two, "Contact", C["c4"], IsDeleted="true")  # deleted in the CRM
    edit(two, "Account", A["B1"], IsDeleted="true")  # a parent with a branch (B2) deleted
    three = json.loads(json.dumps(two))
    edit(three, "Contact", C["c2"], ReportsToId=C["c1"])  # manager changed a second time
    edit(three, "Contact", C["c6"], ReportsToId="")  # manager removed
    return [one, two, three]


DATES = [dt.datetime(2025, m, 1, tzinfo=dt.UTC) for m in (6, 7, 8)]


# -- the three ways of writing one night
def write_csv(night: dict[str, list[dict[str, str]]], folder: Path) -> Path:
    folder.mkdir(parents=True)
    for obj, rows in night.items():
        columns = list(dict.fromkeys(k for row in rows for k in row))
        if obj in ("Account", "Contact", "Opportunity") and "IsDeleted" not in columns:
            columns.append("IsDeleted")  # one column: a duplicate header is refused (issue 12)
        with (folder / f"{obj}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, columns, restval="")
            writer.writeheader()
            writer.writerows(rows)
    return folder


def write_tree(night: dict[str, list[dict[str, str]]], folder: Path) -> Path:
    """sf data export tree JSON: lookups as @references, empty fields left out."""
    folder.mkdir(parents=True)
    lookups = {"ParentId", "AccountId", "ReportsToId", "OwnerId", "UserId", "OpportunityId",
               "ContactId", "Product2Id"}  # fmt: skip
    for obj, rows in night.items():
        records = []
        for row in rows:
            record: dict[str, Any] = {"attributes": {"type": obj, "referenceId": f"ref{row['Id']}"}}
            for name, value in row.items():
                if name == "Id" or value == "":
                    continue
                if name == "IsDeleted":
                    record[name] = value == "true"
                else:
                    record[name] = f"@ref{value}" if name in lookups else value
            records.append(record)
        (folder / f"{obj}.json").write_text(json.dumps({"records": records}), encoding="utf-8")
    return folder


MAPPING = """
version = 1
system = "{system}"

[reps]
file = "User.csv"
id = "Id"
name = "Name"
email = "Email"
tier = "Rep_Tier__c"

[companies]
file = "Account.csv"
id = "Id"
name = "Name"
parent = "ParentId"
hierarchy_type = "Hierarchy_Type__c"
deleted = "IsDeleted"

[contacts]
file = "Contact.csv"
id = "Id"
first_name = "FirstName"
last_name = "LastName"
company = "AccountId"
reports_to = "ReportsToId"
job_title = "Title"
deleted = "IsDeleted"

[products]
file = "Product2.csv"
id = "Id"
name = "Name"
family = "Family"
code = "ProductCode"

[deals]
file = "Opportunity.csv"
id = "Id"
name = "Name"
company = "AccountId"
owner = "OwnerId"
stage = "StageName"
amount = "Amount"
currency = "CurrencyIsoCode"
created = "CreatedDate"
closed = "CloseDate"
deleted = "IsDeleted"

[deals.status]
won = ["Closed Won"]
lost = ["Closed Lost"]
open = ["Prospecting"]

[line_items]
file = "OpportunityLineItem.csv"
id = "Id"
deal = "OpportunityId"
product = "Product2Id"
quantity = "Quantity"
unit_price = "UnitPrice"
total = "TotalPrice"

[contact_roles]
file = "OpportunityContactRole.csv"
deal = "OpportunityId"
contact = "ContactId"
role = "Role"
is_primary = "IsPrimary"

[team_members]
file = "AccountTeamMember.csv"
rep = "UserId"
company = "AccountId"
team_role = "TeamMemberRole"
"""

Loader = Callable[[Backend, dict[str, list[dict[str, str]]], Path, dt.datetime], RunReport]


def via_salesforce_csv(
    backend: Backend, night: dict[str, list[dict[str, str]]], folder: Path, now: dt.datetime
) -> RunReport:
    return ingest(backend, "salesforce", write_csv(night, folder), now=now)


def via_sfdx_tree(
    backend: Backend, night: dict[str, list[dict[str, str]]], folder: Path, now: dt.datetime
) -> RunReport:
    return ingest(backend, "salesforce", write_tree(night, folder), now=now)


def via_mapped_csv(
    backend: Backend, night: dict[str, list[dict[str, str]]], folder: Path, now: dt.datetime
) -> RunReport:
    write_csv(night, folder)
    mapping = folder / "mapping.toml"
    mapping.write_text(MAPPING.format(system="orbis-crm"), encoding="utf-8")
    return ingest(backend, "csv", folder, now=now, options={"mapping": mapping})


READERS: dict[str, Loader] = {
    "salesforce-csv": via_salesforce_csv,
    "sfdx-json": via_sfdx_tree,
    "mapped-csv": via_mapped_csv,
}
#: Provenance that names the reader, not the data (and the hash over what each reader states).
READER_PROPERTIES = {"source", "system", "content_hash", "salesforce_id"}


def neutral_dump(backend: Backend) -> list[str]:
    lines = []
    for line in canonical_dump(backend):
        item = json.loads(line)
        item["props"] = {k: v for k, v in item["props"].items() if k not in READER_PROPERTIES}
        lines.append(json.dumps(item, sort_keys=True, ensure_ascii=False))
    return sorted(lines)


def run_nights(backend: Backend, tmp_path: Path, reader: str) -> list[tuple[RunReport, list[str]]]:
    wipe(backend)
    apply_schema(backend)
    out = []
    for i, (night, now) in enumerate(zip(nights(), DATES, strict=True), 1):
        report = READERS[reader](backend, night, tmp_path / reader / f"night{i}", now)
        assert report.counts.rejected == 0, report.rejects
        out.append((report, neutral_dump(backend)))
    return out


def links(backend: Backend, rel: str, key: str) -> dict[str, tuple[bool, Any]]:
    """{other end: (active, until)} of the ``rel`` links at the record ``key`` (either way)."""
    rows = backend.read(
        f"MATCH (a)-[r:{rel}]-(b) "
        "WHERE a.account_id = $k OR a.contact_id = $k OR a.deal_id = $k "
        "RETURN coalesce(b.account_id, b.contact_id, b.rep_id, b.deal_id) AS other, "
        "r.active AS active, r.until AS until",
        {"k": key},
    )
    return {r["other"]: (r["active"], r["until"]) for r in rows}


def active(backend: Backend, rel: str, key: str) -> set[str]:
    return {other for other, (on, _) in links(backend, rel, key).items() if on}


def test_every_reader_gives_the_same_graph_every_night(backend: Backend, tmp_path: Path) -> None:
    results = {reader: run_nights(backend, tmp_path, reader) for reader in READERS}
    expected = results["salesforce-csv"]
    for reader, nightly in results.items():
        for night, ((_, dump), (_, want)) in enumerate(zip(nightly, expected, strict=True), 1):
            assert dump == want, f"{reader}, night {night}: {set(dump) ^ set(want)}"
            # ...and no night leaves a contact with two active managers.
            managers: dict[str, int] = {}
            for line in dump:
                item = json.loads(line)
                if item.get("rel") == "REPORTS_TO" and item["props"].get("active"):
                    managers[item["from"]] = managers.get(item["from"], 0) + 1
            assert set(managers.values()) == {1}, (reader, night, managers)


def test_the_history_the_end_rules_declare(backend: Backend, tmp_path: Path) -> None:
    # The mapped CSV reader here: it kept none of this history before the builder.
    results = run_nights(backend, tmp_path, "mapped-csv")
    night2, night3 = results[1][0], results[2][0]
    # REPORTS_TO: changed twice, then removed; never two active managers.
    assert links(backend, "REPORTS_TO", C["c2"]) == {
        C["c1"]: (True, None),  # back to the first manager: current again
        C["c3"]: (False, "2025-08-01"),
    }
    assert links(backend, "REPORTS_TO", C["c6"]) == {C["c3"]: (False, "2025-08-01")}
    since = backend.read(
        "MATCH (:Contact {contact_id: $c})-[r:REPORTS_TO]->(m:Contact) "
        "RETURN m.contact_id AS m, r.since AS since ORDER BY m",
        {"c": C["c2"]},
    )
    assert since == [{"m": C["c1"], "since": None}, {"m": C["c3"], "since": "2025-07-01"}]
    # WORKS_AT: the move ends the old employment; the new one starts that day.
    assert active(backend, "WORKS_AT", C["c1"]) == {A["A2"]}
    # Title history, kept through the mapped CSV reader too.
    title = backend.read(
        "MATCH (c:Contact {contact_id: $k}) RETURN c.job_title AS t, c.previous_titles AS p, "
        "c.job_title_since AS s",
        {"k": C["c1"]},
    )
    assert title == [
        {"t": "Regional Director", "p": ["Branch Manager (until 2025-07-01)"], "s": "2025-07-01"}
    ]
    # OWNS and HAS_DEAL: one active owner, one active account.
    assert active(backend, "OWNS", O["o1"]) == {U["U2"]}
    assert links(backend, "OWNS", O["o1"])[U["U1"]] == (False, "2025-07-01")
    assert active(backend, "HAS_DEAL", O["o2"]) == {A["A2"]}
    # Parent links: the re-parented branch has one active parent, of the right type.
    assert backend.read(
        "MATCH (:Company {account_id: $k})-[r:BRANCH_OF]->(p:Company) WHERE r.active = true "
        "RETURN p.account_id AS p, p.group_id AS g",
        {"k": A["A3"]},
    ) == [{"p": A["A2"], "g": A["A0"]}]
    # ROLE_IN history.
    role = backend.read(
        "MATCH (:Contact {contact_id: $c})-[r:ROLE_IN]->(:Deal {deal_id: $d}) "
        "RETURN r.role AS role, r.previous_roles AS p",
        {"c": C["c1"], "d": O["o1"]},
    )
    assert role == [{"role": "Decision Maker", "p": ["Champion (until 2025-07-01)"]}]
    # IsDeleted: the contact is inactive and its manager link ended.
    assert links(backend, "REPORTS_TO", C["c4"]) == {C["c5"]: (False, "2025-07-01")}
    # A parent made inactive: its member is reported, detached and the top of its own group;
    # its employees' links to it end.
    assert night2.detached == [{"member": A["B2"], "parent": A["B1"], "rel_type": "BRANCH_OF"}]
    groups = backend.read(
        "MATCH (c:Company) WHERE c.account_id IN $ks RETURN c.account_id AS k, "
        "c.group_id AS g, c.active AS active ORDER BY k",
        {"ks": [A["B0"], A["B1"], A["B2"]]},
    )
    assert groups == [
        {"k": A["B0"], "g": A["B0"], "active": True},
        {"k": A["B1"], "g": A["B1"], "active": False},
        {"k": A["B2"], "g": A["B2"], "active": True},
    ]
    assert links(backend, "WORKS_AT", C["c5"]) == {A["B1"]: (False, "2025-07-01")}
    assert night2.deactivated == 2  # c4 and B1
    # Night 3 ends exactly its two manager links: rows still naming the inactive B1 do not
    # revive their links night after night.
    assert (night3.deactivated, night3.counts.links_ended, night3.detached) == (0, 2, [])


def test_a_rerun_of_the_last_night_changes_nothing(backend: Backend, tmp_path: Path) -> None:
    results = run_nights(backend, tmp_path, "salesforce-csv")
    again = via_salesforce_csv(backend, nights()[2], tmp_path / "again", DATES[2])
    c = again.counts
    assert (c.created, c.updated, c.linked, c.deactivated, c.links_ended) == (0, 0, 0, 0, 0)
    assert neutral_dump(backend) == results[2][1]


# -- --full, scoped to the system that sent the export
def test_full_salesforce_export_counts_what_it_made_inactive(
    backend: Backend, tmp_path: Path
) -> None:
    apply_schema(backend)
    night = nights()[0]
    via_salesforce_csv(backend, night, tmp_path / "n1", DATES[0])
    # The next full export no longer lists c6, the Borealis team member or c5's decision role.
    night["Contact"] = [r for r in night["Contact"] if r["Id"] != C["c6"]]
    night["AccountTeamMember"] = night["AccountTeamMember"][:1]
    night["OpportunityContactRole"] = night["OpportunityContactRole"][:1]
    folder = write_csv(night, tmp_path / "n2")
    partial = ingest(backend, "salesforce", folder, now=DATES[1])
    assert (partial.deactivated, partial.counts.links_ended) == (0, 0)
    report = ingest(backend, "salesforce", folder, now=DATES[1], full=True)
    # c6 inactive; its WORKS_AT and REPORTS_TO end (2), plus the unlisted ON_TEAM and ROLE_IN.
    assert (report.deactivated, report.counts.links_ended) == (1, 4)
    summary = report.as_dict()
    assert (summary["deactivated"], summary["links_ended"], summary["system"]) == (
        1,
        4,
        "salesforce",
    )
    assert active(backend, "ON_TEAM", A["B0"]) == set()
    assert active(backend, "ROLE_IN", O["o3"]) == set()
    runs = backend.read(
        "MATCH (r:IngestRun) WHERE r.deactivated > 0 RETURN r.deactivated AS d, r.links_ended AS e"
    )
    assert runs == [{"d": 1, "e": 4}]


def test_full_export_of_one_crm_leaves_another_crms_records_alone(
    backend: Backend, tmp_path: Path
) -> None:
    apply_schema(backend)
    night = nights()[0]

    def load(
        system: str, prefix: str, rows: dict[str, list[dict[str, str]]], full: bool
    ) -> RunReport:
        folder = tmp_path / f"{system}-{full}"
        write_csv(rows, folder)
        mapping = folder / "mapping.toml"
        text = MAPPING.format(system=system).replace(
            "version = 1", f'version = 1\nid_prefix = "{prefix}"'
        )
        mapping.write_text(text, encoding="utf-8")
        return ingest(backend, "csv", folder, options={"mapping": mapping}, full=full, now=DATES[1])

    load("crm-a", "a:", night, full=False)
    load("crm-b", "b:", night, full=False)
    smaller = dict(night)
    smaller["Account"] = [r for r in night["Account"] if r["Id"] != A["A2"]]
    report = load("crm-a", "a:", smaller, full=True)
    assert report.deactivated == 1
    inactive = backend.read(
        "MATCH (c:Company) WHERE c.active = false RETURN c.account_id AS k, c.source AS s, "
        "c.system AS system"
    )
    assert inactive == [{"k": "a:" + A["A2"], "s": "csv", "system": "crm-a"}]
    # crm-b's copy of the same company, and crm-a's contacts and deals (not in the export), stay.
    counts = backend.read(
        "MATCH (n) WHERE (n:Contact OR n:Deal OR n:Company) AND n.active = true "
        "RETURN n.system AS system, count(n) AS n ORDER BY system"
    )
    assert counts == [{"system": "crm-a", "n": 6 + 6 + 3}, {"system": "crm-b", "n": 7 + 6 + 3}]


def test_a_hierarchy_source_refuses_a_full_export(backend: Backend, tmp_path: Path) -> None:
    with pytest.raises(FullExportError) as e:
        ingest(backend, "gleif", tmp_path, full=True)
    assert e.value.setting == "full" and "--" not in str(e.value)


def test_a_policy_row_ends_the_members_it_no_longer_lists(backend: Backend, tmp_path: Path) -> None:
    apply_schema(backend)
    via_salesforce_csv(backend, nights()[0], tmp_path / "crm", DATES[0])
    policies = tmp_path / "policies.csv"
    header = "policy_id,issuer_account_id,product_family,applies_to\n"
    policies.write_text(header + f"POL-1,{A['A0']},Sensors,{A['A1']};{A['A2']}\n", "utf-8")
    ingest(backend, "policies", policies, now=DATES[0])
    policies.write_text(header + f"POL-1,{A['A0']},Sensors,{A['A2']}\n", "utf-8")
    report = ingest(backend, "policies", policies, now=DATES[1])
    assert report.counts.links_ended == 1
    rows = backend.read(
        "MATCH (:Policy {policy_id: 'POL-1'})-[r:APPLIES_TO]->(c:Company) "
        "RETURN c.account_id AS k, r.active AS active, r.until AS until ORDER BY k"
    )
    assert rows == [
        {"k": A["A1"], "active": False, "until": "2025-07-01"},
        {"k": A["A2"], "active": True, "until": None},
    ]
    # A full policies file without POL-1 makes it inactive, and its member links end.
    policies.write_text(header, "utf-8")
    full = ingest(backend, "policies", policies, now=DATES[2], full=True)
    assert (full.deactivated, full.counts.links_ended) == (0, 0)  # an empty file states nothing
    policies.write_text(header + f"POL-2,{A['A0']},Sensors,{A['A1']}\n", "utf-8")
    full = ingest(backend, "policies", policies, now=DATES[2], full=True)
    assert (full.deactivated, full.counts.links_ended) == (1, 1)


# -- the declared table, shown in docs/model.md
def test_docs_model_shows_the_declared_end_rules() -> None:
    doc = (REPO / "docs" / "model.md").read_text(encoding="utf-8")
    assert end_rule_tables() in doc, "regenerate with: python -m kamgraph.schema.end_rules"


def test_every_end_rule_names_a_statement_of_the_registry() -> None:
    from kamgraph.queries import statement

    for rule in END_RULES:
        for name in filter(None, (rule.statement, rule.listing, rule.link_statement)):
            assert statement(name).name == name


# -- what the command line shows
def test_cli_full_run_shows_what_it_made_inactive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from typer.testing import CliRunner

    from kamgraph.cli import app

    for key in list(os.environ):
        if key.startswith("NEO4J_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("KAMGRAPH_STORE", str(tmp_path / "store.kgl"))
    runner = CliRunner()
    night = nights()[0]
    first = runner.invoke(app, ["ingest", "salesforce", str(write_csv(night, tmp_path / "n1"))])
    assert first.exit_code == 0, first.output
    night["Account"] = [r for r in night["Account"] if r["Id"] != A["B2"]]
    folder = write_csv(night, tmp_path / "n2")
    text = runner.invoke(app, ["ingest", "salesforce", "--full", str(folder)])
    assert text.exit_code == 0, text.output
    # B2 made inactive; its parent link ends.
    assert "1 made inactive, 1 links ended" in text.output
    again = runner.invoke(
        app, ["ingest", "salesforce", "--full", "--log-format", "json", "-q", str(folder)]
    )
    summary = json.loads(again.stderr.strip().splitlines()[-1])
    assert (summary["deactivated"], summary["links_ended"], summary["detached"]) == (0, 0, 0)
    runs = json.loads(runner.invoke(app, ["runs", "--format", "json"]).stdout)
    assert sorted((r["deactivated"], r["links_ended"]) for r in runs) == [(0, 0), (0, 0), (1, 1)]
