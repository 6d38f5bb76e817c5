"""The CLI reference (docs/cli.md), generated from ``--help`` so the docs cannot drift.

Regenerate with ``python -m kamgraph.cli.reference > docs/cli.md``; a test compares them.
"""

from __future__ import annotations

import os
from typing import Any

import typer
from typer.testing import CliRunner

from kamgraph.cli.app import app

WIDTH = 100


def _commands(group: Any, path: list[str]) -> list[list[str]]:
    """Every command path below ``group`` (typer vendors click: duck-typed on purpose)."""
    found = [path]
    if hasattr(group, "list_commands"):
        ctx = type(group).context_class(group)
        for name in sorted(group.list_commands(ctx)):
            sub = group.get_command(ctx, name)
            if sub is not None and not getattr(sub, "hidden", False):
                found.extend(_commands(sub, [*path, name]))
    return found


def generate() -> str:
    """Markdown with the ``--help`` text of every command, in a stable order."""
    runner = CliRunner()
    env = {"COLUMNS": str(WIDTH), "TERMINAL_WIDTH": str(WIDTH), "NO_COLOR": "1"}
    root = typer.main.get_command(app)
    parts = [
        "# Command-line reference",
        "",
        "Generated from `--help` by `python -m kamgraph.cli.reference > docs/cli.md`;",
        "`tests/test_cli_reference.py` fails when it is out of date.",
        "",
    ]
    for path in _commands(root, []):
        result = runner.invoke(app, [*path, "--help"], env=env, prog_name="kamgraph")
        title = " ".join(["kamgraph", *path])
        parts += [f"## `{title}`", "", "```text", result.output.rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    os.environ.setdefault("COLUMNS", str(WIDTH))
    print(generate(), end="")
