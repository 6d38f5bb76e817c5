"""Offline org map renderer: determinism, no network references, escaping, layout and collapsing."""

from __future__ import annotations

import json
import random
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kamgraph.viz import MapEdge, MapNode, OrgMap, render_org_map, write_org_map
from kamgraph.viz.orgmap import script_json, vis_assets
from kamgraph.viz.samples import (
    CHINESE_NAME,
    XSS_IMG,
    XSS_SCRIPT,
    sample_org_map,
    synthetic_org_map,
)

DATA_RE = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.DOTALL)

# URLs that the vendored vis-network build carries in comments and strings; none is
# fetched (licence texts, project pages). An upgrade that adds any other URL fails
# test_only_known_urls_inside_vis_library.
VIS_KNOWN_URLS = {
    "http://almende.com",
    "http://naver.github.io/egjs",
    "http://opensource.org/licenses/MIT",
    "http://www.apache.org/licenses/LICENSE-2.0",
    "https://github.com/visjs",
    "https://github.com/zloirock/core-js",
    "https://github.com/zloirock/core-js/blob/v3.51.0/LICENSE",
    "https://visjs.github.io/vis-network/",
}


def map_data(page: str) -> dict[str, Any]:
    """The JSON data block of a rendered page, parsed."""
    match = DATA_RE.search(page)
    assert match is not None, "no kg-data block"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def nodes_by_id(page: str) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in map_data(page)["nodes"]}


@pytest.fixture(scope="module")
def sample_page() -> str:
    return render_org_map(sample_org_map())


def test_same_input_gives_byte_identical_html(sample_page: str) -> None:
    assert render_org_map(sample_org_map()) == sample_page


def test_input_order_does_not_change_output(sample_page: str) -> None:
    org = sample_org_map()
    rng = random.Random(7)
    nodes, edges = list(org.nodes), list(org.edges)
    rng.shuffle(nodes)
    rng.shuffle(edges)
    assert render_org_map(replace(org, nodes=tuple(nodes), edges=tuple(edges))) == sample_page


def test_no_external_references(sample_page: str) -> None:
    lowered = sample_page.lower()
    assert re.search(r"<script[^>]*\bsrc\s*=", lowered) is None
    assert re.search(r"<link\b", lowered) is None
    assert re.search(r"<(img|iframe|embed|object|source|audio|video)\b", lowered) is None
    assert "@import" not in lowered
    assert "@font-face" not in lowered
    styles = "".join(re.findall(r"<style>(.*?)</style>", lowered, re.DOTALL))
    assert styles
    assert re.search(r"url\(\s*(?!['\"]?data:)", styles) is None, "CSS url() other than data:"
    assert re.search(r"\b(src|href|action)\s*=\s*['\"]?\s*(https?:)?//", lowered) is None
    assert "sourcemappingurl" not in lowered
    # The page forbids any fetch even if something tried.
    assert "content-security-policy" in lowered and "default-src 'none'" in lowered


def test_urls_appear_only_inside_the_inlined_vis_library(sample_page: str) -> None:
    vis_js = vis_assets()
    assert sample_page.count(vis_js) == 1
    rest = sample_page.replace(vis_js, "")
    assert "http://" not in rest and "https://" not in rest


def test_only_known_urls_inside_vis_library() -> None:
    vis_js = vis_assets()
    found = set(re.findall(r"https?://[^\s\"'()<>\\]+", vis_js))
    assert found <= VIS_KNOWN_URLS, found - VIS_KNOWN_URLS


def test_xss_payloads_never_appear_raw(sample_page: str) -> None:
    for payload in (XSS_IMG, XSS_SCRIPT, "alert('title')</script>", "</script><b>x</b>"):
        assert payload not in sample_page
    assert "<img" not in sample_page.lower()
    # every '<script' / '</script' outside the vis library is one of the page's three tags
    # (vis-network.min.js holds the string "<script>" in code, never "</script")
    page = sample_page.replace(vis_assets(), "").lower()
    assert page.count("<script") == 3
    assert page.count("</script") == sample_page.lower().count("</script") == 3
    data_block = DATA_RE.search(sample_page)
    assert data_block is not None
    assert not re.search(r"[<>&\u2028\u2029]", data_block.group(1))


