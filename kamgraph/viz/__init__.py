"""Offline org maps: draw a customer's corporate family, contacts and deals as one HTML page."""

from __future__ import annotations

from kamgraph.viz.model import MapEdge, MapNode, NodeKind, OrgMap
from kamgraph.viz.orgmap import DEFAULT_COLLAPSE_THRESHOLD, render_org_map, write_org_map

__all__ = [
    "DEFAULT_COLLAPSE_THRESHOLD",
    "MapEdge",
    "MapNode",
    "NodeKind",
    "OrgMap",
    "render_org_map",
    "write_org_map",
]
