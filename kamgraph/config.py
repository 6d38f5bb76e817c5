"""Where kamgraph keeps its data: settings read from flags and the environment, never logged."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_STORE = Path(".kamgraph") / "graph.kgl"


@dataclass(frozen=True)
class Settings:
    """Connection settings. ``neo4j_uri`` set means Neo4j; otherwise the embedded store."""

    neo4j_uri: str | None = None
    neo4j_username: str | None = None
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str | None = None
    store: Path = DEFAULT_STORE

    @property
    def backend_kind(self) -> str:
        return "neo4j" if self.neo4j_uri else "embedded"

    @classmethod
    def from_env(
        cls,
        *,
        neo4j_uri: str | None = None,
        neo4j_username: str | None = None,
        neo4j_password: str | None = None,
        neo4j_database: str | None = None,
        store: Path | str | None = None,
        environ: dict[str, str] | None = None,
    ) -> Settings:
        """Flags beat the environment; empty strings count as unset."""
        env = os.environ if environ is None else environ

        def pick(flag: str | None, name: str) -> str | None:
            value = flag if flag not in (None, "") else env.get(name)
            return value or None

        store_value = pick(str(store) if store is not None else None, "KAMGRAPH_STORE")
        return cls(
            neo4j_uri=pick(neo4j_uri, "NEO4J_URI"),
            neo4j_username=pick(neo4j_username, "NEO4J_USERNAME"),
            neo4j_password=pick(neo4j_password, "NEO4J_PASSWORD"),
            neo4j_database=pick(neo4j_database, "NEO4J_DATABASE"),
            store=Path(store_value) if store_value else DEFAULT_STORE,
        )
