"""Map benchmark: time to first draw of org maps of ~200, ~2,000 and ~10,000 nodes in headless
Chromium (the page's own ``window.kgReadyMs``: navigation start to vis-network's first
``afterDrawing``), and HTML size, with and without branch collapsing."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from kamgraph.viz import DEFAULT_COLLAPSE_THRESHOLD, write_org_map
from kamgraph.viz.firstpaint import CHROMIUM, CHROMIUM_ARGS, READY
from kamgraph.viz.samples import synthetic_org_map

RUNS: Final = 3

#: target nodes -> synthetic_org_map arguments (companies x (1 + contacts + deals) nodes).
SHAPES: Final[dict[int, dict[str, int]]] = {
    200: {"subsidiaries": 4, "branches": 4, "contacts": 6, "deals": 3},
    2_000: {"subsidiaries": 12, "branches": 16, "contacts": 6, "deals": 3},
    10_000: {"subsidiaries": 20, "branches": 49, "contacts": 6, "deals": 3},
}


def run(work: Path, log: Callable[[str], None]) -> dict[str, Any]:
    """Render each map size (collapsed by default and fully expanded) and time it in Chromium."""
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {"collapse_threshold": DEFAULT_COLLAPSE_THRESHOLD, "maps": []}
    work.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(work / "chromium-profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 900},
        )
        try:
            for target, shape in SHAPES.items():
                org = synthetic_org_map(**shape)
                for mode, threshold in (
                    ("default", DEFAULT_COLLAPSE_THRESHOLD),
                    ("expanded", None),
                ):
                    path = work / f"map-{target}-{mode}.html"
                    t = time.perf_counter()
                    write_org_map(org, path, collapse_threshold=threshold)
                    render_ms = (time.perf_counter() - t) * 1000
                    log(f"maps: {target} nodes, {mode}")
                    samples: list[float] = []
                    wall: list[float] = []
                    drawn = 0
                    for _ in range(RUNS):
                        page = ctx.new_page()
                        try:
                            t = time.perf_counter()
                            page.goto(path.as_uri())
                            page.wait_for_function(READY, timeout=120_000)
                            wall.append((time.perf_counter() - t) * 1000)
                            samples.append(float(page.evaluate("window.kgReadyMs")))
                            drawn = int(page.evaluate("window.kgNodes.length"))
                        finally:
                            page.close()
                    out["maps"].append(
                        {
                            "target_nodes": target,
                            "nodes": len(org.nodes),
                            "mode": mode,
                            "drawn_nodes": drawn,
                            "html_bytes": path.stat().st_size,
                            "render_html_ms": round(render_ms, 1),
                            "first_draw_ms_p50": round(statistics.median(samples), 1),
                            "first_draw_ms_max": round(max(samples), 1),
                            "wall_ms_p50": round(statistics.median(wall), 1),
                            "runs": RUNS,
                        }
                    )
        finally:
            ctx.close()
    return out
