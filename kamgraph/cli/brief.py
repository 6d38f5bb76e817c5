"""``kamgraph brief``: the Markdown handover brief of one customer group."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

HELP = (
    "Write the handover brief of one customer group as Markdown: family tree, who decides, "
    "open deals, wins and losses, notes and playbook, coverage gaps and how fresh it all is."
)


def register(app: typer.Typer) -> None:
    """Add the ``brief`` command to ``app``."""
    # Imported here: kamgraph.cli.app calls register() while it is still being imported.
    from kamgraph.cli.app import connected, handle_errors, say

    @app.command(name="brief", help=HELP)
    @handle_errors
    def brief(
        ctx: typer.Context,
        group_id: Annotated[
            str, typer.Argument(help="Account id of the group's top company or of any member.")
        ],
        out: Annotated[
            Path | None,
            typer.Option("--out", "-o", help="Markdown file to write (default: stdout)."),
        ] = None,
        as_of: Annotated[
            str | None, typer.Option("--as-of", help="Brief as of YYYY-MM-DD (default today).")
        ] = None,
    ) -> None:
        from kamgraph.brief import build_brief

        with connected(ctx, write=False) as backend:
            text = build_brief(backend, group_id, as_of=as_of)
        if out is None:
            typer.echo(text, nl=False)
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        say(f"wrote {out}")
