"""Tests for the demo portfolio generator: format, determinism, integrity and the showcase."""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from kamgraph.demo import DemoManifest, generate, generate_demo
from kamgraph.demo.generate import sf_id18
from kamgraph.schema.model import DECISION_ROLES

Row = dict[str, str]
Tables = dict[str, list[Row]]

EXPECTED_HEADERS: dict[str, list[str]] = {
    "Account": [
        "Id",
        "Name",
        "ParentId",
        "Type",
        "Industry",
        "BillingCountry",
        "BillingState",
        "Region__c",
        "Hierarchy_Type__c",
        "LEI__c",
        "DunsNumber",
        "Registration_Code__c",
        "Buys_Autonomously__c",
        "IsDeleted",
    ],
    "User": ["Id", "Name", "Email", "Title", "Rep_Tier__c"],
    "AccountTeamMember": ["Id", "AccountId", "UserId", "TeamMemberRole"],
    "Contact": [
        "Id",
        "AccountId",
        "FirstName",
        "LastName",
        "Title",
        "Department",
        "ReportsToId",
        "Email",
        "Attitude__c",
        "Influence__c",
        "Last_Verified__c",
        "OwnerId",
        "LinkedIn_URL__c",
        "IsEmailBounced",
        "EmailBouncedDate",
    ],
    "Product2": ["Id", "Name", "ProductCode", "Family"],
    "Opportunity": [
        "Id",
        "AccountId",
        "Name",
        "StageName",
        "IsClosed",
        "IsWon",
        "Amount",
        "CurrencyIsoCode",
        "CloseDate",
        "CreatedDate",
        "OwnerId",
        "Lost_To__c",
        "Contract_Term__c",
    ],
    "OpportunityLineItem": [
        "Id",
        "OpportunityId",
        "Product2Id",
        "Quantity",
        "UnitPrice",
        "TotalPrice",
    ],
    "OpportunityCompetitor": ["Id", "OpportunityId", "CompetitorName"],
    "OpportunityContactRole": ["Id", "OpportunityId", "ContactId", "Role", "IsPrimary"],
    "Task": ["Id", "WhoId", "WhatId", "OwnerId", "ActivityDate", "Type", "Subject", "Status"],
    "Event": ["Id", "WhoId", "WhatId", "OwnerId", "ActivityDate", "Type", "Subject"],
    "finance": ["document_id", "account_id", "date", "amount", "currency", "kind"],
    "fx": ["Date", "USD", "CNY"],
    "notes": ["note_id", "about_id", "kind", "date", "author_id", "text"],
    "policies": [
        "policy_id",
        "issuer_account_id",
        "product_family",
        "issued_on",
        "title",
        "applies_to",
    ],
}
FILE_NAMES = {name: f"{name}.csv" for name in EXPECTED_HEADERS}
KEY_PREFIXES = {
    "Account": "001",
    "Contact": "003",
    "User": "005",
    "Opportunity": "006",
    "OpportunityLineItem": "00k",
    "Product2": "01t",
    "OpportunityCompetitor": "00J",
    "OpportunityContactRole": "00K",
    "AccountTeamMember": "01M",
    "Task": "00T",
    "Event": "00U",
}
# (object, column) -> referenced object
REFERENCES = {
    ("Account", "ParentId"): "Account",
    ("AccountTeamMember", "AccountId"): "Account",
    ("AccountTeamMember", "UserId"): "User",
    ("Contact", "AccountId"): "Account",
    ("Contact", "ReportsToId"): "Contact",
    ("Contact", "OwnerId"): "User",
    ("Opportunity", "AccountId"): "Account",
    ("Opportunity", "OwnerId"): "User",
    ("OpportunityLineItem", "OpportunityId"): "Opportunity",
    ("OpportunityLineItem", "Product2Id"): "Product2",
    ("OpportunityCompetitor", "OpportunityId"): "Opportunity",
    ("OpportunityContactRole", "OpportunityId"): "Opportunity",
    ("OpportunityContactRole", "ContactId"): "Contact",
    ("Task", "WhoId"): "Contact",
    ("Task", "OwnerId"): "User",
    ("Event", "WhoId"): "Contact",
    ("Event", "OwnerId"): "User",
}
STAGES = {
    "Prospecting",
    "Qualification",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
}
ROLES = set(DECISION_ROLES)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CREATED_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$")
MONEY_RE = re.compile(r"^\d+\.\d{2}$")
TODAY = date(2026, 11, 1)


