"""Per-group forms of portfolio queries: the same Cypher, starting from the group's index.

A query that takes ``group_id=null`` opens with ``MATCH (g:Company) WHERE ... ($group_id IS
NULL OR g.account_id = $group_id)``; no planner can seek an index through that OR, so one group
costs a scan of the portfolio (measured at the bench's M size: 171-844 ms against 3-12 ms).
``cypher/by-group/<name>--by-group.cypher`` holds the same query opening with an index seek
(for the group view's ``cypher/group/`` queries, which open on the members, ``WHERE
m.group_id = $group_id``);
:func:`kamgraph.queries.run` picks it when ``group_id`` is given. Both are static files (no
query text is built at run time); ``python -m tests.by_group_forms`` regenerates them and
``tests/test_registry.py`` fails when they drift from their originals.
"""

from __future__ import annotations

from kamgraph.queries.registry import Registry

SUFFIX = "--by-group"


def variant_name(name: str, registry: Registry) -> str | None:
    """The per-group form's name, when it exists."""
    candidate = f"{name}{SUFFIX}"
    return candidate if candidate in registry else None
