"""Flat files that are not CRM objects: finance (ERP) entries, notes/playbooks and HQ policies."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from kamgraph.errors import InputDataError
from kamgraph.ingest import fields as f
from kamgraph.ingest.csvio import raw_line, read_csv
from kamgraph.ingest.records import Origin, Record, Reject, link, node
from kamgraph.ingest.salesforce import Cells, RowError
from kamgraph.schema.model import FINANCE_KINDS, NOTE_KINDS

Mapper = Callable[[Cells, Origin], list[Record]]


def _account_ref(c: Cells, name: str) -> str:
    """An account reference: a Salesforce id in its 18-char form, other ids as given."""
    value = c.required(name)
    try:
        return f.sf_id(value)
    except f.FieldError:
        return f.any_id(value)


def finance(c: Cells, o: Origin) -> list[Record]:
    key = c.required("document_id")
    account = _account_ref(c, "account_id")
    day = c.date("date")
    if not day:
        raise RowError("date", "date is required; write YYYY-MM-DD")
    kind = c.choice("kind", FINANCE_KINDS) or "invoice"
    value = c._parse("amount", lambda v: f.amount(v, allow_negative=True))
    if value is None:
        raise RowError("amount", "amount is required")
    if float(value) < 0 and kind == "invoice":  # type: ignore[arg-type]
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
    key = c.required("note_id")
    about = c.required("about_id")
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
    key = c.required("policy_id")
    issuer = _account_ref(c, "issuer_account_id")
    family = c.required("product_family")
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
    if applies.lower() != "all":
        for member in (m.strip() for m in applies.split(";")):
            if member:
                ref = f.sf_id(member) if len(member) in (15, 18) else member
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


def read_table(kind: str, path: Path, *, encoding: str | None = None) -> Iterator[Record | Reject]:
    """Yield records of one flat file of ``kind`` (finance, notes, policies).

    Node records of the whole file come first, then its links, so links may refer to rows
    further down the same file.
    """
    if not path.is_file():
        raise InputDataError(f"{path}: no such file")
    mapper = MAPPERS[kind]
    links: list[Record] = []
    for row in read_csv(path, encoding=encoding):
        origin = Origin(row.file, row.line, raw_line(row))
        if "__width__" in row.cells:
            yield Reject(row.file, row.line, "(row)", row.cells["__width__"], origin.raw)
            continue
        try:
            records = mapper(Cells(row), origin)
        except (RowError, f.FieldError) as e:
            field = e.field if isinstance(e, RowError) else "(row)"
            yield Reject(row.file, row.line, field, str(e), origin.raw)
            continue
        for rec in records:
            if rec.kind == "node":
                yield rec
            else:
                links.append(rec)
    yield from sorted(links, key=lambda r: r.statement)
