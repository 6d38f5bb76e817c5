"""Subsidiary lists (SEC 10-K Exhibit 21 style) -> parent and subsidiary companies and links.

Two CSV shapes are read, recognized by their header: the labelled Exhibit 21 extracts
(``Filename`` = ``<parent CIK>-<accession>``, ``Subsidiary``, ``Location of Incorporation``,
``Ownership Percentage``) and a generic list (``parent_id, parent_name, subsidiary_name,
jurisdiction, ownership_pct``). Parents given by a CIK are keyed ``CIK:<cik>``, subsidiaries
``<parent key>/<name key>[@<jurisdiction>]``, until :mod:`kamgraph.ingest.resolve` matches them
to stored companies. No database here. See docs/ingest-hierarchy.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamgraph.errors import InputDataError
from kamgraph.ingest import fields as f
from kamgraph.ingest.countries import country_code
from kamgraph.ingest.csvio import PROBLEM, SourceRow, raw_line, read_csv
from kamgraph.ingest.gleif import lei_key, valid_lei
from kamgraph.ingest.names import name_key
from kamgraph.ingest.records import Origin, Record, Reject, link
from kamgraph.ingest.resolve import company_record, reader_factory, resolver
from kamgraph.ingest.rows import problem_reason

SOURCE = "subsidiaries"
CIK_PREFIX = "CIK:"


@dataclass(frozen=True)
class Shape:
    """Which columns hold what in one kind of subsidiary list."""

    name: str
    parent_id: str
    parent_name: str | None
    subsidiary: str
    jurisdiction: str
    ownership: str


EX21 = Shape(
    "ex21", "Filename", None, "Subsidiary", "Location of Incorporation", "Ownership Percentage"
)
GENERIC = Shape(
    "generic", "parent_id", "parent_name", "subsidiary_name", "jurisdiction", "ownership_pct"
)
SHAPES = (EX21, GENERIC)


class RowError(Exception):
    """A cell of the current row is unusable; becomes a Reject naming the column."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Parent:
    key: str
    props: dict[str, Any]
    match: dict[str, Any]
    filing: str | None


class SubsidiaryListReader:
    """Reads one CSV (or every CSV of a folder): companies of a file first, then its links."""

    def __init__(self, path: Path, *, encoding: str | None = None) -> None:
        self.encoding = encoding
        if path.is_dir():
            self.files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        elif path.is_file():
            self.files = [path]
        else:
            raise InputDataError(f"{path}: no such file or folder")
        self.shapes = {p: self._shape(p) for p in self.files}
        if path.is_dir():
            self.files = [p for p in self.files if self.shapes[p] is not None]
            if not self.files:
                raise InputDataError(f"{path}: no subsidiary list CSV found; {_EXPECTED}")
        elif self.shapes[path] is None:
            raise InputDataError(f"{path}: not a subsidiary list; {_EXPECTED}")

    def _shape(self, path: Path) -> Shape | None:
        first = next(iter(read_csv(path, encoding=self.encoding)), None)
        header = set(first.cells) if first is not None else set()
        for shape in SHAPES:
            if shape.parent_id.lower() in header and shape.subsidiary.lower() in header:
                return shape
        return None

    def __iter__(self) -> Iterator[Record | Reject]:
        for path in self.files:
            shape = self.shapes[path]
            assert shape is not None
            yield from self._file(path, shape)

    def _file(self, path: Path, shape: Shape) -> Iterator[Record | Reject]:
        """A list is small (one line per subsidiary): read it whole, then emit parents,
        subsidiaries and links, so a subsidiary listed several times becomes one company whose
        ownership is the sum of its listings (Exhibit 21 lists a stake per holding company)."""
        parents: dict[str, tuple[Parent, Origin]] = {}
        registrants: dict[str, str] = {}
        subs: dict[str, _Listed] = {}
        # Everything a row yields first, by line: the run report counts rows in line order.
        firsts: list[tuple[int, Record | Reject]] = []
        for row in read_csv(path, encoding=self.encoding):
            origin = Origin(row.file, row.line, raw_line(row))
            if PROBLEM in row.cells:
                reject = Reject(row.file, row.line, "(row)", problem_reason(row), origin.raw)
                firsts.append((row.line, reject))
                continue
            try:
                parent = _parent(row, shape)
                own_name = _registrant_name(row.get(shape.subsidiary))
                if own_name:
                    # "Bemis Company, Inc. (the "Registrant")": the filer itself, not a subsidiary
                    registrants.setdefault(parent.key, own_name)
                    parents.setdefault(parent.key, (parent, origin))
                    continue
                listed = _subsidiary(row, shape, parent, origin)
            except (RowError, f.FieldError) as e:
                column = e.field if isinstance(e, RowError) else "(row)"
                firsts.append((row.line, Reject(row.file, row.line, column, str(e), origin.raw)))
                continue
            parents.setdefault(parent.key, (parent, origin))
            seen = subs.get(listed.key)
            if seen is None:
                subs[listed.key] = listed
            elif listed.ownership is not None:
                seen.ownership = min(100.0, (seen.ownership or 0.0) + listed.ownership)
        for key, (parent, origin) in parents.items():
            props, match = dict(parent.props), dict(parent.match)
            if key in registrants and "name_key" not in match:
                props["name"] = registrants[key]
                props["name_key"] = match["name_key"] = name_key(registrants[key]) or None
            firsts.append((origin.line, company_record(key, props, origin, match=match)))
        for listed in subs.values():
            record = company_record(listed.key, listed.props, listed.origin, match=listed.match)
            firsts.append((listed.origin.line, record))
        firsts.sort(key=lambda item: item[0])
        for _, item in firsts:
            yield item
        for listed in subs.values():
            yield link(
                "link-hierarchy-subsidiary",
                listed.key,
                listed.parent_key,
                listed.origin,
                field=shape.subsidiary,
                missing_reason="the subsidiary or its parent could not be stored",
                props={
                    "relationship_type": "LISTED_SUBSIDIARY",
                    "ownership_pct": listed.ownership,
                    "minority": listed.ownership is not None and listed.ownership < 50,
                    "listed_in": listed.filing,
                    "active": True,
                },
            )


