"""``sf data export tree`` JSON -> the same rows the Salesforce CSV reader maps.

Tree files hold ``{"records": [...]}`` with ``attributes.type`` and ``attributes.referenceId``;
lookups are written ``@ReferenceId``; children may be nested under a relationship name
(``"Contacts": {"records": [...]}``). A plan file (a JSON list of ``{sobject, files}``) is
optional. Records carry no Salesforce Id: a reference id that embeds one (``ref001...``, as
the CLI writes by default) gives that id; any other reference becomes ``sfdx:<referenceId>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kamgraph.errors import InputDataError
from kamgraph.ingest import fields as f
from kamgraph.ingest.csvio import SourceRow
from kamgraph.ingest.jsonfile import read_json

_EMBEDDED_ID = re.compile(r"^ref([a-zA-Z0-9]{18}|[a-zA-Z0-9]{15})$")
SFDX_PREFIX = "sfdx:"
REEXPORT = "re-export with sf data export tree"


def reference_id(ref: str) -> str:
    """The record id a tree reference stands for."""
    ref = ref.lstrip("@")
    m = _EMBEDDED_ID.match(ref)
    if m:
        return f.sf_id(m.group(1))
    return SFDX_PREFIX + ref


def parse_id(value: str) -> str:
    """Accept a Salesforce id or a tree reference id (``sfdx:...``)."""
    value = value.strip()
    if value.startswith(SFDX_PREFIX) and len(value) > len(SFDX_PREFIX):
        return value
    return f.sf_id(value)


def is_tree_folder(directory: Path) -> bool:
    """Whether ``directory`` holds sfdx tree JSON files (and so is not a CSV export)."""
    for path in sorted(directory.glob("*.json")):
        try:
            with path.open(encoding="utf-8-sig") as fh:
                head = fh.read(4096)
        except OSError:
            continue
        if '"records"' in head and '"attributes"' in head:
            return True
    return False


def _plan_files(directory: Path) -> list[Path] | None:
    for path in sorted(directory.glob("*plan*.json")):
        plan = read_json(path, fix="the plan file must be the one sf data export tree wrote")
        if isinstance(plan, list):
            files = [directory / name for step in plan for name in step.get("files", [])]
            return [p for p in files if p.exists()]
    return None


def read_tree(directory: Path) -> dict[str, list[SourceRow]]:
    """Rows per object type, ids and lookups resolved to record ids, in file order."""
    files = _plan_files(directory) or sorted(
        p for p in directory.glob("*.json") if "plan" not in p.name.lower()
    )
    rows: dict[str, list[SourceRow]] = {}
    for path in files:
        data = read_json(path, fix=REEXPORT)
        records = data.get("records") if isinstance(data, dict) else None
        if not isinstance(records, list):
            continue
        for index, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                raise InputDataError(
                    f"{path}: record {index} is not a JSON object; "
                    "re-export with sf data export tree"
                )
            try:
                for obj, row in _flatten(record, path, index, parent=None):
                    rows.setdefault(obj, []).append(row)
            except RecursionError:
                raise InputDataError(
                    f"{path}: record {index} nests child records too deeply to read; {REEXPORT}"
                ) from None
    # A tree file leaves out a record's empty fields: give every row of an object the same
    # fields (empty when left out), as a CSV header would, so an emptied field reads as stated.
    for object_rows in rows.values():
        names = {name for row in object_rows for name in row.cells}
        for row in object_rows:
            for name in names - row.cells.keys():
                row.cells[name] = ""
    return rows


def _flatten(
    record: dict[str, Any], path: Path, index: int, parent: tuple[str, str] | None
) -> Iterator[tuple[str, SourceRow]]:
    attrs = record.get("attributes")
    attrs = attrs if isinstance(attrs, dict) else {}
    obj = str(attrs.get("type") or "")
    ref = str(attrs.get("referenceId") or "")
    cells: dict[str, str] = {}
    children: list[dict[str, Any]] = []
    for key, value in record.items():
        if key == "attributes":
            continue
        if isinstance(value, dict) and isinstance(value.get("records"), list):
            children.extend(r for r in value["records"] if isinstance(r, dict))
            continue
        if value is None:
            text = ""
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, str) and value.startswith("@"):
            text = reference_id(value)
        else:
            text = str(value)
        cells[key.lower()] = text
    record_id = reference_id(ref) if ref else ""
    if record_id:
        cells["id"] = record_id
    if parent is not None:
        cells.setdefault(f"{parent[0].lower()}id", parent[1])
    raw = [
        json.dumps(
            {k: v for k, v in record.items() if k != "attributes"}, ensure_ascii=False, default=str
        )[:2000]
    ]
    yield obj, SourceRow(str(path), index, cells, raw)
    for child in children:
        yield from _flatten(child, path, index, parent=(obj, record_id))
