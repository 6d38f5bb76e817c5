"""Neo4j goes away in the middle of an ingest (Neo4j only).

The test runs its own second server (``scripts/neo4j-local`` on KAMGRAPH_TEST_OUTAGE_PORT,
default 7707, home /tmp/neo4j-outage) so stopping it cannot disturb other tests. An ingest is
started as a subprocess, the server is stopped part-way and started again. The run must either
finish through the driver's retries (exit 0) or fail with a one-line message and exit code 3;
a re-run must finish, and the graph must equal one clean run's (canonical dump): nothing lost,
nothing doubled. Without java/mvn the test skips (fails under CI=true).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kamgraph.backends.neo4j import Neo4jBackend
from kamgraph.demo.generate import generate_demo
from kamgraph.dump import canonical_dump
from kamgraph.errors import BackendConnectionError

from .conftest import missing, wipe

pytestmark = [pytest.mark.neo4j, pytest.mark.slow, pytest.mark.timeout(1500)]

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "neo4j-local"
PORT = int(os.environ.get("KAMGRAPH_TEST_OUTAGE_PORT", "7707"))
HOME = Path(os.environ.get("KAMGRAPH_TEST_OUTAGE_HOME", "/tmp/neo4j-outage"))
URI = f"bolt://127.0.0.1:{PORT}"


def _server(action: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KAMGRAPH_NEO4J_PORT=str(PORT), KAMGRAPH_NEO4J_HOME=str(HOME))
    return subprocess.run(
        [str(SCRIPT), action], env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _start() -> None:
    done = _server("start")
    if done.returncode != 0:
        pytest.fail(f"cannot start the outage Neo4j on {URI}: {done.stderr[-2000:]}")


@pytest.fixture(scope="module")
def outage_neo4j() -> Iterator[str]:
    """A Neo4j of this module's own, stopped again at the end."""
    if shutil.which("java") is None:
        missing("java not found: the outage test runs its own Neo4j (scripts/neo4j-local)")
    jar = REPO / "tools" / "neo4j-local" / "target" / "neo4j-local.jar"
    if not jar.exists() and shutil.which("mvn") is None:
        missing("mvn not found and tools/neo4j-local is not built")
    _start()
    try:
        yield URI
    finally:
        _server("stop")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outage") / "demo"
    return generate_demo(folder, seed=3, today=dt.date(2026, 1, 1)).directory


def _connect() -> Neo4jBackend:
    deadline = time.monotonic() + 120
    while True:
        try:
            return Neo4jBackend.connect(URI)
        except BackendConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def _ingest(demo: Path, cwd: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KAMGRAPH_"))}
    env["NEO4J_URI"] = URI
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kamgraph",
            "ingest",
            "salesforce",
            str(demo),
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


def _fresh() -> None:
    backend = _connect()
    try:
        wipe(backend)
    finally:
        backend.close()


def _dump() -> list[str]:
    backend = _connect()
    try:
        return canonical_dump(backend)
    finally:
        backend.close()


def _node_count(backend: Neo4jBackend) -> int:
    return int(backend.read("MATCH (n) RETURN count(n) AS n")[0]["n"])


@pytest.fixture(scope="module")
def reference(
    outage_neo4j: str, demo: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[str], int]:
    """The canonical dump of one clean run, and how many nodes it made."""
    _fresh()
    clean = _ingest(demo, tmp_path_factory.mktemp("clean"))
    out, err = clean.communicate(timeout=900)
    assert clean.returncode == 0, err
    dump = _dump()
    assert len(dump) > 1000
    backend = _connect()
    try:
        return dump, _node_count(backend)
    finally:
        backend.close()


def _wait_until_part_loaded(victim: subprocess.Popen[str], nodes: int, share: float) -> None:
    """Block until the running ingest has written ``share`` of the clean run's nodes."""
    backend = _connect()
    try:
        while _node_count(backend) < nodes * share:
            assert victim.poll() is None, "the ingest finished before the server was stopped"
            time.sleep(0.1)
    finally:
        backend.close()


@pytest.mark.parametrize("restart", ["at-once", "after-the-run-gave-up"])
def test_neo4j_stopped_mid_ingest_then_rerun_equals_a_clean_run(
    reference: tuple[list[str], int], demo: Path, tmp_path: Path, restart: str
) -> None:
    expected, nodes = reference
    _fresh()
    victim = _ingest(demo, tmp_path)
    _wait_until_part_loaded(victim, nodes, 0.3)
    stopped = _server("stop")
    assert stopped.returncode == 0, stopped.stderr
    try:
        if restart == "at-once":
            _start()
            out, err = victim.communicate(timeout=900)
        else:
            # The driver retries transient errors for a bounded time, then the run must stop.
            out, err = victim.communicate(timeout=300)
            assert victim.returncode == BackendConnectionError.exit_code, err
            _start()
    except subprocess.TimeoutExpired:
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        _start()
        pytest.fail(f"the ingest neither finished nor gave up with Neo4j {restart}")
    # Either the driver's retries carried it through, or it failed cleanly with exit code 3.
    assert victim.returncode in (0, BackendConnectionError.exit_code), err
    assert "Traceback" not in err, err
    if victim.returncode != 0:
        last = err.strip().splitlines()[-1]
        assert last.startswith("error: ") and f"Neo4j at {URI}" in last, err
        assert "re-run" in last or "is the server running" in last, err
    rerun = _ingest(demo, tmp_path)
    out, err = rerun.communicate(timeout=900)
    assert rerun.returncode == 0, err
    assert _dump() == expected, "the graph after the outage and a re-run differs from a clean run"