def checksum_ok(sf_id: str) -> bool:
    """Independent check of the 18-character case-safe suffix."""
    if len(sf_id) != 18 or not sf_id.isascii() or not sf_id.isalnum():
        return False
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    expected = ""
    for chunk in (sf_id[0:5], sf_id[5:10], sf_id[10:15]):
        expected += alphabet[sum(1 << i for i, char in enumerate(chunk) if char.isupper())]
    return sf_id[15:] == expected


def read_tables(directory: Path) -> Tables:
    tables: Tables = {}
    for name, file_name in FILE_NAMES.items():
        with (directory / file_name).open(encoding="utf-8", newline="") as handle:
            tables[name] = list(csv.DictReader(handle))
    return tables


def day(value: str) -> date:
    return date.fromisoformat(value[:10])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoManifest, Tables]:
    manifest = generate_demo(tmp_path_factory.mktemp("demo"))
    return manifest, read_tables(manifest.directory)


def family_of(tables: Tables) -> dict[str, str]:
    """Opportunity id -> its single product family."""
    product_family = {row["Id"]: row["Family"] for row in tables["Product2"]}
    families: dict[str, set[str]] = {}
    for line in tables["OpportunityLineItem"]:
        families.setdefault(line["OpportunityId"], set()).add(product_family[line["Product2Id"]])
    assert all(len(found) == 1 for found in families.values()), (
        "an opportunity mixes product families"
    )
    return {opp_id: next(iter(found)) for opp_id, found in families.items()}


def group_root(accounts: dict[str, Row]) -> dict[str, str]:
    roots: dict[str, str] = {}
    for account_id in accounts:
        node = account_id
        while accounts[node]["ParentId"]:
            node = accounts[node]["ParentId"]
        roots[account_id] = node
    return roots


# ---------------------------------------------------------------------------


def test_sf_id18_known_value() -> None:
    assert sf_id18("001A0000006Vm9r") == "001A0000006Vm9rIAC"
    assert sf_id18("00000000000000a") == "00000000000000aAAA"
    assert sf_id18("ABCDEABCDEABCDE") == "ABCDEABCDEABCDE555"
    with pytest.raises(ValueError):
        sf_id18("001A0000006Vm9")


def test_same_seed_is_byte_identical_and_other_seed_differs(tmp_path: Path) -> None:
    first = generate_demo(tmp_path / "a", seed=11)
    second = generate_demo(tmp_path / "b", seed=11)
    third = generate_demo(tmp_path / "c", seed=12)
    assert first.files.keys() == second.files.keys() == set(FILE_NAMES)
    for name in FILE_NAMES:
        assert first.files[name].read_bytes() == second.files[name].read_bytes(), name
    assert first.key_group_id == second.key_group_id
    assert any(
        first.files[name].read_bytes() != third.files[name].read_bytes() for name in FILE_NAMES
    )
    assert first.key_group_id != third.key_group_id


def test_manifest_and_file_format(demo: tuple[DemoManifest, Tables]) -> None:
    manifest, _ = demo
    assert manifest.key_group_name == "Nordwind Industrie Holding AG"
    assert checksum_ok(manifest.key_group_id)
    for name, file_name in FILE_NAMES.items():
        path = manifest.files[name]
        assert path == manifest.directory / file_name
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in raw
        assert raw.endswith(b"\n")
        text = raw.decode("utf-8")
        header = next(csv.reader([text.split("\n", 1)[0]]))
        assert header == EXPECTED_HEADERS[name], name


