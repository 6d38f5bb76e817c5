"""Plain data for one customer org map, independent of any database.

The caller turns query rows into these frozen dataclasses; the renderer in
:mod:`kamgraph.viz.orgmap` never talks to a store. Every string here may come
straight from the CRM and is treated as untrusted text by the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NodeKind = Literal["company", "contact", "deal", "product", "competitor", "note"]

NODE_KINDS: tuple[NodeKind, ...] = ("company", "contact", "deal", "product", "competitor", "note")

EDGE_KINDS: tuple[str, ...] = (
    "subsidiary_of",
    "branch_of",
    "works_at",
    "reports_to",
    "deal_of",
    "includes",
    "lost_to",
    "role",
)


@dataclass(frozen=True)
class MapNode:
    """One drawn node: a company of the family, or something hanging off a company.

    ``parent`` drives the layout only (edges are drawn as given in
    :attr:`OrgMap.edges`): for a company it is the parent company's node id,
    for a contact, deal or note the node id of the company it belongs to.
    """

    id: str
    kind: NodeKind
    label: str
    status: str = ""
    """company: customer|lost|untouched|prospect; deal: won|lost|open; contact: role or ""."""
    parent: str | None = None
    level: int = 0
    """Company depth in the family (0 = HQ); level >= 2 companies are branches (collapsible)."""
    attitude: str = ""
    """Contact attitude: Mentor|Supporter|Neutral|Non-Supporter|Enemy."""
    faded: bool = False
    """A stale contact, drawn translucent."""
    badges: tuple[str, ...] = ()
    """Highlights such as ``"wave: Safety Sensors"`` or ``"gap: Cloud Monitoring"``."""
    details: tuple[tuple[str, str], ...] = ()
    """Ordered field/value pairs for the details panel."""
    weight: float = 0.0
    """0..1: draws a company bigger (the portfolio map sizes groups by revenue)."""


@dataclass(frozen=True)
class MapEdge:
    """A drawn link between two node ids; ``kind`` is one of :data:`EDGE_KINDS` (or neutral)."""

    source: str
    target: str
    kind: str
    label: str = ""


@dataclass(frozen=True)
class OrgMap:
    """Everything one org map page shows."""

    title: str
    as_of: str
    """Date the data is valid for, ``YYYY-MM-DD``."""
    summary: tuple[tuple[str, str], ...]
    """Header facts in display order: revenue, open pipeline, waves, gaps, data freshness..."""
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    notes: tuple[str, ...] = ()
    """Page notes shown beside the map."""
