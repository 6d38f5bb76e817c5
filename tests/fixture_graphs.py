"""Loading the small hand-written fixture folders under tests/data/ into a backend."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from kamgraph.backends.base import Backend
from kamgraph.ingest.pipeline import RunReport, ingest
from kamgraph.schema import apply_schema

from .conftest import DATA

#: The run time fixtures are loaded at, so dates stamped by ingestion are known in advance.
LOADED_AT = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)


def load_folder(
    backend: Backend, name: str, *, now: dt.datetime = LOADED_AT, folder: Path | None = None
) -> list[RunReport]:
    """Ingest ``tests/data/<name>`` (or ``folder``): its Salesforce CSVs, then notes.csv and
    policies.csv when present. Returns the run reports."""
    where = folder or DATA / name
    apply_schema(backend)
    reports = [ingest(backend, "salesforce", where, now=now)]
    for source in ("notes", "policies"):
        path = where / f"{source}.csv"
        if path.is_file():
            reports.append(ingest(backend, source, path, now=now))
    return reports


def fixture_ids(name: str) -> dict[str, str]:
    """Short names of a fixture folder (from its ids.json) -> their 18-character ids."""
    return json.loads((DATA / name / "ids.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]
