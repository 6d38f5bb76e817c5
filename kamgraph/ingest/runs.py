"""Run records as people read them: a run whose process is gone is abandoned, not running.

A run is recorded ``running`` when it starts and gets its outcome (``ok``, ``partial``,
``failed`` with the error's first line) when it ends. A process killed with SIGKILL, or one
that cannot write any more (a full disk), never records an outcome: ``list_runs`` shows such a
run ``abandoned`` as soon as its writer is gone, and the next run, which holds the writer lease,
stores that status (``mark_abandoned``).
"""

from __future__ import annotations

from typing import Any

from kamgraph.backends.base import Backend
from kamgraph.ingest import pending
from kamgraph.ingest.lock import writer_alive
from kamgraph.queries import statement

RUNNING = "running"
ABANDONED = "abandoned"
#: Why a run is abandoned, as ``kamgraph runs`` shows it.
ABANDONED_REASON = (
    "its process ended without finishing the run (killed, crashed or out of disk space); "
    "the batches it wrote are kept: run the same ingest again"
)


def one_line(error: BaseException) -> str:
    """The first line of an error's message, for the run record and ``kamgraph runs``."""
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    text = str(error).strip().splitlines()
    first = text[0] if text else ""
    return first[:300] or type(error).__name__


def mark_abandoned(backend: Backend, *, run_id: str, now: str) -> list[str]:
    """Store ``abandoned`` on every other run still recorded as running.

    Only a run that holds the writer lease (embedded) or the ingest lock (Neo4j) may call this:
    while it does, no other run can be running.
    """
    result = backend.write(
        statement("mark-abandoned-runs").text,
        {"run_id": run_id, "now": now, "error": ABANDONED_REASON},
    )
    return [str(r["run_id"]) for r in result.rows]


def list_runs(backend: Backend, *, limit: int = 20) -> list[dict[str, Any]]:
    """Runs, newest first; a ``running`` run whose writer is gone is shown ``abandoned``."""
    rows = backend.read(statement("runs").text, {"limit": limit})
    for row in rows:
        if row.get("status") == RUNNING and not writer_alive(backend, row.get("writer")):
            row["status"] = ABANDONED
            row["error"] = row.get("error") or ABANDONED_REASON
    return rows


def list_pending(
    backend: Backend, *, source: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """Link references still waiting for their other end (``kamgraph runs --pending``)."""
    return pending.list_pending(backend, source=source, limit=limit)