def test_payloads_survive_as_plain_text(sample_page: str) -> None:
    nodes = nodes_by_id(sample_page)
    assert nodes["contact:002"]["kg"]["label"] == XSS_IMG
    assert nodes["contact:002"]["kg"]["details"] == [["Comment", XSS_SCRIPT]]
    assert nodes["contact:004"]["kg"]["label"] == XSS_SCRIPT
    # tooltips are plain strings (vis-network 9 shows a string title via innerText)
    assert all(isinstance(n["title"], str) for n in nodes.values())
    assert nodes["contact:002"]["title"].startswith(XSS_IMG)


def test_server_side_text_is_html_escaped(sample_page: str) -> None:
    assert (
        '<h1 id="kg-title">Acme Group &lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;</h1>'
        in (sample_page)
    )
    assert "<dd>Cloud Monitoring &lt;i&gt;</dd>" in sample_page
    assert "<li>Sample data; &lt;b&gt;not&lt;/b&gt; a real customer.</li>" in sample_page


def test_chinese_label_round_trips(sample_page: str) -> None:
    nodes = nodes_by_id(sample_page)
    assert nodes["contact:003"]["kg"]["label"] == CHINESE_NAME
    assert nodes["company:003"]["kg"]["label"] == "Acme 上海 有限公司"
    assert CHINESE_NAME in sample_page  # stored as UTF-8 text, not \u escapes
    assert '<meta charset="utf-8">' in sample_page


def test_script_json_escapes_breakout_characters() -> None:
    value = {"a": "</script><!-- & \u2028\u2029 >"}
    text = script_json(value)
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


def test_lone_surrogates_and_controls_do_not_break_writing(tmp_path: Path) -> None:
    org = OrgMap("T", "2025-01-01", (), (MapNode("c", "company", "bad \udc80 \x00 text"),), ())
    path = write_org_map(org, tmp_path / "m.html")
    page = path.read_text(encoding="utf-8")
    assert nodes_by_id(page)["c"]["kg"]["label"] == "bad \ufffd  text"


def test_write_creates_folders_and_matches_render(tmp_path: Path, sample_page: str) -> None:
    path = write_org_map(sample_org_map(), tmp_path / "out" / "acme.html")
    assert path.read_bytes() == sample_page.encode("utf-8")


def test_page_gets_the_family_tree_and_what_hangs_off_it(sample_page: str) -> None:
    # The page lays the map out itself (tests/browser measure it); the data gives it the tree.
    page = map_data(sample_page)["page"]
    parents = dict((node_id, parent) for node_id, parent in page["tree"])
    assert parents == {
        "company:001": None,
        "company:002": "company:001",
        "company:003": "company:001",
        "company:004": "company:002",
        "company:005": "company:001",
    }
    # siblings in name order: Acme Automation, Acme Logistics, Acme 上海
    order = [node_id for node_id, _ in page["tree"]]
    assert order.index("company:002") < order.index("company:005") < order.index("company:003")
    # contacts, then deals, under their company; the manager before the report
    # (a product, competitor or note linked to one company only goes with it)
    assert page["attached"]["company:001"][:2] == [["contact:001", "contact:005"], ["deal:001"]]
    assert page["attached"]["company:005"] == [["deal:003"], ["competitor:001"]]


