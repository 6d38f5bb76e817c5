"""The bulk first load: ``kamgraph import-files`` + ``neo4j-admin database import`` vs LOAD CSV.

    python -m bench.bulk --size S [--neo4j-uri URI]     # LOAD CSV measured here (URI is WIPED)

From ``python -m bench`` the ingest section's LOAD CSV figure of the same run is used. The
import runs in a Neo4j of its own (scripts/neo4j-import, a fresh state folder and a free port),
so the bench's server keeps the graph the queries section reads. Writes
``ingest.admin_import = {"seconds", "rows_per_s", "vs_load_csv", ...}`` or ``{"error": ...}``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
_IMPORTED = re.compile(r"neo4j-import: imported in ([0-9.]+)s")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _counts(uri: str) -> dict[str, int]:
    import neo4j

    with neo4j.GraphDatabase.driver(uri) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (n) WITH count(n) AS nodes "
            "OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS relationships"
        )
    return {"nodes": int(records[0]["nodes"]), "relationships": int(records[0]["relationships"])}


def run(directory: Path, load_csv_rows_per_s: float, work: Path, log: Any) -> dict[str, Any]:
    """Write the import files of the Salesforce export in ``directory``, import them, and rate
    both steps together against LOAD CSV's rows/s (finance.csv is a second source: not in
    the rows counted here)."""
    from kamgraph.ingest.bulk import write_import_files

    target = work / "admin-import"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    try:
        log("ingest: kamgraph import-files")
        start = time.perf_counter()
        files = write_import_files("salesforce", directory, target / "files")
        write_s = time.perf_counter() - start
        rows = files.report.counts.rows_read
        env = dict(
            os.environ,
            KAMGRAPH_NEO4J_HOME=str(target / "neo4j"),
            KAMGRAPH_NEO4J_PORT=str(_free_port()),
        )
        log("ingest: neo4j-admin database import (scripts/neo4j-import)")
        done = subprocess.run(
            [str(REPO / "scripts" / "neo4j-import"), str(target / "files")],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            found = _IMPORTED.search(done.stderr)
            if done.returncode != 0 or found is None:
                return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
            import_s = float(found.group(1))
            graph = _counts(done.stdout.strip().removeprefix("export NEO4J_URI="))
        finally:
            subprocess.run(
                [str(REPO / "scripts" / "neo4j-local"), "stop"], env=env, capture_output=True
            )
    except Exception as e:  # the bench records why the path did not run
        return {"error": f"{type(e).__name__}: {e}"}
    seconds = write_s + import_s
    return {
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "vs_load_csv": rows / seconds / load_csv_rows_per_s,
        "rows": rows,
        "write_files_s": write_s,
        "import_s": import_s,
        "files_rows": files.rows,
        "graph": graph,
        "load_avg": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    from bench import loadcsv
    from bench.__main__ import RESULTS, _log, _manifest

    parser = argparse.ArgumentParser(prog="python -m bench.bulk", description=__doc__)
    parser.add_argument("--size", default="S")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--neo4j-uri", default=os.environ.get("NEO4J_URI"))
    parser.add_argument("--neo4j-database", default=os.environ.get("NEO4J_DATABASE", "neo4j"))
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("KAMGRAPH_BENCH_DATA", "/tmp/kg-bench"))
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not args.neo4j_uri:
        parser.error("LOAD CSV needs --neo4j-uri (or NEO4J_URI); its data is WIPED")
    import neo4j

    from kamgraph.backends.neo4j import Neo4jBackend
    from kamgraph.schema import apply_schema

    manifest, _ = _manifest(args.size, args.seed, args.data)
    # LOAD CSV runs with kamgraph's constraints, as a loaded database has them.
    backend = Neo4jBackend.connect(args.neo4j_uri, database=args.neo4j_database)
    try:
        apply_schema(backend)
    finally:
        backend.close()
    with neo4j.GraphDatabase.driver(args.neo4j_uri, notifications_min_severity="OFF") as driver:
        loadcsv.wipe(driver, args.neo4j_database)
        _log("ingest: LOAD CSV script")
        start = time.perf_counter()
        loadcsv.load_csv(driver, args.neo4j_database, manifest.directory)
        rate = manifest.total_rows / (time.perf_counter() - start)
        loadcsv.wipe(driver, args.neo4j_database)
    work = args.data / f"{args.size}-seed{args.seed}-work"
    section = run(manifest.directory, rate, work, _log)
    section["load_csv_rows_per_s"] = rate
    path = args.results / f"{args.size}.json"
    result = json.loads(path.read_text()) if path.exists() else {}
    result.setdefault("ingest", {})["admin_import"] = section
    path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    sys.stdout.write(json.dumps(section) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
