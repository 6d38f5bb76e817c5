"""Salesforce Data Loader / Data Export CSVs and ``sf data export tree`` JSON -> entity rows.

A folder holds one CSV per object, named by the object (``Account.csv``, ``Contact.csv``...,
case-insensitive), or tree JSON files (detected). Field names are case-insensitive; 15- and
18-character ids are the same record. Objects missing from the folder are skipped. Custom fields
kamgraph understands are listed in docs/ingest.md.

This module is a column table (``OBJECTS``: Salesforce field -> model field) plus the hooks only
Salesforce needs (ids, ``IsDeleted``, stage-derived deal status, PricebookEntry, WhoId/WhatId
prefixes). What the rows become is decided by ``kamgraph/ingest/builder.py``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kamgraph.errors import InputDataError
from kamgraph.ingest import fields as f
from kamgraph.ingest.builder import Entity, ModelBuilder, Section, Words, read_sections
from kamgraph.ingest.columns import ColumnProfile, check_date_format, profile_file
from kamgraph.ingest.csvio import (
    FileRef,
    SourceRow,
    ZipMember,
    check_columns,
    read_csv,
    read_header,
)
from kamgraph.ingest.records import Origin, Record, Reject
from kamgraph.ingest.rows import Cells, RowError
from kamgraph.ingest.sfdx import is_tree_folder, parse_id, read_tree
from kamgraph.schema.model import ATTITUDES, DECISION_ROLES, HIERARCHY_TYPES, INFLUENCE_LEVELS

SOURCE = "salesforce"

#: How a Salesforce field is parsed (see ``_read``); a tuple is a picklist.
Kind = str | tuple[str, ...]
Hook = Callable[["SalesforceReader", Cells, Entity], None]


@dataclass(frozen=True)
class SObject:
    """One Salesforce object: the entity it becomes and its column table."""

    kind: str
    #: model field -> (Salesforce fields, first non-empty wins; how it is parsed)
    fields: dict[str, tuple[tuple[str, ...], Kind]] = field(default_factory=dict)
    #: model reference -> Salesforce id field (stated when the export has the column)
    refs: dict[str, str] = field(default_factory=dict)
    #: Columns the file must have (any one of each tuple); checked before anything is written.
    required: tuple[tuple[str, ...], ...] = ()
    hook: Hook | None = None
    #: The record's own id field (also what duplicate rows share); "" for link-only objects.
    key: str = "Id"


def _user(reader: SalesforceReader, c: Cells, e: Entity) -> None:
    e.fields["name"] = (
        c.text("Name") or " ".join(filter(None, [c.text("FirstName"), c.text("LastName")])) or None
    )


def _account(reader: SalesforceReader, c: Cells, e: Entity) -> None:
    e.fields["salesforce_id"] = e.key
    if not c.has("Buys_Autonomously__c"):
        e.fields["buys_autonomously"] = None


def _contact(reader: SalesforceReader, c: Cells, e: Entity) -> None:
    # Name is Salesforce's compound of FirstName and LastName: the parts win when present.
    first, last = e.fields["first_name"], e.fields["last_name"]
    e.fields["name"] = " ".join(filter(None, [first, last])) or c.text("Name")
    e.fields["last_verified"] = c.date("Last_Verified__c") or c.date("LastModifiedDate")


def _pricebook_entry(reader: SalesforceReader, c: Cells, e: Entity) -> None:
    product = c.sf_id("Product2Id", required=True)
    assert e.key and product
    reader.pricebook[e.key] = product


def _opportunity(reader: SalesforceReader, c: Cells, e: Entity) -> None:
    stage = c.text("StageName") or ""
    e.fields["stage"] = stage or None
    e.fields["status"] = deal_status(c, stage)


#: Stage names (letters and digits only, lower case) whose meaning is known without IsWon/IsClosed.
STAGE_STATUS = {"closedwon": "won", "won": "won", "closedlost": "lost", "lost": "lost"}
#: ForecastCategory (API value) / ForecastCategoryName (label), same normalization -> status.
FORECAST_STATUS = {
    "closed": "won",
    "omitted": "lost",
    "pipeline": "open",
    "bestcase": "open",
    "commit": "open",
    "forecast": "open",
}


def _word(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isalnum())


def deal_status(c: Cells, stage: str) -> str:
    """won / lost / open: from IsWon and IsClosed when the export has them, else from
    ForecastCategory(Name), else from a known stage name ("Closed/Won", "Closed - Lost"...).

    A stage that looks closed but is none of those is rejected, not guessed.
    """
    if c.row.get("IsWon") or c.row.get("IsClosed"):
        is_won = c.boolean("IsWon")
        return "won" if is_won else ("lost" if c.boolean("IsClosed", default=False) else "open")
    for column in ("ForecastCategory", "ForecastCategoryName"):
        category = c.row.get(column)
        if category:
            status = FORECAST_STATUS.get(_word(category))
            if status is None:
                raise RowError(
                    column,
                    f"{column} {category!r} is not a Salesforce forecast category (Omitted, "
                    "Pipeline, BestCase, Commit, Closed); export IsWon and IsClosed too",
                )
            return status
    status = STAGE_STATUS.get(_word(stage))
    if status is not None:
        return status
    if any(word in stage.lower() for word in ("closed", "won", "lost")):
        raise RowError(
            "StageName",
            f"StageName {stage!r} looks closed but is not a known stage (Closed Won, Closed "
            "Lost); export IsWon and IsClosed (or ForecastCategory) with the opportunities",
        )
    return "open"


def _line_item(reader: SalesforceReader, c: Cells, e: Entity) -> None:
    if not e.refs.get("product"):
        entry = c.sf_id("PricebookEntryId")
        e.refs["product"] = reader.pricebook.get(entry) if entry else None
    if not e.refs["product"]:
        raise RowError(
            "Product2Id", "Product2Id is empty and PricebookEntryId is not in PricebookEntry.csv"
        )
    e.fields["line_id"] = c.sf_id("Id")


def _touchpoint(kind: str) -> Hook:
    def hook(reader: SalesforceReader, c: Cells, e: Entity) -> None:
        if not e.fields["date"]:
            e.fields["date"] = c.date("StartDateTime") or c.date("CreatedDate")
        e.fields["kind"] = kind
        # WhoId may name a lead (00Q) and WhatId any object: only contacts, accounts and
        # opportunities are linked, by their key prefix.
        who = c.sf_id("WhoId")
        if who and who.startswith("003"):
            e.refs["contact"] = who
            e.labels["contact"] = "WhoId"
        what = c.sf_id("WhatId")
        target = TOUCHPOINT_WHAT.get((what or "")[:3])
        if what and target:
            e.refs[target] = what
            e.labels[target] = "WhatId"

    return hook


#: Salesforce key prefix of a Task/Event WhatId -> the reference it fills.
TOUCHPOINT_WHAT = {"001": "company", "006": "deal"}


def _activity(kind: str, subtype: str) -> SObject:
    """Task and Event: the same columns, each with its own subtype field."""
    return SObject(
        "activity",
        {
            "date": (("ActivityDate",), "date"),
            "activity_type": (("Type", subtype), "text"),
            "subject": (("Subject",), "text"),
            "status": (("Status",), "text"),
        },
        {"rep": "OwnerId"},
        hook=_touchpoint(kind),
    )


_TEXT = "text"

#: Load order: an object's records may only refer to objects loaded before it.
OBJECTS: dict[str, SObject] = {
    "User": SObject(
        "rep",
        {
            "email": (("Email",), _TEXT),
            "job_title": (("Title",), _TEXT),
            "tier": (("Rep_Tier__c",), "tier"),
        },
        required=(("Id",),),
        hook=_user,
    ),
    "Account": SObject(
        "company",
        {
            "name": (("Name",), _TEXT),
            "account_type": (("Type",), _TEXT),
            "industry": (("Industry",), _TEXT),
            "country": (("BillingCountry", "ShippingCountry"), _TEXT),
            "state": (("BillingState",), _TEXT),
            "region": (("Region__c",), _TEXT),
            "hierarchy_type": (("Hierarchy_Type__c",), HIERARCHY_TYPES),
            "lei": (("LEI__c",), _TEXT),
            "duns": (("DunsNumber", "DUNS__c"), _TEXT),
            "registration_code": (("Registration_Code__c",), _TEXT),
            "cik": (("CIK__c",), _TEXT),
            "buys_autonomously": (("Buys_Autonomously__c",), "boolean"),
        },
        {"parent": "ParentId"},
        required=(("Id",), ("Name",)),
        hook=_account,
    ),
    "Contact": SObject(
        "contact",
        {
            "first_name": (("FirstName",), _TEXT),
            "last_name": (("LastName",), _TEXT),
            "job_title": (("Title",), _TEXT),
            "department": (("Department",), _TEXT),
            "email": (("Email",), _TEXT),
            "phone": (("Phone", "MobilePhone"), _TEXT),
            "linkedin_url": (("LinkedIn_URL__c", "LinkedIn__c", "LinkedInUrl__c"), _TEXT),
            "email_bounced": (("IsEmailBounced",), "flag"),
            "email_bounced_on": (("EmailBouncedDate",), "date"),
            "attitude": (("Attitude__c",), ATTITUDES),
            "influence": (("Influence__c",), INFLUENCE_LEVELS),
            "owner_id": (("OwnerId",), "id"),
        },
        {"company": "AccountId", "reports_to": "ReportsToId"},
        required=(("Id",), ("LastName", "FirstName", "Name")),
        hook=_contact,
    ),
    "AccountContactRelation": SObject(
        "relation",
        {
            "since": (("StartDate",), "date"),
            "until": (("EndDate",), "date"),
            "active": (("IsActive",), "active"),
            "roles": (("Roles",), _TEXT),
        },
        {"contact": "ContactId", "company": "AccountId"},
        required=(("ContactId",), ("AccountId",)),
        key="",
    ),
    "AccountTeamMember": SObject(
        "team_member",
        {"team_role": (("TeamMemberRole",), _TEXT)},
        {"rep": "UserId", "company": "AccountId"},
        required=(("AccountId",), ("UserId",)),
        key="",
    ),
    "Product2": SObject(
        "product",
        {
            "name": (("Name",), _TEXT),
            "code": (("ProductCode",), _TEXT),
            "family": (("Family",), _TEXT),
        },
        required=(("Id",), ("Name",)),
    ),
    "PricebookEntry": SObject(
        "pricebook_entry", required=(("Id",), ("Product2Id",)), hook=_pricebook_entry
    ),
    "Opportunity": SObject(
        "deal",
        {
            "name": (("Name",), _TEXT),
            "amount": (("Amount",), "amount"),
            "currency": (("CurrencyIsoCode",), _TEXT),
            "created": (("CreatedDate",), "date"),
            "closed": (("CloseDate",), "date"),
            "lost_to_name": (("Lost_To__c",), _TEXT),
            "contract_end": (("Contract_End_Date__c", "ContractEndDate"), "date"),
            "contract_term_months": (("Contract_Term__c", "ContractTerm"), "number"),
        },
        {"company": "AccountId", "owner": "OwnerId"},
        required=(("Id",), ("CreatedDate", "CloseDate")),
        hook=_opportunity,
    ),
    "OpportunityLineItem": SObject(
        "line_item",
        {
            "quantity": (("Quantity",), "number"),
            "unit_price": (("UnitPrice",), "amount"),
            "total": (("TotalPrice",), "amount"),
        },
        {"deal": "OpportunityId", "product": "Product2Id"},
        required=(("OpportunityId",), ("Product2Id", "PricebookEntryId")),
        hook=_line_item,
    ),
    "OpportunityCompetitor": SObject(
        "competitor",
        {"name": (("CompetitorName",), "required")},
        {"deal": "OpportunityId"},
        required=(("OpportunityId",), ("CompetitorName",)),
    ),
    "OpportunityContactRole": SObject(
        "contact_role",
        {"role": (("Role",), DECISION_ROLES), "is_primary": (("IsPrimary",), "boolean")},
        {"contact": "ContactId", "deal": "OpportunityId"},
        required=(("OpportunityId",), ("ContactId",)),
    ),
    "Task": _activity("task", "TaskSubtype"),
    "Event": _activity("event", "EventSubtype"),
}

#: References that must be filled (a row without them is rejected, naming the field).
_REQUIRED_REFS = {
    "relation": ("contact", "company"),
    "team_member": ("rep", "company"),
    "line_item": ("deal",),
    "competitor": ("deal",),
    "contact_role": ("deal", "contact"),
}

#: Salesforce's words for model records, and the fix for a reference to an unknown one.
WORDS = Words(
    nouns={"company": "account", "deal": "opportunity", "rep": "user"},
    hints={"rep": "export User.csv", "company": "export it too"},
    hint="export it too (this row's own record was loaded)",
)

#: Columns an object's file must have, by object (kept for callers of the old table).
REQUIRED_COLUMNS = {name: obj.required for name, obj in OBJECTS.items() if obj.required}


def find_object_file(directory: Path, obj: str) -> Path | None:
    """``Account.csv`` (any case) in ``directory``, or None."""
    wanted = f"{obj.lower()}.csv"
    for candidate in sorted(directory.iterdir()):
        if candidate.is_file() and candidate.name.lower() == wanted:
            return candidate
    return None


#: Object names by their CSV file name, lower case (``account.csv`` -> ``Account``).
_OBJECT_OF_FILE = {f"{name.lower()}.csv": name for name in OBJECTS}


def _skip_reason(name: str) -> str:
    """Why a file of an export is not read (it is listed in the run report with this)."""
    stem, _, ext = name.rpartition(".")
    if ext.lower() in ("csv", "json") and stem:
        return f"kamgraph does not read {stem} records"
    return "not a Salesforce export file"


def _zip_order(path: Path) -> tuple[str, int]:
    """Numbered ZIPs of one weekly export in their order (``_2`` before ``_10``)."""
    stem, _, number = path.stem.rpartition("_")
    return (stem, int(number)) if number.isdigit() else (path.stem, 0)


def _zip_members(archives: list[Path]) -> tuple[dict[str, list[ZipMember]], list[str]]:
    """The object files in weekly export ZIPs (by object, in ZIP order) and what is skipped."""
    members: dict[str, list[ZipMember]] = {}
    skipped: list[str] = []
    for archive in archives:
        try:
            with zipfile.ZipFile(archive) as zf:
                names = [i.filename for i in zf.infolist() if not i.is_dir()]
        except (OSError, zipfile.BadZipFile) as e:
            raise InputDataError(
                f"{archive}: cannot read the ZIP ({e}); download the weekly export again"
            ) from e
        for member in names:
            ref = ZipMember(archive, member)
            obj = _OBJECT_OF_FILE.get(ref.name.lower())
            if obj is None:
                skipped.append(f"{archive.name}/{member} ({_skip_reason(ref.name)})")
            else:
                members.setdefault(obj, []).append(ref)
    return members, skipped


class SalesforceReader:
    """Reads a Salesforce CSV folder, sfdx tree or weekly export ZIP(s) into records."""

    def __init__(
        self, directory: Path, *, encoding: str | None = None, date_format: str | None = None
    ) -> None:
        archives: list[Path] = []
        if directory.is_file() and directory.suffix.lower() == ".zip":
            archives = [directory]
        elif not directory.is_dir():
            raise InputDataError(
                f"{directory}: not a folder or a ZIP; give the folder holding Account.csv, "
                "Opportunity.csv... or the weekly export ZIP (WE_..._1.zip)"
            )
        self.directory = directory
        self.encoding = encoding
        self.tree: dict[str, list[SourceRow]] | None = None
        self._id_parser: Callable[[str], str] = f.sf_id
        #: Files of the input that are not read, each with the reason ("Lead.json (...)").
        self.skipped: list[str] = []
        #: The object files read, by object (several for one object from numbered ZIPs).
        self.members: dict[str, list[FileRef]] = {}
        used: set[Path] = set()
        if not archives and is_tree_folder(directory):
            self.tree = read_tree(directory)
            self._id_parser = parse_id
            self.members = {o: [Path(self.tree[o][0].file)] for o in OBJECTS if self.tree.get(o)}
            used = {Path(row.file) for rows in self.tree.values() for row in rows[:1]}
            for obj, rows in sorted(self.tree.items()):
                if obj not in OBJECTS:
                    files = sorted({Path(r.file).name for r in rows})
                    self.skipped.append(
                        f"{obj} records in {', '.join(files)} (kamgraph does not read {obj} "
                        "records)"
                    )
            used |= {p for p in directory.glob("*.json") if "plan" in p.name.lower()}
        elif not archives:
            for o in OBJECTS:
                found = find_object_file(directory, o)
                if found is not None:
                    self.members[o] = [found]
                    used.add(found)
            if not self.members:
                archives = sorted(
                    (p for p in directory.iterdir() if p.suffix.lower() == ".zip"),
                    key=_zip_order,
                )
                used |= set(archives)
        if archives:
            zipped, self.skipped = _zip_members(archives)
            self.members = {o: list(zipped[o]) for o in OBJECTS if o in zipped}
        if directory.is_dir():
            self.skipped[:0] = [
                f"{p.name} ({self._folder_skip_reason(p)})"
                for p in sorted(directory.iterdir())
                if p not in used and (self.tree is None or p.suffix.lower() != ".json")
            ]
        self.files: dict[str, FileRef] = {o: refs[0] for o, refs in self.members.items()}
        if self.tree is None:
            # Header problems refuse the run before anything is written.
            for name, refs in self.members.items():
                for ref in refs:
                    check_columns(ref, read_header(ref, encoding=encoding), OBJECTS[name].required)
        if "Account" not in self.files and "Opportunity" not in self.files:
            raise InputDataError(
                f"{directory}: no Account or Opportunity records found (Account.csv, "
                "Opportunity.csv, sf data export tree JSON, or a weekly export ZIP); export at "
                "least Account"
            )
        self.pricebook: dict[str, str] = {}
        self.builder = ModelBuilder(WORDS)
        self.date_format = check_date_format(date_format)
        self.profiles: dict[str, ColumnProfile] = {}
        self.profile_objects()

    def profile_objects(self) -> None:
        """Decide each object's date and number columns from the whole file, before anything
        is written (ColumnError names the column that cannot be decided)."""
        for name in self.files:
            dates, numbers = _typed_columns(OBJECTS[name])
            self.profiles[name] = profile_file(
                str(self.files[name]),
                self.object_rows(name),
                dates=dates,
                numbers=numbers,
                date_format=self.date_format,
            )

    def _folder_skip_reason(self, path: Path) -> str:
        if not path.is_file():
            return "a folder; only the files directly in the given folder are read"
        suffix = path.suffix.lower()
        if self.tree is not None and suffix == ".csv":
            return "a CSV beside sf data export tree JSON; only the JSON files are read"
        if suffix == ".zip":
            return "a ZIP beside CSV files; give the ZIP itself to read it"
        return _skip_reason(path.name)

    def __iter__(self) -> Iterator[Record | Reject]:
        self.pricebook = {}
        return read_sections(
            [self._section(name) for name in OBJECTS if name in self.files], self.builder
        )

    def object_rows(self, name: str) -> Iterable[SourceRow]:
        """The rows of object ``name`` (a reader of another container overrides only this)."""
        if self.tree is not None:
            return self.tree.get(name, [])
        return (row for ref in self.members[name] for row in read_csv(ref, encoding=self.encoding))

    def _section(self, name: str) -> Section:
        obj = OBJECTS[name]
        profile = self.profiles.get(name)

        def rows() -> Iterable[SourceRow]:
            return self.object_rows(name)

        def identity(row: SourceRow) -> str | None:
            try:
                return Cells(row, self._id_parser, profile).sf_id(obj.key)
            except RowError:
                return None  # the converter rejects the bad id itself

        return Section(
            name,
            obj.kind,
            rows,
            lambda row, origin: self.entity(name, Cells(row, self._id_parser, profile), origin),
            identity if obj.key else None,
        )

    def entity(self, name: str, c: Cells, origin: Origin) -> Entity:
        """One row of object ``name`` as an entity row (RowError names a bad field)."""
        obj = OBJECTS[name]
        key = c.sf_id(obj.key, required=True) if obj.key else None
        if c.row.get("IsDeleted").lower() == "true":
            return Entity(obj.kind, origin, key, deleted=True)
        e = Entity(obj.kind, origin, key)
        for model, (columns, kind) in obj.fields.items():
            e.fields[model] = _read(c, columns, kind)
            e.labels[model] = columns[0]
        for model, column in obj.refs.items():
            e.labels[model] = column
            if c.has(column) or model in _REQUIRED_REFS.get(obj.kind, ()):
                e.refs[model] = c.sf_id(column, required=model in _REQUIRED_REFS.get(obj.kind, ()))
        if obj.hook is not None:
            obj.hook(self, c, e)
        return e


#: Date columns the hooks read besides the column table's.
_HOOK_DATES = ("Last_Verified__c", "LastModifiedDate", "StartDateTime", "CreatedDate")


def _typed_columns(obj: SObject) -> tuple[list[str], list[str]]:
    """The date columns and the number/amount columns of ``obj`` (to profile per file)."""
    dates = list(_HOOK_DATES)
    numbers: list[str] = []
    for columns, kind in obj.fields.values():
        if kind == "date":
            dates.extend(columns)
        elif kind in ("amount", "number"):
            numbers.extend(columns)
    return dates, numbers


def _read(c: Cells, columns: tuple[str, ...], kind: Kind) -> Any:
    """The first non-empty of ``columns``, parsed as ``kind`` (errors name the column)."""
    for column in columns:
        value = _parse(c, column, kind)
        if value is not None:
            return value
    return None


def _parse(c: Cells, column: str, kind: Kind) -> Any:
    if isinstance(kind, tuple):
        return c.choice(column, kind)
    if kind == "text":
        return c.text(column)
    if kind == "required":
        return c.required_text(column)
    if kind == "id":
        return c.sf_id(column)
    if kind == "date":
        return c.date(column)
    if kind == "amount":
        return c.amount(column)
    if kind == "number":
        return c.number(column)
    if kind == "boolean":
        return c.boolean(column)
    if kind == "flag":  # true, false or not given (fields.optional_boolean)
        return c.optional_boolean(column)
    if kind == "active":
        return c.boolean(column, default=True)
    if kind == "tier":
        tier = c.text(column)
        return tier.lower().replace(" ", "-") if tier else None
    raise AssertionError(f"unknown column kind {kind!r}")
