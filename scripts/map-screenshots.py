"""Screenshots of the demo's org maps for docs/, with the first-paint label sizes measured.

    .venv/bin/python scripts/map-screenshots.py            # writes docs/img/*.png
    .venv/bin/python scripts/map-screenshots.py --out DIR --no-save   # measure only

Builds the demo portfolio in a temporary folder (the same data as ``kamgraph demo``), writes the
key group's map, the portfolio map and synthetic groups of 40, 85 and 250 members, opens each in
the system Chromium at 1400x900 without any click, and prints the smallest member label drawn
on screen (a label outside the visible map counts as 0 px). README.md shows docs/img/demo-map.png.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.demo.run import DEMO_TODAY, run_demo
from kamgraph.maps import build_portfolio_map
from kamgraph.viz import write_org_map
from kamgraph.viz.firstpaint import (
    CHROMIUM,
    CHROMIUM_ARGS,
    READY,
    VIEWPORT,
    legible_minimum,
    probe_labels,
)
from kamgraph.viz.samples import synthetic_org_map

ROOT = Path(__file__).resolve().parent.parent

#: name -> (members, subsidiaries, branches per subsidiary) of the synthetic groups.
SYNTHETIC = {"group-40": (3, 12), "group-85": (6, 13), "group-250": (83, 2)}


def build_maps(work: Path) -> dict[str, Path]:
    """Write every map to measure into ``work``; name -> HTML file."""
    backend = EmbeddedBackend.open(work / "demo.kgl")
    demo = run_demo(backend, work / "demo")
    maps = {"demo-map": demo.map_path}
    portfolio = build_portfolio_map(backend, as_of=DEMO_TODAY.isoformat())
    maps["portfolio-map"] = write_org_map(portfolio, work / "portfolio.html")
    for name, (subs, branches) in SYNTHETIC.items():
        org = synthetic_org_map(subs, branches, contacts=2, deals=1)
        maps[name] = write_org_map(org, work / f"{name}.html")
    return maps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--no-save", action="store_true", help="measure only, write no PNG")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        maps = build_maps(Path(tmp))
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        for name, path in maps.items():
            page.goto(path.as_uri())
            page.wait_for_function(READY, timeout=30_000)
            page.wait_for_timeout(200)
            labels = probe_labels(page)
            top = [p for p in labels if p.depth <= 1] if len(labels) > 40 else labels
            print(
                f"{name:14} {len(labels):4} company labels drawn; min label "
                f"{legible_minimum(labels):5.1f} px (top two levels {legible_minimum(top):5.1f}"
                f" px); {sum(not p.inside for p in labels)} outside the visible map"
            )
            if not args.no_save and name in ("demo-map", "portfolio-map", "group-85"):
                args.out.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(args.out / f"{name}.png"))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
