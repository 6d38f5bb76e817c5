"""CSV exports of any CRM -> model records, column by column as a mapping file says (no database).

Sections load in the order of ``mapping.ENTITIES``. For each section, a first pass over its
files writes the nodes and learns every record's name, and a second pass writes the links;
so a reference by name may point at any row of the same section or of a section loaded before.
A row is rejected at most once: a row rejected (or deleted) on a first pass is skipped by every
later pass over the same file. docs/ingest-mapping.md describes the mapping format.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kamgraph.errors import ConfigError, InputDataError
from kamgraph.ingest import fields as f
from kamgraph.ingest.csvio import SourceRow, raw_line, read_csv
from kamgraph.ingest.mapping import (
    ColumnSpec,
    CrmMapping,
    MappingError,
    Section,
    load_mapping,
)
from kamgraph.ingest.names import is_branch_name, name_key
from kamgraph.ingest.records import Origin, Record, Reject, link, node
from kamgraph.ingest.salesforce import RowError

SOURCE = "csv"

_SINGULAR = {
    "companies": "company",
    "contacts": "contact",
    "deals": "deal",
    "products": "product",
    "reps": "rep",
}
_DEACTIVATE = {
    "companies": "deactivate-company",
    "contacts": "deactivate-contact",
    "deals": "deactivate-deal",
}


def open_generic(
    path: Path, encoding: str | None, options: Mapping[str, Any]
) -> tuple[Iterable[Record | Reject], list[str]]:
    """Reader factory of the ``csv`` source: ``options["mapping"]`` is the mapping file."""
    mapping = options.get("mapping")
    if mapping is None:
        raise ConfigError(
            "the csv source needs a mapping file: pass --mapping FILE (see docs/ingest-mapping.md)"
        )
    if not isinstance(mapping, CrmMapping):
        mapping = load_mapping(Path(mapping))
    reader = GenericReader(mapping, path, encoding=encoding)
    return reader, reader.files


class GenericReader:
    """Reads the CSV files a mapping names from ``directory``, section by section."""

    def __init__(
        self, mapping: CrmMapping, directory: Path, *, encoding: str | None = None
    ) -> None:
        if not directory.is_dir():
            raise InputDataError(
                f"{directory}: not a folder; pass the folder holding the CSV files named in "
                f"{mapping.path}"
            )
        self.mapping = mapping
        self.directory = directory
        self.encoding = encoding or mapping.encoding
        self.paths: dict[str, list[Path]] = {
            name: [self._find(name, file) for file in section.files]
            for name, section in mapping.sections.items()
        }
        for name, section in mapping.sections.items():
            for path in self.paths[name]:
                self._check_columns(section, path)
            self._check_constants(section)
        self._names: dict[str, dict[str, set[str]]] = {}
        self._skip: set[tuple[str, int]] = set()

    @property
    def files(self) -> list[str]:
        """Every file the mapping reads, each once, in load order."""
        seen: dict[str, None] = {}
        for paths in self.paths.values():
            for path in paths:
                seen.setdefault(str(path), None)
        return list(seen)

    def __iter__(self) -> Iterator[Record | Reject]:
        self._names = {}
        self._skip = set()
        for name, section in self.mapping.sections.items():
            nodes = _NODES.get(name)
            if nodes is not None:
                for path in self.paths[name]:
                    yield from self._node_pass(section, path, nodes)
            links = _LINKS.get(name)
            if links is not None:
                for path in self.paths[name]:
                    yield from self._link_pass(section, path, links)

    # -- passes
    def _node_pass(
        self, section: Section, path: Path, build: NodeBuilder
    ) -> Iterator[Record | Reject]:
        for row in read_csv(path, encoding=self.encoding):
            where = (row.file, row.line)
            if where in self._skip:
                continue
            origin = Origin(row.file, row.line, raw_line(row))
            if "__width__" in row.cells:
                self._skip.add(where)
                yield _width_reject(row, origin)
                continue
            c = Cells(self, section, row)
            try:
                if c.has("deleted") and c.value("deleted"):
                    self._skip.add(where)
                    yield Record(_DEACTIVATE[section.name], "batch", {"key": c.key()}, origin)
                    continue
                record, name = build(c, origin)
            except RowError as e:
                self._skip.add(where)
                yield Reject(row.file, row.line, e.field, e.reason, origin.raw)
                continue
            if name:
                index = self._names.setdefault(section.name, {})
                index.setdefault(_name_index_key(section.name, name), set()).add(record.data["key"])
            yield record

    def _link_pass(
        self, section: Section, path: Path, build: LinkBuilder
    ) -> Iterator[Record | Reject]:
        grouped: dict[str, list[Record]] = {}
        for row in read_csv(path, encoding=self.encoding):
            where = (row.file, row.line)
            if where in self._skip:
                continue
            origin = Origin(row.file, row.line, raw_line(row))
            if "__width__" in row.cells:
                yield _width_reject(row, origin)
                continue
            out = Links(row, origin)
            with out.attempt():
                build(Cells(self, section, row), out)
            for item in out.items:
                if isinstance(item, Reject):
                    yield item
                else:
                    grouped.setdefault(item.statement, []).append(item)
        # Batched per statement; ended links first, then nodes, then the links that need them.
        phase = {"end": 0, "upsert": 1}
        for statement in sorted(grouped, key=lambda s: phase.get(s.split("-", 1)[0], 2)):
            yield from grouped[statement]

    # -- references by name
    def lookup(self, target: str, value: str, spec: ColumnSpec) -> str:
        ids = self._names.get(target, {}).get(_name_index_key(target, value), set())
        where = _where(spec)
        if not ids:
            files = ", ".join(p.name for p in self.paths.get(target, []))
            raise RowError(
                spec.label,
                f"{where} {value[:60]!r} names no {_SINGULAR[target]} in {files}; check the "
                f"spelling, or translate it with values = {{...}} in {self.mapping.path.name}",
            )
        if len(ids) > 1:
            listed = ", ".join(sorted(ids)[:5])
            raise RowError(
                spec.label,
                f"{where} {value[:60]!r} matches {len(ids)} {target} ({listed}); refer by id",
            )
        return next(iter(ids))

    # -- checks when the reader is made
    def _find(self, section: str, file: str) -> Path:
        candidate = self.directory / file
        if candidate.is_file():
            return candidate
        wanted = Path(file).name.lower()
        parent = candidate.parent
        if parent.is_dir():
            for entry in sorted(parent.iterdir()):
                if entry.is_file() and entry.name.lower() == wanted:
                    return entry
        raise InputDataError(
            f"{self.directory}: no file {file!r}, which {self.mapping.path} [{section}.file] "
            "names; export it into this folder or fix the file name in the mapping"
        )

    def _check_columns(self, section: Section, path: Path) -> None:
        header = _header(path, self.encoding)
        if header is None:
            return
        for key, column in section.columns():
            if column.strip().lower() not in header:
                shown = ", ".join(sorted(header)[:30])
                raise MappingError(
                    f"{self.mapping.path} [{key}]: column {column!r} is not in {path.name}; "
                    f"its columns are: {shown}"
                )

    def _check_constants(self, section: Section) -> None:
        empty = Cells(self, section, SourceRow(str(self.mapping.path), 0, {}, []))
        for name, spec in section.fields.items():
            fdef = section.entity.field(name)
            if spec.value is None or fdef is None or fdef.kind == "ref":
                continue
            try:
                empty.value(name)
            except RowError as e:
                reason = e.reason.removeprefix(spec.key).strip()
                raise MappingError(f"{self.mapping.path} [{spec.key}]: value {reason}") from None


class Cells:
    """One row read through a section's mapping: each field parsed by its kind.

    Every failure is a RowError naming the CSV column and the mapping key.
    """

    def __init__(self, reader: GenericReader, section: Section, row: SourceRow) -> None:
        self.reader = reader
        self.section = section
        self.row = row

    def has(self, name: str) -> bool:
        return name in self.section.fields

    def label(self, name: str) -> str:
        return self.section.fields[name].label

    def raw(self, name: str) -> str:
        """The cell (or constant) after ``values`` translation; '' when blank or unmapped."""
        spec = self.section.fields.get(name)
        if spec is None:
            return ""
        value = spec.value if spec.value is not None else self.row.get(spec.column or "")
        value = value.strip()
        if spec.values:
            value = spec.values.get(value.casefold(), value).strip()
        fdef = self.section.entity.field(name)
        if not value and (spec.required or (fdef is not None and fdef.required)):
            raise RowError(spec.label, f"{_where(spec)} is required but empty; fill it in")
        return value

    def value(self, name: str) -> Any:
        """The field parsed by its kind (text, date, amount...); None when blank or unmapped."""
        fdef = self.section.entity.field(name)
        spec = self.section.fields.get(name)
        if fdef is None or spec is None:
            return None
        parse: Callable[[str], Any]
        if fdef.kind in ("text", "id"):
            parse = f.text
        elif fdef.kind == "date":
            fmt = spec.fmt or self.reader.mapping.date_format
            parse = f.date if fmt is None else _strict_date(fmt)
        elif fdef.kind == "amount":
            parse = f.amount
        elif fdef.kind == "number":
            parse = f.number
        elif fdef.kind == "boolean":
            parse = _optional_boolean
        elif fdef.kind == "choice":
            vocab = fdef.vocab
            parse = lambda v: f.choice(v, vocab)  # noqa: E731
        elif fdef.kind == "tier":
            parse = lambda v: (f.text(v) or "").lower().replace(" ", "-") or None  # noqa: E731
        else:  # refs and status have their own readers
            raise AssertionError(f"{fdef.kind} fields are read with ref() / status()")
        raw = self.raw(name)
        try:
            return parse(raw)
        except f.FieldError as e:
            raise RowError(spec.label, f"{_where(spec)} {e}") from None

    def key(self, name: str = "id") -> str:
        """A record id (with the mapping's ``id_prefix``)."""
        spec = self.section.fields[name]
        try:
            return self.reader.mapping.id_prefix + f.any_id(self.raw(name))
        except f.FieldError as e:
            raise RowError(spec.label, f"{_where(spec)} {e}") from None

    def ref(self, name: str) -> str | None:
        """The id a reference points at (looked up by name when ``by = "name"``)."""
        spec = self.section.fields.get(name)
        fdef = self.section.entity.field(name)
        if spec is None or fdef is None:
            return None
        value = self.raw(name)
        if not value:
            return None
        if spec.by == "name":
            return self.reader.lookup(fdef.target, value, spec)
        return self.key(name)

    def status(self) -> str:
        spec = self.section.status
        assert spec is not None
        value = self.row.get(spec.column)
        outcome = spec.outcomes.get(value.casefold()) or spec.default
        if outcome is None:
            known = ", ".join(sorted(spec.outcomes))
            raise RowError(
                spec.column,
                f"{spec.column} ({spec.key}) {value[:40]!r} is not a stage the mapping knows "
                f"({known}); list it under won, lost or open in {self.reader.mapping.path.name}, "
                "or set default",
            )
        return outcome

    def put(self, props: dict[str, Any], *names: str) -> None:
        """Copy the mapped fields among ``names`` into ``props`` under their own names."""
        for name in names:
            if self.has(name):
                props[name] = self.value(name)


class Links:
    """One row's link pass: the link records, and rejects of the links it could not make."""

    def __init__(self, row: SourceRow, origin: Origin) -> None:
        self.row = row
        self.origin = origin
        self.items: list[Record | Reject] = []

    def add(self, record: Record) -> None:
        self.items.append(record)

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """A bad reference rejects the link being made, not the row's other links."""
        try:
            yield
        except RowError as e:
            self.items.append(
                Reject(self.row.file, self.row.line, e.field, e.reason, self.origin.raw)
            )


NodeBuilder = Callable[[Cells, Origin], tuple[Record, str | None]]
LinkBuilder = Callable[[Cells, Links], None]


def _where(spec: ColumnSpec) -> str:
    return spec.key if spec.column is None else f"{spec.column} ({spec.key})"


def _name_index_key(section: str, name: str) -> str:
    if section == "companies":
        return name_key(name)
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _width_reject(row: SourceRow, origin: Origin) -> Reject:
    reason = row.cells["__width__"] + "; check quoting and delimiters on this line"
    return Reject(row.file, row.line, "(row)", reason, origin.raw)


def _header(path: Path, encoding: str | None) -> set[str] | None:
    """The lower-cased header of ``path``, from its first well-formed row (None: no such row)."""
    for row in read_csv(path, encoding=encoding):
        if "__width__" not in row.cells:
            return set(row.cells)
    return None


def _strict_date(fmt: str) -> Callable[[str], str | None]:
    def parse(value: str) -> str | None:
        if not value:
            return None
        try:
            day = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            raise f.FieldError(f"{value[:40]!r} does not match the date format {fmt}") from None
        return f.date(day.isoformat())

    return parse


def _optional_boolean(value: str) -> bool | None:
    return None if not value.strip() else f.boolean(value)


def _missing(c: Cells, name: str, what: str) -> str:
    return f"{c.label(name)} {what}; load it too (this row's own record was loaded)"


# -- node builders: (record, name for references by name)
def _rep(c: Cells, o: Origin) -> tuple[Record, str | None]:
    key = c.key()
    name = c.value("name")
    props: dict[str, Any] = {"rep_id": key, "name": name or key}
    c.put(props, "email", "job_title", "tier")
    return node("upsert-rep", key, props, o), name


def _company(c: Cells, o: Origin) -> tuple[Record, str | None]:
    key = c.key()
    name = c.value("name")
    if not name:
        raise RowError(c.label("name"), f"{c.label('name')} is empty: a company needs a name")
    props: dict[str, Any] = {"account_id": key, "name": name, "name_key": name_key(name)}
    c.put(
        props,
        "account_type",
        "industry",
        "country",
        "state",
        "region",
        "lei",
        "duns",
        "registration_code",
        "buys_autonomously",
    )
    hierarchy = c.value("hierarchy_type")
    if hierarchy is None and is_branch_name(name):
        hierarchy = "Branch"
    if hierarchy is not None or c.has("hierarchy_type"):
        props["hierarchy_type"] = hierarchy
    return node("upsert-company", key, props, o), name


def _contact(c: Cells, o: Origin) -> tuple[Record, str | None]:
    key = c.key()
    first, last = c.value("first_name"), c.value("last_name")
    name = c.value("name") or " ".join(filter(None, [first, last]))
    if not name:
        label = next(c.label(n) for n in ("name", "last_name", "first_name") if c.has(n))
        raise RowError(label, f"{label} is empty: a contact needs a name")
    props: dict[str, Any] = {"contact_id": key, "name": name}
    c.put(
        props,
        "first_name",
        "last_name",
        "job_title",
        "department",
        "email",
        "attitude",
        "influence",
        "last_verified",
    )
    if c.has("owner"):
        props["owner_id"] = c.value("owner")
    return node("upsert-contact", key, props, o), name


def _product(c: Cells, o: Origin) -> tuple[Record, str | None]:
    key = c.key()
    props: dict[str, Any] = {"product_id": key, "name": c.value("name")}
    c.put(props, "code")
    props["family"] = c.value("family") or "(no family)"
    return node("upsert-product", key, props, o), props["name"]


def _deal(c: Cells, o: Origin) -> tuple[Record, str | None]:
    key = c.key()
    status = c.status()
    created, closed = c.value("created"), c.value("closed")
    if not created and not closed:
        mapped = [c.section.fields[n] for n in ("created", "closed") if c.has(n)]
        raise RowError(
            mapped[0].label,
            f"{' and '.join(_where(s) for s in mapped)} "
            f"{'are both empty' if len(mapped) > 1 else 'is empty'}; a deal needs its created "
            "or closed date",
        )
    expected = c.value("expected_close")
    props: dict[str, Any] = {
        "deal_id": key,
        "status": status,
        "created": created or closed,
        "closed": closed if status != "open" else None,
        "expected_close": expected or (closed if status == "open" else None),
    }
    name = c.value("name")
    props["name"] = name or key
    c.put(props, "stage", "amount", "currency")
    if c.has("lost_to"):
        props["lost_to_name"] = c.value("lost_to")
    return node("upsert-deal", key, props, o), name


def _activity(c: Cells, o: Origin) -> tuple[Record, str | None]:
    key = c.key()
    props: dict[str, Any] = {
        "touchpoint_id": key,
        "kind": c.value("kind") or "task",
        "date": c.value("date"),
    }
    c.put(props, "activity_type", "subject", "status")
    return node("upsert-touchpoint", key, props, o), None


def _competitor(c: Cells, o: Origin) -> tuple[Record, str | None]:
    return _competitor_node(c, "name", o), None


def _competitor_node(c: Cells, name: str, o: Origin) -> Record:
    text = c.value(name)
    key = name_key(text or "")
    if not key:
        raise RowError(c.label(name), f"{c.label(name)} is blank after normalization")
    return node("upsert-competitor", key, {"competitor_id": key, "name": text}, o)


# -- link builders
def _company_links(c: Cells, out: Links) -> None:
    if not c.has("parent"):
        return
    key = c.key()
    with out.attempt():
        parent = c.ref("parent")
        if parent == key:
            raise RowError(c.label("parent"), f"{c.label('parent')} points at the company itself")
        hierarchy = c.value("hierarchy_type")
        branch = hierarchy == "Branch" or (hierarchy is None and is_branch_name(c.value("name")))
        rel_type = "BRANCH_OF" if branch else "SUBSIDIARY_OF"
        data = {"key": key, "parent": parent, "rel_type": rel_type}
        out.add(Record("end-parent-links", "batch", data, out.origin))
        if parent:
            out.add(
                link(
                    "link-branch" if branch else "link-subsidiary",
                    key,
                    parent,
                    out.origin,
                    field=c.label("parent"),
                    missing_reason=_missing(c, "parent", f"{parent} is not a known company"),
                    props={"via": c.label("parent")},
                )
            )


def _contact_links(c: Cells, out: Links) -> None:
    key = c.key()
    if c.has("company"):
        with out.attempt():
            account = c.ref("company")
            data = {"key": key, "account_id": account}
            out.add(Record("end-employments", "batch", data, out.origin))
            if account:
                out.add(
                    link(
                        "link-works-at",
                        key,
                        account,
                        out.origin,
                        field=c.label("company"),
                        missing_reason=_missing(c, "company", f"{account} is not a known company"),
                        props={"via": "contact", "job_title": c.value("job_title"), "until": None},
                    )
                )
    with out.attempt():
        manager = c.ref("reports_to")
        if manager == key:
            raise RowError(c.label("reports_to"), f"{c.label('reports_to')} is the contact itself")
        if manager:
            out.add(
                link(
                    "link-reports-to",
                    key,
                    manager,
                    out.origin,
                    field=c.label("reports_to"),
                    missing_reason=_missing(c, "reports_to", f"{manager} is not a known contact"),
                )
            )


def _deal_links(c: Cells, out: Links) -> None:
    key = c.key()
    with out.attempt():
        account = c.ref("company")
        if account:
            out.add(
                link(
                    "link-deal",
                    account,
                    key,
                    out.origin,
                    field=c.label("company"),
                    missing_reason=_missing(c, "company", f"{account} is not a known company"),
                )
            )
    with out.attempt():
        owner = c.ref("owner")
        if owner:
            out.add(
                link(
                    "link-owner",
                    owner,
                    key,
                    out.origin,
                    field=c.label("owner"),
                    missing_reason=_missing(c, "owner", f"{owner} is not a known rep"),
                )
            )
    if c.has("lost_to") and c.raw("lost_to"):
        with out.attempt():
            competitor = _competitor_node(c, "lost_to", out.origin)
            out.add(competitor)
            out.add(
                link(
                    "link-lost-to",
                    key,
                    competitor.data["key"],
                    out.origin,
                    field=c.label("lost_to"),
                    missing_reason="the competitor could not be stored",
                )
            )


def _line_item_links(c: Cells, out: Links) -> None:
    deal, product = c.ref("deal"), c.ref("product")
    assert deal and product  # required: blank raised already
    props: dict[str, Any] = {}
    if c.has("id"):
        props["line_id"] = c.key()
    c.put(props, "quantity", "unit_price", "total")
    out.add(
        link(
            "link-line-item",
            deal,
            product,
            out.origin,
            field=c.label("deal"),
            missing_reason=f"deal {deal} or product {product} is not known; load them too",
            props=props,
        )
    )


def _competitor_links(c: Cells, out: Links) -> None:
    deal = c.ref("deal")
    if deal:
        out.add(
            link(
                "link-against",
                deal,
                name_key(c.value("name") or ""),
                out.origin,
                field=c.label("deal"),
                missing_reason=_missing(c, "deal", f"{deal} is not a known deal"),
            )
        )


def _contact_role_links(c: Cells, out: Links) -> None:
    contact, deal = c.ref("contact"), c.ref("deal")
    assert contact and deal
    out.add(
        link(
            "link-role",
            contact,
            deal,
            out.origin,
            field=c.label("contact"),
            missing_reason=f"contact {contact} or deal {deal} is not known; load them too",
            props={"role": c.value("role") or "Other", "is_primary": bool(c.value("is_primary"))},
        )
    )


def _team_member_links(c: Cells, out: Links) -> None:
    rep, account = c.ref("rep"), c.ref("company")
    assert rep and account
    out.add(
        link(
            "link-team",
            rep,
            account,
            out.origin,
            field=c.label("rep"),
            missing_reason=f"rep {rep} or company {account} is not known; load them too",
            props={"team_role": c.value("team_role"), "tier": c.value("tier")},
        )
    )


def _activity_links(c: Cells, out: Links) -> None:
    key = c.key()
    # (field, statement, from the rep?, what the other end is)
    ends = (
        ("rep", "link-touchpoint-rep", True, "rep"),
        ("contact", "link-touchpoint-contact", False, "contact"),
        ("company", "link-touchpoint-company", False, "company"),
        ("deal", "link-touchpoint-deal", False, "deal"),
    )
    for name, statement, from_other, what in ends:
        with out.attempt():
            other = c.ref(name)
            if other:
                out.add(
                    link(
                        statement,
                        other if from_other else key,
                        key if from_other else other,
                        out.origin,
                        field=c.label(name),
                        missing_reason=_missing(c, name, f"{other} is not a known {what}"),
                    )
                )


_NODES: dict[str, NodeBuilder] = {
    "reps": _rep,
    "companies": _company,
    "contacts": _contact,
    "products": _product,
    "deals": _deal,
    "competitors": _competitor,
    "activities": _activity,
}
_LINKS: dict[str, LinkBuilder] = {
    "companies": _company_links,
    "contacts": _contact_links,
    "deals": _deal_links,
    "line_items": _line_item_links,
    "competitors": _competitor_links,
    "contact_roles": _contact_role_links,
    "team_members": _team_member_links,
    "activities": _activity_links,
}
