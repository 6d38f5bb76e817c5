"""BENCHMARKS.md's targets: every issue-16 target at its sizes, met / MISSED / not measured."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import report


def _run(size: str, **sections: Any) -> dict[str, Any]:
    return {
        "size": size,
        "date": "2026-12-02T04:00:00+00:00",
        "machine": {
            "cpu": "cpu",
            "cores": 2,
            "memory_gib": 8,
            "os": "linux",
            "python": "3.11",
            "load_avg_at_start": [1.0, 1.0, 1.0],
        },
        "versions": {"neo4j-rust-ext": "6.4.1.0"},
        **sections,
    }


def _ingest(kamgraph: float, load_csv: float, naive: float, rss: float) -> dict[str, Any]:
    return {
        "rows": 100,
        "kamgraph_neo4j": {"rows_per_s": kamgraph, "peak_rss_mib": rss},
        "load_csv": {"rows_per_s": load_csv},
        "naive": {"rows_per_s": naive},
        "ratios": {
            "kamgraph_vs_load_csv": kamgraph / load_csv,
            "kamgraph_vs_naive": kamgraph / naive,
            "load_csv_vs_naive": load_csv / naive,
        },
        "rust_ext": True,
        "baselines_with_schema": True,
    }


def _rows(runs: dict[str, dict[str, Any]]) -> dict[tuple[str, str], tuple[str, str]]:
    return {(t, size): (figure, result) for t, size, figure, result in report.targets(runs)}


def test_absent_results_show_every_target_as_not_measured() -> None:
    rows = report.targets({})
    assert {t.split(".")[0] for t, _, _, _ in rows} == {str(n) for n in range(1, 8)}
    assert {result for t, _, _, result in rows if not t.startswith("7.")} == {report.NOT_MEASURED}


def test_ingest_ratios_rss_and_noop_are_judged_at_their_sizes() -> None:
    m = _ingest(kamgraph=1200, load_csv=1000, naive=50, rss=120)
    big = _ingest(kamgraph=900, load_csv=1000, naive=20, rss=151)
    big["noop_rerun"] = {"seconds": 10.0, "first_load_seconds": 100.0, "ratio": 0.1}
    big["admin_import"] = {"error": "neo4j-admin not runnable here"}
    rows = _rows({"M": _run("M", ingest=m), "L": _run("L", ingest=big)})
    vs_load = "1. ingest >= 1.0x LOAD CSV rows/s"
    assert rows[(vs_load, "S")] == ("-", report.NOT_MEASURED)
    assert rows[(vs_load, "M")] == ("1.20x (1,200 vs 1,000 rows/s)", report.MET)
    assert rows[(vs_load, "L")][1] == report.MISSED
    assert rows[("1. ingest >= 30x naive rows/s", "M")] == (
        "24.00x (1,200 vs 50 rows/s)",
        "**MISSED**",
    )
    assert rows[("1. ingest >= 30x naive rows/s", "L")][1] == report.MET
    assert rows[("1. peak ingest RSS <= 150 MiB", "L")][1] == report.MISSED
    assert rows[("1. no-op re-run < 1/5 of the first load", "L")][1] == report.MET
    figure, result = rows[("2. neo4j-admin import vs LOAD CSV", "L")]
    assert result == report.MISSED and "not runnable" in figure
    assert rows[("6. neo4j-rust-ext active in the bench's ingest", "M")][1] == report.MET


def test_a_target_at_l_without_an_l_run_shows_m_as_an_indication_only() -> None:
    m = _ingest(kamgraph=1000, load_csv=1000, naive=10, rss=100)
    figure, result = _rows({"M": _run("M", ingest=m)})[("1. peak ingest RSS <= 150 MiB", "L")]
    assert result == report.NOT_MEASURED
    assert figure.startswith("at M: 100 MiB") and figure.endswith("; met there")


def _timed(neo: float | None, emb: float | None, **extra: Any) -> dict[str, Any]:
    def one(ms: float | None) -> dict[str, Any]:
        return {"p50_ms": ms, **extra} if ms is not None else {"error": "timeout"}

    return {"neo4j": one(neo), "embedded": one(emb)}


def test_query_targets_per_group_portfolio_duckdb_and_embedded() -> None:
    queries = {
        "procurement-links": {
            "portfolio": _timed(1500.0, 3000.0),
            "group:largest": _timed(40.0, 20.0),
        },
        "cross-sell-gaps": {
            "portfolio": _timed(2500.0, None),
            "group:largest": _timed(60.0, 30.0),
        },
    }
    duckdb = {"procurement-links": {"p50_ms": 600.0}, "cross-sell-gaps": {"p50_ms": 1000.0}}
    run = {"queries": {"queries": queries, "duckdb": duckdb}}
    rows = _rows({"M": _run("M", **run), "L": _run("L", **run)})
    figure, result = rows[("3. per-group p50 < 50 ms on Neo4j, every query", "M")]
    assert result == report.MISSED
    assert figure.startswith("worst p50 60 ms: cross-sell-gaps (group:largest); 1 of 2 over")
    assert rows[("4. portfolio procurement-links < 2 s on Neo4j", "L")][1] == report.MET
    assert rows[("4. portfolio cross-sell-gaps < 2 s on Neo4j", "L")][1] == report.MISSED
    assert rows[("4. portfolio procurement-links within 3x DuckDB", "M")] == (
        "2.5x (Neo4j 1,500 ms, DuckDB 600 ms)",
        report.MET,
    )
    figure, result = rows[("5. embedded within 3x Neo4j, every query (p50)", "M")]
    assert result == report.MISSED
    assert "no answer: cross-sell-gaps (portfolio)" in figure
    assert rows[("5. embedded peak RSS < 2 GiB, every query", "M")][1] == report.NOT_MEASURED


def test_benchmarks_md_renders_from_the_committed_results(tmp_path: Path) -> None:
    results = Path(report.__file__).parent / "results"
    target = tmp_path / "BENCHMARKS.md"
    report.write(results, target)
    text = target.read_text()
    table = text.split("## Targets", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(lines) - 1 == len(report.targets(report._load(results)))
    for size in sorted(p.stem for p in results.glob("*.json")):
        assert f"| {size} |" in table
    assert "2026.08.1" in table  # target 7 names the CI's second Neo4j leg
