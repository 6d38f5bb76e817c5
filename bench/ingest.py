"""Ingestion benchmark: kamgraph vs in-server LOAD CSV vs a naive per-row loader, same Neo4j."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import neo4j

from bench import loadcsv
from bench.generate import Manifest

#: Rows the naive loader sends in total (spread over the files by their share); it is
#: measured on this prefix of every file and extrapolated to the whole portfolio.
NAIVE_ROWS = 4000


def _child(manifest: Manifest, *target: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.ingest_child", str(manifest.directory), *target],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"kamgraph ingest child failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def run(
    manifest: Manifest,
    driver: neo4j.Driver,
    uri: str,
    database: str,
    work: Path,
    log: Any,
    checkpoint: Any = None,
    embedded: bool = True,
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """All loaders over ``manifest``'s files in one run; the kamgraph graph is left loaded.

    ``checkpoint(partial)`` is called after each loader so a long run keeps what it measured.
    With ``previous`` (an interrupted run's section), loaders measured there are not re-run.
    """
    rows = manifest.total_rows
    res: dict[str, Any] = {"rows": rows, "rows_by_file": manifest.rows}
    if previous and previous.get("rows") == rows:
        for loader in ("naive", "load_csv"):
            if loader in previous:
                res[loader] = previous[loader]
        if res.keys() & {"naive", "load_csv"}:
            res["resumed"] = (
                "naive / LOAD CSV figures come from the previous invocation on the same server "
                "and data (it stopped before kamgraph ran); kamgraph ran right after"
            )

    def done() -> None:
        if checkpoint is not None:
            checkpoint(res)

    # (b) naive, on a prefix of every file (first, so it also warms the JIT for the others).
    if "naive" not in res:
        share = min(1.0, NAIVE_ROWS / rows)
        limits = {obj: max(1, math.ceil(n * share)) for obj, n in manifest.rows.items()}
        loadcsv.wipe(driver, database)
        log(f"ingest: naive loader on {sum(limits.values())} rows (prefix of every file)")
        rates = loadcsv.naive(driver, database, manifest.directory, limits)
        extrapolated = sum(
            manifest.rows[obj] * (r.seconds / r.rows) for obj, r in rates.items() if r.rows
        )
        measured_rows = sum(r.rows for r in rates.values())
        measured_s = sum(r.seconds for r in rates.values())
        res["naive"] = {
            "measured_rows": measured_rows,
            "measured_seconds": measured_s,
            "measured_rows_per_s": measured_rows / measured_s,
            "extrapolated_seconds": extrapolated,
            "rows_per_s": rows / extrapolated,
            "per_object_rows_per_s": {o: r.rows / r.seconds for o, r in rates.items() if r.seconds},
            "note": "one auto-commit transaction per row and step; measured on a prefix of every "
            "file, full time extrapolated per object from its measured rate; family (group_id) "
            "step not included",
        }
        done()

    # (a) LOAD CSV inside the server.
    if "load_csv" not in res:
        loadcsv.wipe(driver, database)
        log("ingest: LOAD CSV script")
        start = time.perf_counter()
        steps = loadcsv.load_csv(driver, database, manifest.directory)
        seconds = time.perf_counter() - start
        res["load_csv"] = {
            "seconds": seconds,
            "rows_per_s": rows / seconds,
            "steps_s": steps,
            "graph": loadcsv.graph_counts(driver, database),
            "batch_rows": loadcsv.BATCH_ROWS,
        }
        done()

    # kamgraph into Neo4j, in a child process (peak RSS).
    loadcsv.wipe(driver, database)
    log("ingest: kamgraph -> neo4j")
    start = time.perf_counter()
    kg = _child(manifest, "--neo4j-uri", uri)
    kg["wall_seconds"] = time.perf_counter() - start
    kg["rows_per_s"] = rows / kg["seconds"]
    kg["graph"] = loadcsv.graph_counts(driver, database)
    res["kamgraph_neo4j"] = kg
    done()
    # The nightly re-run of the unchanged export, right after the first load on the same store.
    log("ingest: kamgraph -> neo4j again, unchanged export (no-op)")
    start = time.perf_counter()
    again = _child(manifest, "--neo4j-uri", uri)
    res["noop_rerun"] = {
        "seconds": again["seconds"],
        "wall_seconds": time.perf_counter() - start,
        "first_load_seconds": kg["seconds"],
        "ratio": again["seconds"] / kg["seconds"],
        "unchanged": again["unchanged"],
    }
    res["ratios"] = {
        "kamgraph_vs_load_csv": kg["rows_per_s"] / res["load_csv"]["rows_per_s"],
        "kamgraph_vs_naive": kg["rows_per_s"] / res["naive"]["rows_per_s"],
        "load_csv_vs_naive": res["load_csv"]["rows_per_s"] / res["naive"]["rows_per_s"],
    }
    done()
    if not embedded:
        return res

    # kamgraph into the embedded store.
    store = work / "embedded.kgl"
    for old in work.glob("embedded.kgl*"):
        old.unlink() if old.is_file() else None
    log("ingest: kamgraph -> embedded")
    emb = _child(manifest, "--store", str(store))
    emb["rows_per_s"] = rows / emb["seconds"]
    emb["store_path"] = str(store)
    res["kamgraph_embedded"] = emb

    res["ratios"]["embedded_vs_neo4j"] = emb["rows_per_s"] / kg["rows_per_s"]
    return res
