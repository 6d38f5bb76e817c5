"""next-buyers against planted waves, both backends.

The generator plants buying waves that roll through a group subsidiary by subsidiary; the last
two members' deals are replayed away with ``as_of`` (the day before the first of them), so
the query must name them from the wave's signals alone. The measured rate is reported in
docs/queries/next-buyers.md (``python -m tests.test_query_next_buyers`` prints it).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamgraph import queries
from kamgraph.backends.base import Backend

from .fixture_graphs import load_folder
from .planted import Export

HELD_BACK = 2


@dataclass
class PlantedWave:
    group_id: str
    as_of: str
    size: int
    held_back: dict[str, str]  # account_id -> the day its deal was created


def plant_waves(seed: int, groups: int) -> tuple[Export, list[PlantedWave]]:
    """Groups of an HQ, three subsidiaries and 3-5 branches each; one Sensors wave per group
    through one or two subsidiaries; old deals of the family sprinkled over every member."""
    rng = random.Random(seed)
    export = Export()
    sensors = export.add("Product2", Name="Sensor S1", Family="Sensors")
    gateways = export.add("Product2", Name="Gateway G1", Family="Gateways")
    waves = []
    for g in range(groups):
        hq = export.account(f"Group {g} Holding", kind="Headquarters")
        subs = []
        for s in range(3):
            sub = export.account(f"Group {g} Sub {s}", hq)
            subs.append(
                [
                    export.account(f"Group {g} Sub {s} Branch {b}", sub, "Branch")
                    for b in range(rng.randint(3, 5))
                ]
            )
            subs[-1].append(sub)
        everyone = [a for sub in subs for a in sub]
        for account in everyone:
            if rng.random() < 0.3:
                old = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
                status = rng.choice(["won", "lost", "won"])
                export.deal(account, sensors, old, status=status)
            if rng.random() < 0.2:
                noise = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
                export.deal(account, gateways, noise)
        order = rng.sample(range(3), 3)
        path = [
            a
            for s in order[: rng.choice([1, 2])]
            for a in rng.sample(subs[s][:-1], len(subs[s]) - 1)
        ]
        if len(path) < 5:
            path += rng.sample(subs[order[1]][:-1], len(subs[order[1]]) - 1)
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 120))
        dates = []
        for account in path:
            export.deal(account, sensors, day, status=rng.choice(["won", "won", "lost", "open"]))
            dates.append(day)
            day += dt.timedelta(days=rng.randint(5, 15))
        held = dict(
            zip(path[-HELD_BACK:], (d.isoformat() for d in dates[-HELD_BACK:]), strict=True)
        )
        as_of = (dates[-HELD_BACK] - dt.timedelta(days=1)).isoformat()
        waves.append(PlantedWave(hq, as_of, len(path), held))
    return export, waves


def measure(backend: Backend, waves: list[PlantedWave], k: int = 3) -> dict[str, Any]:
    """Share of held-back members ranked in the top k, and inside their expected window."""
    found = in_window = total = 0
    for wave in waves:
        rows = queries.run(backend, "next-buyers", {"group_id": wave.group_id, "as_of": wave.as_of})
        ranked = {r["account_id"]: r for r in rows if r["product_family"] == "Sensors"}
        for account_id, created in wave.held_back.items():
            total += 1
            row = ranked.get(account_id)
            if row and row["rank"] <= k:
                found += 1
            if row and row["expected_from"] <= created <= row["expected_to"]:
                in_window += 1
    return {"held_back": total, "top_k": found, "in_window": in_window}


def load(backend: Backend, tmp_path: Path, seed: int = 7, groups: int = 6) -> list[PlantedWave]:
    export, waves = plant_waves(seed, groups)
    load_folder(backend, "planted", folder=export.write(tmp_path / "planted"))
    return waves


def test_held_back_members_rank_in_the_top_three(backend: Backend, tmp_path: Path) -> None:
    waves = load(backend, tmp_path)
    assert all(w.size >= 5 for w in waves)
    result = measure(backend, waves)
    # Measured 1.00 at seed 7 (docs/queries/next-buyers.md); a small margin for the ties.
    assert result["top_k"] / result["held_back"] >= 0.9, result


def test_rows_explain_themselves_and_replay(backend: Backend, tmp_path: Path) -> None:
    waves = load(backend, tmp_path, groups=1)
    [wave] = waves
    rows = queries.run(backend, "next-buyers", {"group_id": wave.group_id, "as_of": wave.as_of})
    sensors = [r for r in rows if r["product_family"] == "Sensors"]
    assert [r["rank"] for r in sensors] == list(range(1, len(sensors) + 1))
    assert all(r["expected_from"] >= wave.as_of for r in sensors)
    assert all(r["expected_from"] < r["expected_to"] for r in sensors)
    assert any("sibling" in reason for reason in sensors[0]["reasons"])
    assert sensors[0]["score"] >= sensors[-1]["score"]
    # Replayed after the last held-back deal, those members have bought: no longer listed.
    later = queries.run(
        backend, "next-buyers", {"group_id": wave.group_id, "as_of": max(wave.held_back.values())}
    )
    assert not set(wave.held_back) & {r["account_id"] for r in later}
    top = queries.run(
        backend, "next-buyers", {"group_id": wave.group_id, "as_of": wave.as_of, "top": 1}
    )
    assert {(r["product_family"], r["rank"]) for r in top} <= {("Sensors", 1), ("Gateways", 1)}


if __name__ == "__main__":  # measured accuracy for the docs
    import tempfile

    from kamgraph.backends.embedded import EmbeddedBackend

    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedBackend.open(Path(tmp) / "s.kgl")
        planted = load(store, Path(tmp), seed=7, groups=40)
        print(measure(store, planted, k=3), sum(w.size for w in planted) / len(planted))
