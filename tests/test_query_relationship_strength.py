"""relationship-strength against planted intensities, both backends.

One rep meets five contacts of one account at planted intensities (1, 3, 6, 12, 24 calls within
the last 60 days, on seeded days): the scores must order them the same way. A decision maker on
the rep's open deal who was last met 200 days ago has gone dark; one met last week has not.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from kamgraph import queries
from kamgraph.backends.base import Backend

from .fixture_graphs import load_folder
from .planted import Export

AS_OF = dt.date(2025, 6, 1)
LEVELS = (1, 3, 6, 12, 24)


def plant_intensities(
    seed: int, levels: tuple[int, ...], days: int
) -> tuple[Export, str, list[str]]:
    """One rep, one account, a contact per level with that many calls in the last ``days``.
    Returns the export, the rep and the contacts in planted order (weakest first)."""
    rng = random.Random(seed)
    x = Export()
    rep = x.add("User", Name="Rita Rep")
    account = x.account("Kappa AG", kind="Headquarters")
    contacts = []
    for i, level in enumerate(levels):
        contact = x.add("Contact", FirstName="Person", LastName=f"L{i}", AccountId=account)
        for _ in range(level):
            day = AS_OF - dt.timedelta(days=rng.randint(0, days - 1))
            x.add(
                "Task",
                WhoId=contact,
                WhatId=account,
                OwnerId=rep,
                ActivityDate=day.isoformat(),
                Type="Call",
                Subject="Call",
                Status="Completed",
            )
        contacts.append(contact)
    return x, rep, contacts


def concordance(rows: list[dict[str, object]], rep: str, contacts: list[str]) -> float:
    """Share of contact pairs whose scores are ordered as their planted intensities."""
    score = {r["contact_id"]: r["score"] for r in rows if r["rep_id"] == rep}
    pairs = [(a, b) for i, a in enumerate(contacts) for b in contacts[i + 1 :]]
    return sum(score[a] < score[b] for a, b in pairs) / len(pairs)  # type: ignore[operator]


def test_scores_follow_planted_intensity(backend: Backend, tmp_path: Path) -> None:
    export, rep, contacts = plant_intensities(seed=3, levels=LEVELS, days=60)
    load_folder(backend, "planted", folder=export.write(tmp_path / "planted"))
    rows = queries.run(backend, "relationship-strength", {"as_of": AS_OF.isoformat()})
    assert concordance(rows, rep, contacts) == 1.0
    strongest = next(r for r in rows if r["contact_id"] == contacts[-1])
    assert len(strongest["touchpoints"]) == LEVELS[-1]
    assert strongest["last_touch"] <= AS_OF.isoformat()
    assert all(t["weight"] <= 1 for t in strongest["touchpoints"])


def test_gone_dark(backend: Backend, tmp_path: Path) -> None:
    x = Export()
    rep = x.add("User", Name="Rita Rep")
    account = x.account("Kappa AG", kind="Headquarters")
    product = x.add("Product2", Name="Sensor", Family="Sensors")
    deal = x.deal(
        account, product, dt.date(2025, 1, 10), status="open", owner=rep, days_to_close=200
    )
    dark = x.add("Contact", FirstName="Dora", LastName="Dark", AccountId=account)
    lit = x.add("Contact", FirstName="Lina", LastName="Lit", AccountId=account)
    for contact in (dark, lit):
        x.add(
            "OpportunityContactRole", OpportunityId=deal, ContactId=contact, Role="Decision Maker"
        )
    for contact, ago in ((dark, 200), (dark, 210), (lit, 7)):
        x.add(
            "Event",
            WhoId=contact,
            WhatId=deal,
            OwnerId=rep,
            ActivityDate=(AS_OF - dt.timedelta(days=ago)).isoformat(),
            Subject="Meeting",
        )
    load_folder(backend, "planted", folder=x.write(tmp_path / "planted"))
    rows = queries.run(backend, "relationship-strength", {"as_of": AS_OF.isoformat()})
    by_contact = {r["contact_id"]: r for r in rows}
    assert by_contact[dark]["gone_dark"] is True and by_contact[dark]["dark_deals"] == [deal]
    assert by_contact[lit]["gone_dark"] is False
    assert by_contact[dark]["touch_score"] < 1.0 <= by_contact[lit]["touch_score"]
    # Replayed to mid-January, two months after the meetings, Dora was not dark yet.
    then = queries.run(backend, "relationship-strength", {"as_of": "2025-01-15"})
    assert any(r["contact_id"] == dark for r in then)
    assert not any(r["gone_dark"] for r in then if r["contact_id"] == dark)
