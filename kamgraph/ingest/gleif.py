"""GLEIF LEI data -> companies and parent links (no database here).

Reads the two shapes GLEIF publishes: JSON:API responses of api.gleif.org (``lei-records``,
``relationship-records``, ``reporting-exceptions``; one record or a ``data`` list) and the
golden-copy CSVs (LEI-CDF level 1, RR-CDF level 2 relationships, reporting exceptions). Which
one a file is comes from its content, not its name. A company is keyed ``LEI:<lei>`` until
:mod:`kamgraph.ingest.resolve` matches it to a stored company. See docs/ingest-hierarchy.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamgraph.errors import InputDataError
from kamgraph.ingest import fields as f
from kamgraph.ingest.csvio import PROBLEM, SourceRow, raw_line, read_csv
from kamgraph.ingest.jsonfile import read_json
from kamgraph.ingest.names import name_key
from kamgraph.ingest.records import Origin, Record, Reject, link
from kamgraph.ingest.resolve import LEI_PREFIX, company_record, reader_factory, resolver
from kamgraph.ingest.rows import problem_reason

SOURCE = "gleif"
DIRECT = "IS_DIRECTLY_CONSOLIDATED_BY"
ULTIMATE = "IS_ULTIMATELY_CONSOLIDATED_BY"
BRANCH = "IS_INTERNATIONAL_BRANCH_OF"
#: Relationship type -> the link statement it becomes (ultimate parents become a property).
LINK_STATEMENTS = {DIRECT: "link-hierarchy-subsidiary", BRANCH: "link-hierarchy-branch"}
#: Reporting-exception category -> the Company property that keeps its reason.
EXCEPTION_PROPS = {
    "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT": "gleif_direct_parent_exception",
    "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT": "gleif_ultimate_parent_exception",
}
#: API responses about the LEI issuer, not about the customer's group: skipped in folders.
SKIPPED_PREFIXES = ("managing-lou", "lei-issuer")
#: Relationships are emitted in chunks: all end-parent rows, then all links, then facts, so
#: the loader can batch each statement.
CHUNK = 1000

_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
_JSON_TYPE = re.compile(r'"type"\s*:\s*"(lei-records|relationship-records|reporting-exceptions)"')
_KINDS = ("entities", "relationships", "exceptions")


def lei_key(lei: str) -> str:
    """The account_id of a company known only to GLEIF."""
    return LEI_PREFIX + lei


def valid_lei(value: str) -> bool:
    """ISO 17442: 18 letters/digits and two check digits (ISO 7064 MOD 97-10)."""
    if not _LEI.match(value):
        return False
    digits = "".join(str(int(ch, 36)) for ch in value)
    return int(digits) % 97 == 1


@dataclass(frozen=True)
class Entity:
    """The level-1 fields kamgraph keeps, from either shape."""

    lei: str
    name: str
    country: str | None
    legal_form: str | None
    jurisdiction: str | None
    category: str | None
    entity_status: str | None
    registration_status: str | None
    registered_as: str | None


@dataclass(frozen=True)
class Relationship:
    """One level-2 relationship: ``child`` is the start node, ``parent`` the end node."""

    child: str
    parent: str
    rel_type: str
    status: str | None
    period_start: str | None
    period_end: str | None
    registration_status: str | None
    corroboration_level: str | None
    deleted: bool = False


class GleifReader:
    """Reads a GLEIF file or folder: entities first, then relationships, then exceptions."""

    def __init__(self, path: Path, *, encoding: str | None = None) -> None:
        self.path = path
        self.encoding = encoding
        self.by_kind: dict[str, list[Path]] = {k: [] for k in _KINDS}
        if path.is_dir():
            for candidate in sorted(p for p in path.rglob("*") if p.is_file()):
                if candidate.name.lower().startswith(SKIPPED_PREFIXES):
                    continue
                kind = self._kind(candidate)
                if kind in self.by_kind:
                    self.by_kind[kind].append(candidate)
            if not self.files:
                raise InputDataError(
                    f"{path}: no GLEIF files found; expected API responses (*.json with "
                    "lei-records or relationship-records) or golden-copy CSVs"
                )
        elif path.is_file():
            kind = self._kind(path)
            if kind is None:
                raise InputDataError(
                    f"{path}: not a GLEIF file; expected an API response (JSON:API with "
                    "lei-records, relationship-records or reporting-exceptions) or a "
                    "golden-copy CSV (LEI + Entity.LegalName, or Relationship.StartNode.NodeID)"
                )
            if kind != "empty":
                self.by_kind[kind].append(path)
        else:
            raise InputDataError(f"{path}: no such file or folder")
        self._seen_leis: set[str] = set()
        self._seen_links: set[tuple[str, str, str]] = set()
        #: Children with an active direct parent (or branch head), and with any active parent:
        #: read up front so entities know they are members and ultimate-only children get a
        #: link (see :meth:`_scan`).
        self._direct_children: set[str] = set()
        self._children: set[str] = set()

    @property
    def files(self) -> list[Path]:
        return [p for k in _KINDS for p in self.by_kind[k]]

    def _kind(self, path: Path) -> str | None:
        suffix = path.suffix.lower()
        if suffix == ".json":
            with path.open("r", encoding="utf-8", errors="replace") as fh:
                head = fh.read(256 * 1024)
            found = _JSON_TYPE.search(head)
            if found is None:
                return "empty" if re.search(r'"data"\s*:\s*\[\s*\]', head) else None
            return {
                "lei-records": "entities",
                "relationship-records": "relationships",
                "reporting-exceptions": "exceptions",
            }[found.group(1)]
        if suffix == ".csv":
            header = _csv_header(path, self.encoding)
            if "relationship.startnode.nodeid" in header:
                return "relationships"
            if "lei" in header and "entity.legalname" in header:
                return "entities"
            if "lei" in header and "exception.category" in header:
                return "exceptions"
        return None

    def _scan(self) -> None:
        """Which LEIs have a parent in this data (relationships are read twice: small files,
        and the golden copy's relationships are a fraction of its entities)."""
        for path in self.by_kind["relationships"]:
            rels: Iterable[Relationship]
            if path.suffix.lower() == ".json":
                rels = (
                    _relationship_from_json(item.get("attributes") or {})
                    for _, item in _json_items(path, "relationship-records")
                )
            else:
                rels = (
                    _relationship_from_csv(row)
                    for row in read_csv(path, encoding=self.encoding)
                    if PROBLEM not in row.cells
                )
            for rel in rels:
                if (rel.status or "").upper() != "ACTIVE" or rel.deleted:
                    continue
                if rel.rel_type in LINK_STATEMENTS:
                    self._direct_children.add(rel.child)
                if rel.rel_type in (*LINK_STATEMENTS, ULTIMATE):
                    self._children.add(rel.child)

    def __iter__(self) -> Iterator[Record | Reject]:
        self._scan()
        for path in self.by_kind["entities"]:
            yield from self._entities(path)
        for path in self.by_kind["relationships"]:
            yield from _chunked(self._relationships(path))
        for path in self.by_kind["exceptions"]:
            yield from self._exceptions(path)

    # -- level 1
    def _entities(self, path: Path) -> Iterator[Record | Reject]:
        if path.suffix.lower() == ".json":
            for origin, item in _json_items(path, "lei-records"):
                attrs = item.get("attributes") or {}
                lei = str(attrs.get("lei") or item.get("id") or "").strip()
                if lei in self._seen_leis:
                    continue
                self._seen_leis.add(lei)
                yield from _company(_entity_from_json(lei, attrs), origin, self._children)
        else:
            for row in read_csv(path, encoding=self.encoding):
                origin = Origin(row.file, row.line, raw_line(row))
                if PROBLEM in row.cells:
                    yield Reject(row.file, row.line, "(row)", problem_reason(row), origin.raw)
                    continue
                yield from _company(_entity_from_csv(row), origin, self._children)

    # -- level 2
    def _relationships(self, path: Path) -> Iterator[tuple[str, Record | Reject]]:
        if path.suffix.lower() == ".json":
            for origin, item in _json_items(path, "relationship-records"):
                rel = _relationship_from_json(item.get("attributes") or {})
                ident = (rel.child, rel.parent, rel.rel_type)
                if ident in self._seen_links:
                    continue
                self._seen_links.add(ident)
                yield from _relationship(rel, origin, self._direct_children)
        else:
            for row in read_csv(path, encoding=self.encoding):
                origin = Origin(row.file, row.line, raw_line(row))
                if PROBLEM in row.cells:
                    reject = Reject(row.file, row.line, "(row)", problem_reason(row), origin.raw)
                    yield "reject", reject
                    continue
                kinds = (
                    row.get("Relationship.StartNode.NodeIDType"),
                    row.get("Relationship.EndNode.NodeIDType"),
                )
                if any(k and k.upper() != "LEI" for k in kinds):
                    reason = (
                        f"a relationship between a {kinds[0] or 'LEI'} and a {kinds[1] or 'LEI'} "
                        "node: only LEI-to-LEI relationships form the hierarchy; not loaded"
                    )
                    yield "reject", Reject(row.file, row.line, "relationship", reason, origin.raw)
                    continue
                rel = _relationship_from_csv(row)
                yield from _relationship(rel, origin, self._direct_children)

    # -- reporting exceptions
    def _exceptions(self, path: Path) -> Iterator[Record | Reject]:
        rows: Iterable[tuple[Origin, str, str, str]]
        if path.suffix.lower() == ".json":
            rows = (
                (o, str(a.get("lei") or ""), str(a.get("category") or ""), _reason(a.get("reason")))
                for o, item in _json_items(path, "reporting-exceptions")
                for a in [item.get("attributes") or {}]
            )
        else:
            rows = (
                (
                    Origin(r.file, r.line, raw_line(r)),
                    r.get("LEI"),
                    r.get("Exception.Category"),
                    r.get("Exception.Reason.1") or r.get("Exception.Reason"),
                )
                for r in read_csv(path, encoding=self.encoding)
            )
        for origin, lei, category, reason in rows:
            prop = EXCEPTION_PROPS.get(category.upper())
            if prop is None or not reason:
                continue
            if not valid_lei(lei.upper()):
                yield Reject(origin.file, origin.line, "lei", f"{lei!r} is not a LEI", origin.raw)
                continue
            data = {"key": lei_key(lei.upper()), "props": {prop: reason}}
            yield Record("set-company-facts", "batch", data, origin)


def _company(e: Entity, origin: Origin, children: set[str]) -> list[Record | Reject]:
    if not valid_lei(e.lei):
        reason = f"{e.lei[:40]!r} is not a valid LEI (20 characters, ISO 17442 check digits)"
        return [Reject(origin.file, origin.line, "lei", reason, origin.raw)]
    key = name_key(e.name) if e.name else ""
    if not key:
        reason = "the legal name is empty; the record cannot be shown or matched"
        return [Reject(origin.file, origin.line, "legalName", reason, origin.raw)]
    props: dict[str, Any] = {
        # identity: written only on companies GLEIF created (see resolve.IDENTITY_PROPS)
        "name": e.name,
        "name_key": key,
        "country": e.country,
        "lei": e.lei,
        "registration_code": e.registered_as,
        "active": True,
        "superseded_by": None,
        # facts: written on matched CRM companies too
        "legal_name": e.name,
        "legal_form": e.legal_form,
        "legal_jurisdiction": e.jurisdiction,
        "entity_category": e.category,
        "entity_status": e.entity_status,
        "lei_status": e.registration_status,
    }
    match = {
        "lei": e.lei,
        "registration_code": e.registered_as,
        "name_key": key,
        "country": e.country,
        "member": e.lei in children,
    }
    return [company_record(lei_key(e.lei), props, origin, match=match)]


def _relationship(
    rel: Relationship, origin: Origin, direct_children: set[str]
) -> Iterator[tuple[str, Record | Reject]]:
    """(part, record): part orders a chunk (end rows, then links, then facts).

    An ultimate parent is a fact of a child that has a direct parent; a child known only
    through its ultimate parent joins that family by a link marked ``ultimate_only``. Nothing
    is dropped without a reject.
    """
    for which, lei in (("child", rel.child), ("parent", rel.parent)):
        if not valid_lei(lei):
            reason = f"the {which} {lei[:40]!r} is not a valid LEI"
            yield "reject", Reject(origin.file, origin.line, which, reason, origin.raw)
            return
    active = (rel.status or "").upper() == "ACTIVE" and not rel.deleted
    child, parent = lei_key(rel.child), lei_key(rel.parent)
    ultimate_only = rel.rel_type == ULTIMATE and rel.child not in direct_children
    if rel.rel_type == ULTIMATE and not ultimate_only:
        if active:
            props = {"gleif_ultimate_parent": rel.parent}
            yield (
                "fact",
                Record("set-company-facts", "batch", {"key": child, "props": props}, origin),
            )
        else:
            reason = (
                f"an ended ultimate parent {rel.parent} of {rel.child}, which has a direct parent "
                "in this data: the direct link keeps the history; not loaded"
            )
            yield "reject", Reject(origin.file, origin.line, "relationship", reason, origin.raw)
        return
    statement = "link-hierarchy-subsidiary" if ultimate_only else LINK_STATEMENTS.get(rel.rel_type)
    if statement is None:
        reason = (
            f"{rel.rel_type or 'an untyped relationship'} is not a corporate hierarchy "
            "(fund management, ...); not loaded"
        )
        yield "reject", Reject(origin.file, origin.line, "relationship", reason, origin.raw)
        return
    rel_type = "BRANCH_OF" if rel.rel_type == BRANCH else "SUBSIDIARY_OF"
    if active:
        end = {"key": child, "parent": parent, "rel_type": rel_type}
        yield "end", Record("end-parent-links", "batch", end, origin)
    link_props: dict[str, Any] = {
        "relationship_type": rel.rel_type,
        "relationship_status": rel.status,
        "registration_status": rel.registration_status,
        "corroboration_level": rel.corroboration_level,
        "period_start": rel.period_start,
        "period_end": rel.period_end,
        "active": active,
        "until": None if active else rel.period_end,
        "ultimate_only": ultimate_only,
    }
    yield (
        statement,
        link(
            statement,
            child,
            parent,
            origin,
            field="relationship",
            missing_reason=(
                f"LEI {rel.child} or its parent {rel.parent} is neither in this GLEIF data nor "
                "a known company; add its lei-record (the *-children or *-parent response) or "
                "the CRM account with that LEI"
            ),
            props=link_props,
        ),
    )


def _chunked(parts: Iterator[tuple[str, Record | Reject]]) -> Iterator[Record | Reject]:
    """Group each chunk by statement so the loader writes whole batches, ends before links."""
    order = ("reject", "end", *LINK_STATEMENTS.values(), "fact")
    while True:
        chunk: dict[str, list[Record | Reject]] = {}
        count = 0
        for part, item in parts:
            chunk.setdefault(part, []).append(item)
            count += 1
            if count >= CHUNK:
                break
        for part in order:
            yield from chunk.get(part, [])
        if count < CHUNK:
            return


# -- shapes


def _json_items(path: Path, wanted: str) -> Iterator[tuple[Origin, dict[str, Any]]]:
    doc = read_json(path, fix="pass the API response as saved", encoding="utf-8")
    data = doc.get("data") if isinstance(doc, dict) else None
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    for i, item in enumerate(items, start=1):
        if isinstance(item, dict) and item.get("type") == wanted:
            yield Origin(str(path), i, str(item.get("id") or "")[:300]), item


def _text(value: Any) -> str | None:
    try:
        return f.text(str(value)) if value is not None else None
    except f.FieldError:
        return None


def _day(value: Any) -> str | None:
    try:
        return f.date(str(value)) if value else None
    except f.FieldError:
        return None


def _entity_from_json(lei: str, attrs: Mapping[str, Any]) -> Entity:
    entity = attrs.get("entity") or {}
    legal_form = entity.get("legalForm") or {}
    registration = attrs.get("registration") or {}
    return Entity(
        lei=lei.upper(),
        name=_text((entity.get("legalName") or {}).get("name")) or "",
        country=_text((entity.get("legalAddress") or {}).get("country")),
        legal_form=_text(legal_form.get("id") or legal_form.get("other")),
        jurisdiction=_text(entity.get("jurisdiction")),
        category=_text(entity.get("category")),
        entity_status=_text(entity.get("status")),
        registration_status=_text(registration.get("status")),
        registered_as=_text(entity.get("registeredAs")),
    )


def _entity_from_csv(row: SourceRow) -> Entity:
    return Entity(
        lei=row.get("LEI").upper(),
        name=_text(row.get("Entity.LegalName")) or "",
        country=_text(row.get("Entity.LegalAddress.Country")),
        legal_form=_text(
            row.get("Entity.LegalForm.EntityLegalFormCode")
            or row.get("Entity.LegalForm.OtherLegalForm")
        ),
        jurisdiction=_text(row.get("Entity.LegalJurisdiction")),
        category=_text(row.get("Entity.EntityCategory")),
        entity_status=_text(row.get("Entity.EntityStatus")),
        registration_status=_text(row.get("Registration.RegistrationStatus")),
        registered_as=_text(row.get("Entity.RegistrationAuthority.RegistrationAuthorityEntityID")),
    )


def _relationship_from_json(attrs: Mapping[str, Any]) -> Relationship:
    rel = attrs.get("relationship") or {}
    registration = attrs.get("registration") or {}
    start, end = _period(
        (p.get("type"), p.get("startDate"), p.get("endDate")) for p in rel.get("periods") or []
    )
    return Relationship(
        child=str((rel.get("startNode") or {}).get("id") or "").upper(),
        parent=str((rel.get("endNode") or {}).get("id") or "").upper(),
        rel_type=str(rel.get("type") or "").upper(),
        status=_text(rel.get("status")),
        period_start=start,
        period_end=end,
        registration_status=_text(registration.get("status")),
        corroboration_level=_text(registration.get("corroborationLevel")),
        deleted=bool((attrs.get("extension") or {}).get("deletedAt")),
    )


def _relationship_from_csv(row: SourceRow) -> Relationship:
    start, end = _period(
        (
            row.get(f"Relationship.Period.{n}.periodType"),
            row.get(f"Relationship.Period.{n}.startDate"),
            row.get(f"Relationship.Period.{n}.endDate"),
        )
        for n in range(1, 6)
    )
    return Relationship(
        child=row.get("Relationship.StartNode.NodeID").upper(),
        parent=row.get("Relationship.EndNode.NodeID").upper(),
        rel_type=row.get("Relationship.RelationshipType").upper(),
        status=_text(row.get("Relationship.RelationshipStatus")),
        period_start=start,
        period_end=end,
        registration_status=_text(row.get("Registration.RegistrationStatus")),
        corroboration_level=_text(
            row.get("Registration.CorroborationLevel") or row.get("Registration.ValidationSources")
        ),
        deleted=bool(row.get("DeletedAt")),
    )


def _period(periods: Iterable[tuple[Any, Any, Any]]) -> tuple[str | None, str | None]:
    """Start and end of the RELATIONSHIP_PERIOD (accounting and filing periods are ignored)."""
    for kind, start, end in periods:
        if str(kind or "").upper() == "RELATIONSHIP_PERIOD":
            return _day(start), _day(end)
    return None, None


def _reason(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()


def _csv_header(path: Path, encoding: str | None) -> set[str]:
    try:
        first = next(iter(read_csv(path, encoding=encoding)), None)
    except InputDataError:
        return set()
    return set(first.cells) if first is not None else set()


#: The source's reader factory (``SourceSpec.factory``).
open_source = reader_factory(GleifReader)


#: The source's resolution step (``SourceSpec.resolve``).
resolve = resolver(SOURCE)
