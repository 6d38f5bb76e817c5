"""Run the benchmarks: ``python -m bench --size S|M|L [--only ingest,queries,maps]``.

Generates the portfolio (cached per size and seed), runs the selected sections against one
Neo4j (``--neo4j-uri`` / ``NEO4J_URI``, which it WIPES) and the embedded store, merges the
figures into ``bench/results/<size>.json`` and regenerates ``BENCHMARKS.md`` from every results
file. Every figure that is compared is a ratio measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import neo4j

from bench import report
from bench.generate import SIZES, Manifest, generate
from kamgraph.backends.bolt import rust_extension_active

RESULTS = Path(__file__).parent / "results"
SECTIONS = ("ingest", "queries", "maps")


def _log(message: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def _machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kib = 0
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_avg_at_start": os.getloadavg(),
    }


def _versions(driver: neo4j.Driver | None) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {p: version(p) for p in ("kamgraph", "neo4j", "kglite", "duckdb", "playwright")}
    out["neo4j-driver"] = out.pop("neo4j")
    try:
        out["neo4j-rust-ext"] = version("neo4j-rust-ext")
    except PackageNotFoundError:
        out["neo4j-rust-ext"] = "not installed"
    if driver is not None:
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD name, versions, edition "
            "RETURN name, versions[0] AS version, edition"
        )
        r = records[0]
        out["neo4j-server"] = f"{r['version']} {r['edition']}"
    try:
        out["chromium"] = subprocess.run(
            ["/usr/bin/chromium", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        out["chromium"] = "missing"
    return out


def _server(driver: neo4j.Driver) -> dict[str, Any]:
    """The Neo4j server's JVM and memory settings, so a figure can be read against them."""
    try:
        records, _, _ = driver.execute_query(
            "CALL dbms.queryJmx('java.lang:type=Runtime') YIELD attributes "
            "RETURN attributes.InputArguments.value AS args, attributes.VmVersion.value AS vm"
        )
        settings, _, _ = driver.execute_query(
            "SHOW SETTINGS YIELD name, value WHERE name = 'server.memory.pagecache.size' "
            "RETURN value"
        )
    except neo4j.exceptions.Neo4jError as e:
        return {"error": e.message or str(e)}
    args = [a for a in records[0]["args"] or [] if not a.startswith("--add-opens")]
    return {
        "java": records[0]["vm"],
        "jvm_args": args,
        "pagecache": settings[0]["value"] if settings else None,
    }


