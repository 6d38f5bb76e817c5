"""Salesforce Data Loader / Data Export CSVs -> model records (no database here).

A folder holds one CSV per object, named by the object (``Account.csv``, ``Contact.csv``...,
case-insensitive). Field names are case-insensitive; 15- and 18-character ids are the same
record. Objects missing from the folder are skipped. Custom fields kamgraph understands are
listed in docs/ingest.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from kamgraph.errors import InputDataError
from kamgraph.ingest import fields as f
from kamgraph.ingest.csvio import PROBLEM, SourceRow, check_columns, raw_line, read_csv, read_header
from kamgraph.ingest.names import is_branch_name, name_key
from kamgraph.ingest.records import Origin, Record, Reject, link, node
from kamgraph.ingest.sfdx import is_tree_folder, parse_id, read_tree
from kamgraph.schema.model import ATTITUDES, DECISION_ROLES, HIERARCHY_TYPES, INFLUENCE_LEVELS

SOURCE = "salesforce"

#: Load order: an object's records may only refer to objects loaded before it.
OBJECTS = (
    "User",
    "Account",
    "Contact",
    "AccountContactRelation",
    "AccountTeamMember",
    "Product2",
    "PricebookEntry",
    "Opportunity",
    "OpportunityLineItem",
    "OpportunityCompetitor",
    "OpportunityContactRole",
    "Task",
    "Event",
)

#: Columns an object's file must have (any one of each tuple); checked before anything is written.
REQUIRED_COLUMNS: dict[str, tuple[tuple[str, ...], ...]] = {
    "User": (("Id",),),
    "Account": (("Id",), ("Name",)),
    "Contact": (("Id",), ("LastName", "FirstName", "Name")),
    "AccountContactRelation": (("ContactId",), ("AccountId",)),
    "AccountTeamMember": (("AccountId",), ("UserId",)),
    "Product2": (("Id",), ("Name",)),
    "PricebookEntry": (("Id",), ("Product2Id",)),
    "Opportunity": (("Id",), ("CreatedDate", "CloseDate")),
    "OpportunityLineItem": (("OpportunityId",), ("Product2Id", "PricebookEntryId")),
    "OpportunityCompetitor": (("OpportunityId",), ("CompetitorName",)),
    "OpportunityContactRole": (("OpportunityId",), ("ContactId",)),
}

_TIER_BY_ROLE = {
    "key account manager": "key-account",
    "account manager": "progression",
    "sales rep": "expansion",
}


class RowError(Exception):
    """A field of the current row is bad; becomes a Reject naming the field."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


class Cells:
    """Typed, field-named access to one CSV row; every failure names its field."""

    def __init__(self, row: SourceRow, id_parser: Callable[[str], str] = f.sf_id) -> None:
        self.row = row
        self._id_parser = id_parser

    def _parse(self, name: str, parse: Callable[[str], object]) -> object:
        try:
            return parse(self.row.get(name))
        except f.FieldError as e:
            raise RowError(name, f"{name} {e}") from None

    def required(self, name: str) -> str:
        value = self.row.get(name)
        if not value:
            raise RowError(name, f"{name} is required but empty; fill it in the export")
        return value

    def required_text(self, name: str) -> str:
        """Free text that must be present (control characters removed, length limited)."""
        value = self.text(name)
        if not value:
            raise RowError(name, f"{name} is required but empty; fill it in the export")
        return value

    def any_id(self, name: str) -> str:
        """A required id of another system (trimmed, printable, at most 200 characters)."""
        self.required(name)
        return str(self._parse(name, f.any_id))

    def sf_id(self, name: str, *, required: bool = False) -> str | None:
        value = self.row.get(name)
        if not value:
            if required:
                raise RowError(name, f"{name} is required but empty")
            return None
        return str(self._parse(name, self._id_parser))

    def text(self, name: str) -> str | None:
        return self._parse(name, f.text)  # type: ignore[return-value]

    def date(self, name: str) -> str | None:
        return self._parse(name, f.date)  # type: ignore[return-value]

    def amount(self, name: str) -> float | None:
        return self._parse(name, f.amount)  # type: ignore[return-value]

    def number(self, name: str) -> float | None:
        return self._parse(name, f.number)  # type: ignore[return-value]

    def boolean(self, name: str, default: bool = False) -> bool:
        return bool(self._parse(name, lambda v: f.boolean(v, default=default)))

    def choice(self, name: str, allowed: tuple[str, ...]) -> str | None:
        return self._parse(name, lambda v: f.choice(v, allowed))  # type: ignore[return-value]

    def has(self, name: str) -> bool:
        return name.lower() in self.row.cells


