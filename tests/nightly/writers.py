"""Render one night of the scenario in each reader's format.

- ``salesforce``: a Data Loader CSV folder (Account.csv, Contact.csv, User.csv, Opportunity.csv,
  OpportunityContactRole.csv) with 18-character ids and IsDeleted, as tests/data/sf_small.
- ``sfdx``: an ``sf data export tree`` folder (plan file; records with attributes/referenceId;
  ``@ref...`` lookups whose reference ids embed the Salesforce ids), as tests/data/sfdx_tree.
- ``csv``: a folder of CSVs in another CRM's column names, read with ``mapping.toml``.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .scenario import ID, Deal, Night

MAPPING = Path(__file__).parent / "mapping.toml"


def _status(deal: Deal) -> tuple[bool, bool]:
    """(IsClosed, IsWon) of a deal's stage."""
    return deal.stage.startswith("Closed"), deal.stage == "Closed Won"


def _ref(key: str | None) -> str:
    return ID[key] if key else ""


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _rows(night: Night) -> dict[str, list[dict[str, Any]]]:
    """The night as Salesforce objects: field name -> value (None = empty)."""
    rows: dict[str, list[dict[str, Any]]] = {
        "User": [
            {"Id": ID[r.key], "Name": r.name, "Email": r.email, "Rep_Tier__c": r.tier}
            for r in night.reps.values()
        ],
        "Account": [
            {
                "Id": ID[c.key],
                "Name": c.name,
                "ParentId": ID[c.parent] if c.parent else None,
                "Hierarchy_Type__c": c.hierarchy,
                "BillingCountry": c.country,
                "Industry": c.industry,
                "IsDeleted": c.key in night.deleted,
            }
            for c in night.companies.values()
        ],
        "Contact": [
            {
                "Id": ID[k.key],
                "AccountId": ID[k.account],
                "FirstName": k.first,
                "LastName": k.last,
                "Title": k.title,
                "Department": k.department,
                "ReportsToId": ID[k.manager] if k.manager else None,
                "IsDeleted": k.key in night.deleted,
            }
            for k in night.contacts.values()
        ],
        "Opportunity": [
            {
                "Id": ID[d.key],
                "AccountId": ID[d.account],
                "Name": d.name,
                "StageName": d.stage,
                "IsClosed": _status(d)[0],
                "IsWon": _status(d)[1],
                "Amount": d.amount,
                "CurrencyIsoCode": "EUR",
                "CloseDate": d.close,
                "CreatedDate": f"{d.created}T09:00:00.000+0000",
                "OwnerId": ID[d.owner],
                "IsDeleted": d.key in night.deleted,
            }
            for d in night.deals.values()
        ],
        "OpportunityContactRole": [
            {
                "Id": ID[r.key],
                "OpportunityId": ID[r.deal],
                "ContactId": ID[r.contact],
                "Role": r.role,
                "IsPrimary": r.primary,
            }
            for r in night.roles
        ],
    }
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _flag(value)
    return str(value)


def _write_csv(
    path: Path, rows: Iterable[dict[str, Any]], columns: Sequence[str], delimiter: str = ","
) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row[c]) for c in columns])


def write_salesforce(night: Night, folder: Path) -> Path:
    """Data Loader CSVs, one per object, with every field of the object's rows."""
    folder.mkdir(parents=True, exist_ok=True)
    for obj, rows in _rows(night).items():
        _write_csv(folder / f"{obj}.csv", rows, list(rows[0]))
    return folder


#: sfdx plan order (the CLI writes parents before children).
_PLAN = ("User", "Account", "Contact", "Opportunity", "OpportunityContactRole")
_LOOKUPS = {"ParentId", "AccountId", "ReportsToId", "OwnerId", "OpportunityId", "ContactId"}


