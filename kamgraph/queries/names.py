"""Names beside ids: every account, contact and rep id a query lists gets its name beside it.

One rule for every user-facing query (kamgraph.queries.run applies it after the finishing
step), so no query has to remember it:

- a field ``X_id`` holding such an id gets ``X_name`` after it (unless the row has one);
- a list of such ids under ``X`` gets the list of their names under ``X_names`` (``won`` ->
  ``won_names``; see kamgraph.display.names_key);
- a record in a list (``{"contact_id": ..., "role": ...}``) gets ``name``.

A field that holds such an id in any row gets its name field in every row (null, or an empty
list, where there is nothing to name), so JSON and CSV columns stay the same row to row. Deal,
policy and other ids are not names people look for and are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kamgraph.backends.base import Backend, Row
from kamgraph.display import name_key, names_key


def _id_lists(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _candidates(rows: list[Row]) -> Iterator[str]:
    for row in rows:
        for key, value in row.items():
            if key.endswith("_id") and isinstance(value, str):
                yield value
            elif _id_lists(value):
                yield from value
            elif _records(value):
                for record in value:
                    yield from (
                        v for k, v in record.items() if k.endswith("_id") and isinstance(v, str)
                    )


def _record_id(record: dict[str, Any], names: dict[str, str | None]) -> str | None:
    return next((v for k, v in record.items() if k.endswith("_id") and v in names), None)


def add_names(backend: Backend, rows: list[Row]) -> list[Row]:
    """``rows`` with the names of the account, contact and rep ids they list beside them."""
    from kamgraph.queries.run import statement

    wanted = sorted(set(_candidates(rows)))
    if not wanted:
        return rows
    names: dict[str, str | None] = {
        r["id"]: r["name"] for r in backend.read(statement("names-of").text, {"ids": wanted})
    }
    if not names:
        return rows
    scalars, lists, records = set(), set(), set()
    for row in rows:
        for key, value in row.items():
            if key.endswith("_id") and value in names:
                scalars.add(key)
            elif _id_lists(value) and any(v in names for v in value):
                lists.add(key)
            elif _records(value) and any(_record_id(r, names) for r in value):
                records.add(key)
    out = []
    for row in rows:
        named: Row = {}
        for key, value in row.items():
            named[key] = value
            if key in scalars and name_key(key) not in row:
                named[name_key(key)] = (
                    (names.get(value) or value) if isinstance(value, str) else None
                )
            elif key in lists and names_key(key) not in row:
                named[names_key(key)] = [names.get(v) or v for v in value or []]
            elif key in records:
                named[key] = [
                    r
                    if "name" in r or not _record_id(r, names)
                    else r | {"name": names.get(_record_id(r, names) or "")}
                    for r in value or []
                ]
        out.append(named)
    return out
