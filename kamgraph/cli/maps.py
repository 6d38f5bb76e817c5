"""``kamgraph map``: offline HTML org maps of one group, the whole portfolio, or every group."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kamgraph.cli.context import connected, state
from kamgraph.cli.options import CurrencyOpt, day_option
from kamgraph.cli.output import progress, say, writing
from kamgraph.errors import ConfigError

app = typer.Typer()


@app.command(name="map")
def map_(
    ctx: typer.Context,
    group_id: Annotated[
        str | None,
        typer.Argument(
            help="Account id of the group (or of any member), or part of the group's name."
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="HTML file to write (default orgmap.html).")
    ] = None,
    as_of: Annotated[str | None, day_option("--as-of", "Map as of YYYY-MM-DD.")] = None,
    layers: Annotated[
        str,
        typer.Option(
            "--layers", help="Comma-separated: contacts,deals,products,whitespace,waves,reps."
        ),
    ] = "contacts,deals,products,whitespace,waves,reps",
    portfolio: Annotated[
        bool,
        typer.Option("--portfolio", help="All groups on the key-account matrix, sized by revenue."),
    ] = False,
    all_dir: Annotated[
        Path | None,
        typer.Option(
            "--all", help="Write one map per group, index.html and portfolio.html into this folder."
        ),
    ] = None,
    no_people: Annotated[
        bool,
        typer.Option(
            "--no-people",
            help="With --all: leave contacts out of every map (for wide distribution).",
        ),
    ] = False,
    currency: CurrencyOpt = None,
) -> None:
    """Write offline HTML org maps: one group, the whole portfolio, or every group."""
    from kamgraph.maps import (
        build_group_map,
        build_portfolio_map,
        check_layers,
        resolve_map_target,
        write_all_maps,
    )
    from kamgraph.viz.orgmap import write_org_map

    chosen = sum(bool(x) for x in (group_id, portfolio, all_dir))
    if chosen != 1:
        raise ConfigError("give exactly one of GROUP_ID, --portfolio or --all DIR")
    if no_people and all_dir is None:
        raise ConfigError(
            "--no-people goes with --all DIR (a single map leaves people out with --layers)"
        )
    try:
        wanted = check_layers([x.strip() for x in layers.split(",") if x.strip()])
    except ConfigError as e:
        raise ConfigError(f"--layers: {e}") from None
    with connected(ctx, write=False) as backend:
        if all_dir is not None:
            with writing(all_dir), progress(state(ctx), "org maps", unit="maps") as tick:
                written = write_all_maps(
                    backend,
                    all_dir,
                    as_of=as_of,
                    on_start=tick.expect,
                    on_map=tick,
                    people=not no_people,
                    currency=currency,
                )
            say(f"wrote {len(written)} group maps and {all_dir / 'index.html'}")
            typer.echo(str((all_dir / "index.html").resolve()))
            return
        if portfolio:
            with progress(state(ctx), "portfolio map"):
                org = build_portfolio_map(backend, as_of=as_of, currency=currency)
        else:
            assert group_id is not None
            account_id = resolve_map_target(backend, group_id, as_of=as_of)
            org = build_group_map(
                backend, account_id, as_of=as_of, layers=wanted, currency=currency
            )
    target = out or Path("orgmap.html")
    with writing(target):
        path = write_org_map(org, target)
    say(f"org map of {org.title}: {path.resolve()}")
    typer.echo(str(path.resolve()))