def test_styles_tell_states_roles_and_attitudes_apart(sample_page: str) -> None:
    data = map_data(sample_page)
    assert data["options"]["physics"]["enabled"] is False
    nodes = nodes_by_id(sample_page)
    # no gold badge border hides the member's state any more
    assert all(n["color"]["border"] != "#d4a017" for n in nodes.values())
    states = data["page"]["states"]
    looks = {(v["background"], v["border"], str(v["dashes"]), v["shape"]) for v in states.values()}
    assert len(looks) == len(states) == 4
    assert len({v["symbol"] + v["text"] for v in states.values()}) == 4
    # a person's card: name, title, role, attitude, last verified
    card = nodes["contact:001"]["label"].split("\n")
    assert card[:3] == ["Erika Mustermann", "Head of Purchasing", "★ DECISION MAKER"]
    assert card[3].startswith("Mentor ++ · never verified")
    # role is the border, attitude the fill: never the same channel
    decider, influencer = nodes["contact:001"], nodes["contact:005"]
    assert decider["borderWidth"] > influencer["borderWidth"]
    assert decider["color"]["border"] != influencer["color"]["border"]
    assert decider["color"]["background"] != influencer["color"]["background"]  # Mentor, Neutral
    assert nodes["contact:004"]["color"]["background"].startswith("rgba(")  # stale: faded
    assert nodes["deal:001"]["shapeProperties"]["borderDashes"]  # open deal
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert edges[("contact:005", "contact:001")]["dashes"] is True  # reports_to


def test_duplicate_node_ids_are_rejected() -> None:
    node = MapNode("c", "company", "A")
    with pytest.raises(ValueError, match="two nodes"):
        render_org_map(OrgMap("T", "2025-01-01", (), (node, node), ()))


def test_dangling_edges_are_left_out_with_a_note() -> None:
    org = OrgMap(
        "T", "2025-01-01", (), (MapNode("c", "company", "A"),), (MapEdge("c", "nope", "works_at"),)
    )
    page = render_org_map(org)
    assert map_data(page)["edges"] == []
    assert "1 link to items not on this map left out." in page


def test_parent_cycle_does_not_hang() -> None:
    nodes = (
        MapNode("a", "company", "A", parent="b", level=1),
        MapNode("b", "company", "B", parent="a", level=1),
        MapNode("p", "contact", "P", parent="p"),
    )
    page = render_org_map(OrgMap("T", "2025-01-01", (), nodes, ()))
    assert set(nodes_by_id(page)) == {"a", "b", "p"}


def test_collapse_over_threshold() -> None:
    org = synthetic_org_map(subsidiaries=2, branches=3, contacts=2, deals=1)
    total = len(org.nodes)  # 9 companies x 4 = 36
    full = render_org_map(org, collapse_threshold=total)
    assert "collapsed" not in full.split('id="kg-data"')[0].split("kg-legend")[0]
    assert len(nodes_by_id(full)) == total

    page = render_org_map(org, collapse_threshold=total - 1)
    nodes = nodes_by_id(page)
    assert "6 branch companies (level 2 and below)" in page
    assert "collapsed into 2 count nodes" in page
    group = nodes["collapsed:company:s00"]
    assert group["label"].startswith("3 branches\n6 contacts · 3 deals")
    assert not any(i.startswith("company:s00b") for i in nodes)
    assert not any(i.startswith("contact:s00b") for i in nodes)
    assert "company:s00" in nodes and "contact:s00-00" in nodes
    # the branch_of links now point from the count node to its parent, once
    edges = [(e["from"], e["to"]) for e in map_data(page)["edges"]]
    assert edges.count(("collapsed:company:s00", "company:s00")) == 1
    # and it hangs below its parent in the tree the page lays out
    parents = dict((n, p) for n, p in map_data(page)["page"]["tree"])
    assert parents["collapsed:company:s00"] == "company:s00"


def test_default_threshold_collapses_a_2000_node_map_quickly() -> None:
    org = synthetic_org_map()
    assert len(org.nodes) >= 2000
    start = time.perf_counter()
    full = render_org_map(org, collapse_threshold=None)
    elapsed = time.perf_counter() - start
    assert elapsed < 10, f"2,000-node render took {elapsed:.1f} s"
    assert len(nodes_by_id(full)) == len(org.nodes)
    assert map_data(full)["options"]["interaction"]["hideEdgesOnDrag"] is True
    collapsed = render_org_map(org)
    assert "were collapsed into 12 count nodes" in collapsed
    assert len(nodes_by_id(collapsed)) < 300