def test_ids_are_valid_unique_and_prefixed(demo: tuple[DemoManifest, Tables]) -> None:
    _, tables = demo
    for name, prefix in KEY_PREFIXES.items():
        ids = [row["Id"] for row in tables[name]]
        assert ids, name
        assert len(set(ids)) == len(ids), name
        for sf_id in ids:
            assert sf_id.startswith(prefix), (name, sf_id)
            assert checksum_ok(sf_id), (name, sf_id)
    for (name, column), _target in REFERENCES.items():
        for row in tables[name]:
            if row[column]:
                assert checksum_ok(row[column]), (name, column, row[column])
    for name, pattern in (
        ("finance", r"^(INV|CST)-\d{6}$"),
        ("notes", r"^NOTE-\d{4}$"),
        ("policies", r"^POL-\d{4}$"),
    ):
        key = EXPECTED_HEADERS[name][0]
        values = [row[key] for row in tables[name]]
        assert len(set(values)) == len(values)
        assert all(re.match(pattern, value) for value in values)


def test_references_resolve(demo: tuple[DemoManifest, Tables]) -> None:
    _, tables = demo
    ids = {name: {row["Id"] for row in tables[name]} for name in KEY_PREFIXES}
    for (name, column), target in REFERENCES.items():
        for row in tables[name]:
            if column in ("ParentId", "ReportsToId") and not row[column]:
                continue
            assert row[column] in ids[target], (name, column, row[column])
    for row in tables["finance"]:
        assert row["account_id"] in ids["Account"]
    for name in ("Task", "Event"):
        for row in tables[name]:
            assert row["WhatId"] in ids["Account"] | ids["Opportunity"] | {""}, row
    aboutable = ids["Account"] | ids["Contact"] | ids["Opportunity"]
    for row in tables["notes"]:
        assert row["about_id"] in aboutable
        assert row["author_id"] in ids["User"]
    for row in tables["policies"]:
        assert row["issuer_account_id"] in ids["Account"]
        if row["applies_to"] != "all":
            assert all(part in ids["Account"] for part in row["applies_to"].split(";"))


def test_no_cycles(demo: tuple[DemoManifest, Tables]) -> None:
    _, tables = demo
    for name, column in (("Account", "ParentId"), ("Contact", "ReportsToId")):
        parent = {row["Id"]: row[column] for row in tables[name]}
        for start in parent:
            seen = {start}
            node = parent[start]
            while node:
                assert node not in seen, f"{name} cycle through {start}"
                seen.add(node)
                node = parent[node]


