"""What readers produce: model records bound for one ingest statement, or rejects."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Origin:
    """Where a record came from, for error messages and the rejects file."""

    file: str
    line: int
    raw: str = ""


@dataclass(frozen=True)
class Record:
    """One row for an ``cypher/ingest`` statement.

    ``kind`` is ``node`` (rows ``{key, hash, props}``), ``link`` (``{ref, from, to, props}``;
    a link whose ends are missing is kept pending with ``field`` and ``missing_reason``),
    ``batch`` (rows passed as-is, after nodes) or ``pre`` (rows passed as-is, before nodes:
    history of what will change).
    """

    statement: str
    kind: str
    data: dict[str, Any]
    origin: Origin
    field: str = ""
    missing_reason: str = ""


@dataclass(frozen=True)
class Reject:
    """A row that could not be loaded: which file, line and field, and why (with the fix)."""

    file: str
    line: int
    field: str
    reason: str
    raw: str = ""


@dataclass
class Counts:
    """Per-run tallies: rows read from files and what the graph did with them."""

    rows_read: int = 0
    created: int = 0
    updated: int = 0
    linked: int = 0
    rejected: int = 0
    #: Records made inactive (deleted in the source, or missing from a ``--full`` export).
    deactivated: int = 0
    #: Links ended by the end rules (kamgraph/schema/end_rules.py).
    links_ended: int = 0
    by_statement: dict[str, int] = field(default_factory=dict)


def content_hash(props: dict[str, Any]) -> str:
    """A stable digest of a record's properties, so unchanged rows are not rewritten."""
    blob = json.dumps(props, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


def node(statement: str, key: str, props: dict[str, Any], origin: Origin) -> Record:
    """A node upsert record (hash computed over ``props``)."""
    return Record(
        statement, "node", {"key": key, "hash": content_hash(props), "props": props}, origin
    )


def link(
    statement: str,
    source_key: str,
    target_key: str,
    origin: Origin,
    *,
    field: str,
    missing_reason: str,
    props: dict[str, Any] | None = None,
) -> Record:
    """A relationship upsert; kept pending (``field``, ``missing_reason``) if an end is absent."""
    return Record(
        statement,
        "link",
        {"from": source_key, "to": target_key, "props": props or {}},
        origin,
        field=field,
        missing_reason=missing_reason,
    )
