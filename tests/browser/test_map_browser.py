"""The org map page in a real headless Chromium: offline, no script injection, interactive.

Needs Debian's chromium (/usr/bin/chromium) and the playwright package (no
``playwright install``: the system browser is used). Without them the tests skip
with the reason; under CI=true they fail instead.
"""

from __future__ import annotations

import os
import struct
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kamgraph.viz import write_org_map
from kamgraph.viz.firstpaint import CHROMIUM, CHROMIUM_ARGS, READY
from kamgraph.viz.samples import (
    CHINESE_NAME,
    XSS_IMG,
    XSS_SCRIPT,
    sample_org_map,
    synthetic_org_map,
)

pytestmark = pytest.mark.browser


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI=true: a missing dependency is a failure)")
    pytest.skip(reason)


@dataclass
class Watch:
    """Everything a page did that a test may object to."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A Chromium context with a fresh profile, shared by the tests of this module."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install playwright)")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 900},
        )
        try:
            yield ctx
        finally:
            ctx.close()


def open_map(context: Any, path: Path) -> tuple[Any, Watch]:
    page = context.new_page()
    watch = Watch()
    page.on("request", lambda r: watch.requests.append(r.url))
    page.on("pageerror", lambda e: watch.errors.append(f"pageerror: {e}"))
    page.on(
        "console",
        lambda m: (
            watch.errors.append(f"console.{m.type}: {m.text}")
            if m.type in ("error", "warning", "assert")
            else None
        ),
    )

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri())
    page.wait_for_function(READY, timeout=30_000)
    return page, watch


@pytest.fixture(scope="module")
def small_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_org_map(sample_org_map(), tmp_path_factory.mktemp("maps") / "acme map.html")


def node_point(page: Any, node_id: str) -> tuple[float, float]:
    """Page coordinates of a node's centre."""
    point = page.evaluate(
        """id => {
            const c = kgNetwork.canvasToDOM(kgNetwork.getPosition(id));
            const r = document.getElementById("kg-map").getBoundingClientRect();
            return [r.left + c.x, r.top + c.y];
        }""",
        node_id,
    )
    return float(point[0]), float(point[1])


def png_colours(png: bytes) -> set[bytes]:
    """Distinct pixel values of an 8-bit, non-interlaced RGB/RGBA PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type, _c, _f, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour_type in (2, 6) and interlace == 0
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours: set[bytes] = set()
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 0xFF
        colours.update(bytes(line[i : i + 3]) for i in range(0, stride, bpp))
        prev = line
    return colours


def test_page_is_offline_safe_and_ready(context: Any, small_map: Path) -> None:
    page, watch = open_map(context, small_map)
    page.wait_for_timeout(300)  # give anything lazy a chance to fetch or fail
    assert watch.requests == [small_map.as_uri()]
    assert watch.errors == []
    assert watch.dialogs == []
    ids = set(page.evaluate("kgNodes.getIds()"))
    assert {"company:001", "company:004", "contact:002", "contact:003", "note:001"} <= ids
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 3
    assert page.title().startswith("Acme Group <script>alert('title')</script>")
    assert page.text_content("#kg-title") == "Acme Group <script>alert('title')</script>"
    assert page.text_content("#kg-asof") == "2025-06-30"
    assert "Sample data; <b>not</b> a real customer." in (page.text_content("#kg-notes") or "")
    page.close()


def test_clicking_a_node_shows_its_details_as_text(context: Any, small_map: Path) -> None:
    page, watch = open_map(context, small_map)
    x, y = node_point(page, "contact:002")
    page.mouse.click(x, y)
    page.wait_for_function("document.getElementById('kg-details').dataset.nodeId === 'contact:002'")
    panel = page.locator("#kg-details")
    assert panel.locator("h2").text_content() == XSS_IMG
    text = panel.text_content() or ""
    assert "Technical Buyer" in text and "Enemy" in text and XSS_SCRIPT in text
    assert page.evaluate("kgNetwork.getSelectedNodes()") == ["contact:002"]

    x, y = node_point(page, "contact:003")
    page.mouse.click(x, y)
    page.wait_for_function("document.getElementById('kg-details').dataset.nodeId === 'contact:003'")
    assert panel.locator("h2").text_content() == CHINESE_NAME
    assert "wave: Safety Sensors" in (panel.text_content() or "")
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert watch.dialogs == [] and watch.errors == []
    page.close()


def test_search_finds_a_contact_and_says_no_match(context: Any, small_map: Path) -> None:
    page, watch = open_map(context, small_map)
    page.fill("#kg-search", "王小明")
    page.wait_for_function("kgNetwork.getSelectedNodes()[0] === 'contact:003'")
    assert page.text_content("#kg-search-status") == "1 match"
    assert page.locator("#kg-details h2").text_content() == CHINESE_NAME
    # the match is centred in the view
    x, y = node_point(page, "contact:003")
    box = page.locator("#kg-map").bounding_box()
    assert abs(x - (box["x"] + box["width"] / 2)) < 5
    assert abs(y - (box["y"] + box["height"] / 2)) < 5

    page.fill("#kg-search", "erika")
    page.wait_for_function("kgNetwork.getSelectedNodes()[0] === 'contact:001'")

    page.fill("#kg-search", "no such person")
    page.wait_for_function("document.getElementById('kg-search-status').textContent === 'no match'")
    assert page.evaluate("kgNetwork.getSelectedNodes()") == []
    assert watch.dialogs == [] and watch.errors == []
    page.close()


def test_screenshot_shows_a_drawn_map(context: Any, small_map: Path, tmp_path: Path) -> None:
    page, _watch = open_map(context, small_map)
    shot = page.locator("#kg-map").screenshot(path=str(tmp_path / "map.png"))
    colours = png_colours(shot)
    assert len(colours) > 20, "map area looks blank"
    assert bytes.fromhex("d4efe5") in colours  # a customer's fill ("won by us", any family)
    page.close()


def test_2000_node_map_draws_quickly(context: Any, tmp_path: Path) -> None:
    org = synthetic_org_map()
    path = write_org_map(org, tmp_path / "big.html", collapse_threshold=None)
    start = time.perf_counter()
    page, watch = open_map(context, path)
    elapsed = time.perf_counter() - start
    drawn = "kgNodes.get({filter: n => n.kg.kind !== 'more'}).length"  # without count nodes
    assert page.evaluate(drawn) == len(org.nodes)
    assert watch.requests == [path.as_uri()]
    assert watch.errors == [] and watch.dialogs == []
    assert elapsed < 15, f"first draw of {len(org.nodes)} nodes took {elapsed:.1f} s"
    page.close()