def write_sfdx(night: Night, folder: Path) -> Path:
    """``sf data export tree --plan`` output: a plan file and one JSON file per object."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = _rows(night)
    plan = []
    for obj in _PLAN:
        records = []
        for row in rows[obj]:
            record: dict[str, Any] = {"attributes": {"type": obj, "referenceId": f"ref{row['Id']}"}}
            for name, value in row.items():
                # The tree omits empty fields; IsDeleted appears only on deleted rows.
                if name == "Id" or value is None or (name == "IsDeleted" and not value):
                    continue
                record[name] = f"@ref{value}" if name in _LOOKUPS else value
            records.append(record)
        (folder / f"{obj}.json").write_text(
            json.dumps({"records": records}, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        plan.append(
            {"sobject": obj, "saveRefs": True, "resolveRefs": obj != "User",
             "files": [f"{obj}.json"]}
        )  # fmt: skip
    (folder / "plan.json").write_text(json.dumps(plan, indent=2), encoding="utf-8")
    return folder


def write_mapped_csv(night: Night, folder: Path) -> Path:
    """Another CRM's export (semicolons, its own column names) and its mapping.toml."""
    folder.mkdir(parents=True, exist_ok=True)
    deleted = night.deleted
    files: dict[str, tuple[list[dict[str, Any]], list[str]]] = {
        "users.csv": (
            [{"user_id": ID[r.key], "full_name": r.name, "mail": r.email, "tier": r.tier}
             for r in night.reps.values()],
            ["user_id", "full_name", "mail", "tier"],
        ),
        "companies.csv": (
            [{"account_id": ID[c.key], "account_name": c.name, "parent_account_id": _ref(c.parent),
              "structure": c.hierarchy, "country": c.country, "sector": c.industry,
              "deleted": c.key in deleted}
             for c in night.companies.values()],
            ["account_id", "account_name", "parent_account_id", "structure", "country", "sector",
             "deleted"],
        ),
        "people.csv": (
            [{"person_id": ID[k.key], "first_name": k.first, "last_name": k.last,
              "account_id": ID[k.account], "manager_id": _ref(k.manager), "position": k.title,
              "department": k.department, "deleted": k.key in deleted}
             for k in night.contacts.values()],
            ["person_id", "first_name", "last_name", "account_id", "manager_id", "position",
             "department", "deleted"],
        ),
        "deals.csv": (
            [{"deal_id": ID[d.key], "deal_name": d.name, "account_id": ID[d.account],
              "owner_id": ID[d.owner], "phase": d.stage, "value": d.amount, "currency": "EUR",
              "opened": d.created, "close_date": d.close, "deleted": d.key in deleted}
             for d in night.deals.values()],
            ["deal_id", "deal_name", "account_id", "owner_id", "phase", "value", "currency",
             "opened", "close_date", "deleted"],
        ),
        "deal_people.csv": (
            [{"deal_id": ID[r.deal], "person_id": ID[r.contact], "role": r.role,
              "primary": r.primary}
             for r in night.roles],
            ["deal_id", "person_id", "role", "primary"],
        ),
    }  # fmt: skip
    for name, (rows, columns) in files.items():
        _write_csv(folder / name, rows, columns, delimiter=";")
    shutil.copy(MAPPING, folder / "mapping.toml")
    return folder


@dataclass(frozen=True)
class Reader:
    """One way into kamgraph: the source name, its writer and its ingest options."""

    name: str
    source: str
    write: Callable[[Night, Path], Path]
    mapped: bool = False

    def options(self, folder: Path) -> dict[str, Any]:
        return {"mapping": folder / "mapping.toml"} if self.mapped else {}

    def cli_args(self, folder: Path) -> list[str]:
        """``kamgraph ingest ...`` arguments for this reader over ``folder``."""
        mapping = ["--mapping", str(folder / "mapping.toml")] if self.mapped else []
        return ["ingest", self.source, *mapping, str(folder)]


READERS = {
    r.name: r
    for r in (
        Reader("salesforce-csv", "salesforce", write_salesforce),
        Reader("sfdx-json", "salesforce", write_sfdx),
        Reader("mapped-csv", "csv", write_mapped_csv, mapped=True),
    )
}
