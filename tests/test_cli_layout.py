"""How the CLI is built: one Typer sub-app per command group, joined with ``add_typer``.

Sub-modules never import the root app (the import circle of the old ``register(app)``
functions), commands never catch errors themselves (one handler, in kamgraph/cli/errors.py),
and results go through the one output helper.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import typer

from kamgraph.cli.app import app

CLI = Path(__file__).resolve().parents[1] / "kamgraph" / "cli"
#: Modules that hold commands: each defines ``app = typer.Typer(...)``.
GROUP_MODULES = (
    "analyze",
    "brief",
    "bulk",
    "cypher",
    "demo",
    "graph",
    "ingest",
    "maps",
    "personal",
    "reports",
)


def _tree(name: str) -> ast.Module:
    return ast.parse((CLI / f"{name}.py").read_text(encoding="utf-8"))


def _imports(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_every_command_group_is_a_sub_app_joined_with_add_typer() -> None:
    assert app.registered_commands == [], "the root app defines no commands of its own"
    joined = {g.typer_instance for g in app.registered_groups}
    for name in GROUP_MODULES:
        module = importlib.import_module(f"kamgraph.cli.{name}")
        assert isinstance(module.app, typer.Typer), name
        assert module.app in joined, f"kamgraph/cli/{name}.py is not joined with add_typer"
        assert module.app.registered_commands, f"kamgraph/cli/{name}.py has no commands"
    named = {g.name for g in app.registered_groups if g.name}
    assert named == {"ingest", "analyze"}


def test_every_module_with_commands_is_a_group_module() -> None:
    for path in sorted(CLI.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if ".command(" in text:
            assert path.stem in GROUP_MODULES, f"{path.name} defines commands but is not joined"


def test_no_sub_module_imports_the_root_app() -> None:
    for name in [*GROUP_MODULES, "context", "options", "output", "errors"]:
        imported = _imports(_tree(name))
        assert not any(m.startswith("kamgraph.cli.app") for m in imported), name
        assert "register" not in {n.split(".")[-1] for n in imported}, name


def test_commands_leave_errors_and_writing_to_the_shared_helpers() -> None:
    """No command catches KamgraphError or prints ``error:`` itself; files go through output."""
    for name in GROUP_MODULES:
        text = (CLI / f"{name}.py").read_text(encoding="utf-8")
        assert "except KamgraphError" not in text, name
        assert '"error: ' not in text and "'error: " not in text, name
        assert ".write_text(" not in text, f"{name}: write results with output.write_result"