@dataclass
class _Listed:
    """One subsidiary of a list, with its ownership summed over repeated listings."""

    key: str
    parent_key: str
    props: dict[str, Any]
    match: dict[str, Any]
    ownership: float | None
    filing: str | None
    origin: Origin


_EXPECTED = (
    "expected the columns Filename, Subsidiary, Location of Incorporation, Ownership Percentage "
    "(SEC Exhibit 21 labels) or parent_id, parent_name, subsidiary_name, jurisdiction, "
    "ownership_pct"
)


def _parent(row: SourceRow, shape: Shape) -> Parent:
    raw = row.get(shape.parent_id)
    if not raw:
        raise RowError(shape.parent_id, f"{shape.parent_id} is empty; the parent is needed")
    name = f.text(row.get(shape.parent_name)) if shape.parent_name else None
    filing = None
    match: dict[str, Any] = {}
    props: dict[str, Any] = {"active": True, "superseded_by": None}
    if shape is EX21:
        cik, _, filing = raw.partition("-")
        if not cik.isdigit():
            raise RowError(
                shape.parent_id, f"{raw[:60]!r} does not start with the parent's CIK (digits)"
            )
        key, ids = _cik_parent(cik)
    elif raw.isdigit():
        key, ids = _cik_parent(raw)
    elif valid_lei(raw.upper()):
        key, ids = lei_key(raw.upper()), {"lei": raw.upper()}
    else:
        try:
            key = f.sf_id(raw)
        except f.FieldError:
            key = f.any_id(raw)
        ids = {}
    match.update(ids)
    props.update(ids)
    if name:
        props["name"] = name
        props["name_key"] = name_key(name)
        match["name_key"] = props["name_key"] or None
    else:
        props["name"] = f"SEC CIK {ids['cik']}" if "cik" in ids else key
    if "cik" in ids:
        props["cik"] = ids["cik"]
    return Parent(key, props, match, filing or None)


def _cik_parent(cik: str) -> tuple[str, dict[str, Any]]:
    number = str(int(cik))
    return CIK_PREFIX + number, {"cik": number}


def _subsidiary(row: SourceRow, shape: Shape, parent: Parent, origin: Origin) -> _Listed:
    name = f.text(row.get(shape.subsidiary))
    if not name:
        raise RowError(shape.subsidiary, f"{shape.subsidiary} is empty")
    key = name_key(name)
    if not key:
        raise RowError(shape.subsidiary, f"{name[:60]!r} has no letters or digits to match by")
    jurisdiction = f.text(row.get(shape.jurisdiction))
    ownership = f.number(row.get(shape.ownership))
    if ownership is not None and not 0 <= ownership <= 100:
        raise RowError(shape.ownership, f"{ownership} is not a percentage between 0 and 100")
    country = country_code(jurisdiction)
    # The key keeps legal forms and "Holdings": "Lincoln Global, Inc." and "Lincoln Global
    # Holdings LLC" are two companies of one list although their name_key is the same.
    suffix = f"@{_plain_key(jurisdiction)}" if jurisdiction else ""
    props: dict[str, Any] = {
        "name": name,
        "name_key": key,
        "country": country,
        "active": True,
        "superseded_by": None,
        "incorporated_in": jurisdiction,
    }
    return _Listed(
        key=f"{parent.key}/{_plain_key(name)}{suffix}",
        parent_key=parent.key,
        props=props,
        match={"name_key": key, "country": country, "member": True},
        ownership=ownership,
        filing=parent.filing,
        origin=origin,
    )


def _registrant_name(cell: str) -> str | None:
    """The filer's own name when an Exhibit 21 row lists the registrant itself."""
    if not re.search(r"\bregistrant\b", cell, re.IGNORECASE):
        return None
    name = re.sub(r"\s*\([^)]*registrant[^)]*\)", "", cell, flags=re.IGNORECASE).strip(" ,")
    return f.text(name) or None


def _plain_key(text: str) -> str:
    """Case, width and punctuation folded, every word kept: "Lincoln Global, Inc." ->
    "lincoln-global-inc"."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[^\w]+", "-", folded).strip("-")


#: The source's reader factory (``SourceSpec.factory``).
open_source = reader_factory(SubsidiaryListReader)


#: The source's resolution step (``SourceSpec.resolve``).
resolve = resolver(SOURCE)
