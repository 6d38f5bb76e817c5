"""Query benchmark: p50/p95 of every registered analytics query on Neo4j and embedded, per group
and portfolio-wide, and DuckDB over the CSVs for procurement-links and cross-sell-gaps."""

from __future__ import annotations

import hashlib
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import neo4j

from bench.generate import TODAY, Manifest
from kamgraph import queries
from kamgraph.backends.base import Backend, Row, WriteResult, plain
from kamgraph.queries import findings

#: Repetitions: per-group queries are cheap, portfolio-wide ones may not be.
GROUP_RUNS = 15
PORTFOLIO_RUNS = 5
#: Stop repeating a measurement once it has used this many seconds (after 2 runs); a query
#: whose first run alone takes longer is reported from that single run.
BUDGET_S = 20.0
#: A single query run is abandoned (and reported as a timeout) after this many seconds.
TIMEOUT_S = 60.0
#: The embedded store runs in a child process capped to this address space and wall time.
EMBEDDED_MEMORY_GIB = 8
CHILD_TIMEOUT_S = 150.0


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timed(fn: Callable[[], Any], runs: int) -> tuple[dict[str, Any], Any]:
    """Run ``fn`` (once to warm up, then up to ``runs`` times); p50/p95 in milliseconds."""
    first = time.perf_counter()
    result = fn()
    warm_ms = (time.perf_counter() - first) * 1000
    samples: list[float] = []
    spent = warm_ms / 1000
    if warm_ms > BUDGET_S * 1000:
        # Too slow to repeat within the budget: report the single (cold) run as it is.
        samples.append(warm_ms)
        runs = 1
    while len(samples) < runs and (len(samples) < 2 or spent < BUDGET_S):
        t = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t
        samples.append(dt * 1000)
        spent += dt
    return {
        "runs": len(samples),
        "first_ms": round(warm_ms, 2),
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(_percentile(samples, 95), 2),
    }, result


def canonical(rows: list[dict[str, Any]]) -> str:
    def norm(v: Any) -> Any:
        if isinstance(v, float):
            return round(v, 2)
        if isinstance(v, dict):
            return {k: norm(x) for k, x in sorted(v.items())}
        if isinstance(v, list | tuple):
            return [norm(x) for x in v]
        return v

    return json.dumps([norm(r) for r in rows], sort_keys=True, default=str)


