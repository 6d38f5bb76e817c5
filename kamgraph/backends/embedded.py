"""The embedded default: a kglite graph file in-process, one writer at a time."""

from __future__ import annotations

import os
import re
import time
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import kglite

from kamgraph.backends.base import Row, WriteResult, plain
from kamgraph.errors import (
    BackendConnectionError,
    KamgraphError,
    QueryError,
    StoreLockedError,
    write_error,
)

_WAL_HEADER_BYTES = 5
#: kglite reports operating-system errors as text ending in "(os error 28)".
_OS_ERROR = re.compile(r"os error (\d+)")

kglite.set_query_warning_policy("silent")


class EmbeddedBackend:
    """A kglite store at ``path``; writers hold its lease, readers see the last snapshot."""

    kind = "embedded"

    def __init__(self, graph: Any, path: Path, *, writable: bool) -> None:
        self._graph = graph
        self.path = path
        self.writable = writable
        #: Set when a write failed on the file (e.g. disk full): kglite then refuses to save.
        self._write_failed = False

    @classmethod
    def open(cls, path: Path, *, write: bool = True, wait: float = 0.0) -> EmbeddedBackend:
        path = Path(path)
        try:
            if write:
                path.parent.mkdir(parents=True, exist_ok=True)
                return cls(_open_for_write(path, wait), path, writable=True)
            return cls(_open_for_read(path), path, writable=False)
        except (OSError, kglite.FileIoError, kglite.FileError, kglite.FileFormatError) as e:
            if isinstance(e, kglite.WriterLeaseHeldError):
                raise
            raise store_error(e, path, writing=write) from e

    @classmethod
    def in_memory(cls) -> EmbeddedBackend:
        """A throwaway store for tests and previews."""
        return cls(kglite.KnowledgeGraph(), Path(":memory:"), writable=True)

    def describe(self) -> str:
        mode = "" if self.writable else " (read-only snapshot)"
        return f"embedded kglite store={self.path}{mode}"

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return [plain(dict(r)) for r in self._cypher(query, params)]

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> WriteResult:
        rows = [plain(dict(r)) for r in self._cypher(query, params)]
        stats = self._graph.last_mutation_stats or {}
        return WriteResult(
            rows=rows,
            nodes_created=int(stats.get("nodes_created", 0)),
            relationships_created=int(stats.get("relationships_created", 0)),
            properties_set=int(stats.get("properties_set", 0)),
            nodes_deleted=int(stats.get("nodes_deleted", 0)),
            relationships_deleted=int(stats.get("relationships_deleted", 0)),
        )

    def run_schema(self, statement: str) -> None:
        self._cypher(statement, None)

    def _cypher(self, query: str, params: Mapping[str, Any] | None) -> Any:
        try:
            return self._graph.cypher(query, params=dict(params or {}), timeout_ms=0)
        except (kglite.FileIoError, kglite.FileError, OSError) as e:
            self._write_failed = self.writable
            raise store_error(e, self.path, writing=self.writable) from e
        except (kglite.KgError, ValueError) as e:
            raise QueryError(f"the embedded store rejected the statement: {e}") from e

    def close(self) -> None:
        if self.writable and str(self.path) != ":memory:":
            try:
                if not self._write_failed:  # the checkpoint plus the logged frames stay
                    self._graph.save()
                self._graph.close()
            except (kglite.FileIoError, kglite.FileError, OSError) as e:
                if not self._write_failed:
                    raise store_error(e, self.path, writing=True) from e


def store_error(e: Exception, path: Path, *, writing: bool) -> KamgraphError:
    """A file error of the store at ``path`` as the KamgraphError a user can act on."""
    number = e.errno if isinstance(e, OSError) else None
    found = _OS_ERROR.search(str(e))
    if number is None and found:
        number = int(found.group(1))
    if writing and number is not None:
        error = write_error(OSError(number, str(e)), f"the store {path}")
        if error is not None:
            return type(error)(f"{error} (KAMGRAPH_STORE chooses the store)")
    return BackendConnectionError(
        f"cannot open the store {path}: {e}; check the file, or set KAMGRAPH_STORE to "
        "another store"
    )


def _open_for_write(path: Path, wait: float) -> Any:
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        try:
            return kglite.open(str(path), durable="full")
        except kglite.WriterLeaseHeldError as e:
            if time.monotonic() >= deadline:
                holder = getattr(e, "holder", None) or {}
                raise StoreLockedError(
                    f"the store {path} is being written by another kamgraph process "
                    f"(pid {holder.get('pid', '?')}, since {holder.get('since', '?')}); "
                    "wait for it to finish, or let this run wait for it (the wait setting)"
                ) from e
            time.sleep(0.5)


def _open_for_read(path: Path) -> Any:
    if not path.exists():
        return kglite.KnowledgeGraph()
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > _WAL_HEADER_BYTES:
        # A writer died before its checkpoint: fold its committed log in, if nobody writes now.
        try:
            graph = kglite.open(str(path), durable="full")
        except (kglite.WriterLeaseHeldError, kglite.FileIoError, OSError):
            # An ingest is running (or the store is read-only): readers get the last
            # published snapshot, on purpose.
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*write-ahead log.*")
                return kglite.load(str(path))
        else:
            graph.save()
            graph.close()
    return kglite.load(str(path))


def store_exists(path: Path) -> bool:
    return os.path.exists(path)