def test_values_are_consistent(demo: tuple[DemoManifest, Tables]) -> None:
    _, tables = demo
    for row in tables["Account"]:
        assert row["Type"] in {"Customer", "Prospect"}
        assert row["Region__c"] in {"EMEA", "APAC", "Americas"}
        assert row["Hierarchy_Type__c"] in {"Headquarters", "Subsidiary", "Branch"}
        assert row["Buys_Autonomously__c"] in {"true", "false"}
        assert row["IsDeleted"] == "false"
        assert re.match(r"^\d{9}$", row["DunsNumber"])
        if row["LEI__c"]:
            lei = row["LEI__c"]
            assert len(lei) == 20
            assert int("".join(str(int(char, 36)) for char in lei)) % 97 == 1
        if row["BillingCountry"] == "CN":
            assert len(row["Registration_Code__c"]) == 18
    assert {row["Rep_Tier__c"] for row in tables["User"]} == {
        "expansion",
        "progression",
        "key-account",
    }
    assert {row["TeamMemberRole"] for row in tables["AccountTeamMember"]} <= {
        "Account Manager",
        "Sales Rep",
        "Key Account Manager",
    }
    for row in tables["Contact"]:
        assert row["Attitude__c"] in {"Mentor", "Supporter", "Neutral", "Non-Supporter", "Enemy"}
        assert row["Influence__c"] in {"High", "Medium", "Low"}
        assert DATE_RE.match(row["Last_Verified__c"])
    totals: Counter[str] = Counter()
    for row in tables["OpportunityLineItem"]:
        quantity = int(row["Quantity"])
        unit = round(float(row["UnitPrice"]) * 100)
        assert MONEY_RE.match(row["TotalPrice"]) and MONEY_RE.match(row["UnitPrice"])
        assert quantity * unit == round(float(row["TotalPrice"]) * 100)
        totals[row["OpportunityId"]] += quantity * unit
    competitors = {
        (row["OpportunityId"], row["CompetitorName"]) for row in tables["OpportunityCompetitor"]
    }
    for row in tables["Opportunity"]:
        stage = row["StageName"]
        assert stage in STAGES
        assert row["IsClosed"] == ("true" if stage.startswith("Closed") else "false")
        assert row["IsWon"] == ("true" if stage == "Closed Won" else "false")
        assert row["CurrencyIsoCode"] in {"EUR", "CNY", "USD"}
        assert DATE_RE.match(row["CloseDate"]) and CREATED_RE.match(row["CreatedDate"])
        assert round(float(row["Amount"]) * 100) == totals[row["Id"]] > 0
        created = day(row["CreatedDate"])
        assert TODAY.replace(year=TODAY.year - 2) <= created < TODAY
        assert day(row["CloseDate"]) > created
        if stage.startswith("Closed"):
            assert day(row["CloseDate"]) < TODAY
        if row["Lost_To__c"]:
            assert stage == "Closed Lost"
            assert (row["Id"], row["Lost_To__c"]) in competitors
    primaries: Counter[str] = Counter()
    for row in tables["OpportunityContactRole"]:
        assert row["Role"] in ROLES
        assert row["IsPrimary"] in {"true", "false"}
        primaries[row["OpportunityId"]] += row["IsPrimary"] == "true"
    assert set(primaries.values()) == {1}
    for row in tables["finance"]:
        assert row["kind"] in {"invoice", "cost"}
        assert row["document_id"].startswith("INV-" if row["kind"] == "invoice" else "CST-")
        assert MONEY_RE.match(row["amount"]) and DATE_RE.match(row["date"])
        assert day(row["date"]) <= TODAY
    for row in tables["notes"]:
        assert row["kind"] in {"note", "playbook"}
        assert day(row["date"]) <= TODAY
        assert row["text"]


def test_portfolio_shape(demo: tuple[DemoManifest, Tables]) -> None:
    _, tables = demo
    accounts = {row["Id"]: row for row in tables["Account"]}
    roots = group_root(accounts)
    sizes = Counter(roots.values())
    groups = [root for root, size in sizes.items() if size > 1]
    assert 6 <= len(groups) <= 8
    assert 60 <= len(accounts) <= 120
    assert any(size == 1 for size in sizes.values()), "no standalone accounts"
    chinese = [root for root in groups if re.search(r"[\u4e00-\u9fff]", accounts[root]["Name"])]
    assert len(chinese) >= 2
    assert any(row["Name"].endswith("分公司") for row in tables["Account"])

    def depth(account_id: str) -> int:
        parent = accounts[account_id]["ParentId"]
        return 0 if not parent else 1 + depth(parent)

    assert max(depth(account_id) for account_id in accounts) >= 2
    assert 6 <= len(tables["User"]) <= 10
    assert 12 <= len(tables["Product2"]) <= 18
    assert len({row["Family"] for row in tables["Product2"]}) == 5
    assert 4 <= len({row["CompetitorName"] for row in tables["OpportunityCompetitor"]}) <= 6

    opps = tables["Opportunity"]
    assert 200 <= len(opps) <= 400
    stages = Counter(row["StageName"] for row in opps)
    assert stages["Closed Won"] >= 50 and stages["Closed Lost"] >= 50
    assert sum(stages[stage] for stage in STAGES if not stage.startswith("Closed")) >= 15
    lost = [row for row in opps if row["StageName"] == "Closed Lost"]
    assert sum(1 for row in lost if row["Lost_To__c"]) >= 0.6 * len(lost)

    roles: dict[str, list[str]] = {}
    for row in tables["OpportunityContactRole"]:
        roles.setdefault(row["OpportunityId"], []).append(row["Role"])
    assert len(roles) >= 0.6 * len(opps)
    assert any(len(found) == 1 for found in roles.values()), "no single-threaded deal"
    assert any(len(found) > 1 and "Economic Buyer" not in found for found in roles.values())

    verified = [day(row["Last_Verified__c"]) for row in tables["Contact"]]
    assert any((TODAY - when).days > 180 for when in verified)
    assert any((TODAY - when).days < 90 for when in verified)
    assert sum(1 for row in tables["Contact"] if row["ReportsToId"]) >= 10
    assert {row["kind"] for row in tables["finance"]} == {"invoice", "cost"}
    assert {row["kind"] for row in tables["notes"]} == {"note", "playbook"}


