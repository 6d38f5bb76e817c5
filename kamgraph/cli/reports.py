"""``kamgraph export`` (a group's graph for other tools) and ``kamgraph scorecard``."""

from __future__ import annotations

from typing import Annotated

import typer

from kamgraph.analytics.graph import DEFAULT_WINDOW_DAYS
from kamgraph.cli.analyze import AsOfOpt, WindowOpt
from kamgraph.cli.context import connected, state
from kamgraph.cli.options import CurrencyOpt, FormatOpt, OutOpt, WideOpt, day_option
from kamgraph.cli.output import check_format, progress, render, say, write_result
from kamgraph.errors import ConfigError

EXPORT_HELP = (
    "Write a group's relationship graph (or the whole portfolio with --all) as GraphML, GEXF "
    "or node-link JSON for Gephi, yEd or your own scripts."
)
SCORECARD_HELP = (
    "The key-account program scorecard per rep, per team tier and for the key accounts as a "
    "whole: coverage, key roles known, map freshness, touchpoints, single-threaded deals, "
    "whitespace converted, waves caught or missed, revenue and cost against the previous period."
)

app = typer.Typer()


@app.command(name="export", help=EXPORT_HELP)
def export(
    ctx: typer.Context,
    group_id: Annotated[
        str | None,
        typer.Argument(help="Account id of the group's top company or of any member."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="graphml, gexf or json (node-link).")
    ] = "graphml",
    all_groups: Annotated[
        bool, typer.Option("--all", help="Every group of the portfolio in one graph.")
    ] = False,
    as_of: AsOfOpt = None,
    window_days: WindowOpt = DEFAULT_WINDOW_DAYS,
    out: OutOpt = None,
) -> None:
    from kamgraph.analytics.export import FORMATS as GRAPH_FORMATS
    from kamgraph.analytics.export import export_text
    from kamgraph.analytics.graph import group_graph, portfolio_graph

    if (group_id is None) == (not all_groups):
        raise ConfigError("give exactly one of GROUP_ID or --all")
    fmt = check_format(fmt, GRAPH_FORMATS)
    with connected(ctx, write=False) as backend:
        if group_id is not None:
            g = group_graph(backend, group_id, as_of=as_of, window_days=window_days)
        else:
            with progress(state(ctx), "portfolio graph"):
                g = portfolio_graph(backend, as_of=as_of, window_days=window_days)
    say(f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges ({fmt})")
    write_result(export_text(g, fmt), out)


@app.command(name="scorecard", help=SCORECARD_HELP)
def scorecard_command(
    ctx: typer.Context,
    team: Annotated[
        str | None,
        typer.Option("--team", help="Only this tier: key-account, progression or expansion."),
    ] = None,
    start: Annotated[
        str | None,
        day_option("--from", "First day of the period (default --to minus 365 days)."),
    ] = None,
    end: Annotated[
        str | None, day_option("--to", "Last day of the period (default today).")
    ] = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    currency: CurrencyOpt = None,
    wide: WideOpt = False,
) -> None:
    from kamgraph.analytics.scorecard import COLUMNS, period_of, scorecard
    from kamgraph.money import unconverted_warning
    from kamgraph.schema.model import REP_TIERS

    fmt = check_format(fmt)
    if team is not None:
        check_format(team, REP_TIERS, "--team")
    span = period_of(start, end)
    with connected(ctx, write=False) as backend:
        rows = scorecard(backend, team=team, start=start, end=end, currency=currency)
    say(
        f"scorecard {span.start} .. {span.end} "
        f"(previous period {span.prev_start} .. {span.prev_end})"
    )
    warning = unconverted_warning(rows)
    if warning:
        say(f"warning: {warning}")
    write_result(render(rows, fmt, COLUMNS, wide=wide), out)
