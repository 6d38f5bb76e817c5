"""What a group map and the portfolio matrix say, built from sf_small on both backends.

Acme Holding AG (A0): a Sensors wave with A1a won, A1b lost to Other Corp, A2a lost to Rival
GmbH and A1, A2, A2b untouched (tests/test_query_procurement_links.py has the same family).
"""

from __future__ import annotations

import re

from kamgraph.backends.base import Backend
from kamgraph.group import read_group
from kamgraph.maps import build_group_map, build_portfolio_map, find_groups, group_file_name
from kamgraph.money import format_money, shown

from .fixture_graphs import fixture_ids, load_folder
from .test_query_procurement_links import AS_OF, load


def test_member_states_follow_the_wave_family(backend: Backend, sf_ids: dict[str, str]) -> None:
    load(backend)
    org = build_group_map(backend, sf_ids["A2b"], as_of=AS_OF)
    assert org.family == "Sensors"  # the live wave's family is selected on opening
    assert "Sensors" in org.families
    states = {n.id: dict((f, (s, d)) for f, s, d in n.states) for n in org.nodes}
    assert states[f"company:{sf_ids['A1a']}"]["Sensors"] == ("won", "")
    assert states[f"company:{sf_ids['A1b']}"]["Sensors"] == ("lost", "Other Corp")
    assert states[f"company:{sf_ids['A2a']}"]["Sensors"] == ("lost", "Rival GmbH")
    assert states[f"company:{sf_ids['A2']}"]["Sensors"] == ("untouched", "")
    assert org.headline.startswith(
        "Sensors is bought as a wave (2025-03-01 to 2025-04-15): we won 1, "
        "lost 2 (to Other Corp, Rival GmbH), 0 open and 3 of 7 members are untouched."
    )
    assert "At HQ we know" in org.headline
    pipeline = dict(org.summary)["open pipeline"]
    assert re.fullmatch(r"[\d,]+ [A-Z]{3}( \+ [\d,]+ [A-Z]{3})*", pipeline), pipeline
    assert pipeline != "0"


def test_layers_leave_the_header_alone(backend: Backend, sf_ids: dict[str, str]) -> None:
    load(backend)
    full = build_group_map(backend, sf_ids["A0"], as_of=AS_OF)
    thin = build_group_map(backend, sf_ids["A0"], as_of=AS_OF, layers=("contacts", "waves"))
    assert thin.summary == full.summary and thin.headline == full.headline
    assert not any(n.kind == "deal" for n in thin.nodes)


def test_portfolio_is_the_key_account_matrix(backend: Backend, sf_ids: dict[str, str]) -> None:
    load(backend)
    org = build_portfolio_map(backend, as_of=AS_OF)
    assert org.matrix is not None
    corner = {"strategic": (True, True), "star": (False, True), "status": (True, False)}
    corner["streamline"] = (False, False)
    placed = [n for n in org.nodes if n.point is not None]
    assert placed
    for node in placed:
        assert node.point is not None
        x, y = node.point
        assert (x >= 0.5, y >= 0.5) == corner[node.status], (node.label, node.status, x, y)
    acme = next(n for n in org.nodes if n.id == f"group:{sf_ids['A0']}")
    assert "wave: Sensors" in acme.badges
    links = build_portfolio_map(backend, as_of=AS_OF, links={sf_ids["A0"]: "acme.html"})
    assert next(n for n in links.nodes if n.id == acme.id).link == "acme.html"


def test_groups_found_by_name(backend: Backend, sf_ids: dict[str, str]) -> None:
    load(backend)
    assert {g["group_id"] for g in find_groups(backend, "acme")} == {sf_ids["A0"], sf_ids["B0"]}
    assert [g["group_id"] for g in find_groups(backend, "acme holdings ltd.")] == [sf_ids["B0"]]
    assert find_groups(backend, "no such group") == []


def test_file_names_keep_readable_names() -> None:
    assert group_file_name("0017Q", "华东精密制造集团") == "华东精密制造集团-0017Q.html"
    assert group_file_name("001", "Acme / Süd: GmbH") == "acme-sud-gmbh-001.html"
    assert group_file_name("0/1", "../..") == "0_1.html"


def test_money_always_carries_its_currency() -> None:
    assert format_money(1234.6, "eur") == "1,235 EUR"
    assert format_money(10, None) == "10 (currency not recorded)"
    assert shown(1000.4, "USD") == "1,000 USD"
    assert shown(5, "EUR", 2) == "5 EUR (+2 amount(s) not converted: no rate)"


def test_cards_say_who_on_our_side_knows_a_person(backend: Backend) -> None:
    ids = fixture_ids("analytics")
    load_folder(backend, "analytics")
    org = build_group_map(backend, ids["A0"], as_of="2025-12-01")
    view = read_group(backend, ids["A0"], as_of="2025-12-01")
    reps = {r["rep_id"]: r["name"] or r["rep_id"] for r in view.reps}
    expected: dict[str, set[str]] = {}
    for t in view.touchpoints:
        expected.setdefault(f"contact:{t['contact_id']}", set()).add(reps[t["rep_id"]])
    assert expected, "the fixture has touchpoints"
    cards = {n.id: n for n in org.nodes if n.kind == "contact"}
    for contact, names in expected.items():
        if contact in cards:
            assert set(cards[contact].known_by) == names
    knows = {(e.source, e.target) for e in org.edges if e.kind == "knows"}
    rep_nodes = {n.id for n in org.nodes if n.kind == "rep"}
    assert knows and {s for s, _ in knows} <= rep_nodes
    assert {t for _, t in knows} <= set(cards)
    no_reps = build_group_map(
        backend, ids["A0"], as_of="2025-12-01", layers=("contacts", "deals", "waves")
    )
    assert not any(n.kind == "rep" for n in no_reps.nodes)
