"""The analytics on the demo portfolio tell the story the generator built into it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kamgraph import queries
from kamgraph.analytics.graph import group_graph
from kamgraph.analytics.influence import rank_influence
from kamgraph.analytics.scorecard import scorecard
from kamgraph.analytics.single_points import single_points
from kamgraph.backends.base import Backend
from kamgraph.demo.generate import generate_demo
from kamgraph.ingest.pipeline import ingest
from kamgraph.schema import apply_schema

TODAY = dt.date(2026, 11, 1)
AS_OF = TODAY.isoformat()


def test_demo_single_points_disagreements_and_scorecard(backend: Backend, tmp_path: Path) -> None:
    manifest = generate_demo(tmp_path / "demo", seed=7, today=TODAY)
    apply_schema(backend)
    report = ingest(backend, "salesforce", manifest.directory)
    assert report.counts.rejected == 0
    assert report.counts.by_statement["upsert-touchpoint"] >= 200
    for source in ("finance", "notes", "policies"):
        ingest(backend, source, manifest.directory / f"{source}.csv")

    key = group_graph(backend, manifest.key_group_id, as_of=AS_OF)
    points = {r["name"]: r for r in single_points(key)}
    hayes = points["Robert Hayes"]  # the only person anyone talks to at Nordwind Americas
    americas = key.nodes[f"contact:{hayes['person_id']}"]["account_id"]
    assert americas in hayes["lost_members"] and hayes["articulation_point"]
    assert sum(1 for r in points.values() if r["kind"] == "contact") >= 4
    assert any(r["kind"] == "rep" and r["lost_contacts"] for r in points.values())

    ranked = {r["name"]: r for r in rank_influence(key)}
    assert ranked["Sabine Keller"]["why"].startswith("17 touchpoints with us")
    assert ranked["Sabine Keller"]["rank"] < ranked["Thomas Richter"]["rank"]

    disagreeing = []
    for group in queries.run(backend, "portfolio-groups", {"as_of": AS_OF}):
        rows = rank_influence(group_graph(backend, group["group_id"], as_of=AS_OF))
        disagreeing += [r["name"] for r in rows if r["disagreement"]]
    assert len(disagreeing) >= 2

    program = scorecard(backend, end=AS_OF)[-1]
    assert program["level"] == "program" and program["accounts_covered"] >= 30
    assert program["waves_missed"] >= 1  # the Nordwind safety-sensor wave
    assert 0 < program["map_freshness"] < 1 and program["touchpoints_per_account"] > 0
