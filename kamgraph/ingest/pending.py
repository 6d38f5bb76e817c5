"""Links whose other end is not loaded yet: kept as ``PendingLink`` nodes, completed later.

Nightly jobs start independently: finance may run before the CRM run that creates its
companies. A link whose end is missing is therefore not rejected but kept, with its statement,
both keys, properties, source, run and where it was read. At the end of every run (of any
source) each pending reference is retried through its own link statement; those whose ends now
exist are written as if their run had found them, and removed. A newer export of the same
source replaces what an older one left pending for the same record, so a reference the source
no longer states is never written later.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kamgraph.backends.base import Backend
from kamgraph.errors import QueryError
from kamgraph.ingest.records import Record
from kamgraph.queries import statement
from kamgraph.schema.end_rules import END_RULES, FULL

BATCH = 1000

#: Link statements whose owner - the record the source row describes, whose newer export
#: replaces what an older one left pending - is the ``to`` end. For every other link statement
#: it is the ``from`` end (a finance entry's BILLED_TO, a contact's WORKS_AT, ...).
OWNER_IS_TO: frozenset[str] = frozenset(
    {"link-deal", "link-owner", "link-note-author", "link-touchpoint-rep"}
)

#: End-rule statements (records of kind ``batch`` keyed by the owner) -> the link statements
#: whose pending references they end too: a contact exported again without an account ends its
#: pending WORKS_AT as it ends the stored one. Read from the declared end rules, not copied.
ENDS_PENDING: dict[str, tuple[str, ...]] = {
    rule.statement: tuple(
        name
        for r in END_RULES
        if r.statement == rule.statement
        for name in (r.link_statement, *r.other_link_statements)
    )
    for rule in END_RULES
    if rule.trigger != FULL and rule.link_statement
}


def owner_of(record: Record) -> str:
    """The key of the record whose export states this link (see ``OWNER_IS_TO``)."""
    return str(record.data["to"] if record.statement in OWNER_IS_TO else record.data["from"])


def touched_owners(record: Record) -> list[tuple[str, str]]:
    """(link statement, owner key) pairs a record re-states: older pending ones are replaced."""
    if record.kind == "link":
        return [(record.statement, owner_of(record))]
    if record.kind == "batch" and record.statement in ENDS_PENDING and record.data.get("key"):
        key = str(record.data["key"])
        return [(name, key) for name in ENDS_PENDING[record.statement]]
    return []


def pending_id(source: str, record: Record) -> str:
    """One pending reference per source, link statement and both ends."""
    return json.dumps(
        [source, record.statement, record.data["from"], record.data["to"]], ensure_ascii=False
    )


def pending_row(source: str, record: Record) -> dict[str, Any]:
    """The ``pending-keep`` row of a link record that found no end."""
    return {
        "pending_id": pending_id(source, record),
        "statement": record.statement,
        "from": record.data["from"],
        "to": record.data["to"],
        "owner": owner_of(record),
        "props": json.dumps(record.data.get("props") or {}, sort_keys=True, ensure_ascii=False),
        "file": record.origin.file,
        "line": record.origin.line,
        "field": record.field,
        "reason": record.missing_reason or "the record this link names is not loaded (yet)",
    }


def keep(
    backend: Backend,
    records: list[Record],
    *,
    source: str,
    run_id: str,
    now: str,
    system: str | None = None,
) -> int:
    """Store link records that found no end as pending references; returns how many."""
    rows = {r["pending_id"]: r for r in (pending_row(source, rec) for rec in records)}
    query = statement("pending-keep").text
    values = list(rows.values())
    for start in range(0, len(values), BATCH):
        backend.write(
            query,
            {
                "rows": values[start : start + BATCH],
                "source": source,
                "system": system or source,
                "run_id": run_id,
                "now": now,
            },
        )
    return len(values)


def count(
    backend: Backend,
    *,
    source: str | None = None,
    run_id: str | None = None,
    other_runs: bool = False,
) -> int:
    """Pending references: all, of one source, of one run, or of a source's other runs."""
    rows = backend.read(
        statement("pending-count").text,
        {"source": source, "run_id": run_id, "other_runs": other_runs},
    )
    return int(rows[0]["pending"]) if rows else 0


def supersede(
    backend: Backend, touched: Iterable[tuple[str, str]], *, source: str, run_id: str
) -> int:
    """Drop what earlier runs of ``source`` left pending for records this run stated again."""
    if not count(backend, source=source, run_id=run_id, other_runs=True):
        return 0
    rows = [{"statement": s, "owner": o} for s, o in sorted(set(touched))]
    query = statement("pending-supersede").text
    dropped = 0
    for start in range(0, len(rows), BATCH):
        result = backend.write(
            query, {"rows": rows[start : start + BATCH], "source": source, "run_id": run_id}
        )
        dropped += sum(int(r.get("dropped", 0)) for r in result.rows)
    return dropped


@dataclass
class Completion:
    """What retrying the pending references did."""

    completed: int = 0
    #: Runs whose WORKS_AT references were completed: dating moves (``stamp-moves``) is run
    #: again for them.
    employment_runs: frozenset[str] = frozenset()


def check_link_statement(name: str) -> str:
    """``name`` if it is a registered link statement; the gate for names read from the graph."""
    query = statement(name)
    if query.area != "ingest" or not name.startswith("link-") or query.columns != ("ref",):
        raise QueryError(f"pending link names {name!r}, which is not a link statement")
    return name


def complete(backend: Backend) -> Completion:
    """Write every pending reference whose ends now exist, through its own link statement.

    Each is written with the source, run id and timestamp of the run that stated it, so the
    graph is the one that run would have made had the other end been there.
    """
    pending = backend.read(statement("pending-links").text)
    if not pending:
        return Completion()
    done: list[str] = []
    runs: set[str] = set()
    # Consecutive references of one statement and run go in one batch; the order (oldest
    # first) is kept across batches, so a later statement of the same link wins.
    group: list[dict[str, Any]] = []
    for row in pending:
        if group and (_batch_of(row) != _batch_of(group[0]) or len(group) >= BATCH):
            done += _retry(backend, group, runs)
            group = []
        group.append(row)
    if group:
        done += _retry(backend, group, runs)
    query = statement("pending-done").text
    for start in range(0, len(done), BATCH):
        backend.write(query, {"ids": done[start : start + BATCH]})
    return Completion(len(done), frozenset(runs))


def _batch_of(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["statement"], row["source"], row["system"], row["run_id"], row["stated_at"])


def _retry(backend: Backend, group: list[dict[str, Any]], runs: set[str]) -> list[str]:
    first = group[0]
    query = statement(check_link_statement(first["statement"]))
    rows = [
        {"ref": i, "from": r["from_key"], "to": r["to_key"], "props": json.loads(r["props"])}
        for i, r in enumerate(group)
    ]
    stated = str(first["stated_at"])
    params = {
        "rows": rows,
        "source": first["source"],
        "system": first["system"],
        "run_id": first["run_id"],
        "now": stated,
        "today": stated[:10],
    }
    declared = {p.name for p in query.params}
    result = backend.write(query.text, {k: v for k, v in params.items() if k in declared})
    linked = {int(r["ref"]) for r in result.rows}
    if linked and first["statement"] == "link-works-at":
        runs.add(str(first["run_id"]))
    return [group[i]["pending_id"] for i in sorted(linked)]


def list_pending(
    backend: Backend, *, source: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """Pending references, oldest first, with file, line, field and reason."""
    return backend.read(statement("pending").text, {"source": source, "limit": limit})
