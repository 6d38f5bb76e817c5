"""CSV exports of any CRM -> entity rows, column by column as a mapping file says (no database).

Sections load in the order of ``mapping.ENTITIES``. A mapping is this source's column table;
what the rows become (nodes, links, what a change ends) is decided by
``kamgraph/ingest/builder.py``, the same as for Salesforce. The hooks only this source needs
are references by name (learned on the first pass over a section, looked up on the second)
and the mapping's ``deleted`` column. docs/ingest-mapping.md describes the mapping format.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kamgraph.errors import ConfigError, InputDataError
from kamgraph.ingest import fields as f
from kamgraph.ingest.builder import Entity, ModelBuilder, Section, contact_name, read_sections
from kamgraph.ingest.columns import ColumnProfile, check_date_format, profile_file
from kamgraph.ingest.csvio import PROBLEM, SourceRow, read_csv
from kamgraph.ingest.mapping import (
    ColumnSpec,
    CrmMapping,
    MappingError,
    load_mapping,
)
from kamgraph.ingest.mapping import Section as MappedSection
from kamgraph.ingest.names import name_key
from kamgraph.ingest.records import Origin, Record, Reject
from kamgraph.ingest.rows import RowError

SOURCE = "csv"

_SINGULAR = {
    "companies": "company",
    "contacts": "contact",
    "deals": "deal",
    "products": "product",
    "reps": "rep",
}
#: Mapping section -> the entity kind its rows are.
KIND = {
    "reps": "rep",
    "companies": "company",
    "contacts": "contact",
    "products": "product",
    "deals": "deal",
    "line_items": "line_item",
    "competitors": "competitor",
    "contact_roles": "contact_role",
    "team_members": "team_member",
    "activities": "activity",
}
#: Mapping fields whose model property has another name.
_PROPERTY = {
    ("contacts", "owner"): "owner_id",
    ("deals", "lost_to"): "lost_to_name",
    ("line_items", "id"): "line_id",
}
#: Fields the reader handles itself (not copied into the entity's fields).
_OWN = frozenset({"id", "deleted"})


class MissingMappingError(ConfigError):
    """The csv source was started without a mapping file."""

    setting = "mapping"


def open_generic(
    path: Path, encoding: str | None, options: Mapping[str, Any]
) -> tuple[Iterable[Record | Reject], list[str]]:
    """Reader factory of the ``csv`` source: ``options["mapping"]`` is the mapping file."""
    mapping = options.get("mapping")
    if mapping is None:
        raise MissingMappingError(
            "the csv source needs a mapping file (the mapping setting; see docs/ingest-mapping.md)"
        )
    if not isinstance(mapping, CrmMapping):
        mapping = load_mapping(Path(mapping))
    reader = GenericReader(
        mapping, path, encoding=encoding, date_format=options.get("date_format")
    )
    return reader, reader.files


class GenericReader:
    """Reads the CSV files a mapping names from ``directory``, section by section."""

    def __init__(
        self,
        mapping: CrmMapping,
        directory: Path,
        *,
        encoding: str | None = None,
        date_format: str | None = None,
    ) -> None:
        if not directory.is_dir():
            raise InputDataError(
                f"{directory}: not a folder; give the folder holding the CSV files named in "
                f"{mapping.path}"
            )
        self.mapping = mapping
        self.system = mapping.system
        self.directory = directory
        self.encoding = encoding or mapping.encoding
        #: The date format given for this run overrides the mapping's (a column's own wins).
        self.date_format = check_date_format(date_format) or mapping.date_format
        self.profiles: dict[tuple[str, str], ColumnProfile] = {}
        self.paths: dict[str, list[Path]] = {
            name: [self._find(name, file) for file in section.files]
            for name, section in mapping.sections.items()
        }
        for name, section in mapping.sections.items():
            for path in self.paths[name]:
                self._check_columns(section, path)
            self._check_constants(section)
        # Dates and numbers are decided per column from the whole file, before any write.
        for name, section in mapping.sections.items():
            dates, numbers = _typed_columns(section)
            for path in self.paths[name]:
                self.profiles[(name, str(path))] = profile_file(
                    str(path),
                    read_csv(path, encoding=self.encoding),
                    dates=dates,
                    numbers=numbers,
                    date_format=self.date_format,
                )
        self._names: dict[str, dict[str, set[str]]] = {}
        self.builder = ModelBuilder()

    @property
    def files(self) -> list[str]:
        """Every file the mapping reads, each once, in load order."""
        seen: dict[str, None] = {}
        for paths in self.paths.values():
            for path in paths:
                seen.setdefault(str(path), None)
        return list(seen)

    @property
    def skipped(self) -> list[str]:
        """Entries of the folder that are not read, each with the reason (never silent)."""
        used = {Path(f).resolve() for f in self.files}
        folders = {parent for f in used for parent in f.parents}
        mapping = self.mapping.path.resolve()
        out: list[str] = []
        for entry in sorted(self.directory.iterdir()):
            here = entry.resolve()
            if here in used or here in folders:
                continue
            if here == mapping:
                reason = "the mapping file itself"
            elif entry.is_dir():
                reason = "a folder the mapping names no file in"
            else:
                reason = f"{self.mapping.path.name} names no section for it"
            out.append(f"{entry.name} ({reason})")
        return out

    def __iter__(self) -> Iterator[Record | Reject]:
        self._names = {}
        sections = [
            self._section(section, path)
            for name, section in self.mapping.sections.items()
            for path in self.paths[name]
        ]
        return read_sections(sections, self.builder, learned=self._learn)

    def _section(self, section: MappedSection, path: Path) -> Section:
        def rows() -> Iterable[SourceRow]:
            return read_csv(path, encoding=self.encoding)

        return Section(
            section.name,
            KIND[section.name],
            rows,
            lambda row, origin: self.entity(section, row, origin),
        )

    def entity(self, section: MappedSection, row: SourceRow, origin: Origin) -> Entity:
        """One row of ``section`` as an entity row (RowError names the column and key)."""
        c = Cells(self, section, row)
        kind = KIND[section.name]
        key = c.key() if c.has("id") and section.name != "line_items" else None
        if c.has("deleted") and c.value("deleted"):
            return Entity(kind, origin, key, deleted=True)
        e = Entity(kind, origin, key)
        for name, spec in section.fields.items():
            prop = _PROPERTY.get((section.name, name), name)
            e.labels[prop] = spec.label
            fdef = section.entity.field(name)
            if fdef is None or (name in _OWN and prop == name):
                continue
            if fdef.kind == "ref":
                e.refs[name] = _lazy(c, name)
            elif prop == "line_id":
                e.fields[prop] = c.key()
            else:
                e.fields[prop] = c.value(name)
        status = section.entity.field("status")
        if status is not None and status.kind == "status":
            e.fields["status"] = c.status()
        return e

    def _learn(self, section: Section, e: Entity) -> None:
        """Index the names of a section's records, for references by name."""
        name = contact_name(e.fields) if e.kind == "contact" else e.fields.get("name")
        if name and e.key:
            index = self._names.setdefault(section.name, {})
            index.setdefault(_name_index_key(section.name, name), set()).add(e.key)

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

    def _check_columns(self, section: MappedSection, path: Path) -> None:
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

    def _check_constants(self, section: MappedSection) -> None:
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

    def __init__(self, reader: GenericReader, section: MappedSection, row: SourceRow) -> None:
        self.reader = reader
        self.section = section
        self.row = row
        self.profile = reader.profiles.get((section.name, row.file)) or ColumnProfile(
            date_format=reader.date_format
        )

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
            order = spec.fmt or self.profile.order(spec.column or "")
            parse = lambda v: f.date(v, order)  # noqa: E731
        elif fdef.kind == "amount":
            mark = self.profile.decimal_mark(spec.column or "")
            parse = lambda v: f.amount(v, decimal=mark)  # noqa: E731
        elif fdef.kind == "number":
            mark = self.profile.decimal_mark(spec.column or "")
            parse = lambda v: f.number(v, decimal=mark)  # noqa: E731
        elif fdef.kind == "boolean":
            parse = f.optional_boolean
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


def _where(spec: ColumnSpec) -> str:
    return spec.key if spec.column is None else f"{spec.column} ({spec.key})"


def _name_index_key(section: str, name: str) -> str:
    if section == "companies":
        return name_key(name)
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _header(path: Path, encoding: str | None) -> set[str] | None:
    """The lower-cased header of ``path``, from its first well-formed row (None: no such row)."""
    for row in read_csv(path, encoding=encoding):
        if PROBLEM not in row.cells:
            return set(row.cells)
    return None


def _typed_columns(section: MappedSection) -> tuple[list[str], list[str]]:
    """The CSV columns of ``section`` read as dates, and those read as amounts or numbers."""
    dates: list[str] = []
    numbers: list[str] = []
    for name, spec in section.fields.items():
        fdef = section.entity.field(name)
        if fdef is None or spec.column is None or spec.value is not None:
            continue
        if fdef.kind == "date" and spec.fmt is None:
            dates.append(spec.column)
        elif fdef.kind in ("amount", "number"):
            numbers.append(spec.column)
    return dates, numbers


def _lazy(c: Cells, name: str) -> Callable[[], str | None]:
    """A reference resolved when the links are written (names are known by then)."""
    return lambda: c.ref(name)
