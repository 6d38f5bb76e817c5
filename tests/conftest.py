"""Shared fixtures: a fresh graph per test on each backend, and the small Salesforce fixture.

Neo4j tests use NEO4J_URI (``./scripts/neo4j-local start`` provides one). Without a reachable
Neo4j they skip with the reason; under CI=true they fail instead, so CI can't go green by
skipping.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kamgraph.backends.base import Backend
from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.errors import KamgraphError

DATA = Path(__file__).parent / "data"
SF_SMALL = DATA / "sf_small"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(reason: str) -> None:
    """Skip locally, fail in CI: a missing dependency must not pass as green."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing dependency is a failure)")
    pytest.skip(reason)


_neo4j_error: str | None = None
_neo4j_backend: Any = None


def neo4j_backend() -> Backend:
    """One driver for the whole session (connecting is the slow part)."""
    global _neo4j_error, _neo4j_backend
    if _neo4j_backend is not None:
        return _neo4j_backend  # type: ignore[no-any-return]
    uri = os.environ.get("KAMGRAPH_TEST_NEO4J_URI") or os.environ.get("NEO4J_URI")
    if not uri:
        missing("no Neo4j: set NEO4J_URI (./scripts/neo4j-local start prints it)")
    if _neo4j_error:
        missing(_neo4j_error)
    from kamgraph.backends.neo4j import Neo4jBackend

    try:
        _neo4j_backend = Neo4jBackend.connect(
            uri,  # type: ignore[arg-type]
            username=os.environ.get("NEO4J_USERNAME"),
            password=os.environ.get("NEO4J_PASSWORD"),
            database=os.environ.get("NEO4J_DATABASE"),
        )
    except KamgraphError as e:
        _neo4j_error = f"Neo4j not reachable: {e}"
        missing(_neo4j_error)
    return _neo4j_backend  # type: ignore[no-any-return]


def wipe(backend: Backend) -> None:
    backend.write("MATCH (n) DETACH DELETE n")


@pytest.fixture(scope="session", autouse=True)
def _close_neo4j() -> Iterator[None]:
    yield
    if _neo4j_backend is not None:
        _neo4j_backend.close()


def make_backend(kind: str, tmp_path: Path) -> Backend:
    if kind == "neo4j":
        backend = neo4j_backend()
        wipe(backend)
        return backend
    return EmbeddedBackend.open(tmp_path / "store.kgl")


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """A fresh, empty graph on each backend."""
    b = make_backend(request.param, tmp_path)
    yield b
    if request.param == "embedded":
        b.close()


@pytest.fixture
def neo4j(tmp_path: Path) -> Backend:
    """The Neo4j backend alone, wiped."""
    return make_backend("neo4j", tmp_path)


@pytest.fixture(scope="session")
def sf_ids() -> dict[str, str]:
    """Short names of the sf_small fixture (A0, A1a, o1...) -> their 18-character ids."""
    return json.loads((SF_SMALL / "ids.json").read_text())  # type: ignore[no-any-return]
