"""The ``kamgraph`` console script: answers ``--version`` before the command tree is imported.

Building the command tree (``kamgraph.cli``) imports typer, the ingest readers and networkx:
seconds on a cold machine, for one line. Everything else goes to :func:`kamgraph.cli.main`.
"""

from __future__ import annotations

import sys


def version_line() -> str:
    """What ``kamgraph --version`` prints."""
    from kamgraph import __version__

    return f"kamgraph {__version__}"


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(version_line())
        return
    from kamgraph.cli import main as run

    run()
