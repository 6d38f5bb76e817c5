"""Your own questions: one Cypher statement, run read-only on either backend.

Two locks keep an ad-hoc statement from changing the graph. First :func:`check_read_only`
reads the statement (string literals, comments and backticked names left out) and refuses the
clauses that write: ``CREATE``, ``MERGE``, ``SET``, ``DELETE``, ``REMOVE``, ``DETACH``,
``DROP``, ``FOREACH``, ``LOAD CSV``, ``CALL { ... IN TRANSACTIONS }``, administration commands,
and ``CALL`` of a procedure that is not on the read list. Then the store runs it in a read-only
transaction (Neo4j's READ access mode; kglite's ``begin_read``), which refuses a write the
first check missed. Values travel as ``$parameters``, never as query text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from kamgraph.backends.base import Backend, Row
from kamgraph.errors import InvalidValueError, QueryError
from kamgraph.queries.registry import strip_strings

#: Clauses that change the graph, the schema or the server; refused anywhere in a statement.
WRITE_CLAUSES = (
    "CREATE", "MERGE", "SET", "DELETE", "REMOVE", "DETACH", "DROP", "FOREACH", "ALTER",
    "GRANT", "DENY", "REVOKE", "RENAME", "TERMINATE", "START", "STOP", "ENABLE",
)  # fmt: skip
#: Procedures an ad-hoc statement may CALL: they only read the schema.
READ_PROCEDURES = frozenset(
    {"db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization"}
)
_WORD = re.compile(r"(?<![\w.$:`])([A-Za-z_][A-Za-z0-9_]*)(?![\w`])(?!\s*:(?!:))")
_CALL = re.compile(r"\bCALL\s+(\{|[A-Za-z_][\w.]*)", re.IGNORECASE)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
_IN_TRANSACTIONS = re.compile(r"\bIN\s+TRANSACTIONS\b", re.IGNORECASE)


def _code_only(text: str) -> str:
    """``text`` without string literals, comments and backticked names (which may say SET)."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.DOTALL)
    text = strip_strings(text)
    return re.sub(r"`[^`]*`", "``", text)


def check_read_only(text: str) -> None:
    """Refuse a statement that writes, or more than one statement, naming what was found."""
    code = _code_only(text)
    if ";" in code.strip().rstrip(";"):
        raise QueryError("give one Cypher statement at a time (found a ';' between two)")
    found = [w.upper() for w in _WORD.findall(code) if w.upper() in WRITE_CLAUSES]
    if _LOAD_CSV.search(code):
        found.append("LOAD CSV")
    if _IN_TRANSACTIONS.search(code):
        found.append("CALL { ... } IN TRANSACTIONS")
    for call in _CALL.findall(code):
        if call != "{" and call.lower() not in READ_PROCEDURES:
            found.append(f"CALL {call}")
    if found:
        clauses = ", ".join(dict.fromkeys(found))
        raise QueryError(
            f"refused: the statement writes or calls a procedure ({clauses}); ad-hoc questions "
            "only read the graph (loading goes through `kamgraph ingest`)"
        )


def adhoc_params(given: Mapping[str, str]) -> dict[str, Any]:
    """Command-line values as parameters: a JSON literal (12, 1.5, true, null, [..]) is read
    as one; anything else stays text. Quote a number that is an id: ``id='"0042"'``."""
    out: dict[str, Any] = {}
    for key, value in given.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise InvalidValueError(f"parameter name {key!r} is not a Cypher identifier")
        try:
            out[key] = json.loads(value)
        except ValueError:
            out[key] = value
    return out


def ask(
    backend: Backend, text: str, params: Mapping[str, Any] | None = None
) -> tuple[list[str], list[Row]]:
    """Run one read-only statement; its columns (also for no rows) and rows."""
    check_read_only(text)
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", _code_only(text)))
    missing = sorted(used - set(params or {}))
    if missing:
        raise InvalidValueError(
            f"the statement uses ${', $'.join(missing)}; give a value for each parameter"
        )
    return backend.read_only(text, params)
