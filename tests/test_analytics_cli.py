"""The analytics commands as users run them: analyze, export, scorecard (embedded store)."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
import typer
from typer.testing import CliRunner

from kamgraph.analytics.export import read_export
from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.ingest.pipeline import ingest

from .conftest import DATA
from .fixture_graphs import fixture_ids, load_folder

REPO = Path(__file__).resolve().parents[1]
AS_OF = ["--as-of", "2025-06-30"]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    """The real ``kamgraph`` app over a store holding tests/data/analytics."""
    from kamgraph.cli.app import app

    for key in list(os.environ):
        if key.startswith("NEO4J_"):
            monkeypatch.delenv(key)
    store = tmp_path / "store.kgl"
    monkeypatch.setenv("KAMGRAPH_STORE", str(store))
    backend = EmbeddedBackend.open(store)
    load_folder(backend, "analytics")
    ingest(backend, "finance", DATA / "analytics" / "finance.csv")
    backend.close()
    yield app


@pytest.mark.parametrize(
    "command",
    [["analyze"], ["analyze", "influence"], ["analyze", "single-points"], ["export"],
     ["scorecard"]],
    ids=" ".join,
)  # fmt: skip
def test_every_command_has_help(cli: typer.Typer, command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_influence_json(cli: typer.Typer) -> None:
    ids = fixture_ids("analytics")
    result = CliRunner().invoke(cli, ["analyze", "influence", ids["T0"], *AS_OF, "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["name"], r["score"], r["disagreement"]) for r in rows] == [
        ("Xena Worker", 0.7018, False),  # rank 1 vs title 3: 2 places, the default gap is 3
        ("Yves Boss", 0.2982, False),
        ("Zoe Vice", 0.0, False),
    ]
    assert "Tiny Tools GmbH: 3 people ranked as of 2025-06-30, 0 where" in result.stderr
    result = CliRunner().invoke(cli, ["analyze", "influence", ids["T0"], *AS_OF, "--gap", "2"])
    assert result.exit_code == 0 and "1 where title and graph disagree" in result.stderr
    assert result.stdout.splitlines()[0].split()[:4] == [
        "contact_id",
        "name",
        "job_title",
        "account_id",
    ]


def test_single_points_csv_from_a_member_id(cli: typer.Typer, tmp_path: Path) -> None:
    ids = fixture_ids("analytics")
    out = tmp_path / "sp.csv"
    result = CliRunner().invoke(
        cli, ["analyze", "single-points", ids["A3"][:15], *AS_OF, "-f", "csv", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["name"] for r in rows] == [
        "Kim Key", "Eve Exp", "Bea Buyer", "Carla Ceo", "Pat Prog", "Dan Director", "Eli Engineer",
    ]  # fmt: skip
    # One value per cell: a list is joined with "; ", its names beside it.
    assert rows[0]["lost_members"].split("; ") == [ids["A1"]]
    assert rows[0]["lost_member_names"] == "Acme North GmbH"
    assert rows[0]["articulation_point"] == "true"
    assert "Acme Holding AG: 7 single points of failure" in result.stderr


def test_export_a_group_and_everything(cli: typer.Typer, tmp_path: Path) -> None:
    ids = fixture_ids("analytics")
    out = tmp_path / "acme.graphml"
    result = CliRunner().invoke(cli, ["export", ids["A0"], *AS_OF, "-o", str(out)])
    assert result.exit_code == 0, result.output
    g = read_export(out)
    assert f"contact:{ids['C4']}" in g and f"contact:{ids['X']}" not in g
    result = CliRunner().invoke(cli, ["export", "--all", "--format", "json", *AS_OF])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    everything = nx.node_link_graph(data, edges="edges")
    assert f"contact:{ids['X']}" in everything and everything.number_of_nodes() == 27


def test_scorecard_table_and_team(cli: typer.Typer) -> None:
    args = ["scorecard", "--from", "2025-01-01", "--to", "2025-06-30"]
    result = CliRunner().invoke(cli, [*args, "--team", "key-account", "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["name"] for r in rows] == ["Kim Key", "key-account tier", "key accounts"]
    assert rows[-1]["revenue_trend"] == 4.0
    assert "scorecard 2025-01-01 .. 2025-06-30 (previous period 2024-07-04 .. 2024-12-31)" in (
        result.stderr
    )
    table = CliRunner().invoke(cli, args)
    assert table.exit_code == 0 and "(7 rows)" in table.stdout


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["export"], 2, "give exactly one of GROUP_ID or --all"),
        (["export", "--all", "--format", "dot"], 2, "--format 'dot' is not one of graphml"),
        (["analyze", "influence", "001AN0000000NOPE"], 8, "no company with id"),
        (["analyze", "influence", "x", "--as-of", "June"], 2, "--as-of 'June' is not a date"),
        (["analyze", "single-points", "x", "-f", "xml"], 2, "--format 'xml' is not one of"),
        (["scorecard", "--team", "vip"], 2, "--team 'vip' is not one of"),
        (["scorecard", "--to", "2025-13-01"], 2, "--to '2025-13-01' is not a date"),
    ],
)
def test_errors_are_one_line_with_the_exit_code(
    cli: typer.Typer, args: list[str], code: int, words: str
) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code, result.output
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert words in result.stderr


def test_the_docs_describe_every_command_and_column() -> None:
    from kamgraph.analytics.influence import COLUMNS as INFLUENCE
    from kamgraph.analytics.scorecard import COLUMNS as SCORECARD
    from kamgraph.analytics.single_points import COLUMNS as SINGLE_POINTS

    doc = (REPO / "docs" / "analytics.md").read_text(encoding="utf-8")
    for heading in ("`analyze influence`", "`analyze single-points`", "`export`", "`scorecard`"):
        assert f"## {heading}" in doc
    for column in (*INFLUENCE, *SINGLE_POINTS, *SCORECARD[4:]):
        assert f"`{column}`" in doc, column
