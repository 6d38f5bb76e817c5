"""Named queries over the graph: the registry of ``cypher/`` files and the Python that runs them."""

from __future__ import annotations

from kamgraph.queries.registry import CypherQuery, Registry, default_registry
from kamgraph.queries.run import list_queries, run, statement

__all__ = ["CypherQuery", "Registry", "default_registry", "list_queries", "run", "statement"]
