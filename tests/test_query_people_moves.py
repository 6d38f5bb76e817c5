"""people-moves against planted moves and namesakes, both backends.

The generator plants people who move by every route the query knows (a new record with the
same email, LinkedIn URL, name and phone, or distinctive email local part; one record whose
AccountContactRelation history ends at the old company), and namesakes: different people with
the same name at other companies, some with stale records, that must never be merged.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from kamgraph import queries
from kamgraph.backends.base import Backend

from .fixture_graphs import load_folder
from .planted import Export

AS_OF = "2025-06-01"
ROUTES = ("email", "linkedin", "phone", "local", "relation")
FIRST = ("Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hugo")
LAST = ("Schmidt", "Berg", "Wolf", "Lang", "Kraus", "Vogel", "Roth", "Busch")


@dataclass(frozen=True)
class PlantedMove:
    name: str
    from_account: str
    to_account: str


def plant_people(seed: int, people: int) -> tuple[Export, list[PlantedMove], list[str]]:
    """Returns the export, the planted moves and the account ids of planted namesakes."""
    rng = random.Random(seed)
    x = Export()
    companies = [x.account(f"Company {i}", kind="Headquarters") for i in range(6)]
    moves, namesakes = [], []
    names = rng.sample([f"{f} {ln}" for f in FIRST for ln in LAST], people)
    for i, name in enumerate(names):
        first, last = name.split()
        a, b, c = rng.sample(companies, 3)
        route = ROUTES[i % len(ROUTES)]
        local = f"{first[0]}{last}{rng.randint(10, 99)}".lower()
        old = {"FirstName": first, "LastName": last, "AccountId": a, "Title": "Buyer"}
        new = {"FirstName": first, "LastName": last, "AccountId": b, "Title": "Head of IT"}
        phone = f"+49 30 {rng.randint(1000000, 9999999)}"
        if route == "relation":
            contact = x.add("Contact", **{**new, "Email": f"{local}@b{i}.example"})
            x.add(
                "AccountContactRelation",
                ContactId=contact,
                AccountId=a,
                StartDate="2020-01-01",
                EndDate="2024-12-31",
                IsActive="false",
            )
        else:
            old["IsEmailBounced"], old["EmailBouncedDate"] = "true", "2025-01-15"
            old["Email"] = f"{local}@a{i}.example" if route != "email" else f"{local}@x.example"
            new["Email"] = {"email": old["Email"], "local": f"{local}@b{i}.example"}.get(
                route, f"{first}.{last}@b{i}.example".lower()
            )
            if route == "linkedin":
                old["LinkedIn_URL__c"] = f"https://www.linkedin.com/in/{local}/"
                new["LinkedIn_URL__c"] = f"linkedin.com/in/{local}"
            if route == "phone":
                old["Phone"], new["Phone"] = phone, phone.replace(" ", "")
            x.add("Contact", **old)
            x.add("Contact", **new)
        moves.append(PlantedMove(name, a, b))
        # A namesake: another person, same name, elsewhere; its own name-spelled email, a
        # different phone, and a bounced address half the time.
        twin = {
            "FirstName": first,
            "LastName": last,
            "AccountId": c,
            "Email": f"{first}.{last}@c{i}.example".lower(),
            "Phone": f"+49 40 {rng.randint(1000000, 9999999)}",
        }
        if i % 2:
            twin["IsEmailBounced"] = "true"
        x.add("Contact", **twin)
        namesakes.append(c)
    return x, moves, namesakes


def measure(rows: list[dict[str, object]], moves: list[PlantedMove]) -> dict[str, int]:
    got = {(r["name"], r["from_account_id"], r["to_account_id"]) for r in rows}
    planted = {(m.name, m.from_account, m.to_account) for m in moves}
    return {
        "planted": len(planted),
        "found": len(planted & got),
        "false": len(got - planted),
    }


def test_every_planted_move_found_and_no_namesake_merged(backend: Backend, tmp_path: Path) -> None:
    export, moves, _ = plant_people(seed=5, people=10)
    load_folder(backend, "planted", folder=export.write(tmp_path / "planted"))
    rows = queries.run(backend, "people-moves", {"as_of": AS_OF})
    assert measure(rows, moves) == {"planted": 10, "found": 10, "false": 0}
    by_name = {r["name"]: r for r in rows}
    relation = by_name[moves[ROUTES.index("relation")].name]
    assert relation["old_contact_id"] == relation["new_contact_id"]
    assert any("ended on 2024-12-31" in e for e in relation["evidence"])
    linked = by_name[moves[ROUTES.index("linkedin")].name]
    assert "the same LinkedIn URL on 2 contact records" in linked["evidence"]
    assert (
        linked["headline"].startswith("Contact ") and " moved from Company " in linked["headline"]
    )
    # Replayed before the relation ended, that person had not moved yet.
    before = queries.run(backend, "people-moves", {"as_of": "2024-12-30"})
    assert relation["name"] not in {r["name"] for r in before}


def test_bounced_email_makes_the_contact_stale(backend: Backend, tmp_path: Path) -> None:
    export, _, _ = plant_people(seed=5, people=2)
    load_folder(backend, "planted", folder=export.write(tmp_path / "planted"))
    rows = queries.run(backend, "stale-map", {"as_of": AS_OF})
    bounced = [r for r in rows if r["kind"] == "stale_contact" and "bounced" in r["detail"]]
    assert {r["detail"] for r in bounced} >= {"email bounced on 2025-01-15"}


def test_warm_paths_follow_a_mentor_to_their_new_company(backend: Backend, tmp_path: Path) -> None:
    x = Export()
    old_home = x.account("Alpha AG", kind="Headquarters")
    new_home = x.account("Beta AG", kind="Headquarters")
    url = "https://linkedin.com/in/mia-mentor-7"
    old = x.add(
        "Contact",
        FirstName="Mia",
        LastName="Mentor",
        AccountId=old_home,
        Attitude__c="Mentor",
        LinkedIn_URL__c=url,
        Email="mia@alpha.example",
        IsEmailBounced="true",
    )
    new = x.add(
        "Contact",
        FirstName="Mia",
        LastName="Mentor",
        AccountId=new_home,
        LinkedIn_URL__c=url + "/",
        Email="mia@beta.example",
    )
    load_folder(backend, "planted", folder=x.write(tmp_path / "planted"))
    rows = queries.run(backend, "warm-paths", {"target": new_home, "as_of": AS_OF})
    [row] = [r for r in rows if r["via_contact_id"] == new]
    assert row["hops"] == 1 and row["strength"] == 3
    assert f"same person as record {old}" in row["reason"]
    assert old not in {r["via_contact_id"] for r in rows}
