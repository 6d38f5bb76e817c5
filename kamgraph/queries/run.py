"""Run a named query: bind parameters, execute on a backend, finish in Python where Cypher can't."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from kamgraph.backends.base import Backend, Row
from kamgraph.queries.registry import USER_AREA, CypherQuery, Registry, default_registry

#: Areas whose queries users run with ``kamgraph query``; the others serve ingestion and maps.
PUBLIC_AREAS = ("analytics", USER_AREA)

PostProcessor = Callable[[list[Row], dict[str, Any]], list[Row]]
_POST: dict[str, PostProcessor] = {}


def post_processor(name: str) -> Callable[[PostProcessor], PostProcessor]:
    """Register the Python step that finishes query ``name`` (for what portable Cypher lacks)."""

    def register(fn: PostProcessor) -> PostProcessor:
        _POST[name] = fn
        return fn

    return register


def statement(name: str, registry: Registry | None = None) -> CypherQuery:
    """The registered query ``name`` (any area)."""
    return (registry or default_registry()).get(name)


def run(
    backend: Backend,
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    today: dt.date | None = None,
    registry: Registry | None = None,
    live: bool = False,
) -> list[Row]:
    """Run query ``name`` with ``params`` on ``backend`` and return its rows.

    Portfolio procurement-links and cross-sell-gaps are read from maintained findings when
    they hold (kamgraph/queries/findings.py); ``live`` always runs the Cypher."""
    from kamgraph.queries.finish import load_all

    load_all()
    from kamgraph.queries.by_group import variant_name

    reg = registry or default_registry()
    query = statement(name, reg)
    bound = query.bind(params or {}, today=today)
    text = query.text
    if bound.get("group_id") is not None:
        # The same query opening with an index seek on the group (see queries/by_group.py).
        variant = variant_name(name, reg)
        if variant is not None:
            text = reg.get(variant).text
    from kamgraph.queries import findings

    maintained = findings.maintained_rows(backend, query, bound, live=live)
    if maintained is None:
        rows = backend.read(text, bound)
    else:
        rows = maintained
    finish = _POST.get(name)
    if finish is not None and "currency" in bound:
        # A money query: its finishing step converts the amounts (kamgraph/money.py).
        from kamgraph import money

        conversion = money.conversion_for(backend, bound["currency"], rows)
        given = {"currency": conversion.base, money.CONVERSION_PARAM: conversion}
        rows = finish(rows, bound | given)
    elif finish is not None:
        rows = finish(rows, bound)
    if query.area in PUBLIC_AREAS:
        from kamgraph.queries.names import add_names

        rows = add_names(backend, rows)
    return rows


def list_queries(registry: Registry | None = None) -> list[CypherQuery]:
    """The user-facing queries, by name."""
    reg = registry or default_registry()
    return [q for q in reg if q.area in PUBLIC_AREAS]
