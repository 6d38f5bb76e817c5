"""The graph model and the per-backend constraints and indexes that enforce it."""

from __future__ import annotations

from kamgraph.schema.apply import apply_schema, schema_statements
from kamgraph.schema.model import NODE_KEYS, RELATIONSHIPS, check_label, check_relationship

__all__ = [
    "NODE_KEYS",
    "RELATIONSHIPS",
    "apply_schema",
    "check_label",
    "check_relationship",
    "schema_statements",
]
