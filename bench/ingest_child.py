"""Child process for one kamgraph ingest (so its peak RSS is its own): prints one JSON line.

    python -m bench.ingest_child DIR (--neo4j-uri URI | --store PATH)

Does what ``kamgraph init`` + ``kamgraph ingest salesforce DIR`` + ``kamgraph ingest finance
DIR/finance.csv`` do, through the library.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from kamgraph.backends.base import Backend
from kamgraph.ingest.pipeline import ingest
from kamgraph.schema import apply_schema


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest_child")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--neo4j-uri")
    parser.add_argument("--store", type=Path)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args(argv)
    backend: Backend
    if args.neo4j_uri:
        from kamgraph.backends.neo4j import Neo4jBackend

        backend = Neo4jBackend.connect(args.neo4j_uri)
    else:
        from kamgraph.backends.embedded import EmbeddedBackend

        backend = EmbeddedBackend.open(args.store)
    out: dict[str, object] = {}
    start = time.perf_counter()
    try:
        apply_schema(backend)
        t = time.perf_counter()
        sf = ingest(backend, "salesforce", args.directory, batch_size=args.batch_size)
        out["salesforce_s"] = time.perf_counter() - t
        t = time.perf_counter()
        fin = ingest(backend, "finance", args.directory / "finance.csv", batch_size=args.batch_size)
        out["finance_s"] = time.perf_counter() - t
    finally:
        t = time.perf_counter()
        backend.close()
        out["close_s"] = time.perf_counter() - t
    out["seconds"] = time.perf_counter() - start
    out["rows_read"] = sf.counts.rows_read + fin.counts.rows_read
    out["rejected"] = sf.counts.rejected + fin.counts.rejected
    out["created"] = sf.counts.created + fin.counts.created
    out["linked"] = sf.counts.linked + fin.counts.linked
    # Whether each run found its export unchanged since the store's last run of it (a no-op).
    out["unchanged"] = [sf.unchanged_since is not None, fin.unchanged_since is not None]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # Python's own CPU time: the rest of the wall time is spent waiting for the store.
    out["client_cpu_seconds"] = usage.ru_utime + usage.ru_stime
    # Linux reports ru_maxrss in KiB.
    out["peak_rss_mib"] = usage.ru_maxrss / 1024
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
