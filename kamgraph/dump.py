"""A canonical dump of the graph: the same data gives the same lines on any backend and run.

Provenance that differs between runs by design (run ids, timestamps) and bookkeeping nodes are
left out, so two graphs built from the same exports compare equal line by line.
"""

from __future__ import annotations

import json
from typing import Any

from kamgraph.backends.base import Backend
from kamgraph.queries import statement
from kamgraph.schema.model import BOOKKEEPING_LABELS, NODE_KEYS

#: Properties that name the run or the moment of writing, not the data.
RUN_PROPERTIES = frozenset(
    {
        "run_id",
        "first_run_id",
        "created_at",
        "updated_at",
        "hierarchy_run_id",
        "hierarchy_updated_at",
    }
)
#: kglite adds its structural fields to properties(); kamgraph never stores these names.
ENGINE_FIELDS = frozenset({"id", "title", "type"})


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in sorted(props.items())
        if k not in RUN_PROPERTIES and k not in ENGINE_FIELDS and v is not None
    }


def _identity(labels: list[str], props: dict[str, Any]) -> str:
    for label in sorted(labels):
        key = NODE_KEYS.get(label)
        if key and key in props:
            return f"{label}:{props[key]}"
    return json.dumps(_clean(props), sort_keys=True, ensure_ascii=False, default=str)


def canonical_dump(backend: Backend) -> list[str]:
    """Sorted JSON lines, one per node and relationship."""
    lines: list[str] = []
    for row in backend.read(statement("dump-nodes").text):
        labels = sorted(row["labels"])
        if set(labels) & BOOKKEEPING_LABELS:
            continue
        lines.append(
            json.dumps(
                {"node": labels, "props": _clean(row["props"])},
                sort_keys=True, ensure_ascii=False, default=str,
            )
        )
    for row in backend.read(statement("dump-relationships").text):
        if set(row["start_labels"]) & BOOKKEEPING_LABELS:
            continue
        lines.append(
            json.dumps(
                {
                    "rel": row["type"],
                    "from": _identity(row["start_labels"], row["start_props"]),
                    "to": _identity(row["end_labels"], row["end_props"]),
                    "props": _clean(row["props"]),
                },
                sort_keys=True, ensure_ascii=False, default=str,
            )
        )
    return sorted(lines)
