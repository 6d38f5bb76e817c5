"""What a rep sees on opening an org map, without a click, at 1400x900 in real Chromium.

Sizes are measured from the drawn page (font size x view scale, node boxes mapped to the
page), not taken from the layout code.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kamgraph.viz import write_org_map
from kamgraph.viz.firstpaint import legible_minimum, probe_labels
from kamgraph.viz.samples import random_family_org_map, sample_org_map, synthetic_org_map

from .test_map_browser import context, open_map  # noqa: F401  (context is a fixture)

pytestmark = pytest.mark.browser

#: members -> (subsidiaries, branches per subsidiary) of synthetic_org_map.
SHAPES = {11: (2, 4), 40: (3, 12), 85: (6, 13), 250: (83, 2)}
#: Irregular families shaped like the bench generator's (random_family_org_map).
RANDOM = (("random", 40), ("random", 85), ("random", 250))


@pytest.mark.parametrize(
    ("shape", "members"), [("regular", m) for m in sorted(SHAPES)] + list(RANDOM)
)
def test_first_paint_names_are_legible(
    context: Any,  # noqa: F811
    tmp_path: Path,
    shape: str,
    members: int,
) -> None:
    if shape == "regular":
        subs, branches = SHAPES[members]
        org = synthetic_org_map(subs, branches, contacts=2, deals=1)
    else:
        org = random_family_org_map(members, seed=members)
    assert sum(1 for n in org.nodes if n.kind == "company") == members
    page, watch = open_map(context, write_org_map(org, tmp_path / "m.html"))
    labels = probe_labels(page)
    drawn = {p.id for p in labels}
    if members <= 40:
        expected = {n.id for n in org.nodes if n.kind == "company"}
    else:
        expected = {n.id for n in org.nodes if n.kind == "company" and n.level <= 1}
    assert expected <= drawn
    outside = [p.label for p in labels if not p.inside]
    assert outside == [], f"labels outside the visible map: {outside[:5]}"
    smallest = legible_minimum([p for p in labels if p.id in expected])
    assert smallest >= 12, f"smallest member label {smallest:.1f} px"
    assert watch.errors == []
    page.close()


def test_clicking_a_count_unfolds_its_members(context: Any, tmp_path: Path) -> None:  # noqa: F811
    org = synthetic_org_map(6, 13, contacts=0, deals=0)
    page, watch = open_map(context, write_org_map(org, tmp_path / "m.html"))
    hidden = "id => kgNodes.get(id).hidden === true"
    assert page.evaluate(hidden, "company:s00b00")
    point = page.evaluate(
        """id => {
            const c = kgNetwork.canvasToDOM(kgNetwork.getPosition(id));
            const r = document.getElementById("kg-map").getBoundingClientRect();
            return [r.left + c.x, r.top + c.y];
        }""",
        "more:company:s00",
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_function("!kgNodes.get('company:s00b00').hidden")
    assert page.evaluate(hidden, "company:s01b00")  # the other branches stay folded
    assert watch.errors == []
    page.close()


def _with_states(tmp_path: Path) -> Path:
    org = sample_org_map()
    states = {
        "company:002": (("Safety Sensors", "won", ""), ("Cloud", "lost", "Rival Corp")),
        "company:003": (("Safety Sensors", "open", ""), ("Cloud", "untouched", "")),
    }
    nodes = tuple(replace(n, states=states.get(n.id, ())) for n in org.nodes)
    org = replace(org, nodes=nodes, families=("Cloud", "Safety Sensors"), family="Safety Sensors")
    return write_org_map(org, tmp_path / "states.html")


def test_family_selector_changes_member_states(context: Any, tmp_path: Path) -> None:  # noqa: F811
    page, watch = open_map(context, _with_states(tmp_path))
    state = "id => [kgNodes.get(id).kgState, kgNodes.get(id).label]"
    assert page.input_value("#kg-family") == "Safety Sensors"  # the wave's family by default
    assert page.evaluate(state, "company:002") == ["won", "Acme Automation GmbH\n✔ won by us"]
    assert page.evaluate(state, "company:003")[0] == "open"
    page.select_option("#kg-family", "Cloud")
    assert page.evaluate(state, "company:002") == [
        "lost",
        "Acme Automation GmbH\n✘ lost to Rival Corp",
    ]
    assert page.evaluate(state, "company:003")[0] == "untouched"
    # won and lost differ in colour and in border dashes, not in colour alone
    won, lost = page.evaluate(
        "() => [kgNodes.get('company:001'), kgNodes.get('company:002')]"
        ".map(n => [n.color.border, JSON.stringify(n.shapeProperties.borderDashes)])"
    )
    assert won != lost
    assert watch.errors == []
    page.close()


def test_search_by_role_and_a_details_panel_that_clears(
    context: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    page, watch = open_map(context, write_org_map(sample_org_map(), tmp_path / "m.html"))
    page.fill("#kg-search", "technical buyer")
    page.wait_for_function("kgNetwork.getSelectedNodes()[0] === 'contact:002'")
    assert page.get_attribute("#kg-details", "data-node-id") == "contact:002"
    page.fill("#kg-search", "nobody has this role")
    page.wait_for_function("document.getElementById('kg-search-status').textContent === 'no match'")
    assert page.get_attribute("#kg-details", "data-node-id") is None
    assert "Click a member" in (page.text_content("#kg-details") or "")
    assert watch.errors == []
    page.close()


def test_layer_toggles_and_save_as_png(context: Any, tmp_path: Path) -> None:  # noqa: F811
    page, watch = open_map(context, write_org_map(sample_org_map(), tmp_path / "m.html"))
    hidden = "id => kgNodes.get(id).hidden === true"
    assert page.evaluate(hidden, "deal:001") and not page.evaluate(hidden, "contact:001")
    page.check("#kg-layer-deals")
    assert not page.evaluate(hidden, "deal:001")
    page.check("#kg-deciders")
    assert not page.evaluate(hidden, "contact:001")  # Decision Maker
    assert page.evaluate(hidden, "contact:005")  # Influencer
    with page.expect_download() as download:
        page.click("#kg-png")
    saved = tmp_path / "map.png"
    download.value.save_as(saved)
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert watch.errors == []
    page.close()


def test_keyboard_and_print(context: Any, tmp_path: Path) -> None:  # noqa: F811
    org = synthetic_org_map(6, 13, contacts=0, deals=0)
    page, watch = open_map(context, write_org_map(org, tmp_path / "m.html"))
    page.focus("#kg-map")
    page.keyboard.press("/")  # "/" jumps to the search box
    assert page.evaluate("document.activeElement.id") == "kg-search"
    page.keyboard.type("Subsidiary 02")
    page.wait_for_function("kgNetwork.getSelectedNodes()[0] === 'company:s02'")
    page.keyboard.press("Escape")
    assert page.evaluate("kgNetwork.getSelectedNodes()") == []
    # Enter on a selected count unfolds it
    page.evaluate("kgNetwork.selectNodes(['more:company:s03'])")
    page.focus("#kg-map")
    page.keyboard.press("Enter")
    page.wait_for_function("!kgNodes.get('company:s03b00').hidden")
    # the print stylesheet drops the controls and keeps the map
    page.emulate_media(media="print")
    assert page.is_hidden("#kg-search") and page.is_hidden("#kg-family")
    assert page.is_visible("#kg-map") and page.is_visible("#kg-title")
    assert watch.errors == []
    page.close()


def test_people_list_opens_a_card(context: Any, tmp_path: Path) -> None:  # noqa: F811
    page, watch = open_map(context, write_org_map(sample_org_map(), tmp_path / "m.html"))
    page.click("#kg-people-title")
    buttons = page.locator("#kg-people button")
    assert buttons.count() == 5
    first = buttons.nth(0).text_content() or ""
    assert first.startswith("★ ")  # deciders first
    page.locator("#kg-people button", has_text="Max Muster").click()
    assert page.get_attribute("#kg-details", "data-node-id") == "contact:005"
    assert watch.errors == []
    page.close()
