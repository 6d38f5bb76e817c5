"""Neo4j through the official driver: managed transactions, the database always named."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import neo4j
from neo4j import exceptions as neo4j_errors
from neo4j.graph import Node, Relationship

from kamgraph.backends.base import Row, WriteResult, plain
from kamgraph.errors import BackendConnectionError, ConfigError, QueryError

DEFAULT_DATABASE = "neo4j"
REPLAN_PREFIX = "CYPHER replan=force "
REPLAN_FIRST_BATCH_ROWS = 500
#: A statement is re-planned once more when a batch's time per row grew this many times over
#: its best batch so far (a plan cached while a label was nearly empty), and never again: an
#: absolute limit re-planned a third of all batches on a busy server.
REPLAN_GROWTH = 4.0
#: Batches shorter than this are never a reason to re-plan (noise on a busy machine).
REPLAN_MIN_SECONDS = 0.2

# The driver reports retries through logging; without a handler Python would print them raw.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_USERINFO = re.compile(r"^([^:/]*://)[^/@]*@")


def redact(uri: str) -> str:
    """The URI without a ``user:password@`` part, fit for messages."""
    return _USERINFO.sub(r"\1***@", uri)


def check_uri(uri: str) -> None:
    """Refuse a Neo4j URI the driver could not use, naming the setting and the fix."""
    shown = redact(uri)
    example = "write SCHEME://HOST:PORT, e.g. bolt://localhost:7687"
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in _SCHEMES:
        raise ConfigError(
            f"NEO4J_URI {shown!r} has an unsupported scheme; use one of "
            + ", ".join(f"{s}://" for s in _SCHEMES)
        )
    if shown != uri:
        raise ConfigError(
            f"NEO4J_URI {shown!r} holds a user or password; set NEO4J_USERNAME and "
            "NEO4J_PASSWORD instead (the password is read from the environment only)"
        )
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError as e:
        raise ConfigError(f"NEO4J_URI {shown!r} is not a valid URI ({e}); {example}") from None
    if not parts.hostname:
        raise ConfigError(f"NEO4J_URI {shown!r} names no host; {example}")


def _graph_value(value: Any) -> Any:
    """Nodes and relationships of an ad-hoc answer in the shape kglite gives them."""
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": dict(value)}
    if isinstance(value, Relationship):
        return {"type": value.type, "properties": dict(value)}
    if isinstance(value, list):
        return [_graph_value(v) for v in value]
    return value


class Neo4jBackend:
    """A Neo4j server, cluster or Aura instance; the driver is created once and passed in."""

    kind = "neo4j"

    def __init__(self, driver: neo4j.Driver, database: str, uri: str) -> None:
        self._driver = driver
        #: Per write statement: (best seconds per row so far, re-plans done).
        self._plans: dict[str, tuple[float, int]] = {}
        #: Per write statement: (seconds, seconds per row) of its last batch.
        self._last: dict[str, tuple[float, float]] = {}
        self.database = database
        self._uri = uri

    @classmethod
    def connect(
        cls,
        uri: str,
        *,
        username: str | None = None,
        password: str | None = None,
        database: str | None = None,
    ) -> Neo4jBackend:
        check_uri(uri)
        auth = (username or "neo4j", password) if password else None
        database = database or DEFAULT_DATABASE
        try:
            driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=15.0,
                max_transaction_retry_time=30.0,
                notifications_min_severity="OFF",
            )
        except (ValueError, neo4j_errors.ConfigurationError) as e:
            raise ConfigError(f"NEO4J_URI {uri!r} cannot be used: {e}") from None
        try:
            try:
                driver.verify_connectivity()
                driver.execute_query("RETURN 1", database_=database)
            except BaseException:
                driver.close()  # a failed connect must not leave the driver's pool open
                raise
        except neo4j_errors.AuthError as e:
            raise BackendConnectionError(
                f"Neo4j at {uri} refused the credentials of user "
                f"{username or 'neo4j'!r}; check NEO4J_USERNAME / NEO4J_PASSWORD"
            ) from e
        except (neo4j_errors.ServiceUnavailable, OSError) as e:
            raise BackendConnectionError(
                f"cannot reach Neo4j at {uri}; is the server running and the address right? "
                "(for a local test server: ./scripts/neo4j-local start)"
            ) from e
        except neo4j_errors.ClientError as e:
            raise BackendConnectionError(
                f"Neo4j at {uri} refused database {database!r}: {e.message}; "
                "set NEO4J_DATABASE to an existing database"
            ) from e
        except neo4j_errors.Neo4jError as e:
            raise BackendConnectionError(f"Neo4j at {uri} failed: {e.message}") from e
        except neo4j_errors.ConfigurationError as e:  # e.g. a Neo4j 4.x server (Bolt 4.4)
            raise BackendConnectionError(
                f"Neo4j at {uri} cannot be used: {e}; kamgraph needs Neo4j 5 or later"
            ) from e
        except ValueError as e:  # the driver could not resolve or use the address
            raise ConfigError(f"NEO4J_URI {uri!r} cannot be used: {e}") from None
        return cls(driver, database, uri)

    def describe(self) -> str:
        return f"neo4j {self._uri} database={self.database}"

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        records = self._execute(query, params, neo4j.RoutingControl.READ).records
        return [plain(dict(r)) for r in records]

    def read_only(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[Row]]:
        # A READ transaction: the server refuses any write (Neo.ClientError.Statement.AccessMode).
        result = self._execute(query, params, neo4j.RoutingControl.READ)
        rows = [{k: _graph_value(r[k]) for k in r.keys()} for r in result.records]
        return list(result.keys), [plain(row) for row in rows]

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> WriteResult:
        # Writes run while the graph grows fast (an ingest into an empty database): a plan
        # cached when a label was empty keeps scanning where an index seek is right (measured:
        # 7.6 s -> 0.5 s for one statement of a 23k-row load). Forcing a new plan costs tens of
        # ms, so it is done for a statement's first large batch, and at most once more when a
        # batch's time per row grew several-fold over the statement's best.
        rows = (params or {}).get("rows")
        n = len(rows) if isinstance(rows, list) else 0
        best, replans = self._plans.get(query, (0.0, 0))
        replan = (query not in self._plans and n >= REPLAN_FIRST_BATCH_ROWS) or (
            replans < 2 and best > 0 and self._grown(query, best)
        )
        started = time.perf_counter()
        result = self._execute(
            (REPLAN_PREFIX + query) if replan else query, params, neo4j.RoutingControl.WRITE
        )
        records, summary = result.records, result.summary
        seconds = time.perf_counter() - started
        self._note(query, seconds, n, replan)
        c = summary.counters
        return WriteResult(
            rows=[plain(dict(r)) for r in records],
            nodes_created=c.nodes_created,
            relationships_created=c.relationships_created,
            properties_set=c.properties_set,
            nodes_deleted=c.nodes_deleted,
            relationships_deleted=c.relationships_deleted,
        )

    def _grown(self, query: str, best: float) -> bool:
        """Whether the statement's last batch took REPLAN_GROWTH times its best per row."""
        last = self._last.get(query)
        return last is not None and last[0] >= REPLAN_MIN_SECONDS and last[1] > best * REPLAN_GROWTH

    def _note(self, query: str, seconds: float, n: int, replanned: bool) -> None:
        best, replans = self._plans.get(query, (0.0, 0))
        per_row = seconds / max(1, n)
        if replanned:
            replans += 1
            self._last.pop(query, None)  # judge the new plan by its own batches
        else:
            self._last[query] = (seconds, per_row)
        best = per_row if best <= 0 or (not replanned and per_row < best) else best
        self._plans[query] = (best, replans)

    def run_schema(self, statement: str) -> None:
        self._execute(statement, None, neo4j.RoutingControl.WRITE)

    def _execute(
        self, query: str, params: Mapping[str, Any] | None, routing: neo4j.RoutingControl
    ) -> neo4j.EagerResult:
        try:
            result = self._driver.execute_query(
                neo4j.Query(query),  # type: ignore[arg-type,unused-ignore]
                dict(params or {}),
                database_=self.database,
                routing_=routing,
            )
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as e:
            raise BackendConnectionError(
                f"lost the connection to Neo4j at {self._uri}; re-run when it is back "
                "(completed batches are kept, re-running is safe)"
            ) from e
        except neo4j_errors.Neo4jError as e:
            raise QueryError(f"Neo4j rejected the statement: {e.code}: {e.message}") from e
        except neo4j_errors.DriverError as e:
            raise BackendConnectionError(
                f"the Neo4j driver failed talking to {self._uri}: {e}; re-run when the server "
                "is healthy (completed batches are kept, re-running is safe)"
            ) from e
        return result

    def close(self) -> None:
        self._driver.close()
