"""Colours, shapes and label decorations of org map nodes and edges, plus the legend entries.

Everything here is a pure function of a node's fields, so the same map always
gets the same styles. The values are vis-network node/edge options.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from kamgraph.viz.model import MapNode

FONT_FACE = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', "
    "'PingFang SC', 'Microsoft YaHei', sans-serif"
)
TEXT = "#1f2933"
FADED_ALPHA = 0.3

# status -> (background, border)
COMPANY_COLORS: dict[str, tuple[str, str]] = {
    "customer": ("#c8e6c9", "#2e7d32"),
    "lost": ("#ffccbc", "#d84315"),
    "untouched": ("#eceff1", "#90a4ae"),
    "prospect": ("#bbdefb", "#1565c0"),
    # key-account quadrants (portfolio map)
    "strategic": ("#1b5e20", "#0b3d10"),
    "star": ("#fff176", "#f9a825"),
    "status": ("#90caf9", "#1565c0"),
    "streamline": ("#e0e0e0", "#616161"),
}
COMPANY_OTHER = ("#ffffff", "#607d8b")
QUADRANTS = ("strategic", "star", "status", "streamline")

DEAL_OTHER = ("#e0e0e0", "#757575")

OTHER_KINDS: dict[str, tuple[str, str, str]] = {
    # kind -> (shape, background, border)
    "product": ("triangle", "#b39ddb", "#5e35b1"),
    "competitor": ("triangleDown", "#f48fb1", "#ad1457"),
    "note": ("box", "#fff9c4", "#f9a825"),
}
COLLAPSED = ("#f5f5f5", "#616161")

EDGE_STYLES: dict[str, dict[str, Any]] = {
    "subsidiary_of": {"color": "#546e7a", "width": 2.5},
    "branch_of": {"color": "#78909c", "width": 1.5},
    "works_at": {"color": "#b0bec5", "width": 1},
    "reports_to": {"color": "#37474f", "width": 1.2, "dashes": True, "arrows": "to"},
    "deal_of": {"color": "#a1887f", "width": 1},
    "includes": {"color": "#7e57c2", "width": 1, "dashes": [2, 4]},
    "lost_to": {"color": "#c62828", "width": 1.5, "arrows": "to"},
    "knows": {"color": "#5e35b1", "width": 1.2, "dashes": [4, 3]},
    "role": {"color": "#00897b", "width": 1, "dashes": [6, 3]},
}
EDGE_OTHER: dict[str, Any] = {"color": "#9e9e9e", "width": 1}

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Untrusted text made safe to encode: lone surrogates become U+FFFD, control characters go."""
    fixed = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _CONTROL.sub("", fixed)


def short(text: str, limit: int = 28) -> str:
    """One-line display text cut to ``limit`` columns (wide East Asian characters count 2)."""
    flat = _SPACES.sub(" ", clean(text)).strip()
    cols = 0
    for i, ch in enumerate(flat):
        cols += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if cols > limit:
            return flat[:i].rstrip() + "…"
    return flat


def canonical_attitude(attitude: str) -> str:
    """``"non supporter"`` -> ``"Non-Supporter"``; unknown values come back cleaned."""
    key = re.sub(r"[\s_-]+", "", attitude).casefold()
    for name in ATTITUDE_FILLS:
        if name.replace("-", "").casefold() == key:
            return name
    return clean(attitude).strip()


