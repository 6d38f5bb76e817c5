"""One group view: map, brief, analytics, export and scorecard see the same people and managers.

The Acme family of tests/data/analytics is loaded on 2025-06-01; a second nightly export on
2025-07-01 changes Eli's (C4) manager from Hal (C5) to Dan (C2), deletes Mia (C3) in the CRM
(IsDeleted), moves Bea (C6) from Plant X (A3) to Acme North (A1) and re-parents Plant X from
Acme South (A2) to Acme North. The old REPORTS_TO is then set by hand to either state the
ingestion may leave it in: ended on 2025-07-01, or still active (two active managers).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kamgraph.analytics.export import read_export, write_export
from kamgraph.analytics.graph import edges_of, group_graph, nodes_of
from kamgraph.analytics.influence import rank_influence
from kamgraph.analytics.scorecard import FRESH_DAYS, scorecard
from kamgraph.analytics.single_points import coverage_graph, single_points
from kamgraph.backends.base import Backend
from kamgraph.brief import build_brief
from kamgraph.group import GroupView, group_view
from kamgraph.ingest.pipeline import ingest
from kamgraph.maps import build_group_map
from kamgraph.viz.orgmap import render_org_map

from .conftest import DATA
from .fixture_graphs import fixture_ids, load_folder

NIGHT_2 = dt.datetime(2025, 7, 1, 2, 0, tzinfo=dt.UTC)
BEFORE = "2025-06-15"
AFTER = "2025-07-15"
IDS = fixture_ids("analytics")


def night_2_export(tmp_path: Path) -> Path:
    folder = tmp_path / "night-2"
    shutil.copytree(DATA / "analytics", folder)
    contacts = (folder / "Contact.csv").read_text(encoding="utf-8").splitlines()
    out = [contacts[0] + ",IsDeleted"]
    for line in contacts[1:]:
        if line.startswith(IDS["C4"]):
            line = line.replace(f",{IDS['C5']},", f",{IDS['C2']},")  # new manager
        if line.startswith(IDS["C6"]):
            line = line.replace(f",{IDS['A3']},", f",{IDS['A1']},")  # moved inside the group
        out.append(line + (",true" if line.startswith(IDS["C3"]) else ",false"))
    (folder / "Contact.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    accounts = folder / "Account.csv"
    text = accounts.read_text(encoding="utf-8")
    old = f"{IDS['A3']},Acme South GmbH - Plant X,{IDS['A2']},"
    assert old in text
    accounts.write_text(
        text.replace(old, f"{IDS['A3']},Acme South GmbH - Plant X,{IDS['A1']},"), encoding="utf-8"
    )
    return folder


def set_old_manager_link(backend: Backend, *, active: bool) -> None:
    """Put Eli's link to Hal in one of the two states the ingestion may leave it in."""
    rows = backend.read(
        "MATCH (:Contact {contact_id: $a})-[r:REPORTS_TO]->(:Contact {contact_id: $b}) "
        "RETURN count(r) AS n",
        {"a": IDS["C4"], "b": IDS["C5"]},
    )
    assert rows[0]["n"] == 1, "the first night's REPORTS_TO must still be in the graph"
    backend.write(
        "MATCH (:Contact {contact_id: $a})-[r:REPORTS_TO]->(:Contact {contact_id: $b}) "
        "SET r.active = $active, r.until = $until",
        {
            "a": IDS["C4"],
            "b": IDS["C5"],
            "active": active,
            "until": None if active else "2025-07-01",
        },
    )


@pytest.fixture(params=["ended", "two-active"])
def nightly(request: pytest.FixtureRequest, backend: Backend, tmp_path: Path) -> Backend:
    load_folder(backend, "analytics")
    ingest(backend, "finance", DATA / "analytics" / "finance.csv")
    ingest(backend, "salesforce", night_2_export(tmp_path), now=NIGHT_2)
    set_old_manager_link(backend, active=request.param == "two-active")
    return backend


Seen = tuple[frozenset[str], frozenset[tuple[str, str]]]


