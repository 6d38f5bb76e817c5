"""What an org map page shows on its first paint, measured in a real browser (tests, screenshots).

The probe reads the drawn network itself (node font size x view scale, node boxes mapped to
the page) rather than trusting the layout code, so a test or a screenshot script can say how
big each member's name is on screen and whether it lies inside the visible map.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}
READY = "document.body.dataset.ready === '1'"

#: For every visible company node: drawn font size on screen and whether its box is inside
#: the visible map canvas. Works on old pages (no kg.depth) and new ones alike.
PROBE_JS = """() => {
  const net = window.kgNetwork, scale = net.getScale();
  const box = document.getElementById("kg-map");
  const w = box.clientWidth, h = box.clientHeight;
  return window.kgNodes.get().filter(n => n.kg && (n.kg.kind === "company") && !n.hidden)
    .map(n => {
      const b = net.getBoundingBox(n.id);
      const a = net.canvasToDOM({x: b.left, y: b.top});
      const z = net.canvasToDOM({x: b.right, y: b.bottom});
      const size = (n.font && n.font.size) || 14;
      return {id: String(n.id), label: n.kg.label, px: size * scale,
              depth: n.kg.depth === undefined ? n.kg.level : n.kg.depth,
              inside: a.x >= -0.5 && a.y >= -0.5 && z.x <= w + 0.5 && z.y <= h + 0.5};
    });
}"""


@dataclass(frozen=True)
class LabelProbe:
    """One company label as drawn on the first paint."""

    id: str
    label: str
    px: float
    depth: int
    inside: bool


def probe_labels(page: Any) -> list[LabelProbe]:
    """The visible company labels of an open, ready map page."""
    rows = page.evaluate(PROBE_JS)
    return [
        LabelProbe(r["id"], r["label"], float(r["px"]), int(r["depth"] or 0), bool(r["inside"]))
        for r in rows
    ]


def legible_minimum(labels: list[LabelProbe]) -> float:
    """The smallest on-screen font size among labels, counting one outside the map as 0 px."""
    return min((p.px if p.inside else 0.0 for p in labels), default=0.0)
