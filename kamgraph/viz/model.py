"""Plain data for one customer org map, independent of any database.

The caller turns query rows into these frozen dataclasses; the renderer in
:mod:`kamgraph.viz.orgmap` never talks to a store. Every string here may come
straight from the CRM and is treated as untrusted text by the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NodeKind = Literal["company", "contact", "deal", "product", "competitor", "note", "rep"]

NODE_KINDS: tuple[NodeKind, ...] = (
    "company",
    "contact",
    "deal",
    "product",
    "competitor",
    "note",
    "rep",
)

#: A member's standing for one product family, as the map draws it.
MemberState = Literal["won", "lost", "open", "untouched"]
MEMBER_STATES: tuple[MemberState, ...] = ("won", "lost", "open", "untouched")

EDGE_KINDS: tuple[str, ...] = (
    "subsidiary_of",
    "branch_of",
    "works_at",
    "reports_to",
    "deal_of",
    "includes",
    "lost_to",
    "role",
    "knows",
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
    states: tuple[tuple[str, MemberState, str], ...] = ()
    """Company: ``(product family, state, detail)`` per family, e.g. ``("Sensors", "lost",
    "Ostwald")``; the page draws the state of the family chosen in its selector."""
    title: str = ""
    """Contact: job title, drawn on the card."""
    verified: str = ""
    """Contact: the day the contact was last verified (ISO), or empty for never."""
    known_by: tuple[str, ...] = ()
    """Contact: the reps on our side who know the person (touchpoints in the window)."""
    decisive: bool = False
    """Contact: holds a deciding role (decision maker, economic buyer); the card stands out."""
    families: tuple[str, ...] = ()
    """Deal: its product families (the page's family filter)."""
    point: tuple[float, float] | None = None
    """Matrix maps: (x, y) in 0..1, x to the right and y upwards (the portfolio matrix)."""
    link: str = ""
    """A relative file name of another map this node opens (portfolio written with --all)."""


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
    headline: str = ""
    """The findings in one or two sentences, shown first in the header."""
    families: tuple[str, ...] = ()
    """Product families the page's selector offers for member states (companies' ``states``)."""
    family: str = ""
    """The family selected on opening (the group's live wave); empty: all families."""
    matrix: tuple[str, str, tuple[tuple[str, float, float], ...]] | None = None
    """A matrix map instead of a tree: (x axis name, y axis name, quadrant names with the
    centre of their cell in 0..1); nodes with a ``point`` are placed on it."""
