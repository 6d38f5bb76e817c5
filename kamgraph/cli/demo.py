"""``kamgraph demo``: a generated portfolio, ingested, with its headline findings and a map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kamgraph.cli.context import connected
from kamgraph.cli.options import CurrencyOpt
from kamgraph.cli.output import say, write_result

app = typer.Typer()


@app.command()
def demo(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Option("--dir", help="Where to write the demo exports and the map.")
    ] = Path("kamgraph-demo"),
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same data).")] = 7,
    currency: CurrencyOpt = None,
) -> None:
    """Generate a demo portfolio, ingest it, print the headline findings and write a map."""
    from kamgraph.demo.run import run_demo

    with connected(ctx, write=True) as backend:
        result = run_demo(backend, directory, seed=seed, currency=currency)
    write_result(result.text, None)
    say(f"org map written: {result.map_path.resolve()}")
