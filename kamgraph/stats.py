"""Counts of what the graph holds, per label and relationship type."""

from __future__ import annotations

from typing import Any

from kamgraph.backends.base import Backend
from kamgraph.queries import statement
from kamgraph.schema.model import BOOKKEEPING_LABELS


def graph_stats(backend: Backend) -> dict[str, Any]:
    """``{"nodes": {label: n}, "relationships": {type: n}, "runs": n}``, sorted by name.

    Ingest-run records are bookkeeping: counted under ``runs``, not ``nodes``, so re-running
    an ingestion leaves ``nodes`` and ``relationships`` identical.
    """
    nodes: dict[str, int] = {}
    runs = 0
    for row in backend.read(statement("node-counts").text):
        if row["label"] == "IngestRun":
            runs += int(row["count"])
        elif row["label"] in BOOKKEEPING_LABELS:
            continue
        else:
            nodes[row["label"]] = int(row["count"])
    rels = {
        row["type"]: int(row["count"])
        for row in backend.read(statement("relationship-counts").text)
    }
    return {
        "nodes": dict(sorted(nodes.items())),
        "relationships": dict(sorted(rels.items())),
        "runs": runs,
    }
