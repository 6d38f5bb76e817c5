"""``sf data export tree`` JSON folders load like CSV exports (detected automatically)."""

from __future__ import annotations

import pytest

from kamgraph.backends.base import Backend
from kamgraph.ingest.pipeline import ingest
from kamgraph.ingest.sfdx import reference_id
from kamgraph.schema import apply_schema
from kamgraph.stats import graph_stats

from .conftest import DATA, SHARED

TREE = DATA / "sfdx_tree"


def test_reference_ids() -> None:
    assert reference_id("@ref0010S00000C1t1vQAB") == "0010S00000C1t1vQAB"
    assert reference_id("ref001000000000077") == "001000000000077AAA"
    assert reference_id("@AccountRef2") == "sfdx:AccountRef2"


def test_tree_with_plan_nested_children_and_references(backend: Backend) -> None:
    apply_schema(backend)
    report = ingest(backend, "salesforce", TREE)
    assert report.status == "ok", report.rejects
    stats = graph_stats(backend)
    assert stats["nodes"] == {"Company": 2, "Contact": 1, "Deal": 1}
    assert stats["relationships"] == {"BRANCH_OF": 1, "HAS_DEAL": 1, "WORKS_AT": 1}
    rows = backend.read(
        "MATCH (c:Contact)-[:WORKS_AT]->(a:Company) RETURN c.name AS c, a.account_id AS a"
    )
    assert rows == [{"c": "Ada Lind", "a": "sfdx:HQRef"}]
    groups = backend.read("MATCH (c:Company) RETURN c.account_id AS id, c.group_id AS g")
    assert {r["id"]: r["g"] for r in groups} == {
        "sfdx:HQRef": "sfdx:HQRef",
        "001000000000077AAA": "sfdx:HQRef",
    }
    again = ingest(backend, "salesforce", TREE)
    assert (again.counts.created, again.counts.updated, again.counts.linked) == (0, 0, 0)


REAL = {
    # folder: (companies, contacts, deals) from the record counts in its JSON files
    "sfdx-de-org-demo": (10, 10, 9),
    "sfdx-replicated-fulfillment": (20, 25, 4),
    "sfdx-apex-recipes": (50, 150, 50),
}


@pytest.mark.parametrize("folder", sorted(REAL))
def test_real_sfdx_exports(backend: Backend, folder: str) -> None:
    path = SHARED / folder
    if not path.is_dir():
        pytest.skip(f"{path} absent (shared data is optional)")
    apply_schema(backend)
    report = ingest(backend, "salesforce", path)
    nodes = graph_stats(backend)["nodes"]
    assert (nodes.get("Company"), nodes.get("Contact"), nodes.get("Deal")) == REAL[folder]
    assert report.counts.rejected == 0, report.rejects[:3]