def test_showcase_wave(demo: tuple[DemoManifest, Tables]) -> None:
    manifest, tables = demo
    accounts = {row["Id"]: row for row in tables["Account"]}
    roots = group_root(accounts)
    key = manifest.key_group_id
    assert accounts[key]["ParentId"] == ""
    assert accounts[key]["Hierarchy_Type__c"] == "Headquarters"
    assert accounts[key]["Name"] == manifest.key_group_name
    members = [account_id for account_id, root in roots.items() if root == key]
    subsidiaries = [a for a in members if accounts[a]["ParentId"] == key]
    branches = [a for a in members if accounts[a]["Hierarchy_Type__c"] == "Branch"]
    assert len(subsidiaries) == 2
    assert len(branches) >= 6
    assert all(accounts[b]["ParentId"] in subsidiaries for b in branches)

    families = family_of(tables)
    wave = [
        row
        for row in tables["Opportunity"]
        if roots[row["AccountId"]] == key and families[row["Id"]] == manifest.wave_family
    ]
    won = [row for row in wave if row["StageName"] == "Closed Won"]
    lost = [row for row in wave if row["StageName"] == "Closed Lost"]
    assert len(won) == 1 and len(lost) == 3 and len(wave) == 4
    competitors = {
        (row["OpportunityId"], row["CompetitorName"]) for row in tables["OpportunityCompetitor"]
    }
    for row in lost:
        assert row["Lost_To__c"]
        assert (row["Id"], row["Lost_To__c"]) in competitors
    assert all(row["AccountId"] in branches for row in wave)
    assert len({row["AccountId"] for row in wave}) == 4
    assert {accounts[row["AccountId"]]["ParentId"] for row in lost} == set(subsidiaries)
    created = [day(row["CreatedDate"]) for row in wave]
    closed = [day(row["CloseDate"]) for row in wave]
    assert (max(created) - min(created)).days <= 60
    assert (max(closed) - min(closed)).days <= 60
    assert 150 <= (TODAY - min(created)).days <= 275

    touched = {row["AccountId"] for row in wave}
    assert len([b for b in branches if b not in touched]) >= 2

    assert not [row for row in tables["Contact"] if row["AccountId"] == key]
    assert any(roots[row["AccountId"]] == key for row in tables["Contact"])

    policies = [
        row
        for row in tables["policies"]
        if row["issuer_account_id"] == key and row["product_family"] == manifest.wave_family
    ]
    assert len(policies) == 1
    assert policies[0]["applies_to"] == "all"
    lead = (min(created) - date.fromisoformat(policies[0]["issued_on"])).days
    assert 10 <= lead <= 35


