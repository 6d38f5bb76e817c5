"""The CLI as users script it: help, version, exit codes, output formats, and a real subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamgraph import __version__
from kamgraph.cli import app

from .conftest import SF_SMALL

COMMANDS = [
    ["init"],
    ["ingest"],
    ["ingest", "salesforce"],
    ["ingest", "finance"],
    ["ingest", "notes"],
    ["ingest", "policies"],
    ["ingest", "csv"],
    ["ingest", "gleif"],
    ["ingest", "subsidiaries"],
    ["query"],
    ["map"],
    ["stats"],
    ["runs"],
    ["demo"],
    ["brief"],
    ["analyze"],
    ["analyze", "influence"],
    ["analyze", "single-points"],
    ["export"],
    ["scorecard"],
]


def clean_env(tmp_path: Path) -> dict[str, str]:
    """An environment that selects the embedded store in ``tmp_path`` (no Neo4j variables)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["KAMGRAPH_STORE"] = str(tmp_path / "store.kgl")
    return env


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for key in list(os.environ):
        if key.startswith("NEO4J_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("KAMGRAPH_STORE", str(tmp_path / "store.kgl"))
    return CliRunner()


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"kamgraph {__version__}"


def test_ingest_then_stats_json_shape_and_backend_on_stderr(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ingest", "salesforce", str(SF_SMALL)])
    assert result.exit_code == 0, result.output
    assert "using embedded kglite" in result.stderr
    stats = runner.invoke(app, ["stats", "--format", "json"])
    assert stats.exit_code == 0
    data = json.loads(stats.stdout)
    assert data["nodes"]["Company"] == 10
    assert data["relationships"]["SUBSIDIARY_OF"] == 2
    assert set(data) == {"nodes", "relationships", "runs"}


def test_query_json_is_an_array_of_row_objects(runner: CliRunner, sf_ids: dict[str, str]) -> None:
    runner.invoke(app, ["ingest", "salesforce", str(SF_SMALL)])
    result = runner.invoke(
        app,
        [
            "query",
            "procurement-links",
            "--param",
            "waves_only=true",
            "--param",
            "as_of=2025-12-01",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and len(rows) == 1
    assert rows[0]["group_id"] == sf_ids["A0"]
    assert rows[0]["is_wave"] is True


def test_query_csv_and_out_file(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["ingest", "salesforce", str(SF_SMALL)])
    out = tmp_path / "links.csv"
    result = runner.invoke(
        app, ["query", "procurement-links", "-p", "as_of=2025-12-01", "-f", "csv", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("group_id,group_name,product_family,is_wave")
    assert len(lines) == 4  # header + Acme Gateways, Acme Sensors, ACME Holdings Sensors


def test_query_list_names_the_queries(runner: CliRunner) -> None:
    result = runner.invoke(app, ["query", "--list", "--format", "json"])
    assert result.exit_code == 0
    names = {row["name"] for row in json.loads(result.stdout)}
    assert "procurement-links" in names
    assert "upsert-company" not in names  # internal statements are not queries


def test_errors_are_one_line_with_distinct_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    unknown = runner.invoke(app, ["query", "nope"])
    assert unknown.exit_code == 6
    assert "kamgraph query --list" in unknown.stderr
    assert "Traceback" not in unknown.output
    bad_param = runner.invoke(app, ["query", "procurement-links", "-p", "min_members=many"])
    assert bad_param.exit_code == 2  # a bad parameter value is a usage error, like --as-of
    missing = runner.invoke(app, ["ingest", "salesforce", str(tmp_path / "nowhere")])
    assert missing.exit_code == 5
    assert "not a folder" in missing.stderr
    bad_uri = runner.invoke(app, ["--neo4j-uri", "http://x", "stats"])
    assert bad_uri.exit_code == 2


def test_rejected_rows_exit_10_and_write_the_rejects_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "Account.csv").write_text(
        "Id,Name\n001000000000001AAA,Good\n001000000000002AAA,\n", encoding="utf-8"
    )
    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(
        app,
        [
            "ingest",
            "salesforce",
            str(folder),
            "--rejects",
            str(rejects),
            "--log-format",
            "json",
            "--quiet",
        ],
    )
    assert result.exit_code == 10
    summary = json.loads(result.stderr.strip().splitlines()[-1])
    assert summary["rejected"] == 1 and summary["created"] == 1
    assert "Account.csv,3,Name," in rejects.read_text(encoding="utf-8")


def test_unreachable_neo4j_is_a_clear_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--neo4j-uri", "bolt://127.0.0.1:1", "stats"])
    assert result.exit_code == 3
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in result.stderr


def test_map_command_writes_html(runner: CliRunner, tmp_path: Path, sf_ids: dict[str, str]) -> None:
    runner.invoke(app, ["ingest", "salesforce", str(SF_SMALL)])
    out = tmp_path / "acme.html"
    result = runner.invoke(app, ["map", sf_ids["A1a"], "-o", str(out), "--as-of", "2025-12-01"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Acme Holding AG" in html
    assert "Acme Süd Stuttgart" in html or "Acme S\\u00fcd Stuttgart" in html
    unknown = runner.invoke(app, ["map", "001000000000999AAA", "-o", str(out)])
    assert unknown.exit_code == 8


@pytest.mark.slow
def test_demo_as_a_real_subprocess(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    cmd = [sys.executable, "-m", "kamgraph", "demo", "--dir", str(tmp_path / "demo")]
    first = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "Nordwind Industrie Holding AG" in first.stdout
    assert "Safety Sensors" in first.stdout
    assert "we know nobody at group HQ" in first.stdout
    assert "using embedded kglite" in first.stderr
    html = tmp_path / "demo" / "orgmap-key-group.html"
    assert html.is_file() and str(html) in first.stderr
    assert "<script src=" not in html.read_text(encoding="utf-8")
    # Money in one currency (the demo ships its rates); people by name, not by id.
    assert re.search(r"Revenue invoiced: [\d,]+ EUR \(converted from CNY, EUR, USD", first.stdout)
    hq = [line for line in first.stdout.splitlines() if "contacts at HQ:" in line]
    assert hq and not any(re.search(r"\b003[0-9A-Za-z]{15}\b", line) for line in hq)
    assert any("(Economic Buyer)" in line for line in hq)
    cmd += ["--currency", "USD"]
    second = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0
    assert " 0 created" in second.stdout  # re-running the demo changes nothing
    assert re.search(r"Revenue invoiced: [\d,]+ USD", second.stdout)


def test_map_finds_a_group_by_name(
    runner: CliRunner, tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    runner.invoke(app, ["ingest", "salesforce", str(SF_SMALL)])
    out = tmp_path / "cobalt.html"
    result = runner.invoke(app, ["map", "cobalt", "-o", str(out), "--as-of", "2025-12-01"])
    assert result.exit_code == 0, result.output
    assert "<title>Cobalt Logistics Inc — org map</title>" in out.read_text(encoding="utf-8")
    # "acme" names two groups: a usage error that lists both, no map written
    several = runner.invoke(app, ["map", "acme", "-o", str(tmp_path / "x.html")])
    assert several.exit_code == 2
    assert "2 groups match 'acme'" in several.stderr
    assert f"Acme Holding AG ({sf_ids['A0']})" in several.stderr
    assert f"ACME Holdings Ltd. ({sf_ids['B0']})" in several.stderr
    assert not (tmp_path / "x.html").exists()
    # an exact name wins over the longer names containing it
    exact = runner.invoke(app, ["map", "acme holding ag", "-o", str(tmp_path / "a.html")])
    assert exact.exit_code == 0, exact.output
    nothing = runner.invoke(app, ["map", "no such group", "-o", str(tmp_path / "n.html")])
    assert nothing.exit_code == 8
    assert "no group whose name contains it" in nothing.stderr


def test_group_layers_do_not_change_the_header(
    runner: CliRunner, tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    runner.invoke(app, ["ingest", "salesforce", str(SF_SMALL)])
    pages = {}
    for layers in ("contacts,waves", "contacts,deals,products,whitespace,waves,reps"):
        out = tmp_path / f"{len(layers)}.html"
        result = runner.invoke(
            app, ["map", sf_ids["A0"], "--layers", layers, "-o", str(out), "--as-of", "2025-12-01"]
        )
        assert result.exit_code == 0, result.output
        page = out.read_text(encoding="utf-8")
        pages[layers] = page[page.index('<dl class="kg-summary"') : page.index("</dl>")]
    first, second = pages.values()
    assert first == second
    assert "open pipeline</dt><dd>0<" not in first
