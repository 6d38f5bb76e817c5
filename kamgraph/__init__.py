"""kamgraph: a Neo4j knowledge graph of customer organizations for key-account management."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
