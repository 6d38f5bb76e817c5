"""Next moves in the brief and on the map: next buyers, people who moved, gone dark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kamgraph.backends.base import Backend
from kamgraph.brief import build_brief
from kamgraph.maps import build_group_map

from .fixture_graphs import load_folder
from .planted import Export

AS_OF = "2025-06-01"


def section(text: str, title: str) -> str:
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def plant(backend: Backend, tmp_path: Path) -> dict[str, str]:
    """Omega: three branches bought Sensors in April, Branch 3 has not; Bea Boss decides on an
    open deal nobody talks to her about; Max Mover came from Zeta AG to Branch 0."""
    x = Export()
    rep = x.add("User", Name="Rita Rep")
    sensors = x.add("Product2", Name="Sensor", Family="Sensors")
    hq = x.account("Omega Holding", kind="Headquarters")
    sub = x.account("Omega Sub", hq)
    branches = [x.account(f"Omega Branch {i}", sub, "Branch") for i in range(4)]
    elsewhere = x.account("Zeta AG", kind="Headquarters")
    for i, branch in enumerate(branches[:3]):
        x.deal(branch, sensors, dt.date(2025, 4, 1) + dt.timedelta(days=10 * i), owner=rep)
    deal = x.deal(hq, sensors, dt.date(2025, 5, 1), status="open", owner=rep, days_to_close=90)
    boss = x.add("Contact", FirstName="Bea", LastName="Boss", AccountId=hq)
    x.add("OpportunityContactRole", OpportunityId=deal, ContactId=boss, Role="Economic Buyer")
    url = "https://www.linkedin.com/in/max-mover-1"
    x.add(
        "Contact",
        FirstName="Max",
        LastName="Mover",
        AccountId=elsewhere,
        LinkedIn_URL__c=url,
        IsEmailBounced="true",
        EmailBouncedDate="2025-03-01",
    )
    x.add("Contact", FirstName="Max", LastName="Mover", AccountId=branches[0], LinkedIn_URL__c=url)
    load_folder(backend, "planted", folder=x.write(tmp_path / "planted"))
    return {"hq": hq, "branch3": branches[3], "boss": boss}


def test_next_moves_in_the_brief(backend: Backend, tmp_path: Path) -> None:
    ids = plant(backend, tmp_path)
    text = section(build_brief(backend, ids["hq"], as_of=AS_OF), "Next moves")
    assert "Next buyer #1 of Sensors: Omega Branch 3" in text
    assert "Moved: Contact Max Mover moved from Zeta AG to Omega Branch 0" in text
    assert "Gone dark: Bea Boss (Omega Holding) decides on 1 open deal(s) of Rita Rep" in text


def test_next_buyers_and_strength_on_the_map(backend: Backend, tmp_path: Path) -> None:
    ids = plant(backend, tmp_path)
    org = build_group_map(backend, ids["hq"], as_of=AS_OF)
    nodes = {n.id: n for n in org.nodes}
    branch = nodes[f"company:{ids['branch3']}"]
    [(family, state, detail)] = [s for s in branch.states if s[0] == "Sensors"]
    assert state == "untouched" and detail.startswith("next buyer #1 (2025-")
    assert any(b.startswith("next buyer #1") for b in branch.badges)
    card = dict(nodes[f"contact:{ids['boss']}"].details)
    assert card["strength with Rita Rep"].startswith("1.00 (0 touchpoint(s)")
    assert card["gone dark"] == "with Rita Rep on 1 open deal(s)"
