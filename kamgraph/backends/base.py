"""The backend interface every component receives; implementations live beside it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

Row = dict[str, Any]


@dataclass
class WriteResult:
    """Rows a write statement returned and the store's change counters."""

    rows: list[Row] = field(default_factory=list)
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    nodes_deleted: int = 0
    relationships_deleted: int = 0


@runtime_checkable
class Backend(Protocol):
    """A graph store that runs the portable Cypher in ``cypher/`` with ``$parameters``."""

    kind: str

    def describe(self) -> str:
        """Which backend and database/store this is, without secrets."""
        ...

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a read-only statement and return plain-Python rows."""
        ...

    def read_only(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[Row]]:
        """Run a statement in a transaction the store itself keeps read-only; its columns
        (also when there are no rows) and rows. A statement that writes is a QueryError."""
        ...

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> WriteResult:
        """Run one write statement atomically (retried on transient errors where possible)."""
        ...

    def run_schema(self, statement: str) -> None:
        """Run one schema statement (constraint or index); must be idempotent."""
        ...

    def close(self) -> None:
        """Release connections, locks and flush the store."""
        ...


def plain(value: Any) -> Any:
    """Turn driver-specific values into plain Python (dates to ISO strings), recursively."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    iso = getattr(value, "iso_format", None)
    if callable(iso):  # neo4j.time.Date / DateTime
        return iso()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return value
    return value