def test_no_accidental_waves(demo: tuple[DemoManifest, Tables]) -> None:
    """Only the key group's wave and one deliberate, fully won wave in a Chinese group exist."""
    manifest, tables = demo
    accounts = {row["Id"]: row for row in tables["Account"]}
    roots = group_root(accounts)
    families = family_of(tables)
    deals: dict[tuple[str, str], list[Row]] = {}
    for row in tables["Opportunity"]:
        deals.setdefault((roots[row["AccountId"]], families[row["Id"]]), []).append(row)
    waves: list[tuple[str, str, list[Row]]] = []
    for (root, family), rows in deals.items():
        for anchor in rows:
            start = day(anchor["CreatedDate"])
            window = [r for r in rows if 0 <= (day(r["CreatedDate"]) - start).days <= 90]
            if len({r["AccountId"] for r in window}) >= 3:
                waves.append((root, family, window))
    key_waves = [w for w in waves if w[0] == manifest.key_group_id]
    assert key_waves and all(w[1] == manifest.wave_family for w in key_waves)
    others = [w for w in waves if w[0] != manifest.key_group_id]
    assert others, "the deliberate caught wave is missing"
    for root, _family, window in others:
        assert re.search(r"[\u4e00-\u9fff]", accounts[root]["Name"])
        assert all(r["StageName"] == "Closed Won" for r in window)
    assert len({(root, family) for root, family, _ in others}) == 1


def test_created_dates_parse(demo: tuple[DemoManifest, Tables]) -> None:
    _, tables = demo
    for row in tables["Opportunity"]:
        datetime.strptime(row["CreatedDate"], "%Y-%m-%dT%H:%M:%S.000+0000")


def test_touchpoints_are_concentrated(demo: tuple[DemoManifest, Tables]) -> None:
    """A few hundred calls and meetings, most of them with a few go-to people."""
    manifest, tables = demo
    touches = tables["Task"] + tables["Event"]
    assert 200 <= len(touches) <= 700
    assert len(tables["Event"]) >= 50 and len(tables["Task"]) >= 100
    assert {row["Status"] for row in tables["Task"]} == {"Completed"}
    assert {row["Type"] for row in tables["Task"]} == {"Call", "Email"}
    assert {row["Type"] for row in tables["Event"]} == {"Meeting"}
    for row in touches:
        assert DATE_RE.match(row["ActivityDate"]) and day(row["ActivityDate"]) < TODAY
        assert (TODAY - day(row["ActivityDate"])).days <= 540
    per_contact = Counter(row["WhoId"] for row in touches)
    contacts = [row["Id"] for row in tables["Contact"]]
    assert sum(1 for c in contacts if c not in per_contact) >= len(contacts) // 5
    # The busiest tenth of the contacts gets well over a tenth of the touchpoints.
    busiest = sum(n for _, n in per_contact.most_common(len(contacts) // 10))
    assert busiest >= 0.25 * len(touches), "touchpoints are not concentrated on go-to people"
    owner = {row["Id"]: row["OwnerId"] for row in tables["Contact"]}
    assert sum(row["OwnerId"] == owner[row["WhoId"]] for row in touches) >= 0.7 * len(touches)
    # The key group: Sabine Keller is everybody's go-to person; Robert Hayes is our only line
    # into Nordwind Americas.
    accounts = {row["Id"]: row for row in tables["Account"]}
    roots = group_root(accounts)
    key_contacts = {
        row["LastName"]: row["Id"]
        for row in tables["Contact"]
        if roots[row["AccountId"]] == manifest.key_group_id
    }
    key_counts = {name: per_contact[cid] for name, cid in key_contacts.items()}
    assert max(key_counts, key=lambda name: key_counts[name]) == "Keller"
    americas = accounts[next(r["AccountId"] for r in tables["Contact"] if r["LastName"] == "Hayes")]
    at_americas = [r["Id"] for r in tables["Contact"] if r["AccountId"] == americas["Id"]]
    assert at_americas == [key_contacts["Hayes"]] and key_counts["Hayes"] >= 10


def test_touchpoints_leave_the_other_files_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Touchpoints draw from their own random stream: every other file is as without them."""
    with_touches = generate_demo(tmp_path / "a", seed=11)
    monkeypatch.setattr(generate._Portfolio, "_build_touchpoints", lambda self: None)
    without = generate_demo(tmp_path / "b", seed=11)
    for name, path in with_touches.files.items():
        if name in ("Task", "Event"):
            assert without.files[name].read_text(encoding="utf-8").count("\n") == 1  # header
        else:
            assert path.read_bytes() == without.files[name].read_bytes(), name