def fade(color: str, alpha: float = FADED_ALPHA) -> str:
    """``#rrggbb`` -> ``rgba(r,g,b,alpha)``."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def badge_suffix(badges: tuple[str, ...]) -> str:
    """Short label suffix naming the badge types, e.g. ``" [wave, gap]"``."""
    names: list[str] = []
    for badge in badges:
        head = short(badge.split(":", 1)[0], 12)
        if head and head not in names:
            names.append(head)
    return f" [{', '.join(names)}]" if names else ""


def _colors(background: str, border: str, highlight_border: str = "#000000") -> dict[str, Any]:
    return {
        "background": background,
        "border": border,
        "highlight": {"background": background, "border": highlight_border},
        "hover": {"background": background, "border": highlight_border},
    }


@dataclass(frozen=True)
class NodeStyle:
    """Drawn label and vis-network options of one node."""

    label: str
    options: dict[str, Any]


#: How a member is drawn for the chosen product family: colour, shape and words together, so
#: no state is told by colour alone (Okabe-Ito hues, safe for the common colour blindnesses).
STATE_STYLES: dict[str, dict[str, Any]] = {
    "won": {
        "text": "won by us",
        "symbol": "✔",
        "shape": "box",
        "background": "#d4efe5",
        "border": "#009e73",
        "width": 3,
        "dashes": False,
    },
    "lost": {
        "text": "lost",
        "symbol": "✘",
        "shape": "box",
        "background": "#fbe0cf",
        "border": "#d55e00",
        "width": 3,
        "dashes": [7, 4],
    },
    "open": {
        "text": "open deal",
        "symbol": "◔",
        "shape": "ellipse",
        "background": "#d8ebf8",
        "border": "#0072b2",
        "width": 2,
        "dashes": False,
    },
    "untouched": {
        "text": "untouched",
        "symbol": "○",
        "shape": "box",
        "background": "#ffffff",
        "border": "#8a949e",
        "width": 1,
        "dashes": [2, 3],
    },
}
#: Deals wear the colours of the member state their status gives.
DEAL_COLORS: dict[str, tuple[str, str]] = {
    status: (STATE_STYLES[status]["background"], STATE_STYLES[status]["border"])
    for status in ("won", "lost", "open")
}
#: Company status (any family) -> the state drawn when the selector shows all families.
STATUS_STATES: dict[str, str] = {
    "customer": "won",
    "lost": "lost",
    "prospect": "open",
    "untouched": "untouched",
}
MEMBER_FONT = 16
"""Font size of member names (canvas units); the HQ's is a little bigger."""
CARD_FONT = 13
"""Font size of people cards."""


def company_style(node: MapNode, depth: int) -> NodeStyle:
    """A member box; its colour, shape and state line are set in the page per product family.

    On the portfolio matrix (quadrant statuses) the colour is the quadrant's and the font grows
    with revenue.
    """
    status = node.status.casefold().strip()
    bg, border = COMPANY_COLORS.get(status, COMPANY_OTHER)
    size = (MEMBER_FONT + 2 if depth == 0 else MEMBER_FONT) + round(
        6 * max(0.0, min(node.weight, 1.0))
    )
    opts: dict[str, Any] = {
        "shape": "box",
        "margin": 8,
        "font": {
            "color": "#ffffff" if status == "strategic" else TEXT,
            "size": size,
            "align": "left",
        },
        "color": _colors(bg, border),
        "borderWidth": 2,
        "borderWidthSelected": 4,
    }
    label = short(node.label or "(no name)", 30)
    marks = [short(b, 30) for b in node.badges if node.point is not None or node.link]
    if marks:
        label += "\n" + " · ".join(marks[:2])
    return NodeStyle(label, opts)


# attitude -> (card background, mark): a blue-to-orange scale, never the role's channel.
ATTITUDE_FILLS: dict[str, tuple[str, str]] = {
    "Mentor": ("#bdd7ee", "++"),
    "Supporter": ("#deebf7", "+"),
    "Neutral": ("#f2f2f2", "o"),
    "Non-Supporter": ("#fdd9b5", "-"),
    "Enemy": ("#f8b07a", "--"),
}
DECIDER_BORDER = "#1a237e"
ROLE_BORDER = "#607d8b"


