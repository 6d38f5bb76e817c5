"""Child process timing one query on the embedded store, so a runaway query can be capped.

    python -m bench.query_child STORE QUERY PARAMS_JSON RUNS

The parent limits its address space and wall time (an embedded portfolio-wide query once took
20 GB and was OOM-killed with the whole benchmark); prints one JSON line: the timing stats, the
row count, a digest of the canonical rows and the child's peak RSS (``peak_rss_mib``: the
store opened plus the query's working memory, the most any one run needed).
"""

from __future__ import annotations

import hashlib
import json
import resource
import sys
from pathlib import Path

from bench.generate import TODAY
from bench.queries import canonical, timed
from kamgraph import queries
from kamgraph.backends.embedded import EmbeddedBackend


def main(argv: list[str] | None = None) -> int:
    store, name, params_json, runs = (argv or sys.argv[1:])[:4]
    backend = EmbeddedBackend.open(Path(store), write=False)
    params = json.loads(params_json)
    try:
        stats, rows = timed(lambda: queries.run(backend, name, params, today=TODAY), int(runs))
    finally:
        backend.close()
    stats["rows"] = len(rows)
    stats["digest"] = hashlib.sha256(canonical(rows).encode()).hexdigest()
    # Linux reports ru_maxrss in KiB.
    stats["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    sys.stdout.write(json.dumps(stats) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
