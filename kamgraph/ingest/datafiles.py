"""The data tables kamgraph ships (kamgraph/data/*.csv; sources in kamgraph/data/README.md)."""

from __future__ import annotations

import csv
import io
from importlib import resources


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of ``kamgraph/data/<name>`` (a UTF-8 CSV with a header) as dicts."""
    text = (resources.files("kamgraph") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))
