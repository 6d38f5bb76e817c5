"""The Neo4j driver as production uses it: ``neo4j://`` routing URIs, and Bolt packed by the
Rust extension where it is installed or by pure Python where not — the same graph either way.

``scripts/test`` runs these on both Neo4j legs (5.26 LTS and the newest calendar release).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import requires, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from typer.testing import CliRunner

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.backends.bolt import driver_description, rust_extension_active
from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.backends.neo4j import Neo4jBackend
from kamgraph.cli import app
from kamgraph.dump import canonical_dump
from kamgraph.ingest.pipeline import ingest
from kamgraph.schema import apply_schema

from .conftest import SF_SMALL, neo4j_backend, wipe

AS_OF = "2025-06-30"
# Reads parameters of several types (text, date, list) and returns numbers, dates and lists.
QUERY = "procurement-links"


def _load(backend: Backend) -> None:
    apply_schema(backend)
    ingest(backend, "salesforce", SF_SMALL)


def _answer(backend: Backend) -> list[str]:
    rows = queries.run(backend, QUERY, {"as_of": AS_OF})
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)


def _requirement(name: str) -> Requirement:
    """kamgraph's own (not an extra's) requirement on ``name``, as installed."""
    found = [
        Requirement(r)
        for r in requires("kamgraph") or []
        if Requirement(r).name == name and "extra" not in str(Requirement(r).marker or "")
    ]
    assert len(found) == 1, found
    return found[0]


def _routing_uri() -> str:
    neo4j_backend()  # skips (locally) or fails (CI) without a server
    uri = os.environ.get("KAMGRAPH_TEST_NEO4J_URI") or os.environ["NEO4J_URI"]
    return "neo4j://" + uri.split("://", 1)[1]


def test_rust_extension_is_pinned_to_the_driver_and_active_where_it_is_a_dependency() -> None:
    driver, ext = _requirement("neo4j"), _requirement("neo4j-rust-ext")
    assert str(driver.specifier) == f"=={version('neo4j')}"
    assert str(ext.specifier) == f"=={version('neo4j')}.0"
    assert ext.marker is not None
    if ext.marker.evaluate():  # a wheel exists here: the default install must use it
        assert rust_extension_active()
        assert driver_description() == (
            f"neo4j driver {version('neo4j')}, Rust extension {version('neo4j-rust-ext')}"
        )
    else:
        assert ("Rust extension" in driver_description()) == rust_extension_active()


_PURE_PYTHON_CHILD = """
import sys
sys.modules["neo4j._rust"] = None  # as if neo4j-rust-ext were not installed
import json
from pathlib import Path
from kamgraph.backends.bolt import driver_description, rust_extension_active
from kamgraph.backends.neo4j import Neo4jBackend
from kamgraph.dump import canonical_dump
from tests.test_neo4j_driver import _answer, _load

backend = Neo4jBackend.connect(sys.argv[1])
backend.write("MATCH (n) DETACH DELETE n")
_load(backend)
out = {"rust": rust_extension_active(), "driver": driver_description(),
       "dump": canonical_dump(backend), "answer": _answer(backend)}
backend.close()
print(json.dumps(out))
"""


@pytest.mark.neo4j
@pytest.mark.slow
def test_without_the_rust_extension_the_driver_falls_back_and_writes_the_same_graph(
    tmp_path: Path,
) -> None:
    uri = _routing_uri().replace("neo4j://", "bolt://", 1)
    done = subprocess.run(
        [sys.executable, "-c", _PURE_PYTHON_CHILD, uri],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parent.parent,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    pure = json.loads(done.stdout.splitlines()[-1])
    assert pure["rust"] is False
    assert pure["driver"].endswith("pure-Python Bolt (no neo4j-rust-ext)")
    # This process packs with whatever is installed (the Rust extension by default).
    neo = neo4j_backend()
    wipe(neo)
    _load(neo)
    embedded = EmbeddedBackend.open(tmp_path / "store.kgl")
    _load(embedded)
    try:
        assert pure["answer"], f"{QUERY} found nothing in sf_small: the check would be empty"
        assert pure["dump"] == canonical_dump(neo) == canonical_dump(embedded)
        assert pure["answer"] == _answer(neo) == _answer(embedded)
    finally:
        embedded.close()


@pytest.mark.neo4j
def test_routing_uri_connects_ingests_and_answers_like_bolt(tmp_path: Path) -> None:
    """neo4j:// fetches a routing table from the server and sends reads and writes where it says."""
    bolt = neo4j_backend()
    wipe(bolt)
    routed = Neo4jBackend.connect(_routing_uri())
    try:
        _load(routed)
        routed_answer = _answer(routed)
        routed_dump = canonical_dump(routed)
        # The driver kept a routing table naming this very server (its advertised address).
        table = routed._driver._pool.routing_tables[routed.database]  # type: ignore[attr-defined]
        port = int(_routing_uri().rsplit(":", 1)[1])
        assert {a.port for a in (*table.routers, *table.readers, *table.writers)} == {port}
    finally:
        routed.close()
    assert routed_answer
    assert routed_dump == canonical_dump(bolt)
    assert routed_answer == _answer(bolt)
    embedded = EmbeddedBackend.open(tmp_path / "store.kgl")
    try:
        _load(embedded)
        assert routed_answer == _answer(embedded)
    finally:
        embedded.close()


@pytest.mark.neo4j
def test_cli_names_the_driver_and_its_bolt_packer(tmp_path: Path) -> None:
    neo4j_backend()
    result = CliRunner().invoke(
        app,
        ["--neo4j-uri", _routing_uri(), "stats", "--format", "json"],
        env={"NEO4J_PASSWORD": "", "KAMGRAPH_STORE": str(tmp_path / "unused.kgl")},
    )
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stderr.splitlines() if x.startswith("kamgraph: using neo4j"))
    assert line.endswith(f"({driver_description()})"), line
