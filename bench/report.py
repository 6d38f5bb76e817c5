"""Generate BENCHMARKS.md from ``bench/results/*.json``: machine, versions, figures, targets."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

ORDER: Final = ("S", "M", "L")

#: Targets of issue 16 (scale).
TARGET_VS_LOAD_CSV: Final = 1.0
TARGET_VS_NAIVE: Final = 30.0
TARGET_INGEST_RSS_MIB: Final = 150.0
TARGET_NOOP_RATIO: Final = 1 / 5
TARGET_GROUP_MS: Final = 50.0
TARGET_PORTFOLIO_MS: Final = 2000.0
TARGET_VS_DUCKDB: Final = 3.0
TARGET_EMBEDDED_VS_NEO4J: Final = 3.0
TARGET_EMBEDDED_RSS_MIB: Final = 2048.0
#: The two portfolio-wide queries of target 4, which DuckDB also answers.
FINDINGS_QUERIES: Final = ("procurement-links", "cross-sell-gaps")

REPO: Final = Path(__file__).resolve().parent.parent
MET: Final = "met"
MISSED: Final = "**MISSED**"
NOT_MEASURED: Final = "not measured"

#: (target, size, measured, result): result is MET, MISSED or starts with NOT_MEASURED.
Row = tuple[str, str, str, str]


def _load(results: Path) -> dict[str, dict[str, Any]]:
    found = {p.stem: json.loads(p.read_text()) for p in sorted(results.glob("*.json"))}
    return {s: found[s] for s in ORDER if s in found}


def _mark(ok: bool) -> str:
    return MET if ok else MISSED


def _n(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _at(
    runs: dict[str, dict[str, Any]],
    target: str,
    sizes: tuple[str, ...],
    measure: Any,
) -> list[Row]:
    """One row per size of ``sizes``: ``measure(run)`` gives (figure, ok) or None if absent.

    A size not measured shows, as an indication, the figure of the largest smaller size below
    every size the target names (M's figure for a target at L only).
    """
    out: list[Row] = []
    for size in sizes:
        found = measure(runs[size]) if size in runs else None
        if found is not None:
            out.append((target, size, found[0], _mark(found[1])))
            continue
        figure = "-"
        for smaller in reversed(ORDER[: ORDER.index(size)]):
            if smaller in sizes:  # it has its own row
                break
            hint = measure(runs[smaller]) if smaller in runs else None
            if hint is not None:
                figure = f"at {smaller}: {hint[0]}; {_mark(hint[1]).strip('*')} there"
                break
        out.append((target, size, figure, NOT_MEASURED))
    return out


def _ingest_ratio(key: str, floor: float) -> Any:
    def measure(run: dict[str, Any]) -> tuple[str, bool] | None:
        ratio = run.get("ingest", {}).get("ratios", {}).get(key)
        if ratio is None:
            return None
        i = run["ingest"]
        other = "load_csv" if key.endswith("load_csv") else "naive"
        figure = (
            f"{ratio:.2f}x ({_n(i['kamgraph_neo4j']['rows_per_s'])} vs "
            f"{_n(i[other]['rows_per_s'])} rows/s)"
        )
        if not i.get("baselines_with_schema"):
            figure += "; baselines ran without kamgraph's schema"
        return figure, ratio >= floor

    return measure


def _ingest_rss(run: dict[str, Any]) -> tuple[str, bool] | None:
    kg = run.get("ingest", {}).get("kamgraph_neo4j")
    if not kg:
        return None
    rss = kg["peak_rss_mib"]
    return f"{rss:.0f} MiB ({rss / TARGET_INGEST_RSS_MIB:.2f}x the limit)", rss <= (
        TARGET_INGEST_RSS_MIB
    )


def _noop(run: dict[str, Any]) -> tuple[str, bool] | None:
    n = run.get("ingest", {}).get("noop_rerun")
    if not n:
        return None
    return (
        f"{n['seconds']:.1f} s vs first load {n['first_load_seconds']:.1f} s ({n['ratio']:.2f}x)",
        n["ratio"] < TARGET_NOOP_RATIO,
    )


def _admin_import(run: dict[str, Any]) -> tuple[str, bool] | None:
    a = run.get("ingest", {}).get("admin_import")
    if not a:
        return None
    if "error" in a:
        return f"did not run: {str(a['error'])[:80]}", False
    return (
        f"{_n(a['rows_per_s'])} rows/s in {a['seconds']:.1f} s ({a['vs_load_csv']:.2f}x LOAD CSV)",
        True,
    )


def _scopes(run: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(label, scope, per-backend figures) of every query and scope the run timed."""
    for name, scopes in run.get("queries", {}).get("queries", {}).items():
        for scope, backends in scopes.items():
            yield f"{name} ({scope})", scope, backends


def _worst(
    values: list[tuple[float, str]], failed: list[str], limit: float, show: Callable[[float], str]
) -> tuple[str, bool] | None:
    """The largest value and how many of all exceed ``limit`` (a failed one counts as over)."""
    if not values and not failed:
        return None
    values.sort(reverse=True)
    over = [label for value, label in values if value >= limit]
    figure = f"worst {show(values[0][0])}: {values[0][1]}" if values else "none answered"
    figure += f"; {len(over) + len(failed)} of {len(values) + len(failed)} over"
    if failed:
        figure += "; no answer: " + ", ".join(failed)
    return figure, not over and not failed


def _per_group(run: dict[str, Any]) -> tuple[str, bool] | None:
    values: list[tuple[float, str]] = []
    failed: list[str] = []
    for label, scope, backends in _scopes(run):
        neo = backends.get("neo4j", {})
        if not scope.startswith("group:"):
            continue
        if "p50_ms" in neo:
            values.append((neo["p50_ms"], label))
        else:
            failed.append(label)
    return _worst(values, failed, TARGET_GROUP_MS, lambda ms: f"p50 {_ms(ms)}")


def _portfolio(name: str) -> Any:
    def measure(run: dict[str, Any]) -> tuple[str, bool] | None:
        neo = run.get("queries", {}).get("queries", {}).get(name, {}).get("portfolio", {})
        neo = neo.get("neo4j", {})
        if not neo:
            return None
        if "p50_ms" not in neo:
            return f"no answer: {str(neo.get('error'))[:80]}", False
        figure = f"p50 {_ms(neo['p50_ms'])} ({neo['p50_ms'] / TARGET_PORTFOLIO_MS:.2f}x the limit)"
        if neo.get("maintained"):
            figure += ", read from maintained findings"
        return figure, neo["p50_ms"] < TARGET_PORTFOLIO_MS

    return measure


def _vs_duckdb(name: str) -> Any:
    def measure(run: dict[str, Any]) -> tuple[str, bool] | None:
        q = run.get("queries", {})
        duck = q.get("duckdb", {}).get(name, {})
        neo = q.get("queries", {}).get(name, {}).get("portfolio", {}).get("neo4j", {})
        if "p50_ms" not in duck or not neo:
            return None
        if "p50_ms" not in neo:
            return f"Neo4j gave no answer: {str(neo.get('error'))[:60]}", False
        ratio = neo["p50_ms"] / duck["p50_ms"]
        figure = f"{ratio:.1f}x (Neo4j {_ms(neo['p50_ms'])}, DuckDB {_ms(duck['p50_ms'])})"
        return figure, ratio <= TARGET_VS_DUCKDB

    return measure


def _embedded_vs_neo4j(run: dict[str, Any]) -> tuple[str, bool] | None:
    values: list[tuple[float, str]] = []
    failed: list[str] = []
    for label, _, backends in _scopes(run):
        neo, emb = backends.get("neo4j", {}), backends.get("embedded", {})
        if "p50_ms" not in emb:
            failed.append(label)
        elif neo.get("p50_ms"):
            values.append((emb["p50_ms"] / neo["p50_ms"], label))
    # "within 3x": exactly 3x is still within
    return _worst(values, failed, TARGET_EMBEDDED_VS_NEO4J + 1e-9, lambda r: f"{r:.1f}x")


def _embedded_rss(run: dict[str, Any]) -> tuple[str, bool] | None:
    peaks = [
        (emb["peak_rss_mib"], label)
        for label, _, backends in _scopes(run)
        if "peak_rss_mib" in (emb := backends.get("embedded", {}))
    ]
    return _worst(peaks, [], TARGET_EMBEDDED_RSS_MIB, lambda mib: f"{mib:,.0f} MiB")


def _rust_ext(run: dict[str, Any]) -> tuple[str, bool] | None:
    active = run.get("ingest", {}).get("rust_ext")
    if active is None:
        return None
    ext = run.get("versions", {}).get("neo4j-rust-ext", "?")
    return (f"active (neo4j-rust-ext {ext})" if active else "pure-Python driver"), bool(active)


def ci_legs() -> str:
    """Target 7 as text, read from the files that define it (pom.xml and scripts/test)."""
    pom = (REPO / "tools" / "neo4j-local" / "pom.xml").read_text(encoding="utf-8")
    test = (REPO / "scripts" / "test").read_text(encoding="utf-8")
    lts = re.search(r"<neo4j\.version>([^<]+)<", pom)
    newest = re.search(r"NEO4J_NEWEST_VERSION:-([0-9.]+)", test)
    if not lts or not newest:
        return "scripts/test defines no second Neo4j leg"
    return (
        f"`scripts/test`: whole suite on Neo4j {lts[1]} (LTS), then the Neo4j leg "
        f"(every query and ingest path, `neo4j://` routing) on {newest[1]}, Java 21+; "
        "CI fails if either fails"
    )


def targets(runs: dict[str, dict[str, Any]]) -> list[Row]:
    """Every target of issue 16, per size it names; absent figures show as not measured."""
    out: list[Row] = []
    out += _at(
        runs,
        f"1. ingest >= {TARGET_VS_LOAD_CSV:.1f}x LOAD CSV rows/s",
        ORDER,
        _ingest_ratio("kamgraph_vs_load_csv", TARGET_VS_LOAD_CSV),
    )
    out += _at(
        runs,
        f"1. ingest >= {TARGET_VS_NAIVE:.0f}x naive rows/s",
        ORDER,
        _ingest_ratio("kamgraph_vs_naive", TARGET_VS_NAIVE),
    )
    out += _at(runs, f"1. peak ingest RSS <= {TARGET_INGEST_RSS_MIB:.0f} MiB", ("L",), _ingest_rss)
    out += _at(runs, "1. no-op re-run < 1/5 of the first load", ("L",), _noop)
    out += _at(runs, "2. neo4j-admin import vs LOAD CSV", ("L",), _admin_import)
    out += _at(
        runs,
        f"3. per-group p50 < {TARGET_GROUP_MS:.0f} ms on Neo4j, every query",
        ("M", "L"),
        _per_group,
    )
    for name in FINDINGS_QUERIES:
        out += _at(
            runs,
            f"4. portfolio {name} < {TARGET_PORTFOLIO_MS / 1000:.0f} s on Neo4j",
            ("L",),
            _portfolio(name),
        )
        out += _at(
            runs,
            f"4. portfolio {name} within {TARGET_VS_DUCKDB:.0f}x DuckDB",
            ("M",),
            _vs_duckdb(name),
        )
    out += _at(
        runs,
        f"5. embedded within {TARGET_EMBEDDED_VS_NEO4J:.0f}x Neo4j, every query (p50)",
        ("M",),
        _embedded_vs_neo4j,
    )
    out += _at(
        runs,
        f"5. embedded peak RSS < {TARGET_EMBEDDED_RSS_MIB / 1024:.0f} GiB, every query",
        ("M",),
        _embedded_rss,
    )
    measured = tuple(s for s in ORDER if s in runs) or ORDER[:1]  # every size that ran
    out += _at(runs, "6. neo4j-rust-ext active in the bench's ingest", measured, _rust_ext)
    out.append(("7. Neo4j LTS and newest calendar release in CI", "-", ci_legs(), "in CI"))
    return out


def render(runs: dict[str, dict[str, Any]]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python -m bench --size S|M|L` from `bench/results/*.json`; do not edit by",
        "hand. The machine is shared and noisy: compare the ratios (each measured within one run),",
        "not absolute times across runs. How the figures are made: [docs/benchmarks.md]"
        "(docs/benchmarks.md).",
        "",
    ]
    if not runs:
        return "\n".join([*lines, "No results yet.", ""])
    any_run = runs[next(reversed(runs))]
    m, v = any_run["machine"], any_run["versions"]
    lines += [
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, "
        f"Python {m['python']}",
        "- Versions: " + ", ".join(f"{k} {val}" for k, val in sorted(v.items())),
        "- Runs: "
        + ", ".join(
            f"{s} on {r['date']} (load avg at start {r['machine']['load_avg_at_start'][0]:.1f})"
            for s, r in runs.items()
        ),
        *_server_line(any_run),
        "",
        "## Targets",
        "",
        "Issue 16's targets, each at the sizes it names; ratios are measured within one run.",
        "`not measured` = no figure in the results files yet (a figure at a smaller size is",
        "shown as an indication).",
        "",
        "| Target | Size | Measured | Result |",
        "|---|---|---|---|",
    ]
    for name, size, figure, result in targets(runs):
        lines.append(f"| {name} | {size} | {figure} | {result} |")
    lines += _ingest_table(runs) + _query_table(runs) + _duck_table(runs) + _map_table(runs)
    return "\n".join(lines) + "\n"


def _server_line(run: dict[str, Any]) -> list[str]:
    server = run.get("server")
    if not server or "jvm_args" not in server:
        return []
    return [
        f"- Neo4j server JVM: Java {server['java']}, {' '.join(server['jvm_args'])}, page cache "
        f"{server['pagecache']} (the local test server's flags, not a production server's: "
        "[docs/benchmarks.md](docs/benchmarks.md#the-neo4j-server))"
    ]


def _ingest_table(runs: dict[str, dict[str, Any]]) -> list[str]:
    rows = [s for s in runs if "kamgraph_neo4j" in runs[s].get("ingest", {})]
    if not rows:
        return []
    out = [
        "",
        "## Ingestion (same rows, same Neo4j, one run per size)",
        "",
        "Rows = data rows of all ten CSV files (Salesforce objects + finance.csv). Naive = one",
        "auto-commit transaction per row, measured on a prefix of every file and extrapolated.",
        "",
        "| Size | Rows | kamgraph → Neo4j rows/s | LOAD CSV rows/s | naive rows/s "
        "| vs LOAD CSV | vs naive | embedded rows/s | embedded / Neo4j "
        "| peak RSS Neo4j ingest | peak RSS embedded ingest |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in rows:
        i = runs[s]["ingest"]
        if "kamgraph_neo4j" not in i:
            continue  # interrupted before kamgraph ran
        r = i["ratios"]
        emb = i.get("kamgraph_embedded")
        out.append(
            f"| {s} | {_n(i['rows'])} | {_n(i['kamgraph_neo4j']['rows_per_s'])} "
            f"| {_n(i['load_csv']['rows_per_s'])} | {_n(i['naive']['rows_per_s'])} "
            f"| {r['kamgraph_vs_load_csv']:.2f}x | {r['kamgraph_vs_naive']:.1f}x "
            + (
                f"| {_n(emb['rows_per_s'])} | {r['embedded_vs_neo4j']:.2f}x "
                if emb
                else "| not run | - "
            )
            + f"| {i['kamgraph_neo4j']['peak_rss_mib']:.0f} MiB "
            + (f"| {emb['peak_rss_mib']:.0f} MiB |" if emb else "| - |")
        )
    out.append("")
    for s in rows:
        i = runs[s]["ingest"]
        rust = {True: "active", False: "NOT active"}.get(i.get("rust_ext"), "not recorded")
        schema = "with" if i.get("baselines_with_schema") else "WITHOUT (before the fix)"
        out.append(
            f"- {s}: neo4j-rust-ext {rust}; naive and LOAD CSV ran {schema} kamgraph's "
            "constraints and indexes."
            + (f" {i['resumed'][0].upper()}{i['resumed'][1:]}." if i.get("resumed") else "")
        )
    return out


def _query_table(runs: dict[str, dict[str, Any]]) -> list[str]:
    sizes = [s for s in runs if "queries" in runs[s]]
    if not sizes:
        return []
    out = [
        "",
        "## Queries (p50 / p95 ms; warm, after one discarded run)",
        "",
        "Scopes: `portfolio` = no group_id; `group:median` / `group:largest` = the median-sized",
        "and the largest group. `same` = Neo4j and embedded returned identical rows.",
    ]
    for s in sizes:
        q = runs[s]["queries"]
        g = q["groups"]
        out += [
            "",
            f"### {s} (median group {g['median']['members']} members, "
            f"largest {g['largest']['members']})",
            "",
            "| Query | Scope | Neo4j p50 / p95 | embedded p50 / p95 | rows | same |",
            "|---|---|---|---|---|---|",
        ]
        for name, scopes in q["queries"].items():
            for scope, b in scopes.items():
                cells = []
                for kind in ("neo4j", "embedded"):
                    x = b.get(kind, {})
                    cells.append(
                        f"{x['p50_ms']:.1f} / {x['p95_ms']:.1f}"
                        if "p50_ms" in x
                        else str(x.get("error", "-"))[:60]
                    )
                rows = b.get("neo4j", {}).get("rows", b.get("embedded", {}).get("rows", "-"))
                same = b.get("same_rows_on_all_backends")
                out.append(
                    f"| {name} | {scope} | {cells[0]} | {cells[1]} | {rows} "
                    f"| {'yes' if same else ('NO' if same is False else '-')} |"
                )
    return out


def _duck_table(runs: dict[str, dict[str, Any]]) -> list[str]:
    sizes = [s for s in runs if "queries" in runs[s] and "duckdb" in runs[s]["queries"]]
    if not sizes:
        return []
    out = [
        "",
        "## DuckDB over the same CSVs (portfolio-wide, p50 ms)",
        "",
        "DuckDB tables loaded once from the CSVs (load time shown); procurement-links' SQL",
        "gathers the rows and the same Python step as kamgraph finishes them.",
        "",
        "| Size | Query | DuckDB | Neo4j | embedded | Neo4j / DuckDB | same rows | CSV load |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in sizes:
        q = runs[s]["queries"]
        for name in ("procurement-links", "cross-sell-gaps"):
            d = q["duckdb"].get(name)
            if not d:
                continue
            portfolio = q["queries"].get(name, {}).get("portfolio", {})
            neo = portfolio.get("neo4j", {}).get("p50_ms")
            emb = portfolio.get("embedded", {}).get("p50_ms")
            same = "; ".join(
                f"{kind}: "
                + {True: "yes", False: "NO", None: "no answer"}[d.get(f"same_rows_as_{kind}")]
                for kind in ("neo4j", "embedded")
            )
            out.append(
                f"| {s} | {name} | {d['p50_ms']:.0f} | {neo if neo is None else f'{neo:.0f}'} "
                f"| {'no answer' if emb is None else f'{emb:.0f}'} "
                f"| {(neo / d['p50_ms']) if neo else 0:.1f}x | {same} "
                f"| {q['duckdb']['load_csv_tables_ms']:.0f} ms |"
            )
    return out


def _map_table(runs: dict[str, dict[str, Any]]) -> list[str]:
    sizes = [s for s in runs if "maps" in runs[s]]
    if not sizes:
        return []
    s = sizes[-1]
    mp = runs[s]["maps"]
    out = [
        "",
        f"## Maps (headless Chromium, run with size {s})",
        "",
        f"`default` collapses branches above {mp['collapse_threshold']} nodes; `expanded` draws",
        "every node. First draw = `window.kgReadyMs` (navigation start to vis-network's first",
        "afterDrawing), median of runs.",
        "",
        "| Nodes | Mode | Drawn nodes | HTML size | Python render | First draw p50 | max |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in mp["maps"]:
        out.append(
            f"| {_n(m['nodes'])} | {m['mode']} | {_n(m['drawn_nodes'])} "
            f"| {m['html_bytes'] / 1024 / 1024:.2f} MiB | {m['render_html_ms']:.0f} ms "
            f"| {m['first_draw_ms_p50']:.0f} ms | {m['first_draw_ms_max']:.0f} ms |"
        )
    return out


def write(results: Path, target: Path) -> None:
    """Regenerate ``target`` (BENCHMARKS.md) from every results file."""
    target.write_text(render(_load(results)), encoding="utf-8")
