"""Relationship analytics on the graph with networkx: influence, single points, export, scorecard.

``graph`` turns a customer group's view (kamgraph/group.py, the one reader every consumer
uses) into a networkx graph; the other modules analyse or write that graph. Nothing here
talks to a store except through the backend passed in.
"""

from __future__ import annotations

from kamgraph.analytics.export import export_text, read_export, write_export
from kamgraph.analytics.graph import group_graph, portfolio_graph
from kamgraph.analytics.influence import rank_influence
from kamgraph.analytics.scorecard import scorecard
from kamgraph.analytics.single_points import single_points

__all__ = [
    "export_text",
    "group_graph",
    "portfolio_graph",
    "rank_influence",
    "read_export",
    "scorecard",
    "single_points",
    "write_export",
]
