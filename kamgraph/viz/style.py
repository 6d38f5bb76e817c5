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
GOLD = "#d4a017"
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

DEAL_COLORS: dict[str, tuple[str, str]] = {
    "won": ("#43a047", "#1b5e20"),
    "lost": ("#e53935", "#b71c1c"),
    "open": ("#ffe082", "#ff8f00"),
}
DEAL_OTHER = ("#e0e0e0", "#757575")

# canonical attitude -> (border colour, label marker)
ATTITUDES: dict[str, tuple[str, str]] = {
    "Mentor": ("#1b5e20", "++"),
    "Supporter": ("#43a047", "+"),
    "Neutral": ("#78909c", "o"),
    "Non-Supporter": ("#fb8c00", "-"),
    "Enemy": ("#b71c1c", "--"),
}
NO_ATTITUDE_BORDER = "#90a4ae"

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
KNOWN_ROLES: dict[str, str] = {
    "decision maker": "#e15759",
    "economic buyer": "#f28e2b",
    "technical buyer": "#4e79a7",
    "user buyer": "#59a14f",
    "user": "#59a14f",
    "influencer": "#b07aa1",
    "gatekeeper": "#9c755f",
    "champion": "#76b7b2",
    "coach": "#76b7b2",
}
NO_ROLE = "#cfd8dc"

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
    for name in ATTITUDES:
        if name.replace("-", "").casefold() == key:
            return name
    return clean(attitude).strip()


def role_colors(roles: list[str]) -> dict[str, str]:
    """Colour per decision role: fixed for common roles, then spare palette colours, sorted."""
    result: dict[str, str] = {}
    used = set(KNOWN_ROLES.values())
    spare = [c for c in PALETTE if c not in used] + list(PALETTE)
    unknown = sorted(
        {r for r in roles if r.casefold().strip() not in KNOWN_ROLES},
        key=lambda r: (r.casefold(), r),
    )
    for i, role in enumerate(unknown):
        result[role] = spare[i % len(spare)]
    for role in roles:
        known = KNOWN_ROLES.get(role.casefold().strip())
        if known is not None:
            result[role] = known
    return result


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


def company_style(node: MapNode, depth: int) -> NodeStyle:
    """Box coloured by status; bigger for the HQ; thick gold border when badged."""
    bg, border = COMPANY_COLORS.get(node.status.casefold().strip(), COMPANY_OTHER)
    width = 3 if depth == 0 else 2
    opts: dict[str, Any] = {
        "shape": "box",
        "margin": 10,
        "font": {
            "color": "#ffffff" if node.status == "strategic" else TEXT,
            "size": round((18 if depth == 0 else 14) + 8 * max(0.0, min(node.weight, 1.0))),
        },
    }
    if node.badges:
        border, width = GOLD, 6
        opts["shadow"] = {
            "enabled": True,
            "color": "rgba(212,160,23,0.6)",
            "size": 14,
            "x": 0,
            "y": 0,
        }
    opts["color"] = _colors(bg, border)
    opts["borderWidth"] = width
    opts["borderWidthSelected"] = width + 2
    suffix = badge_suffix(node.badges).strip()
    label = short(node.label or "(no name)", 26) + (f"\n{suffix}" if suffix else "")
    return NodeStyle(label, opts)


def contact_style(node: MapNode, roles: dict[str, str]) -> NodeStyle:
    """Dot filled by role, border by attitude, gold glow when badged, translucent when stale."""
    fill = roles.get(node.status, NO_ROLE) if node.status else NO_ROLE
    attitude = canonical_attitude(node.attitude)
    border, marker = ATTITUDES.get(attitude, (NO_ATTITUDE_BORDER, ""))
    font_color = TEXT
    if node.faded:
        fill, border, font_color = fade(fill), fade(border), fade(TEXT, 0.45)
    opts: dict[str, Any] = {
        "shape": "dot",
        "size": 14 if node.badges else 11,
        "borderWidth": 4 if attitude in ATTITUDES else 1,
        "borderWidthSelected": 5,
        "color": _colors(fill, border),
        "font": {"color": font_color, "size": 12},
    }
    if node.badges:
        opts["shadow"] = {"enabled": True, "color": GOLD, "size": 16, "x": 0, "y": 0}
    label = short(node.label or "(no name)", 20)
    if marker:
        label += f" ({marker})"
    label += badge_suffix(node.badges)
    return NodeStyle(label, opts)


def deal_style(node: MapNode) -> NodeStyle:
    """Diamond: green won, red lost, amber with dashed border when open."""
    status = node.status.casefold().strip()
    bg, border = DEAL_COLORS.get(status, DEAL_OTHER)
    opts: dict[str, Any] = {
        "shape": "diamond",
        "size": 12,
        "borderWidth": 2,
        "color": _colors(bg, border),
        "font": {"color": TEXT, "size": 11},
    }
    if status == "open":
        opts["shapeProperties"] = {"borderDashes": [4, 3]}
    if node.badges:
        opts["shadow"] = {"enabled": True, "color": GOLD, "size": 16, "x": 0, "y": 0}
    return NodeStyle(short(node.label or "(no name)", 24) + badge_suffix(node.badges), opts)


def other_style(node: MapNode) -> NodeStyle:
    """Products, competitors and notes."""
    shape, bg, border = OTHER_KINDS[node.kind]
    opts: dict[str, Any] = {
        "shape": shape,
        "color": _colors(bg, border),
        "borderWidth": 1,
        "font": {"color": TEXT, "size": 11},
    }
    if shape == "box":
        opts["margin"] = 6
    else:
        opts["size"] = 11
    if node.badges:
        opts["shadow"] = {"enabled": True, "color": GOLD, "size": 16, "x": 0, "y": 0}
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
            "font": {"color": TEXT, "size": 13},
        },
    )


def edge_style(kind: str) -> dict[str, Any]:
    """vis-network edge options for an edge kind (a copy; safe to extend)."""
    style = dict(EDGE_STYLES.get(kind, EDGE_OTHER))
    style["color"] = {"color": style["color"], "highlight": "#000000", "hover": "#000000"}
    style.setdefault("arrows", "")
    return style
