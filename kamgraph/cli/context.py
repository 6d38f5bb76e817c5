"""What every command shares: the settings the global options chose, and the open backend."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import typer

from kamgraph.backends import Backend, open_backend
from kamgraph.cli.output import say
from kamgraph.config import Settings
from kamgraph.errors import KamgraphError


@dataclass
class State:
    """The root command's options, kept on the click context for its subcommands."""

    settings: Settings
    quiet: bool = False
    #: CSV cells exactly as stored (``--raw-csv``), for programs rather than spreadsheets.
    raw_csv: bool = False
    #: Every stderr line a JSON object (``--log-format json``).
    log_json: bool = False


def state(ctx: typer.Context) -> State:
    found = ctx.find_root().obj
    assert isinstance(found, State), "the kamgraph root callback sets the state"
    return found


def _driver_note(backend: Backend) -> str:
    """For Neo4j, which driver and Bolt packer (Rust extension or pure Python) this run uses."""
    if backend.kind != "neo4j":
        return ""
    from kamgraph.backends.bolt import driver_description

    return f" ({driver_description()})"


@contextmanager
def connected(ctx: typer.Context, *, write: bool, wait: float = 0.0) -> Iterator[Backend]:
    """The backend the global options chose, closed (and, embedded, saved) at the end."""
    current = state(ctx)
    backend = open_backend(current.settings, write=write, wait=wait)
    if not current.quiet:
        say(f"kamgraph: using {backend.describe()}{_driver_note(backend)}")
    try:
        yield backend
    except BaseException:
        with suppress(KamgraphError):  # the first error is the one to report
            backend.close()
        raise
    backend.close()
