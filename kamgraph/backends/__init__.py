"""Graph stores behind one interface: Neo4j in production, kglite embedded by default."""

from __future__ import annotations

from kamgraph.backends.base import Backend, WriteResult
from kamgraph.config import Settings


def open_backend(settings: Settings, *, write: bool = True, wait: float = 0.0) -> Backend:
    """Open the backend the settings select.

    ``write=False`` lets a reader open the embedded store while a writer holds it (it sees the
    last published snapshot). ``wait`` is how long to wait for another writer to finish.
    """
    if settings.neo4j_uri:
        from kamgraph.backends.neo4j import Neo4jBackend

        return Neo4jBackend.connect(
            settings.neo4j_uri,
            username=settings.neo4j_username,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
        )
    from kamgraph.backends.embedded import EmbeddedBackend

    return EmbeddedBackend.open(settings.store, write=write, wait=wait)


__all__ = ["Backend", "WriteResult", "open_backend"]
