"""Constraints and indexes: the only per-backend Cypher, kept here and nowhere else."""

from __future__ import annotations

from kamgraph.backends.base import Backend
from kamgraph.schema.model import NODE_KEYS, check_label

#: (label, property) pairs that queries look up often enough to index.
INDEXED: tuple[tuple[str, str], ...] = (
    ("Company", "group_id"),
    ("Company", "name_key"),
    ("Company", "lei"),
    ("Company", "duns"),
    ("Company", "registration_code"),
    ("Company", "cik"),
    ("Company", "industry"),
    ("Company", "match_proposal"),
    ("Deal", "status"),
    ("Contact", "name"),
    ("PendingLink", "owner"),
    ("PendingLink", "run_id"),
    ("FxRate", "currency"),
)


def schema_statements(backend_kind: str) -> list[str]:
    """The idempotent DDL for a backend kind (``neo4j`` or ``embedded``)."""
    statements: list[str] = []
    for label, key in sorted(NODE_KEYS.items()):
        check_label(label)
        name = f"{label.lower()}_{key}_unique"
        statements.append(
            f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:`{label}`) REQUIRE n.`{key}` IS UNIQUE"
        )
    for label, prop in INDEXED:
        check_label(label)
        if backend_kind == "neo4j":
            statements.append(
                f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS "
                f"FOR (n:`{label}`) ON (n.`{prop}`)"
            )
        else:
            # kglite names indexes itself; a user-given name is not kept.
            statements.append(f"CREATE INDEX IF NOT EXISTS FOR (n:`{label}`) ON (n.`{prop}`)")
    return statements


def apply_schema(backend: Backend) -> int:
    """Apply every constraint and index; safe to run any number of times. Returns the count."""
    statements = schema_statements(backend.kind)
    for statement in statements:
        backend.run_schema(statement)
    return len(statements)