def find_object_file(directory: Path, obj: str) -> Path | None:
    """``Account.csv`` (any case) in ``directory``, or None."""
    wanted = f"{obj.lower()}.csv"
    for candidate in sorted(directory.iterdir()):
        if candidate.is_file() and candidate.name.lower() == wanted:
            return candidate
    return None


def problem_reason(row: SourceRow) -> str:
    """Why the CSV layer marked ``row`` unusable, with the fix."""
    reason = row.cells[PROBLEM]
    if re.fullmatch(r"\d+ cells, header has \d+", reason):
        reason += "; check quoting and delimiters on this line"
    return reason


class FirstRowWins:
    """Duplicate ids in one export: the first row of an id is loaded, an exact repeat is
    skipped, and a later row with other content is rejected naming the first row's line.

    First (not last) wins because it streams, keeps re-runs identical, and the rejects file then
    shows exactly the row that was not loaded.
    """

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], tuple[int, int]] = {}

    def check(self, scope: str, key: str, row: SourceRow, key_column: str) -> str | None:
        """None to load ``row``, '' to skip it silently, else the reason to reject it."""
        content = hash(
            tuple(
                (k, v.strip())
                for k, v in sorted(row.cells.items())
                if k not in (key_column.lower(), PROBLEM)
            )
        )
        first = self._first.setdefault((scope, key), (row.line, content))
        if first == (row.line, content):
            return None
        if first[1] == content:
            return ""
        return (
            f"{key_column} {key} appears again (first on line {first[0]}) with different "
            "content; the first row was loaded: remove or merge the duplicate in the export"
        )


