"""The benchmark generator at its tiny size: deterministic, demo-format CSVs, loads with 0 rejects.

No timing here: benchmark figures live in bench/results and BENCHMARKS.md (``python -m bench``).
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.generate import FILES, SIZES, generate
from kamgraph.cli import app
from kamgraph.demo.generate import HEADERS, sf_id18

TINY = SIZES["T"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("bench-tiny")
    generate(directory, "T", seed=3)
    return directory


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_same_seed_same_bytes_other_seed_other_bytes(tiny: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", "T", seed=3)
    other = generate(tmp_path / "other", "T", seed=4)
    for name in FILES.values():
        assert (tiny / name).read_bytes() == (again.directory / name).read_bytes(), name
    assert (tiny / "Opportunity.csv").read_bytes() != (
        other.directory / "Opportunity.csv"
    ).read_bytes()


def test_files_have_the_demo_headers_and_the_sizes_asked_for(tiny: Path) -> None:
    for obj, name in FILES.items():
        with (tiny / name).open(encoding="utf-8", newline="") as handle:
            assert tuple(next(csv.reader(handle))) == HEADERS[obj], name
    accounts = _rows(tiny / "Account.csv")
    assert len(accounts) == TINY.companies
    assert len(_rows(tiny / "Contact.csv")) == TINY.contacts
    assert len(_rows(tiny / "Opportunity.csv")) == TINY.deals
    # Ids are 18-character case-safe Salesforce ids with the Account key prefix.
    for row in accounts:
        assert row["Id"].startswith("001") and sf_id18(row["Id"][:15]) == row["Id"]


def test_families_are_at_most_four_levels_deep(tiny: Path) -> None:
    parent = {r["Id"]: r["ParentId"] for r in _rows(tiny / "Account.csv")}
    tops = [key for key, p in parent.items() if not p]
    assert len(tops) == TINY.families
    depths = []
    for key in parent:
        depth, current = 0, key
        while parent[current]:
            current, depth = parent[current], depth + 1
        depths.append(depth)
    assert max(depths) == 3


def test_kamgraph_ingest_loads_everything_with_zero_rejects(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in list(os.environ):
        if key.startswith("NEO4J_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("KAMGRAPH_STORE", str(tmp_path / "store.kgl"))
    runner = CliRunner()
    sf = runner.invoke(app, ["ingest", "salesforce", str(tiny), "--log-format", "json"])
    assert sf.exit_code == 0, sf.output  # 10 would mean rejected rows
    fin = runner.invoke(app, ["ingest", "finance", str(tiny / "finance.csv")])
    assert fin.exit_code == 0, fin.output
    stats = json.loads(runner.invoke(app, ["stats", "--format", "json"]).stdout)
    assert stats["nodes"]["Company"] == TINY.companies
    assert stats["nodes"]["Contact"] == TINY.contacts
    assert stats["nodes"]["Deal"] == TINY.deals
    assert stats["nodes"]["FinanceEntry"] == len(_rows(tiny / "finance.csv"))
    assert stats["relationships"]["INCLUDES"] == len(_rows(tiny / "OpportunityLineItem.csv"))
    assert stats["relationships"]["ROLE_IN"] == len(_rows(tiny / "OpportunityContactRole.csv"))
