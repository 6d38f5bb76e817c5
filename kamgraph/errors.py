"""The one exception hierarchy of kamgraph: every expected failure is a KamgraphError."""

from __future__ import annotations


class KamgraphError(Exception):
    """Root of every error kamgraph raises on purpose; the CLI prints its message, no traceback."""

    exit_code = 1


class ConfigError(KamgraphError):
    """A setting, flag or environment variable is missing or invalid."""

    exit_code = 2


class BackendConnectionError(KamgraphError):
    """The graph store could not be reached or refused the credentials."""

    exit_code = 3


class StoreLockedError(KamgraphError):
    """Another process holds the write lock on the store or database."""

    exit_code = 4


class InputDataError(KamgraphError):
    """An input file cannot be read at all (rows with bad values are rejected, not raised)."""

    exit_code = 5


class QueryError(KamgraphError):
    """A named query is unknown, got bad parameters, or failed in the backend."""

    exit_code = 6


class CypherRegistryError(KamgraphError):
    """A file under cypher/ is malformed or duplicates another query's name."""

    exit_code = 7


class NotFoundError(KamgraphError):
    """A company, group or other object named on the command line does not exist."""

    exit_code = 8
