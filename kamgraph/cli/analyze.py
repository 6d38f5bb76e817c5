"""``kamgraph analyze``: relationship analytics on one customer group's graph.

The work is done by :mod:`kamgraph.analytics`; these commands parse options and format rows.
"""

from __future__ import annotations

from typing import Annotated

import typer

from kamgraph.analytics.graph import DEFAULT_WINDOW_DAYS
from kamgraph.analytics.influence import DEFAULT_GAP
from kamgraph.cli.context import connected
from kamgraph.cli.options import FormatOpt, GroupArg, OutOpt, day_option
from kamgraph.cli.output import check_format, render, say, write_result

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

AsOfOpt = Annotated[
    str | None, day_option("--as-of", "Analyse the graph as of YYYY-MM-DD (default today).")
]
WindowOpt = Annotated[
    int,
    typer.Option("--window-days", min=1, help="Touchpoints within this many days count."),
]

app = typer.Typer(help=ANALYZE_HELP, no_args_is_help=True)


@app.command(name="influence", help=INFLUENCE_HELP)
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

    fmt = check_format(fmt)
    with connected(ctx, write=False) as backend:
        g = group_graph(backend, group_id, as_of=as_of, window_days=window_days)
    rows = rank_influence(g, gap=gap)
    flagged = sum(1 for r in rows if r["disagreement"])
    say(
        f"{g.graph['group_name']}: {len(rows)} people ranked as of {g.graph['as_of']}, "
        f"{flagged} where title and graph disagree"
    )
    write_result(render(rows, fmt, COLUMNS), out)


@app.command(name="single-points", help=SINGLE_POINTS_HELP)
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

    fmt = check_format(fmt)
    with connected(ctx, write=False) as backend:
        g = group_graph(backend, group_id, as_of=as_of, window_days=window_days)
    rows = single_points(g)
    name, day = g.graph["group_name"], g.graph["as_of"]
    say(f"{name}: {len(rows)} single points of failure as of {day}")
    write_result(render(rows, fmt, COLUMNS), out)
