"""Flat files that are not CRM objects: finance (ERP) entries, notes/playbooks and HQ policies."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from kamgraph.errors import InputDataError
from kamgraph.ingest import fields as f
from kamgraph.ingest.builder import listed_end
from kamgraph.ingest.columns import ColumnProfile, check_date_format, profile_file
from kamgraph.ingest.csvio import PROBLEM, check_columns, raw_line, read_csv, read_header
from kamgraph.ingest.records import Origin, Record, Reject, link, node
from kamgraph.ingest.rows import Cells, FirstRowWins, RowError, problem_reason
from kamgraph.personal.suppression import Suppressions
from kamgraph.schema.model import FINANCE_KINDS, NOTE_KINDS

Mapper = Callable[[Cells, Origin], list[Record]]


def _account_ref(c: Cells, name: str) -> str:
    """An account reference: a Salesforce id in its 18-char form, other ids as given."""
    value = c.any_id(name)
    try:
        return f.sf_id(value)
    except f.FieldError:
        return value


def finance(c: Cells, o: Origin) -> list[Record]:
    key = c.any_id("document_id")
    account = _account_ref(c, "account_id")
    day = c.date("date")
    if not day:
        raise RowError("date", "date is required; write YYYY-MM-DD")
    kind = c.choice("kind", FINANCE_KINDS) or "invoice"
    value = c.amount("amount", allow_negative=True)
    if value is None:
        raise RowError("amount", "amount is required")
    if float(value) < 0 and kind == "invoice":
        raise RowError("amount", "amount is negative; book credit notes as kind=cost or fix it")
    props = {
        "entry_id": key,
        "kind": kind,
        "date": day,
        "amount": value,
        "currency": c.text("currency") or None,
        "account_ref": account,
    }
    return [
        node("upsert-finance-entry", key, props, o),
        link(
            "link-billed-to",
            key,
            account,
            o,
            field="account_id",
            missing_reason=f"account_id {account} is not a known company; load the CRM first",
        ),
    ]


def notes(c: Cells, o: Origin) -> list[Record]:
    key = c.any_id("note_id")
    about = c.any_id("about_id")
    try:
        about = f.sf_id(about)
    except f.FieldError:
        pass
    text = c.text("text")
    if not text:
        raise RowError("text", "text is empty")
    props = {
        "note_id": key,
        "kind": c.choice("kind", NOTE_KINDS) or "note",
        "date": c.date("date"),
        "text": text,
        "about_id": about,
    }
    prefix = about[:3]
    statement = {"001": "link-note-company", "003": "link-note-contact", "006": "link-note-deal"}
    records = [node("upsert-note", key, props, o)]
    records.append(
        link(
            statement.get(prefix, "link-note-company"),
            key,
            about,
            o,
            field="about_id",
            missing_reason=f"about_id {about} is not a known account, contact or deal",
        )
    )
    author = c.sf_id("author_id")
    if author:
        records.append(
            link(
                "link-note-author",
                author,
                key,
                o,
                field="author_id",
                missing_reason=f"author_id {author} is not a known rep",
            )
        )
    return records


def policies(c: Cells, o: Origin) -> list[Record]:
    key = c.any_id("policy_id")
    issuer = _account_ref(c, "issuer_account_id")
    family = c.required_text("product_family")
    props = {
        "policy_id": key,
        "product_family": family,
        "issued_on": c.date("issued_on"),
        "name": c.text("title"),
        "applies_to_all": (c.text("applies_to") or "all").lower() == "all",
    }
    records = [
        node("upsert-policy", key, props, o),
        link(
            "link-policy-issuer",
            key,
            issuer,
            o,
            field="issuer_account_id",
            missing_reason=f"issuer_account_id {issuer} is not a known company",
        ),
    ]
    applies = c.text("applies_to") or "all"
    members: list[str] = []
    if applies.lower() != "all":
        for member in (m.strip() for m in applies.split(";")):
            if member:
                try:
                    ref = f.sf_id(member) if len(member) in (15, 18) else f.any_id(member)
                except f.FieldError as e:
                    raise RowError("applies_to", f"applies_to member {e}") from None
                members.append(ref)
    # The row lists all members: the end rule of APPLIES_TO ends the ones it no longer lists.
    records.extend(listed_end("policy", key, members, o))
    for ref in members:
        records.append(
            link(
                "link-policy-member",
                key,
                ref,
                o,
                field="applies_to",
                missing_reason=f"applies_to member {ref} is not a known company",
            )
        )
    return records


MAPPERS: dict[str, Mapper] = {"finance": finance, "notes": notes, "policies": policies}
#: The id column of each kind: a file's first row of an id wins (see FirstRowWins).
KEY_COLUMNS = {"finance": "document_id", "notes": "note_id", "policies": "policy_id"}
REQUIRED_COLUMNS: dict[str, tuple[tuple[str, ...], ...]] = {
    "finance": (("document_id",), ("account_id",), ("date",), ("amount",)),
    "notes": (("note_id",), ("about_id",), ("text",)),
    "policies": (("policy_id",), ("issuer_account_id",), ("product_family",)),
}
#: The date and number columns of each kind, profiled per file (kamgraph.ingest.columns).
DATE_COLUMNS = {"finance": ("date",), "notes": ("date",), "policies": ("issued_on",)}
NUMBER_COLUMNS = {"finance": ("amount",), "notes": (), "policies": ()}


def read_table(
    kind: str, path: Path, *, encoding: str | None = None, date_format: str | None = None
) -> TableReader:
    """The records of one flat file of ``kind`` (finance, notes, policies), read lazily.

    Node records of the whole file come first, then its links, so links may refer to rows
    further down the same file. ``date_format`` names how ambiguous dates are written
    (a strptime format such as %d/%m/%Y, or ``excel``); otherwise each date column decides.
    """
    if not path.is_file():
        raise InputDataError(f"{path}: no such file")
    # Checked now, not on first iteration: a bad header or column refuses the run before it
    # writes.
    check_columns(path, read_header(path, encoding=encoding), REQUIRED_COLUMNS[kind])
    profile = profile_file(
        str(path),
        read_csv(path, encoding=encoding),
        dates=DATE_COLUMNS[kind],
        numbers=NUMBER_COLUMNS[kind],
        date_format=check_date_format(date_format),
    )
    return TableReader(kind, path, encoding, profile)


class TableReader:
    """The records of one flat file; a note about a forgotten person is skipped.

    Notes are the one flat file naming people (``about_id``). Forgotten people are decided by
    ``suppressions`` (kamgraph/personal/suppression.py), which the ingest run sets.
    """

    def __init__(self, kind: str, path: Path, encoding: str | None, profile: ColumnProfile) -> None:
        self.kind, self.path, self.encoding, self.profile = kind, path, encoding, profile
        self.suppressions = Suppressions()
        #: Note rows skipped because they are about a forgotten person (each dropped whole).
        self.suppressed = 0
        self.dropped = 0

    def __iter__(self) -> Iterator[Record | Reject]:
        return _table_records(self.kind, self.path, self.encoding, self.profile, self)

    def forgotten(self, records: list[Record]) -> bool:
        """Whether a row's records are a note about a forgotten person (counted)."""
        about = next(
            (r.data["props"]["about_id"] for r in records if r.statement == "upsert-note"), None
        )
        if about is not None and self.suppressions.forgets(about):
            self.suppressed += 1
            self.dropped += 1
            return True
        return False


def _table_records(
    kind: str, path: Path, encoding: str | None, profile: ColumnProfile, reader: TableReader
) -> Iterator[Record | Reject]:
    mapper = MAPPERS[kind]
    key_column = KEY_COLUMNS[kind]
    duplicates = FirstRowWins()
    for row in read_csv(path, encoding=encoding):
        origin = Origin(row.file, row.line, raw_line(row))
        if PROBLEM in row.cells:
            yield Reject(row.file, row.line, "(row)", problem_reason(row), origin.raw)
            continue
        key = row.get(key_column)
        duplicate = duplicates.check(kind, key, row, key_column) if key else None
        if duplicate is not None:
            if duplicate:
                yield Reject(row.file, row.line, key_column, duplicate, origin.raw)
            continue
        try:
            records = mapper(Cells(row, profile=profile), origin)
        except (RowError, f.FieldError) as e:
            field = e.field if isinstance(e, RowError) else "(row)"
            yield Reject(row.file, row.line, field, str(e), origin.raw)
            continue
        if reader.forgotten(records):
            continue
        # A row's links follow its node: the loader writes every node it holds before any link
        # (nothing is held back to the end of the file, which kept every link of it in memory).
        yield from sorted(records, key=lambda r: r.kind != "node")