def from_view(backend: Backend, as_of: str) -> Seen:
    view = group_view(backend, IDS["A0"], as_of=as_of)
    ids = [p["contact_id"] for p in view.people]
    assert len(ids) == len(set(ids)), "a person appears twice in the group view"
    people = frozenset(ids)
    return people, frozenset(
        (p["contact_id"], p["reports_to"]) for p in view.people if p["reports_to"] in people
    )


def from_map(backend: Backend, as_of: str) -> Seen:
    org = build_group_map(backend, IDS["A0"], as_of=as_of)
    render_org_map(org)  # the renderer refuses duplicate node ids
    strip = len("contact:")
    people = [n.id[strip:] for n in org.nodes if n.kind == "contact"]
    assert len(people) == len(set(people))
    reports = {(e.source[strip:], e.target[strip:]) for e in org.edges if e.kind == "reports_to"}
    return frozenset(people), frozenset(reports)


def from_graph_file(path: Path) -> Seen:
    g = read_export(path)
    people = {str(d["contact_id"]) for _, d in g.nodes(data=True) if d.get("kind") == "contact"}
    reports = {
        (str(g.nodes[u]["contact_id"]), str(g.nodes[v]["contact_id"]))
        for u, v, d in g.edges(data=True)
        if d.get("relation") == "REPORTS_TO"
    }
    return frozenset(people), frozenset(reports)


def contact_of(node: str) -> str:
    return node.removeprefix("contact:")


def test_every_consumer_sees_the_same_people_and_managers(nightly: Backend, tmp_path: Path) -> None:
    backend = nightly
    expected_people = frozenset(IDS[k] for k in ("C1", "C2", "C4", "C5", "C6"))
    expected_reports = frozenset(
        {(IDS["C4"], IDS["C2"]), (IDS["C2"], IDS["C1"]), (IDS["C5"], IDS["C1"])}
    )
    seen = {"view": from_view(backend, AFTER), "map": from_map(backend, AFTER)}

    g = group_graph(backend, IDS["A0"], as_of=AFTER)
    seen["graph"] = (
        frozenset(contact_of(n) for n in nodes_of(g, "contact")),
        frozenset((contact_of(a), contact_of(b)) for a, b, _ in edges_of(g, "REPORTS_TO")),
    )
    for fmt in ("graphml", "json"):
        seen[f"export {fmt}"] = from_graph_file(write_export(g, tmp_path / f"acme.{fmt}"))
    assert seen == {k: (expected_people, expected_reports) for k in seen}

    # Influence ranks exactly the people; its reports-to evidence follows the new manager.
    ranked = rank_influence(g)
    assert {r["contact_id"] for r in ranked} == expected_people
    assert len(ranked) == len(expected_people)
    dan = next(r for r in ranked if r["contact_id"] == IDS["C2"])
    assert "report to them" in dan["why"] or "reports to them" in dan["why"]
    # Single points: only the group's people can be lost.
    cover = coverage_graph(g)
    assert {contact_of(n) for n in cover if n.startswith("contact:")} <= expected_people
    for row in single_points(g):
        if row["kind"] == "contact":
            assert row["person_id"] in expected_people

    # Brief: everyone once in "Who decides", the deleted contact nowhere.
    brief = build_brief(backend, IDS["A2"], as_of=AFTER)
    who = brief.split("## Who decides")[1].split("## Open deals")[0]
    view = group_view(backend, IDS["A0"], as_of=AFTER)
    for person in view.people:
        shown = who.count(person["name"])
        assert shown == 1, f"{person['name']} shown {shown} times in Who decides"
    assert "Mia Manager" not in brief and IDS["C3"] not in brief
    assert f"{len(expected_people)} contacts known" in brief

    # Scorecard: map freshness of the key accounts (Acme) counts the same five people:
    # Carla (2025-05-01) and Eli (2025-02-01) are verified within 180 days of 2025-07-15.
    program = next(r for r in scorecard(backend, end=AFTER) if r["level"] == "program")
    fresh_since = (dt.date.fromisoformat(AFTER) - dt.timedelta(days=FRESH_DAYS)).isoformat()
    fresh = [p for p in view.people if (p["last_verified"] or "") >= fresh_since]
    assert len(fresh) == 2
    assert program["map_freshness"] == round(len(fresh) / len(expected_people), 2) == 0.4


