"""The ``kamgraph`` command: thin Typer apps over the library."""

from __future__ import annotations

from kamgraph.cli.app import app, main

__all__ = ["app", "main"]