def _manifest(size: str, seed: int, data: Path) -> tuple[Manifest, dict[str, Any]]:
    directory = data / f"{size}-seed{seed}"
    stamp = directory / "manifest.json"
    if stamp.exists():
        saved = json.loads(stamp.read_text())
        files = {k: Path(v) for k, v in saved["files"].items()}
        return Manifest(directory, size, seed, files, saved["rows"]), saved["generate"]
    _log(f"generate: size {size} seed {seed} -> {directory}")
    start = time.perf_counter()
    manifest = generate(directory, size, seed=seed)
    seconds = time.perf_counter() - start
    info = {
        "seconds": round(seconds, 2),
        "rows": manifest.total_rows,
        "bytes": sum(p.stat().st_size for p in manifest.files.values()),
    }
    stamp.write_text(
        json.dumps(
            {
                "files": {k: str(v) for k, v in manifest.files.items()},
                "rows": manifest.rows,
                "generate": info,
            }
        )
    )
    return manifest, info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=[s for s in SIZES if s != "T"], default="S")
    parser.add_argument("--only", default=",".join(SECTIONS), help="ingest,queries,maps")
    parser.add_argument("--neo4j-uri", default=os.environ.get("NEO4J_URI"))
    parser.add_argument("--neo4j-database", default=os.environ.get("NEO4J_DATABASE", "neo4j"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("KAMGRAPH_BENCH_DATA", "/tmp/kg-bench"))
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument(
        "--assume-loaded",
        action="store_true",
        help="queries only: Neo4j and the work folder's embedded store already hold this size",
    )
    parser.add_argument(
        "--resume-ingest",
        action="store_true",
        help="keep the naive / LOAD CSV figures an interrupted ingest run already saved",
    )
    parser.add_argument(
        "--no-embedded-ingest",
        action="store_true",
        help="skip loading the embedded store in the ingest section (saves time at L)",
    )
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; use {', '.join(SECTIONS)}")
    needs_neo4j = bool({"ingest", "queries"} & set(only))
    if needs_neo4j and not args.neo4j_uri:
        parser.error("ingest and queries need --neo4j-uri (or NEO4J_URI); its data is WIPED")

    args.data.mkdir(parents=True, exist_ok=True)
    result_path = args.results / f"{args.size}.json"
    result: dict[str, Any] = json.loads(result_path.read_text()) if result_path.exists() else {}
    driver = (
        neo4j.GraphDatabase.driver(args.neo4j_uri, notifications_min_severity="OFF")
        if needs_neo4j
        else None
    )
    args.results.mkdir(parents=True, exist_ok=True)

    def save() -> None:  # after every section, so a later failure keeps what was measured
        result_path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")

    work = args.data / f"{args.size}-seed{args.seed}-work"
    work.mkdir(parents=True, exist_ok=True)
    try:
        result.update(
            {
                "size": args.size,
                "seed": args.seed,
                "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                "machine": _machine(),
                "versions": _versions(driver),
            }
        )
        if driver is not None:
            result["server"] = _server(driver)
        manifest, gen = _manifest(args.size, args.seed, args.data)
        result["portfolio"] = {"rows_by_file": manifest.rows, **gen}
        if "ingest" in only:
            from bench import ingest

            assert driver is not None
            # The ingest child runs this interpreter: it packs Bolt as this process does.
            rust_ext = rust_extension_active()
            if not rust_ext:
                _log("ingest: WARNING the neo4j driver runs without neo4j-rust-ext (pure Python)")

            def partial(section: dict[str, Any]) -> None:
                result["ingest"] = {**section, "rust_ext": rust_ext, "baselines_with_schema": True}
                save()

            result["ingest"] = ingest.run(
                manifest,
                driver,
                args.neo4j_uri,
                args.neo4j_database,
                work,
                _log,
                checkpoint=partial,
                embedded=not args.no_embedded_ingest,
                previous=result.get("ingest") if args.resume_ingest else None,
            )
            result["ingest"].update(rust_ext=rust_ext, baselines_with_schema=True)
            from bench import bulk  # the bulk first load, against this run's LOAD CSV rows/s

            rate = result["ingest"]["load_csv"]["rows_per_s"]
            result["ingest"]["admin_import"] = bulk.run(manifest.directory, rate, work, _log)
            save()
        if "queries" in only:
            result["queries"] = _queries(manifest, driver, args, work, "ingest" in only)
            save()
        if "maps" in only:
            from bench import maps

            result["maps"] = maps.run(work / "maps", _log)
    finally:
        if driver is not None:
            driver.close()
    save()
    report.write(args.results, Path(__file__).parent.parent / "BENCHMARKS.md")
    _log(f"wrote {result_path} and BENCHMARKS.md")
    return 0


def _queries(
    manifest: Manifest,
    driver: neo4j.Driver | None,
    args: argparse.Namespace,
    work: Path,
    loaded: bool,
) -> dict[str, Any]:
    from bench import ingest, loadcsv, queries
    from kamgraph.backends.neo4j import Neo4jBackend

    store = work / "embedded.kgl"
    if not loaded and not args.assume_loaded:  # load both stores first (not timed)
        assert driver is not None
        _log("queries: loading the portfolio with kamgraph (untimed)")
        loadcsv.wipe(driver, args.neo4j_database)
        ingest._child(manifest, "--neo4j-uri", args.neo4j_uri)
        for old in work.glob("embedded.kgl*"):
            if old.is_file():
                old.unlink()
        ingest._child(manifest, "--store", str(store))
    backend = Neo4jBackend.connect(args.neo4j_uri, database=args.neo4j_database)
    try:
        return queries.run(manifest, backend, store, _log)
    finally:
        backend.close()


if __name__ == "__main__":
    raise SystemExit(main())