def test_replay_before_and_after_the_night(backend: Backend, tmp_path: Path) -> None:
    load_folder(backend, "analytics")
    ingest(backend, "salesforce", night_2_export(tmp_path), now=NIGHT_2)
    set_old_manager_link(backend, active=False)

    before = group_view(backend, IDS["A0"], as_of=BEFORE)
    after = group_view(backend, IDS["A0"], as_of=AFTER)

    def manager(view: GroupView, key: str) -> str | None:
        return next(p["reports_to"] for p in view.people if p["contact_id"] == IDS[key])

    def employer(view: GroupView, key: str) -> str:
        return next(p["account_id"] for p in view.people if p["contact_id"] == IDS[key])

    def parent(view: GroupView, key: str) -> str | None:
        return next(m["parent_id"] for m in view.members if m["account_id"] == IDS[key])

    assert manager(before, "C4") == IDS["C5"] and manager(after, "C4") == IDS["C2"]
    assert employer(before, "C6") == IDS["A3"] and employer(after, "C6") == IDS["A1"]
    assert parent(before, "A3") == IDS["A2"] and parent(after, "A3") == IDS["A1"]
    # The map and the graph replay the same way.
    for day, boss, home, top in ((BEFORE, "C5", "A3", "A2"), (AFTER, "C2", "A1", "A1")):
        org = build_group_map(backend, IDS["A0"], as_of=day)
        edges = {(e.source, e.target, e.kind) for e in org.edges}
        assert (f"contact:{IDS['C4']}", f"contact:{IDS[boss]}", "reports_to") in edges
        assert (f"contact:{IDS['C6']}", f"company:{IDS[home]}", "works_at") in edges
        assert (f"company:{IDS['A3']}", f"company:{IDS[top]}", "branch_of") in edges
        g = group_graph(backend, IDS["A0"], as_of=day)
        assert g.has_edge(f"contact:{IDS['C4']}", f"contact:{IDS[boss]}")
        assert g.has_edge(f"contact:{IDS['C6']}", f"company:{IDS[home]}")
        assert g.has_edge(f"company:{IDS['A3']}", f"company:{IDS[top]}")
        assert sum(1 for n in g.successors(f"contact:{IDS['C4']}") if n.startswith("contact:")) == 1


def test_an_inactive_member_and_its_people_leave_every_consumer(
    backend: Backend, tmp_path: Path
) -> None:
    load_folder(backend, "analytics")
    backend.write("MATCH (c:Company {account_id: $id}) SET c.active = false", {"id": IDS["A1"]})
    view = group_view(backend, IDS["A0"], as_of=AFTER)
    assert IDS["A1"] not in {m["account_id"] for m in view.members}
    assert {p["contact_id"] for p in view.people} == {IDS[k] for k in ("C1", "C4", "C5", "C6")}
    assert {d["account_id"] for d in view.deals} == {IDS["A2"], IDS["A3"], IDS["A0"]}
    org = build_group_map(backend, IDS["A0"], as_of=AFTER)
    assert f"company:{IDS['A1']}" not in {n.id for n in org.nodes}
    assert f"contact:{IDS['C2']}" not in {n.id for n in org.nodes}
    g = group_graph(backend, IDS["A0"], as_of=AFTER)
    assert f"company:{IDS['A1']}" not in g and f"contact:{IDS['C3']}" not in g
    exported = read_export(write_export(g, tmp_path / "acme.json"))
    assert f"company:{IDS['A1']}" not in exported
    brief = build_brief(backend, IDS["A0"], as_of=AFTER)
    assert "Acme North GmbH" not in brief and "Dan Director" not in brief
