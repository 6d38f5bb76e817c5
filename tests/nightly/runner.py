"""Play the scenario's nights through one reader on one backend, and keep what each night left.

A run is played once per (backend, reader) and kept for the session: the tests only read the
snapshots. Each step's failure is kept as text instead of raised, so one broken night fails the
tests about that night with its own message rather than erroring every test of the module.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from typer.testing import CliRunner

from kamgraph.backends.base import Backend
from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.ingest.pipeline import ingest

from .graph import Graph
from .scenario import ID, NIGHTS, Night
from .writers import Reader

T = TypeVar("T")

#: The group views a user opens the next morning: name -> CLI arguments after the group id.
VIEWS = {
    "map": ["map"],
    "brief": ["brief"],
    "export-json": ["export", "--format", "json"],
    "export-graphml": ["export", "--format", "graphml"],
}


@dataclass
class Step:
    """The outcome of one step: a value, or the error that stopped it."""

    value: Any = None
    error: str | None = None

    def get(self, what: str) -> Any:
        if self.error is not None:
            raise AssertionError(f"{what} failed:\n{self.error}")
        return self.value


def attempt(fn: Callable[[], T]) -> Step:
    try:
        return Step(fn())
    except Exception:
        return Step(error=traceback.format_exc(limit=6))


@dataclass
class View:
    """One CLI call: its exit code, stdout/stderr, the file it wrote (map) and any exception."""

    exit_code: int
    stdout: str
    stderr: str
    file_text: str | None
    exception: str | None

    @property
    def output(self) -> str:
        """What a reader sees: the file for the map, stdout otherwise."""
        return self.file_text if self.file_text is not None else self.stdout


@dataclass
class NightResult:
    night: Night
    folder: Path
    report: Step = field(default_factory=Step)
    graph: Step = field(default_factory=Step)
    rerun: Step = field(default_factory=Step)
    graph_after_rerun: Step = field(default_factory=Step)
    clean: Step = field(default_factory=Step)
    views: dict[tuple[str, str], View] = field(default_factory=dict)


@dataclass
class Store:
    """Where a run's graph lives: an embedded file (opened per step, so the CLI can read it)
    or the shared Neo4j database."""

    kind: str
    path: Path
    neo4j: Backend | None = None
    neo4j_uri: str | None = None

    @contextmanager
    def open(self) -> Iterator[Backend]:
        if self.neo4j is not None:
            yield self.neo4j
            return
        backend = EmbeddedBackend.open(self.path)
        try:
            yield backend
        finally:
            backend.close()

    def cli_env(self) -> dict[str, str]:
        if self.neo4j is not None:
            assert self.neo4j_uri
            return {"NEO4J_URI": self.neo4j_uri, "KAMGRAPH_STORE": ""}
        return {"KAMGRAPH_STORE": str(self.path), "NEO4J_URI": ""}


def next_morning(night: Night) -> str:
    """The day a user looks at the graph after ``night``."""
    import datetime as dt

    return (dt.date.fromisoformat(night.day) + dt.timedelta(days=1)).isoformat()


def run_view(store: Store, group: str, view: str, night: Night, out: Path) -> View:
    from kamgraph.cli.app import app

    args = [*VIEWS[view], ID[group], "--as-of", next_morning(night)]
    target = None
    if view == "map":
        target = out / f"map-{group}-night{night.number}.html"
        args += ["-o", str(target)]
    result = CliRunner().invoke(app, args, env=store.cli_env())
    exception = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exception = "".join(
            traceback.format_exception(result.exception, limit=-3)  # the innermost frames
        )
    file_text = target.read_text(encoding="utf-8") if target and target.exists() else None
    return View(result.exit_code, result.stdout, result.stderr, file_text, exception)


def ingest_night(backend: Backend, reader: Reader, night: Night, folder: Path, *,
                 rerun: bool = False) -> dict[str, Any]:  # fmt: skip
    now = night.now.replace(hour=3) if rerun else night.now
    report = ingest(backend, reader.source, folder, now=now, full=night.full,
                    options=reader.options(folder))  # fmt: skip
    summary = report.as_dict()
    summary["rejects"] = [f"{Path(r.file).name}:{r.line} [{r.field}] {r.reason}"
                          for r in report.rejects]  # fmt: skip
    return summary


def play(
    store: Store, reader: Reader, work: Path, *, wipe: Callable[[], None]
) -> list[NightResult]:
    """All nights in order on ``store``; then, per night, a clean load into an empty store."""
    results: list[NightResult] = []
    for night in NIGHTS:
        folder = reader.write(night, work / reader.name / f"night{night.number}")
        res = NightResult(night, folder)
        results.append(res)
        with store.open() as backend:
            res.report = attempt(partial(ingest_night, backend, reader, night, folder))
            res.graph = attempt(partial(Graph.read, backend))
            res.rerun = attempt(partial(ingest_night, backend, reader, night, folder, rerun=True))
            res.graph_after_rerun = attempt(partial(Graph.read, backend))
        for group in night.groups:
            for view in VIEWS:
                res.views[(group, view)] = run_view(store, group, view, night, work)
    for res in results:
        res.clean = attempt(partial(clean_load, store, reader, res, work, wipe))
    return results


def clean_load(
    store: Store, reader: Reader, res: NightResult, work: Path, wipe: Callable[[], None]
) -> Graph:
    """The night's export loaded into an empty store, as a first load."""
    if store.neo4j is not None:
        wipe()
        empty = store
    else:
        empty = Store("embedded", work / f"clean-{reader.name}-night{res.night.number}.kgl")
    with empty.open() as backend:
        ingest_night(backend, reader, res.night, res.folder)
        return Graph.read(backend)
