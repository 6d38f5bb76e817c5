"""``kamgraph analyze``, ``kamgraph export`` and ``kamgraph scorecard``: relationship analytics.

The work is done by :mod:`kamgraph.analytics`; these commands parse options and format rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kamgraph.cli.output import FORMATS

ANALYZE_HELP = "Relationship analytics on one customer group's graph (networkx)."
INFLUENCE_HELP = (
    "Rank the people of a customer group by influence on the graph (decision roles weighted "
    "by deal size and outcome, reports-to lines, touchpoints), explain each rank and flag where "
    "the job titles tell a different story."
)
SINGLE_POINTS_HELP = (
    "Reps and contacts whose loss would cut our coverage of a member or of a key decision "
    "role of the group, and what exactly would be lost."
)
EXPORT_HELP = (
    "Write a group's relationship graph (or the whole portfolio with --all) as GraphML, GEXF "
    "or node-link JSON for Gephi, yEd or your own scripts."
)
SCORECARD_HELP = (
    "The key-account program scorecard per rep, per team tier and for the key accounts as a "
    "whole: coverage, key roles known, map freshness, touchpoints, single-threaded deals, "
    "whitespace converted, waves caught or missed, revenue and cost against the previous period."
)

GroupArg = Annotated[
    str, typer.Argument(help="Account id of the group's top company or of any member.")
]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Analyse the graph as of YYYY-MM-DD (default today).")
]
WindowOpt = Annotated[
    int,
    typer.Option("--window-days", min=1, help="Touchpoints within this many days count."),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file.")]


def register(app: typer.Typer) -> None:
    """Add ``analyze influence``, ``analyze single-points``, ``export`` and ``scorecard``."""
    # Imported here: kamgraph.cli.app calls register() while it is still being imported.
    from kamgraph.analytics.graph import DEFAULT_WINDOW_DAYS
    from kamgraph.analytics.influence import DEFAULT_GAP
    from kamgraph.cli.app import connected, handle_errors, say
    from kamgraph.cli.output import render
    from kamgraph.errors import ConfigError

    analyze_app = typer.Typer(help=ANALYZE_HELP, no_args_is_help=True)
    app.add_typer(analyze_app, name="analyze")

    def check_format(fmt: str) -> None:
        if fmt not in FORMATS:
            raise ConfigError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")

    def write(text: str, out: Path | None) -> None:
        if out is None:
            typer.echo(text, nl=False)
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        say(f"wrote {out}")

    @analyze_app.command(name="influence", help=INFLUENCE_HELP)
    @handle_errors
    def influence(
        ctx: typer.Context,
        group_id: GroupArg,
        as_of: AsOfOpt = None,
        gap: Annotated[
            int,
            typer.Option(
                "--gap", min=1, help="Rank distance from the title band that is a disagreement."
            ),
        ] = DEFAULT_GAP,
        window_days: WindowOpt = DEFAULT_WINDOW_DAYS,
        fmt: FormatOpt = "table",
        out: OutOpt = None,
    ) -> None:
        from kamgraph.analytics.graph import group_graph
        from kamgraph.analytics.influence import COLUMNS, rank_influence

        check_format(fmt)
        with connected(ctx, write=False) as backend:
            g = group_graph(backend, group_id, as_of=as_of, window_days=window_days)
        rows = rank_influence(g, gap=gap)
        flagged = sum(1 for r in rows if r["disagreement"])
        say(
            f"{g.graph['group_name']}: {len(rows)} people ranked as of {g.graph['as_of']}, "
            f"{flagged} where title and graph disagree"
        )
        write(render(rows, fmt, COLUMNS), out)

    @analyze_app.command(name="single-points", help=SINGLE_POINTS_HELP)
    @handle_errors
    def single_points_command(
        ctx: typer.Context,
        group_id: GroupArg,
        as_of: AsOfOpt = None,
        window_days: WindowOpt = DEFAULT_WINDOW_DAYS,
        fmt: FormatOpt = "table",
        out: OutOpt = None,
    ) -> None:
        from kamgraph.analytics.graph import group_graph
        from kamgraph.analytics.single_points import COLUMNS, single_points

        check_format(fmt)
        with connected(ctx, write=False) as backend:
            g = group_graph(backend, group_id, as_of=as_of, window_days=window_days)
        rows = single_points(g)
        name, day = g.graph["group_name"], g.graph["as_of"]
        say(f"{name}: {len(rows)} single points of failure as of {day}")
        write(render(rows, fmt, COLUMNS), out)

    @app.command(name="export", help=EXPORT_HELP)
    @handle_errors
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
        if fmt not in GRAPH_FORMATS:
            raise ConfigError(f"--format {fmt!r} is not one of {', '.join(GRAPH_FORMATS)}")
        with connected(ctx, write=False) as backend:
            if group_id is not None:
                g = group_graph(backend, group_id, as_of=as_of, window_days=window_days)
            else:
                g = portfolio_graph(backend, as_of=as_of, window_days=window_days)
        say(f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges ({fmt})")
        write(export_text(g, fmt), out)

    @app.command(name="scorecard", help=SCORECARD_HELP)
    @handle_errors
    def scorecard_command(
        ctx: typer.Context,
        team: Annotated[
            str | None,
            typer.Option("--team", help="Only this tier: key-account, progression or expansion."),
        ] = None,
        start: Annotated[
            str | None,
            typer.Option("--from", help="First day of the period (default --to minus 365 days)."),
        ] = None,
        end: Annotated[
            str | None, typer.Option("--to", help="Last day of the period (default today).")
        ] = None,
        fmt: FormatOpt = "table",
        out: OutOpt = None,
    ) -> None:
        from kamgraph.analytics.graph import check_day
        from kamgraph.analytics.scorecard import COLUMNS, period_of, scorecard

        check_format(fmt)
        start = None if start is None else check_day(start, "--from")
        end = None if end is None else check_day(end, "--to")
        span = period_of(start, end)
        with connected(ctx, write=False) as backend:
            rows = scorecard(backend, team=team, start=start, end=end)
        say(
            f"scorecard {span.start} .. {span.end} "
            f"(previous period {span.prev_start} .. {span.prev_end})"
        )
        write(render(rows, fmt, COLUMNS), out)