class Timeboxed:
    """A backend whose reads give up after ``seconds`` (the product's backends never time out).

    Reaches into the two backends' driver / graph objects only to pass a deadline; the query
    text, parameters and row conversion are the product's.
    """

    def __init__(self, backend: Backend, seconds: float) -> None:
        self.inner = backend
        self.kind = backend.kind
        self.seconds = seconds

    def describe(self) -> str:
        return self.inner.describe()

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        inner: Any = self.inner
        if self.kind == "embedded":
            result = inner._graph.cypher(
                query, params=dict(params or {}), timeout_ms=int(self.seconds * 1000)
            )
            return [plain(dict(r)) for r in result]
        records, _, _ = inner._driver.execute_query(
            neo4j.Query(query, timeout=self.seconds),  # type: ignore[arg-type,unused-ignore]
            dict(params or {}),
            database_=inner.database,
            routing_=neo4j.RoutingControl.READ,
        )
        return [plain(dict(r)) for r in records]

    def read_only(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> tuple[list[str], list[Row]]:
        return self.inner.read_only(query, params)

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> WriteResult:
        raise NotImplementedError("benchmarks only read")

    def run_schema(self, statement: str) -> None:
        raise NotImplementedError("benchmarks only read")

    def close(self) -> None:
        self.inner.close()


def _runner(backend: Backend, name: str, params: dict[str, Any]) -> Callable[[], Any]:
    return lambda: queries.run(backend, name, params, today=TODAY)


def _is_timeout(error: Exception) -> bool:
    text = f"{type(error).__name__} {error}".lower()
    return "timeout" in text or "timed out" in text or "terminated" in text


def pick_groups(backend: Backend) -> dict[str, dict[str, Any]]:
    """The median-sized and the largest group (by members), for per-group timings."""
    rows = backend.read(
        "MATCH (c:Company) WHERE c.group_id IS NOT NULL "
        "RETURN c.group_id AS group_id, count(*) AS members ORDER BY members, group_id"
    )
    median = rows[len(rows) // 2]
    largest = rows[-1]
    return {"median": dict(median), "largest": dict(largest)}


def _embedded(store: Path, name: str, params: dict[str, Any], runs: int) -> dict[str, Any]:
    """Time ``name`` on the embedded store in a capped child process."""

    def cap() -> None:  # runs in the child before exec
        limit = EMBEDDED_MEMORY_GIB * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    cmd = [sys.executable, "-m", "bench.query_child", str(store), name, json.dumps(params)]
    try:
        proc = subprocess.run(
            [*cmd, str(runs)],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            preexec_fn=cap,  # the parent runs no threads of its own here
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timeout: no answer within {CHILD_TIMEOUT_S:.0f} s (killed)"}
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        return {
            "error": f"failed (exit {proc.returncode}, address space capped at "
            f"{EMBEDDED_MEMORY_GIB} GiB): {tail[0][:160]}"
        }
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _digest(rows: list[dict[str, Any]]) -> str:
    return hashlib.sha256(canonical(rows).encode()).hexdigest()


def run(
    manifest: Manifest,
    neo4j_backend: Backend,
    store: Path,
    log: Callable[[str], None],
) -> dict[str, Any]:
    """Time every registered query on both backends; check both return the same rows."""
    as_of = TODAY.isoformat()
    neo = Timeboxed(neo4j_backend, TIMEOUT_S)
    groups = pick_groups(neo)
    out: dict[str, Any] = {"as_of": as_of, "groups": groups, "queries": {}}
    for query in queries.list_queries():
        declared = {p.name for p in query.params}
        scopes: dict[str, dict[str, Any]] = {"portfolio": {}}
        if "group_id" in declared:
            for label, g in groups.items():
                scopes[f"group:{label}"] = {"group_id": g["group_id"]}
        entry: dict[str, Any] = {}
        for scope, params in scopes.items():
            runs = PORTFOLIO_RUNS if scope == "portfolio" else GROUP_RUNS
            log(f"queries: {query.name} {scope} on neo4j")
            cell: dict[str, Any] = {}
            try:
                stats, rows = timed(_runner(neo, query.name, params), runs)
                stats["rows"] = len(rows)
                stats["digest"] = _digest(rows)
                if scope == "portfolio" and query.name in findings.MAINTAINED:
                    # The timed read came from maintained findings (queries/findings.py).
                    stats["maintained"] = findings.LAST_READ.get(query.name, False)
                cell["neo4j"] = stats
            except Exception as e:  # a timeout, or a query still being written by others
                message = str(e)[:200]
                if _is_timeout(e):
                    message = f"timeout: no answer within {TIMEOUT_S:.0f} s"
                cell["neo4j"] = {"error": message}
            log(f"queries: {query.name} {scope} on embedded")
            cell["embedded"] = _embedded(store, query.name, params, runs)
            digests = {cell[k].get("digest") for k in ("neo4j", "embedded")}
            if None not in digests:
                cell["same_rows_on_all_backends"] = len(digests) == 1
            entry[scope] = cell
        out["queries"][query.name] = entry
    out["duckdb"] = _duckdb(manifest, out["queries"], as_of, log)
    return out


def _duckdb(
    manifest: Manifest, measured: dict[str, Any], as_of: str, log: Callable[[str], None]
) -> dict[str, Any]:
    # Only the parent compares with DuckDB; the embedded child never needs it.
    from bench import duck

    log("queries: duckdb")
    t = time.perf_counter()
    con = duck.connect(Path(manifest.directory))
    load_ms = (time.perf_counter() - t) * 1000
    res: dict[str, Any] = {"load_csv_tables_ms": round(load_ms, 2)}
    params = queries.statement("procurement-links").bind({}, today=TODAY)
    for name, fn in (
        ("procurement-links", lambda: duck.procurement_links(con, as_of, params)),
        ("cross-sell-gaps", lambda: duck.cross_sell_gaps(con, as_of)),
    ):
        stats, rows = timed(fn, PORTFOLIO_RUNS)
        stats["rows"] = len(rows)
        digest = _digest(rows)
        for kind in ("neo4j", "embedded"):
            graph = measured.get(name, {}).get("portfolio", {}).get(kind, {})
            # None: the graph side gave no answer to compare with.
            same = graph["digest"] == digest if "digest" in graph else None
            stats[f"same_rows_as_{kind}"] = same
        res[name] = stats
    con.close()
    return res
