"""Ids given as query parameters must name something loaded: an unknown one is not "no rows".

``kamgraph query cross-sell-gaps --param group_id=NOPE`` used to answer an empty table, while
``map NOPE`` said the company is not loaded. :func:`check_ids` gives every query the same
answer as the other commands: :class:`~kamgraph.errors.NotFoundError` (exit 8) naming the
parameter. The table below says which parameters name what; it is the one place to extend.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kamgraph.backends.base import Backend
from kamgraph.errors import NotFoundError
from kamgraph.queries.run import run

_LOADED = "`kamgraph stats` shows what is loaded"


def _group(backend: Backend, value: str) -> str | None:
    rows = run(backend, "group-of", {"account_id": value})
    if not rows:
        return f"no company with id {value!r}"
    if rows[0]["group_id"] != value:
        return (
            f"{value!r} is a member of the group {rows[0]['group_id']!r} "
            f"({rows[0]['group_name']}), not a group's top company; give that group id"
        )
    return None


def _deal(backend: Backend, value: str) -> str | None:
    found = run(backend, "deal-exists", {"deal_id": value})
    return None if found else f"no deal with id {value!r}"


def _target(backend: Backend, value: str) -> str | None:
    if run(backend, "group-of", {"account_id": value}):
        return None
    if run(backend, "contact-exists", {"contact_id": value}):
        return None
    return f"no company or contact with id {value!r}"


#: Parameter name -> the check of the id it holds (a message when it names nothing loaded).
ID_PARAMETERS: dict[str, Callable[[Backend, str], str | None]] = {
    "group_id": _group,
    "deal_id": _deal,
    "target": _target,
}


def check_ids(backend: Backend, query: str, bound: Mapping[str, Any]) -> None:
    """Raise NotFoundError when a bound id parameter of ``query`` names nothing loaded."""
    for name, check in ID_PARAMETERS.items():
        value = bound.get(name)
        if value is None:
            continue
        problem = check(backend, str(value))
        if problem is not None:
            raise NotFoundError(f"query {query!r}: parameter {name}: {problem}; {_LOADED}")
