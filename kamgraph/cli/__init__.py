"""The ``kamgraph`` command: thin Typer apps over the library.

:func:`main` answers ``kamgraph --version`` before the command tree is imported: building it
imports typer, the ingest readers and networkx (seconds on a cold machine, for one line).
"""

from __future__ import annotations

import sys
from typing import Any


def version_line() -> str:
    """What ``kamgraph --version`` prints."""
    from kamgraph import __version__

    return f"kamgraph {__version__}"


def main() -> None:
    """The ``kamgraph`` console script."""
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(version_line() + "\n")
        return
    from kamgraph.cli.app import main as run

    run()


def __getattr__(name: str) -> Any:
    if name == "app":  # ``from kamgraph.cli import app`` still works, loaded on first use
        from kamgraph.cli.app import app

        return app
    raise AttributeError(name)


__all__ = ["app", "main"]
