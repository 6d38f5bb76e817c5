"""D&B (Dun & Bradstreet) family-tree linkage CSVs -> companies and parent links (no database).

One row per company: its D-U-N-S number, name and country, and the D-U-N-S of its parent, its
domestic ultimate and its global ultimate (D&B's linkage columns; header names as the D&B
exports and Salesforce's D&B fields write them, see :data:`COLUMNS`). A company is keyed
``DUNS:<nine digits>`` until :mod:`kamgraph.ingest.resolve` matches it to a stored company
(a CRM account with that ``duns`` first). Its parent link goes to the parent; a company whose
row names only ultimates is linked to the nearest one, marked ``ultimate_only``. Ultimates and
parents named by a column of their own (``Parent Name``...) become companies too. See
docs/ingest-hierarchy.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kamgraph.errors import InputDataError
from kamgraph.ingest import fields as f
from kamgraph.ingest.countries import country_code
from kamgraph.ingest.csvio import PROBLEM, SourceRow, raw_line, read_csv
from kamgraph.ingest.ids import normalize_id
from kamgraph.ingest.names import name_key
from kamgraph.ingest.records import Origin, Record, Reject, link
from kamgraph.ingest.resolve import company_record, reader_factory, resolver
from kamgraph.ingest.rows import problem_reason

SOURCE = "dnb"
DUNS_PREFIX = "DUNS:"
#: What each column means -> the header names it goes by (matched without case).
COLUMNS: dict[str, tuple[str, ...]] = {
    "duns": ("DUNS", "D-U-N-S Number", "DUNS Number", "DunsNumber", "D-U-N-S"),
    "name": ("Business Name", "Company Name", "Primary Name", "Name"),
    "country": ("Country", "Country Code", "Country/Region", "Country Name"),
    "parent": ("Parent DUNS", "Parent D-U-N-S", "Parent/HQ DUNS", "ParentOrHqDunsNumber"),
    "parent_name": ("Parent Name", "Parent Business Name", "ParentOrHqBusinessName"),
    "domestic": (
        "Domestic Ultimate DUNS",
        "Domestic Ultimate D-U-N-S",
        "DomesticUltimateDunsNumber",
    ),
    "domestic_name": ("Domestic Ultimate Name", "DomesticUltimateBusinessName"),
    "global": ("Global Ultimate DUNS", "Global Ultimate D-U-N-S", "GlobalUltimateDunsNumber"),
    "global_name": ("Global Ultimate Name", "GlobalUltimateBusinessName"),
}
#: Linkage column -> the relationship_type its link carries, nearest first.
LINKAGE = (
    ("parent", "DNB_PARENT"),
    ("domestic", "DNB_DOMESTIC_ULTIMATE"),
    ("global", "DNB_GLOBAL_ULTIMATE"),
)


def duns_key(duns: str) -> str:
    """The account_id of a company known only to D&B."""
    return DUNS_PREFIX + duns


class DnbReader:
    """Reads one D&B linkage CSV: every company first, then the parent links."""

    def __init__(self, path: Path, *, encoding: str | None = None) -> None:
        if not path.is_file():
            raise InputDataError(f"{path}: no such file; pass a D&B linkage CSV")
        self.path = path
        self.encoding = encoding
        first = next(iter(read_csv(path, encoding=encoding)), None)
        header = set(first.cells) if first is not None else set()
        self.columns = {
            meaning: next((n for n in names if n.lower() in header), None)
            for meaning, names in COLUMNS.items()
        }
        missing = [m for m in ("duns", "name") if self.columns[m] is None]
        if missing or not any(self.columns[c] for c, _ in LINKAGE):
            raise InputDataError(
                f"{path}: not a D&B linkage file; expected a D-U-N-S column "
                f"({COLUMNS['duns'][0]}), a name ({COLUMNS['name'][0]}) and at least one of "
                "Parent DUNS, Domestic Ultimate DUNS, Global Ultimate DUNS"
            )

    @property
    def files(self) -> list[Path]:
        return [self.path]

    def _cell(self, row: SourceRow, meaning: str) -> str:
        column = self.columns[meaning]
        return row.get(column) if column else ""

    def _duns(self, row: SourceRow, meaning: str) -> str | None:
        raw = self._cell(row, meaning)
        if not raw:
            return None
        duns = normalize_id("duns", raw)
        # Nine digits; a spreadsheet may have dropped one leading zero.
        if duns is None or sum(ch.isdigit() for ch in raw) not in (8, 9):
            raise _RowError(
                self.columns[meaning] or meaning,
                f"{raw[:40]!r} is not a D-U-N-S number (nine digits)",
            )
        return duns

    def __iter__(self) -> Iterator[Record | Reject]:
        companies: dict[str, Record] = {}
        named: dict[str, Record] = {}
        links: list[Record] = []
        out: list[Record | Reject] = []
        for row in read_csv(self.path, encoding=self.encoding):
            origin = Origin(row.file, row.line, raw_line(row))
            if PROBLEM in row.cells:
                out.append(Reject(row.file, row.line, "(row)", problem_reason(row), origin.raw))
                continue
            try:
                duns = self._duns(row, "duns")
                if duns is None:
                    raise _RowError(self.columns["duns"] or "duns", "the D-U-N-S number is empty")
                linkage = [(self._duns(row, column), kind, column) for column, kind in LINKAGE]
            except _RowError as e:
                out.append(Reject(row.file, row.line, e.field, e.reason, origin.raw))
                continue
            name = f.text(self._cell(row, "name"))
            if not name or not name_key(name):
                field = self.columns["name"] or "name"
                out.append(Reject(row.file, row.line, field, "the name is empty", origin.raw))
                continue
            country = country_code(self._cell(row, "country"))
            nearest = next(((d, k) for d, k, _ in linkage if d and d != duns), None)
            props = {
                "dnb_parent": linkage[0][0],
                "dnb_domestic_ultimate": linkage[1][0],
                "dnb_global_ultimate": linkage[2][0],
            }
            companies[duns] = _company(
                duns, name, country, origin, member=nearest is not None, facts=props
            )
            for other, _, column in linkage:
                label = f.text(self._cell(row, f"{column}_name"))
                if other and other != duns and label and other not in named:
                    named[other] = _company(other, label, None, origin, member=False)
            if nearest is not None:
                parent, kind = nearest
                links.append(_link(duns, parent, kind, origin))
        for duns, record in named.items():
            companies.setdefault(duns, record)
        yield from out
        yield from sorted(companies.values(), key=lambda r: r.origin.line)
        for record in links:
            end = {
                "key": record.data["from"],
                "parent": record.data["to"],
                "rel_type": "SUBSIDIARY_OF",
            }
            yield Record("end-parent-links", "batch", end, record.origin)
        yield from links


class _RowError(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def _company(
    duns: str,
    name: str,
    country: str | None,
    origin: Origin,
    *,
    member: bool,
    facts: dict[str, Any] | None = None,
) -> Record:
    key = name_key(name)
    props: dict[str, Any] = {
        **(facts or {}),
        "name": name,
        "name_key": key,
        "country": country,
        "duns": duns,
        "active": True,
        "superseded_by": None,
    }
    match = {"duns": duns, "name_key": key, "country": country, "member": member}
    return company_record(duns_key(duns), props, origin, match=match)


def _link(child: str, parent: str, kind: str, origin: Origin) -> Record:
    return link(
        "link-hierarchy-subsidiary",
        duns_key(child),
        duns_key(parent),
        origin,
        field="linkage",
        missing_reason=(
            f"D-U-N-S {parent} is neither a row of this file nor a known company; add its row "
            "(or a name column for it) or the CRM account with that DUNS"
        ),
        props={
            "relationship_type": kind,
            "ultimate_only": kind != "DNB_PARENT",
            "active": True,
            "until": None,
        },
    )


#: The source's reader factory (``SourceSpec.factory``).
open_source = reader_factory(DnbReader)


#: The source's resolution step (``SourceSpec.resolve``).
resolve = resolver(SOURCE)
