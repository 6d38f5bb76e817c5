"""One ingest at a time per Neo4j database: a lease kept in an ``IngestLock`` node.

The embedded store needs none of this: kglite's writer lease is an OS lock that dies with its
process. A Neo4j lease expires after ``LEASE_SECONDS`` unless refreshed, and a holder on this
host whose process no longer exists (killed with SIGKILL) is taken over at once.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from typing import Any

from kamgraph.backends.base import Backend
from kamgraph.errors import StoreLockedError
from kamgraph.queries import statement

LOCK_ID = "ingest"
LEASE_SECONDS = 120
REFRESH_SECONDS = 30


def _iso(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def writer_id(run_id: str) -> str:
    """``host:pid:run_id``: the process writing a run (the lock holder and the run's ``writer``)."""
    return f"{socket.gethostname()}:{os.getpid()}:{run_id}"


def dead_local_writer(writer: str | None) -> bool:
    """True when ``writer`` names a process on this host that no longer exists."""
    if not writer:
        return False
    host, _, rest = writer.partition(":")
    pid_text = rest.split(":", 1)[0]
    return host == socket.gethostname() and pid_text.isdigit() and not _pid_alive(int(pid_text))


def writer_alive(backend: Backend, writer: str | None) -> bool:
    """Whether the process that wrote ``writer`` may still be running its run.

    On Neo4j it must still hold the ingest lease (a run always does while it runs); anywhere,
    a writer on this host whose process is gone is dead. A writer on another host of an
    embedded store cannot be checked and counts as alive.
    """
    if not writer:
        return False
    if dead_local_writer(writer):
        return False
    if backend.kind == "neo4j":
        rows = backend.read(statement("lock-status").text, {"lock_id": LOCK_ID})
        current = rows[0] if rows else {}
        now = _iso(dt.datetime.now(dt.UTC))
        return bool(current.get("holder") == writer and (current.get("expires") or "") >= now)
    return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class IngestLock:
    """The lease; use as a context manager around a run."""

    def __init__(self, backend: Backend, run_id: str, *, wait: float = 0.0) -> None:
        self.backend = backend
        self.holder = writer_id(run_id)
        self.wait = wait
        self._refreshed = 0.0

    def _params(self, **extra: Any) -> dict[str, Any]:
        now = dt.datetime.now(dt.UTC)
        return {
            "lock_id": LOCK_ID,
            "holder": self.holder,
            "now": _iso(now),
            "expires": _iso(now + dt.timedelta(seconds=LEASE_SECONDS)),
            **extra,
        }

    def _dead_local_holder(self, holder: str | None) -> str | None:
        return holder if dead_local_writer(holder) else None

    def acquire(self) -> None:
        deadline = time.monotonic() + max(self.wait, 0.0)
        acquire = statement("lock-acquire").text
        while True:
            status = self.backend.read(statement("lock-status").text, {"lock_id": LOCK_ID})
            current = status[0] if status else {}
            steal = self._dead_local_holder(current.get("holder"))
            rows = self.backend.write(acquire, self._params(steal_from=steal)).rows
            if rows and rows[0]["holder"] == self.holder:
                self._refreshed = time.monotonic()
                return
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"another ingest holds this database's lock ({current.get('holder')}, "
                    f"since {current.get('since')}, lease until {current.get('expires')}); "
                    "wait for it to finish, or let this run wait for it (the wait setting)"
                )
            time.sleep(1.0)

    def refresh(self) -> None:
        """Extend the lease; cheap to call often (writes at most every REFRESH_SECONDS)."""
        if time.monotonic() - self._refreshed < REFRESH_SECONDS:
            return
        params = self._params()
        params.pop("now")
        self.backend.write(statement("lock-refresh").text, params)
        self._refreshed = time.monotonic()

    def release(self) -> None:
        self.backend.write(
            statement("lock-release").text, {"lock_id": LOCK_ID, "holder": self.holder}
        )

    def __enter__(self) -> IngestLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
