"""hierarchy-issues: rank the issues by severity and confidence; leave out reference pairs.

Two companies that one reference source (GLEIF, an Exhibit 21 list, D&B) lists side by side
are two legal entities, whatever their names: such a pair is a duplicate only with a shared id.
"""

from __future__ import annotations

from typing import Any

from kamgraph.backends.base import Row
from kamgraph.ingest.families import REFERENCE_SOURCES
from kamgraph.queries.run import post_processor

SEVERITY = ("high", "medium", "low")


def _listed_side_by_side(row: Row) -> bool:
    return (
        row["issue"] == "probable_duplicate"
        and row["source"] == row["other_source"]
        and row["source"] in REFERENCE_SOURCES
        and not _shares_id(row)
    )


def _shares_id(row: Row) -> bool:
    return any(f"same {kind}" in row["evidence"] for kind in ("LEI", "DUNS", "CIK", "registration"))


@post_processor("hierarchy-issues")
def hierarchy_issues(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    kept = [r for r in rows if not _listed_side_by_side(r)]
    # sorted() is stable: within one severity and confidence, the query's own order stays.
    return sorted(kept, key=lambda r: (SEVERITY.index(r["severity"]), -float(r["confidence"])))
