"""The handover brief: as a library call on both backends, and as `kamgraph brief` (CliRunner)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kamgraph.backends.base import Backend
from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.brief import build_brief
from kamgraph.cli.app import app
from kamgraph.errors import InvalidValueError, NotFoundError

from .fixture_graphs import fixture_ids, load_folder

ID = fixture_ids("brief")
AS_OF = "2025-06-30"


def section(text: str, title: str) -> str:
    """The lines under ``## title`` up to the next section."""
    part = text.split(f"## {title}\n", 1)[1]
    return part.split("\n## ", 1)[0]


@pytest.fixture
def graph(backend: Backend) -> Backend:
    reports = load_folder(backend, "brief")
    assert all(r.counts.rejected == 0 for r in reports)
    return backend


def test_brief_of_a_member_covers_the_whole_group(graph: Backend) -> None:
    text = build_brief(graph, ID["B1a"], as_of=AS_OF)
    assert text.startswith("# Handover brief: Borealis Holding AG\n")
    tree = section(text, "Family tree")
    assert [line.split(" (`")[0] for line in tree.strip().splitlines()] == [
        "- **Borealis Holding AG**",
        "  - **Borealis Nord GmbH**",
        "    - **Borealis Nord - Werk Kiel**",
        "  - **Borealis Süd GmbH**",
    ]
    deciders = section(text, "Who decides")
    greta = deciders.index("Greta Groß")
    hans = deciders.index("Hans Huber")
    assert greta < hans  # both decisive; High influence first
    assert (
        "| Hans Huber (`003000000000602AAA`) | Borealis Nord - Werk Kiel | Plant Manager | "
        "Decision Maker | Non-Supporter | Medium | 2024-01-10 |"
    ) in deciders
    assert "Also known (no decision role yet): Ida Info (Engineer" in deciders


def test_deals_history_notes_gaps_and_freshness(graph: Backend) -> None:
    text = build_brief(graph, ID["B0"], as_of=AS_OF)
    assert "Kiel sensors (`006000000000601AAA`)" in section(text, "Open deals")
    history = section(text, "History: wins, losses and competitors")
    assert "- 2025-03-01: Won — Nord gateways (Borealis Nord GmbH, 15,000 EUR)" in history
    assert "- 2025-02-15: Lost to Rival GmbH — Süd sensors" in history
    assert "| Rival GmbH | 2 | 1 | 1 | 0 | 2025-01-10 |" in history
    notes = section(text, "Notes and playbook")
    assert "1. 2025-04-02 — Step 1/2: Map the buying center at Kiel." in notes
    assert "2. 2025-04-20 — Step 2/2" in notes
    assert "Hans prefers the incumbent." in notes
    assert "Written after the brief date" not in notes  # dated 2025-08-01
    gaps = section(text, "Gaps")
    assert gaps.strip().splitlines() == [
        "- **HQ procurement**: Borealis Holding AG issued procurement policies for Sensors "
        "(POL-B) and we know nobody there",
        "- **Kiel sensors**: Hans Huber is Decision Maker and Non-Supporter (contacts: Hans Huber)",
    ]
    fresh = section(text, "How fresh this is")
    assert "1 not verified within 180 days: Hans Huber." in fresh
    assert "Nobody known at 1 of 4 companies: Borealis Holding AG." in fresh
    assert "Notes from 2025-02-01 to 2025-05-05." in fresh
    assert "Data loaded: notes 2025-06-01, policies 2025-06-01, salesforce 2025-06-01." in fresh


def test_the_same_brief_on_both_backends(graph: Backend, tmp_path: Path) -> None:
    other = EmbeddedBackend.open(tmp_path / "other.kgl")
    load_folder(other, "brief")
    assert build_brief(graph, ID["B0"], as_of=AS_OF) == build_brief(other, ID["B0"], as_of=AS_OF)
    other.close()


def test_15_character_ids_and_errors(graph: Backend) -> None:
    assert build_brief(graph, ID["B2"][:15], as_of=AS_OF).startswith("# Handover brief: Borealis")
    with pytest.raises(NotFoundError):
        build_brief(graph, "001000000000999AAA", as_of=AS_OF)
    with pytest.raises(InvalidValueError, match="YYYY-MM-DD"):
        build_brief(graph, ID["B0"], as_of="30.06.2025")


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    """The real ``kamgraph`` app over a store holding tests/data/brief."""
    for key in list(os.environ):
        if key.startswith("NEO4J_"):
            monkeypatch.delenv(key)
    store = tmp_path / "store.kgl"
    backend = EmbeddedBackend.open(store)
    load_folder(backend, "brief")
    backend.close()
    monkeypatch.setenv("KAMGRAPH_STORE", str(store))
    return app


def test_cli_prints_the_brief(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["brief", ID["B1"], "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Handover brief: Borealis Holding AG\n")
    assert "using embedded kglite" in result.stderr


def test_cli_writes_a_file(cli: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "briefs" / "borealis.md"
    result = CliRunner().invoke(cli, ["brief", ID["B0"], "-o", str(out), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote {out}" in result.stderr
    assert "## Who decides" in out.read_text(encoding="utf-8")


def test_cli_errors_are_one_line_with_exit_codes(cli: typer.Typer) -> None:
    unknown = CliRunner().invoke(cli, ["brief", "001000000000999AAA"])
    assert unknown.exit_code == 8
    assert unknown.stderr.strip().splitlines()[-1].startswith("error: no company with id")
    bad_date = CliRunner().invoke(cli, ["brief", ID["B0"], "--as-of", "June"])
    assert bad_date.exit_code == 2  # a bad option value is a usage error on every command
    assert "--as-of 'June' is not a date" in bad_date.stderr


def test_cli_help(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["brief", "--help"])
    assert result.exit_code == 0
    assert "handover brief" in result.output and "--as-of" in result.output