class SalesforceReader:
    """Reads a Salesforce CSV folder into records, object by object, in load order."""

    def __init__(self, directory: Path, *, encoding: str | None = None) -> None:
        if not directory.is_dir():
            raise InputDataError(
                f"{directory}: not a folder; pass the folder holding Account.csv, "
                "Opportunity.csv..."
            )
        self.directory = directory
        self.encoding = encoding
        self.tree: dict[str, list[SourceRow]] | None = None
        self._id_parser: Callable[[str], str] = f.sf_id
        if is_tree_folder(directory):
            self.tree = read_tree(directory)
            self._id_parser = parse_id
            self.files = {o: Path(self.tree[o][0].file) for o in OBJECTS if self.tree.get(o)}
        else:
            self.files = {
                o: p for o in OBJECTS if (p := find_object_file(directory, o)) is not None
            }
            # Header problems refuse the run before anything is written.
            for obj, path in self.files.items():
                check_columns(
                    path, read_header(path, encoding=encoding), REQUIRED_COLUMNS.get(obj, ())
                )
        if "Account" not in self.files and "Opportunity" not in self.files:
            raise InputDataError(
                f"{directory}: no Account or Opportunity records found (Account.csv, "
                "Opportunity.csv, or sf data export tree JSON); export at least Account"
            )
        self._pricebook: dict[str, str] = {}
        # Lines rejected on a first pass; their second-pass links are skipped (one reject a row).
        self._rejected: set[tuple[str, int]] = set()
        self._duplicates = FirstRowWins()

    def __iter__(self) -> Iterator[Record | Reject]:
        for obj in OBJECTS:
            path = self.files.get(obj)
            if path is None:
                continue
            mapper = getattr(self, f"_{obj.lower()}")
            yield from self._rows(obj, path, mapper)
            second = getattr(self, f"_{obj.lower()}_links", None)
            if second is not None:
                yield from self._rows(obj, path, second)

    def _source_rows(self, obj: str, path: Path) -> Iterator[SourceRow]:
        if self.tree is not None:
            return iter(self.tree.get(obj, []))
        return read_csv(path, encoding=self.encoding)

    def _rows(
        self, obj: str, path: Path, mapper: Callable[[Cells, Origin], list[Record]]
    ) -> Iterator[Record | Reject]:
        links_pass = mapper.__name__.endswith("_links")
        for row in self._source_rows(obj, path):
            if links_pass and (row.file, row.line) in self._rejected:
                continue
            origin = Origin(row.file, row.line, raw_line(row))
            if PROBLEM in row.cells:
                if links_pass:
                    continue
                self._rejected.add((row.file, row.line))
                yield Reject(row.file, row.line, "(row)", problem_reason(row), origin.raw)
                continue
            cells = Cells(row, self._id_parser)
            if not links_pass:
                duplicate = self._duplicate(obj, cells)
                if duplicate is not None:
                    self._rejected.add((row.file, row.line))
                    if duplicate:
                        yield Reject(row.file, row.line, "Id", duplicate, origin.raw)
                    continue
            try:
                if cells.row.get("IsDeleted").lower() == "true":
                    if not links_pass:
                        yield from self._deleted(cells, origin, obj)
                    continue
                yield from mapper(cells, origin)
            except RowError as e:
                # A links-pass error is new (rows rejected on the first pass are skipped there).
                self._rejected.add((row.file, row.line))
                yield Reject(row.file, row.line, e.field, e.reason, origin.raw)
            except f.FieldError as e:  # a parser called without Cells: the row, not the run
                self._rejected.add((row.file, row.line))
                yield Reject(row.file, row.line, "(row)", str(e), origin.raw)

    def _duplicate(self, obj: str, c: Cells) -> str | None:
        """FirstRowWins' verdict on this row's Id (None when it has no usable Id)."""
        try:
            key = c.sf_id("Id")
        except RowError:
            return None  # the mapper rejects the bad Id itself
        return self._duplicates.check(obj, key, c.row, "Id") if key else None

    def _deleted(self, c: Cells, origin: Origin, obj: str) -> Iterator[Record]:
        """A row flagged IsDeleted: mark the record inactive (never erase it)."""
        statement = _DELETABLE.get(obj)
        key = c.sf_id("Id")
        if statement and key:
            yield Record(statement, "batch", {"key": key}, origin)

    # -- User -> Rep
    def _user(self, c: Cells, o: Origin) -> list[Record]:
        key = c.sf_id("Id", required=True)
        assert key
        tier = c.text("Rep_Tier__c")
        if tier:
            tier = tier.lower().replace(" ", "-")
        props = {
            "rep_id": key,
            "name": c.text("Name")
            or " ".join(filter(None, [c.text("FirstName"), c.text("LastName")]))
            or key,
            "email": c.text("Email"),
            "job_title": c.text("Title"),
            "tier": tier,
        }
        return [node("upsert-rep", key, props, o)]

    # -- Account -> Company (nodes first, links on a second pass)
    def _account(self, c: Cells, o: Origin) -> list[Record]:
        key = c.sf_id("Id", required=True)
        assert key
        name = c.required_text("Name")
        hierarchy = c.choice("Hierarchy_Type__c", HIERARCHY_TYPES)
        if hierarchy is None and is_branch_name(name):
            hierarchy = "Branch"
        props = {
            "account_id": key,
            "name": name,
            "name_key": name_key(name),
            "salesforce_id": key,
            "account_type": c.text("Type"),
            "industry": c.text("Industry"),
            "country": c.text("BillingCountry") or c.text("ShippingCountry"),
            "state": c.text("BillingState"),
            "region": c.text("Region__c"),
            "hierarchy_type": hierarchy,
            "lei": c.text("LEI__c"),
            "duns": c.text("DunsNumber") or c.text("DUNS__c"),
            "registration_code": c.text("Registration_Code__c"),
            "buys_autonomously": c.boolean("Buys_Autonomously__c")
            if c.has("Buys_Autonomously__c")
            else None,
        }
        c.sf_id("ParentId")  # validated here so a bad ParentId is reported once, on this pass
        return [node("upsert-company", key, props, o)]

    def _account_links(self, c: Cells, o: Origin) -> list[Record]:
        key = c.sf_id("Id", required=True)
        parent = c.sf_id("ParentId")
        assert key
        is_branch = (c.text("Hierarchy_Type__c") or "").lower() == "branch" or (
            not c.text("Hierarchy_Type__c") and is_branch_name(c.row.get("Name"))
        )
        rel_type = "BRANCH_OF" if is_branch else "SUBSIDIARY_OF"
        records = [
            Record(
                "end-parent-links",
                "batch",
                {"key": key, "parent": parent, "rel_type": rel_type},
                o,
            )
        ]
        if parent:
            if parent == key:
                raise RowError("ParentId", "ParentId points at the account itself")
            records.append(
                link(
                    "link-branch" if is_branch else "link-subsidiary",
                    key,
                    parent,
                    o,
                    field="ParentId",
                    missing_reason=f"ParentId {parent} is not a known account; export the "
                    "parent account too (the account itself was loaded)",
                    props={"via": "ParentId"},
                )
            )
        return records

    # -- Contact
    def _contact(self, c: Cells, o: Origin) -> list[Record]:
        key = c.sf_id("Id", required=True)
        assert key
        first, last = c.text("FirstName"), c.text("LastName")
        name = " ".join(filter(None, [first, last])) or c.text("Name")
        if not name:
            raise RowError("LastName", "LastName is required but empty")
        props = {
            "contact_id": key,
            "name": name,
            "first_name": first,
            "last_name": last,
            "job_title": c.text("Title"),
            "department": c.text("Department"),
            "email": c.text("Email"),
            "attitude": c.choice("Attitude__c", ATTITUDES),
            "influence": c.choice("Influence__c", INFLUENCE_LEVELS),
            "last_verified": c.date("Last_Verified__c") or c.date("LastModifiedDate"),
            "owner_id": c.sf_id("OwnerId"),
        }
        c.sf_id("AccountId")
        c.sf_id("ReportsToId")
        return [
            Record("record-title-changes", "pre", {"key": key, "job_title": props["job_title"]}, o),
            node("upsert-contact", key, props, o),
        ]

    def _contact_links(self, c: Cells, o: Origin) -> list[Record]:
        key = c.sf_id("Id", required=True)
        assert key
        account = c.sf_id("AccountId")
        manager = c.sf_id("ReportsToId")
        records = [Record("end-employments", "batch", {"key": key, "account_id": account}, o)]
        if account:
            records.append(
                link(
                    "link-works-at",
                    key,
                    account,
                    o,
                    field="AccountId",
                    missing_reason=f"AccountId {account} is not a known account; export it too",
                    props={"via": "contact", "job_title": c.text("Title"), "until": None},
                )
            )
        if manager:
            records.append(
                link(
                    "link-reports-to",
                    key,
                    manager,
                    o,
                    field="ReportsToId",
                    missing_reason=f"ReportsToId {manager} is not a known contact",
                )
            )
        return records

    def _accountcontactrelation(self, c: Cells, o: Origin) -> list[Record]:
        contact = c.sf_id("ContactId", required=True)
        account = c.sf_id("AccountId", required=True)
        assert contact and account
        active = c.boolean("IsActive", default=True)
        props = {
            "relation": True,
            "since": c.date("StartDate"),
            "until": c.date("EndDate"),
            "active": active,
            "roles": c.text("Roles"),
        }
        return [
            link(
                "link-works-at",
                contact,
                account,
                o,
                field="ContactId",
                missing_reason=f"ContactId {contact} or AccountId {account} is not known",
                props=props,
            )
        ]

    def _accountteammember(self, c: Cells, o: Origin) -> list[Record]:
        account = c.sf_id("AccountId", required=True)
        user = c.sf_id("UserId", required=True)
        assert account and user
        role = c.text("TeamMemberRole")
        return [
            link(
                "link-team",
                user,
                account,
                o,
                field="UserId",
                missing_reason=f"UserId {user} (export User.csv) or AccountId {account} is unknown",
                props={"team_role": role, "tier": _TIER_BY_ROLE.get((role or "").lower())},
            )
        ]

    def _product2(self, c: Cells, o: Origin) -> list[Record]:
        key = c.sf_id("Id", required=True)
        assert key
        props = {
            "product_id": key,
            "name": c.required_text("Name"),
            "code": c.text("ProductCode"),
            "family": c.text("Family") or "(no family)",
        }
        return [node("upsert-product", key, props, o)]

    def _pricebookentry(self, c: Cells, o: Origin) -> list[Record]:
        key = c.sf_id("Id", required=True)
        product = c.sf_id("Product2Id", required=True)
        assert key and product
        self._pricebook[key] = product
        return []

    def _opportunity(self, c: Cells, o: Origin) -> list[Record]:
        key = c.sf_id("Id", required=True)
        assert key
        stage = c.text("StageName") or ""
        is_closed = c.boolean("IsClosed", default=stage.lower().startswith("closed"))
        is_won = c.boolean("IsWon", default=stage.lower() == "closed won")
        status = "won" if is_won else ("lost" if is_closed else "open")
        created = c.date("CreatedDate")
        closed = c.date("CloseDate")
        if not created and not closed:
            raise RowError("CreatedDate", "CreatedDate and CloseDate are both empty; one is needed")
        props = {
            "deal_id": key,
            "name": c.text("Name") or key,
            "stage": stage or None,
            "status": status,
            "amount": c.amount("Amount"),
            "currency": c.text("CurrencyIsoCode"),
            "created": created or closed,
            "closed": closed if status != "open" else None,
            "expected_close": closed if status == "open" else None,
            "lost_to_name": c.text("Lost_To__c"),
        }
        c.sf_id("AccountId")
        c.sf_id("OwnerId")
        return [node("upsert-deal", key, props, o)]

    def _opportunity_links(self, c: Cells, o: Origin) -> list[Record]:
        key = c.sf_id("Id", required=True)
        assert key
        account = c.sf_id("AccountId")
        owner = c.sf_id("OwnerId")
        records = [Record("end-deal-owners", "batch", {"key": key, "owner": owner}, o)]
        lost_to = c.text("Lost_To__c")
        if account:
            records.append(
                link(
                    "link-deal",
                    account,
                    key,
                    o,
                    field="AccountId",
                    missing_reason=f"AccountId {account} is not a known account; export it too",
                )
            )
        if owner:
            records.append(
                link(
                    "link-owner",
                    owner,
                    key,
                    o,
                    field="OwnerId",
                    missing_reason=f"OwnerId {owner} is not a known user; export User.csv",
                )
            )
        if lost_to:
            records.extend(_competitor(lost_to, o))
            records.append(
                link(
                    "link-lost-to",
                    key,
                    name_key(lost_to),
                    o,
                    field="Lost_To__c",
                    missing_reason="competitor could not be stored",
                )
            )
        return records

    def _opportunitylineitem(self, c: Cells, o: Origin) -> list[Record]:
        deal = c.sf_id("OpportunityId", required=True)
        product = c.sf_id("Product2Id")
        entry = c.sf_id("PricebookEntryId")
        if not product and entry:
            product = self._pricebook.get(entry)
        if not product:
            raise RowError(
                "Product2Id",
                "Product2Id is empty and PricebookEntryId is not in PricebookEntry.csv",
            )
        assert deal
        props = {
            "line_id": c.sf_id("Id"),
            "quantity": c.number("Quantity"),
            "unit_price": c.amount("UnitPrice"),
            "total": c.amount("TotalPrice"),
        }
        return [
            link(
                "link-line-item",
                deal,
                product,
                o,
                field="OpportunityId",
                missing_reason=f"OpportunityId {deal} or product {product} is not known",
                props=props,
            )
        ]

    def _opportunitycompetitor(self, c: Cells, o: Origin) -> list[Record]:
        deal = c.sf_id("OpportunityId", required=True)
        name = c.required_text("CompetitorName")
        assert deal
        return [
            *_competitor(name, o),
            link(
                "link-against",
                deal,
                name_key(name),
                o,
                field="OpportunityId",
                missing_reason=f"OpportunityId {deal} is not a known opportunity",
            ),
        ]

    def _opportunitycontactrole(self, c: Cells, o: Origin) -> list[Record]:
        deal = c.sf_id("OpportunityId", required=True)
        contact = c.sf_id("ContactId", required=True)
        assert deal and contact
        role = c.choice("Role", DECISION_ROLES) or "Other"
        return [
            Record("record-role-changes", "pre", {"from": contact, "to": deal, "role": role}, o),
            link(
                "link-role",
                contact,
                deal,
                o,
                field="ContactId",
                missing_reason=f"ContactId {contact} or OpportunityId {deal} is not known",
                props={"role": role, "is_primary": c.boolean("IsPrimary")},
            ),
        ]

    # -- Task / Event -> Touchpoint (a dated meeting of a rep with a contact)
    def _task(self, c: Cells, o: Origin) -> list[Record]:
        return self._touchpoint(c, o, "task")

    def _event(self, c: Cells, o: Origin) -> list[Record]:
        return self._touchpoint(c, o, "event")

    def _touchpoint(self, c: Cells, o: Origin, kind: str) -> list[Record]:
        key = c.sf_id("Id", required=True)
        assert key
        day = c.date("ActivityDate") or c.date("StartDateTime") or c.date("CreatedDate")
        if not day:
            raise RowError("ActivityDate", "ActivityDate is empty; a touchpoint needs a date")
        who = c.sf_id("WhoId")
        what = c.sf_id("WhatId")
        owner = c.sf_id("OwnerId")
        props = {
            "touchpoint_id": key,
            "kind": kind,
            "date": day,
            "activity_type": c.text("Type") or c.text("TaskSubtype") or c.text("EventSubtype"),
            "subject": c.text("Subject"),
            "status": c.text("Status"),
        }
        records = [node("upsert-touchpoint", key, props, o)]
        if owner:
            records.append(
                link(
                    "link-touchpoint-rep",
                    owner,
                    key,
                    o,
                    field="OwnerId",
                    missing_reason=f"OwnerId {owner} is not a known user; export User.csv",
                )
            )
        if who and who.startswith("003"):
            records.append(
                link(
                    "link-touchpoint-contact",
                    key,
                    who,
                    o,
                    field="WhoId",
                    missing_reason=f"WhoId {who} is not a known contact",
                )
            )
        target = _TOUCHPOINT_WHAT.get((what or "")[:3])
        if what and target:
            statement, kind = target
            records.append(
                link(
                    statement,
                    key,
                    what,
                    o,
                    field="WhatId",
                    missing_reason=f"WhatId {what} is not a known {kind}",
                )
            )
        return records


def _competitor(name: str, o: Origin) -> list[Record]:
    key = name_key(name)
    if not key:
        raise RowError("CompetitorName", "competitor name is blank after normalization")
    return [node("upsert-competitor", key, {"competitor_id": key, "name": name.strip()}, o)]


#: Salesforce key prefix of a Task/Event WhatId -> (link statement, what the id names).
_TOUCHPOINT_WHAT = {
    "001": ("link-touchpoint-company", "account"),
    "006": ("link-touchpoint-deal", "opportunity"),
}

_DELETABLE = {
    "Account": "deactivate-company",
    "Contact": "deactivate-contact",
    "Opportunity": "deactivate-deal",
}
