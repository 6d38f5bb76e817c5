"""Ingest runs as a nightly job sees them: full exports, overlapping runs, kill -9 and re-run."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamgraph.backends.base import Backend
from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.cli.app import app
from kamgraph.demo.generate import generate_demo
from kamgraph.dump import canonical_dump
from kamgraph.errors import StoreLockedError
from kamgraph.ingest.lock import IngestLock
from kamgraph.ingest.pipeline import ingest
from kamgraph.schema import apply_schema

from .conftest import SF_SMALL, neo4j_backend, wipe


def test_full_export_marks_missing_records_inactive(
    backend: Backend, tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    apply_schema(backend)
    ingest(backend, "salesforce", SF_SMALL)
    folder = tmp_path / "full"
    folder.mkdir()
    # The new full export lists every account but Cobalt (C0), and no opportunities at all.
    lines = (SF_SMALL / "Account.csv").read_text(encoding="utf-8").splitlines()
    (folder / "Account.csv").write_text(
        "\n".join(line for line in lines if not line.startswith(sf_ids["C0"])) + "\n",
        encoding="utf-8",
    )
    partial = ingest(backend, "salesforce", folder)  # without --full nothing is deactivated
    assert partial.deactivated == 0
    report = ingest(backend, "salesforce", folder, full=True)
    assert report.deactivated == 1
    rows = backend.read(
        "MATCH (c:Company) WHERE c.active = false RETURN c.account_id AS id, "
        "c.inactive_since AS since"
    )
    assert [r["id"] for r in rows] == [sf_ids["C0"]]
    assert rows[0]["since"]
    deals = backend.read("MATCH (d:Deal) WHERE d.active = true RETURN count(d) AS n")
    assert deals == [{"n": 6}]  # Opportunity was not in the export: deals untouched
    # Coming back in a later export reactivates it.
    ingest(backend, "salesforce", SF_SMALL)
    rows = backend.read(
        "MATCH (c:Company {account_id: $id}) RETURN c.active AS a", {"id": sf_ids["C0"]}
    )
    assert rows == [{"a": True}]


def test_second_embedded_writer_is_refused_then_waits(tmp_path: Path) -> None:
    store = tmp_path / "store.kgl"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, kglite\n"
            f"g = kglite.open({str(store)!r})\n"
            "print('held', flush=True)\n"
            "time.sleep(3)\n"
            "g.save(); g.close()\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(StoreLockedError, match="the wait setting"):
        EmbeddedBackend.open(store, wait=0)
    # The library names the setting; the command line names its option, with exit code 4.
    refused = CliRunner().invoke(
        app,
        ["ingest", "salesforce", str(SF_SMALL)],
        env={"KAMGRAPH_STORE": str(store), "NEO4J_URI": ""},
    )
    assert refused.exit_code == 4, refused.output
    assert "--wait SECONDS" in refused.stderr and "setting" not in refused.stderr
    started = time.monotonic()
    backend = EmbeddedBackend.open(store, wait=30)
    assert time.monotonic() - started > 0.5
    backend.close()
    holder.wait(timeout=30)


@pytest.mark.neo4j
def test_neo4j_ingest_lock_excludes_a_second_run(tmp_path: Path) -> None:
    backend = neo4j_backend()
    wipe(backend)
    first = IngestLock(backend, "run-a")
    first.acquire()
    second = IngestLock(backend, "run-b", wait=0)
    with pytest.raises(StoreLockedError, match="run-a"):
        second.acquire()
    with pytest.raises(StoreLockedError):
        ingest(backend, "salesforce", SF_SMALL)
    first.release()
    second.acquire()
    second.release()


@pytest.mark.neo4j
def test_neo4j_lock_of_a_killed_process_is_taken_over() -> None:
    backend = neo4j_backend()
    wipe(backend)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    ghost = IngestLock(backend, "ghost")
    ghost.holder = ghost.holder.replace(f":{os.getpid()}:", f":{dead.pid}:")
    ghost.acquire()
    report = ingest(backend, "salesforce", SF_SMALL)  # must not wait for the dead holder
    assert report.status == "ok"


def _run_ingest(env: dict[str, str], folder: Path, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kamgraph",
            "ingest",
            "salesforce",
            str(folder),
            "--batch-size",
            "7",
            "--quiet",
        ],
        cwd=cwd,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_kill_9_then_rerun_equals_one_clean_run(kind: str, tmp_path: Path) -> None:
    demo = generate_demo(tmp_path / "demo", seed=3, today=dt.date(2026, 1, 1)).directory
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    if kind == "neo4j":
        backend = neo4j_backend()
        env["NEO4J_URI"] = os.environ.get("KAMGRAPH_TEST_NEO4J_URI") or os.environ["NEO4J_URI"]

        def fresh(_: str) -> Backend:
            wipe(backend)
            return backend
    else:

        def fresh(name: str) -> Backend:
            store = tmp_path / f"{name}.kgl"
            env["KAMGRAPH_STORE"] = str(store)
            if not store.exists():  # a reader never creates a store: make it as `init` would
                EmbeddedBackend.open(store, write=True).close()
            return EmbeddedBackend.open(store, write=False)

    fresh("clean")
    started = time.monotonic()
    clean = _run_ingest(env, demo, tmp_path)
    assert clean.wait(timeout=600) == 0, clean.stderr.read() if clean.stderr else ""
    duration = time.monotonic() - started
    reference = canonical_dump(fresh("clean") if kind == "embedded" else backend)
    assert len(reference) > 1000

    total_nodes = sum(1 for line in reference if line.startswith('{"node"'))
    for position in (0.35, 0.7):
        # On a busy machine a run may finish before the kill: try again, killing sooner.
        for attempt in range(4):
            name = f"killed-{position}-{attempt}"
            fresh(name)
            victim = _run_ingest(env, demo, tmp_path)
            if kind == "neo4j":
                # Kill once a share of the graph is written (a cold server makes timing
                # unreliable).
                deadline = time.monotonic() + 300
                while time.monotonic() < deadline and victim.poll() is None:
                    written = backend.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
                    if written >= total_nodes * position / 2**attempt:
                        break
                    time.sleep(0.05)
            else:
                # The embedded store shows nothing to readers before the run ends: kill by time.
                time.sleep(duration * position / 2**attempt)
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=60)
            if victim.returncode == -signal.SIGKILL:
                break
        assert victim.returncode == -signal.SIGKILL, "every run finished before it was killed"
        rerun = _run_ingest(env, demo, tmp_path)
        assert rerun.wait(timeout=600) == 0, rerun.stderr.read() if rerun.stderr else ""
        after = canonical_dump(
            EmbeddedBackend.open(tmp_path / f"{name}.kgl", write=False)
            if kind == "embedded"
            else backend
        )
        assert after == reference, f"graph differs after kill -9 at {position:.0%}"
    shutil.rmtree(tmp_path / "demo", ignore_errors=True)


@pytest.mark.slow
def test_embedded_readers_during_an_ingest_see_whole_batches_only(tmp_path: Path) -> None:
    """A reader never fails and never loses what was there; what it sees only grows.

    kglite publishes checkpoints while a long ingest runs, so a reader may see some of the new
    batches (each one whole) - the same guarantee Neo4j's per-batch transactions give.
    """
    store = tmp_path / "store.kgl"
    backend = EmbeddedBackend.open(store)
    apply_schema(backend)
    ingest(backend, "salesforce", SF_SMALL)
    backend.close()
    snapshot = set(canonical_dump(EmbeddedBackend.open(store, write=False)))
    demo = generate_demo(tmp_path / "demo", seed=5, today=dt.date(2026, 1, 1)).directory
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["KAMGRAPH_STORE"] = str(store)
    writer = _run_ingest(env, demo, tmp_path)
    sizes: list[int] = []
    while writer.poll() is None:
        seen = set(canonical_dump(EmbeddedBackend.open(store, write=False)))
        assert snapshot <= seen
        sizes.append(len(seen))
        time.sleep(0.2)
    assert writer.returncode == 0
    assert sizes, "the ingest ended before a reader could look"
    assert sizes == sorted(sizes)
    final = canonical_dump(EmbeddedBackend.open(store, write=False))
    assert len(final) > len(snapshot)
