"""docs/cli.md is the generated --help of every command: it must be up to date."""

from __future__ import annotations

from pathlib import Path

from kamgraph.cli.reference import generate

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def test_cli_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == generate(), (
        "docs/cli.md is out of date: python -m kamgraph.cli.reference > docs/cli.md"
    )


def test_every_command_is_documented_with_help() -> None:
    text = DOC.read_text(encoding="utf-8")
    for command in ("ingest salesforce", "query", "map", "stats", "demo", "brief", "scorecard"):
        assert f"## `kamgraph {command}`" in text
    assert "No such command" not in text