def contact_style(node: MapNode) -> NodeStyle:
    """A person's card: name, title, role, attitude, last verified, known by.

    Role is told by the border (deciders: thick, dark, starred) and the words; attitude by the
    card's fill and its mark; a stale card is translucent.
    """
    attitude = canonical_attitude(node.attitude)
    fill, marker = ATTITUDE_FILLS.get(attitude, ("#ffffff", "?"))
    border = DECIDER_BORDER if node.decisive else ROLE_BORDER
    font_color = TEXT
    if node.faded:
        fill, border, font_color = fade(fill, 0.45), fade(border, 0.6), fade(TEXT, 0.6)
    role = short(node.status, 26) if node.status else "no role known"
    lines = [
        short(node.label or "(no name)", 28),
        short(node.title, 30) if node.title else "(no title)",
        ("★ " + role.upper()) if node.decisive else role,
        f"{attitude or 'attitude unknown'} {marker} · "
        + (f"verified {node.verified}" if node.verified else "never verified")
        + (" (stale)" if node.faded else ""),
    ]
    if node.known_by:
        lines.append("known by " + short(", ".join(node.known_by), 24))
    opts: dict[str, Any] = {
        "shape": "box",
        "margin": 8,
        "borderWidth": 4 if node.decisive else 1,
        "borderWidthSelected": 5,
        "color": _colors(fill, border),
        "font": {"color": font_color, "size": CARD_FONT, "align": "left"},
        "shapeProperties": {"borderRadius": 6},
    }
    return NodeStyle("\n".join(lines), opts)


def rep_style(node: MapNode) -> NodeStyle:
    """One of our reps (the reps layer): a violet box."""
    return NodeStyle(
        short(node.label or "(no name)", 24) + "\nour rep",
        {
            "shape": "box",
            "margin": 6,
            "borderWidth": 2,
            "color": _colors("#ede7f6", "#5e35b1"),
            "font": {"color": TEXT, "size": CARD_FONT},
        },
    )


def deal_style(node: MapNode) -> NodeStyle:
    """A small box in its status's colours, dashed when open or lost; words say it too
    (a lost deal names the competitor from its ``lost to`` detail)."""
    status = node.status.casefold().strip()
    bg, border = DEAL_COLORS.get(status, DEAL_OTHER)
    opts: dict[str, Any] = {
        "shape": "box",
        "margin": 6,
        "borderWidth": 2,
        "color": _colors(bg, border),
        "font": {"color": TEXT, "size": CARD_FONT},
    }
    if status in ("open", "lost"):
        opts["shapeProperties"] = {"borderDashes": [4, 3]}
    rival = dict(node.details).get("lost to", "")
    words = (
        f"deal lost to {short(rival, 20)}"
        if status == "lost" and rival
        else f"deal {status or '?'}"
    )
    families = ", ".join(node.families)
    label = short(node.label or "(no name)", 30) + f"\n{words}"
    if families:
        label += " · " + short(families, 22)
    return NodeStyle(label, opts)


def other_style(node: MapNode) -> NodeStyle:
    """Products, competitors and notes."""
    shape, bg, border = OTHER_KINDS[node.kind]
    opts: dict[str, Any] = {
        "shape": shape,
        "color": _colors(bg, border),
        "borderWidth": 1,
        "font": {"color": TEXT, "size": CARD_FONT},
    }
    if shape == "box":
        opts["margin"] = 6
    else:
        opts["size"] = 11
    limit = 36 if node.kind == "note" else 24
    return NodeStyle(short(node.label or "(empty)", limit) + badge_suffix(node.badges), opts)


def collapsed_style(label: str) -> NodeStyle:
    """Dashed grey box standing for collapsed branches."""
    bg, border = COLLAPSED
    return NodeStyle(
        label,
        {
            "shape": "box",
            "margin": 10,
            "borderWidth": 2,
            "color": _colors(bg, border),
            "shapeProperties": {"borderDashes": [6, 4]},
            "font": {"color": TEXT, "size": 14},
        },
    )


def edge_style(kind: str) -> dict[str, Any]:
    """vis-network edge options for an edge kind (a copy; safe to extend)."""
    style = dict(EDGE_STYLES.get(kind, EDGE_OTHER))
    style["color"] = {"color": style["color"], "highlight": "#000000", "hover": "#000000"}
    style.setdefault("arrows", "")
    return style
