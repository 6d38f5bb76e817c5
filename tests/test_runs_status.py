"""A run that dies is shown failed (with its error) or abandoned, never "running" forever."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from kamgraph.backends.base import Backend, Row, WriteResult
from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.ingest.pipeline import ingest
from kamgraph.ingest.runs import ABANDONED_REASON, list_runs, one_line
from kamgraph.schema import apply_schema

from .conftest import SF_SMALL, neo4j_backend, wipe


class DiskFullAt:
    """A backend whose writes fail like a full disk from the first ``marker`` statement on."""

    def __init__(self, inner: Backend, marker: str) -> None:
        self.inner = inner
        self.kind = inner.kind
        self.marker = marker
        self.full = False

    def describe(self) -> str:
        return self.inner.describe()

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self.inner.read(query, params)

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> WriteResult:
        if self.marker in query:
            self.full = True
        if self.full and "IngestRun" not in query and "IngestLock" not in query:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.inner.write(query, params)

    def run_schema(self, statement: str) -> None:
        self.inner.run_schema(statement)

    def close(self) -> None:
        self.inner.close()


def test_a_failed_run_is_recorded_failed_with_the_first_line_of_its_error(
    backend: Backend,
) -> None:
    apply_schema(backend)
    with pytest.raises(OSError, match="No space left"):
        ingest(DiskFullAt(backend, "MERGE (n:Contact"), "salesforce", SF_SMALL)
    [run] = list_runs(backend)
    assert run["status"] == "failed"
    assert run["error"] == "[Errno 28] No space left on device"
    assert run["finished_at"]
    # The next run is not confused by it and finishes ok.
    assert ingest(backend, "salesforce", SF_SMALL).status == "ok"
    assert sorted(r["status"] for r in list_runs(backend)) == ["failed", "ok"]


def test_one_line_keeps_the_first_line_only() -> None:
    assert one_line(ValueError("first line\n  Traceback-ish detail")) == "first line"
    assert one_line(KeyboardInterrupt()) == "interrupted"
    assert one_line(RuntimeError()) == "RuntimeError"


#: A run that writes one batch, says so, then hangs until it is killed.
HANG = """
import sys, time
from pathlib import Path
from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.ingest.pipeline import ingest
from kamgraph.schema import apply_schema

if sys.argv[1] == "neo4j":
    from kamgraph.backends.neo4j import Neo4jBackend
    backend = Neo4jBackend.connect(sys.argv[2], username=None, password=None, database=None)
else:
    backend = EmbeddedBackend.open(Path(sys.argv[2]))
apply_schema(backend)

def hang(n):
    print("writing", flush=True)
    time.sleep(600)

# A complete (--full) export: not last night's run repeated, so its records are written.
ingest(backend, "salesforce", Path(sys.argv[3]), batch_size=1, on_progress=hang, full=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_a_killed_run_is_shown_abandoned_and_the_next_run_records_it(
    kind: str, tmp_path: Path
) -> None:
    store = tmp_path / "store.kgl"
    if kind == "neo4j":
        neo = neo4j_backend()
        wipe(neo)
        target = os.environ.get("KAMGRAPH_TEST_NEO4J_URI") or os.environ["NEO4J_URI"]
    else:
        target = str(store)
        first = EmbeddedBackend.open(store)  # last night's run: the store file exists
        apply_schema(first)
        ingest(first, "salesforce", SF_SMALL)
        first.close()
    victim = subprocess.Popen(
        [sys.executable, "-c", HANG, kind, target, str(SF_SMALL)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert victim.stdout is not None and victim.stdout.readline().strip() == "writing"
    if kind == "neo4j":
        # Alive and holding the lock: running.
        assert [r["status"] for r in list_runs(neo)] == ["running"]
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=60)

    def reader() -> Backend:
        return neo if kind == "neo4j" else EmbeddedBackend.open(store, write=False)

    [run] = [r for r in list_runs(reader()) if r["writer"].split(":")[1] == str(victim.pid)]
    assert (run["status"], run["error"]) == ("abandoned", ABANDONED_REASON)

    # The next run holds the lock, so it may store what readers could only infer.
    writer = neo if kind == "neo4j" else EmbeddedBackend.open(store)
    assert ingest(writer, "salesforce", SF_SMALL).status == "ok"
    if kind == "embedded":
        writer.close()
    stored = reader().read(
        "MATCH (r:IngestRun) RETURN r.run_id AS run_id, r.status AS status, r.error AS error"
    )
    by_run = {r["run_id"]: (r["status"], r["error"]) for r in stored}
    assert by_run.pop(run["run_id"]) == ("abandoned", ABANDONED_REASON)
    assert set(by_run.values()) == {("ok", None)}
