"""Subsidiary lists (SEC Exhibit 21, generic CSV) on both backends: parents, links, matching."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kamgraph.backends.base import Backend
from kamgraph.errors import InputDataError
from kamgraph.ingest.subsidiaries import SubsidiaryListReader

from .conftest import DATA, SHARED
from .test_resolve import CRM_PUMA, companies, ingest_hierarchy, load_crm, parent_links

EX21 = DATA / "ex21" / "ex21_labels_sample.csv"
GENERIC = DATA / "ex21" / "generic_subsidiaries.csv"
BEMIS = "CIK:11199"


def listed_links(backend: Backend) -> dict[str, dict[str, object]]:
    rows = backend.read(
        "MATCH (c:Company)-[r:SUBSIDIARY_OF]->(p:Company) WHERE r.source = 'subsidiaries' "
        "RETURN c.account_id AS child, c.name AS name, p.account_id AS parent, "
        "r.ownership_pct AS pct, r.minority AS minority, r.listed_in AS filing"
    )
    return {str(r.pop("child")): r for r in rows}


def test_exhibit_21_lists_land_as_parent_and_subsidiaries(backend: Backend) -> None:
    report = ingest_hierarchy(backend, "subsidiaries", EX21)
    assert report.status == "ok"
    c = companies(backend)
    # The registrant's own row names the parent; the other parents keep their CIK.
    assert c[BEMIS]["name"] == "Bemis Company, Inc."
    assert c["CIK:59527"]["name"] == "SEC CIK 59527"
    links = listed_links(backend)
    by_parent: dict[object, set[object]] = {}
    for link in links.values():
        by_parent.setdefault(link["parent"], set()).add(link["name"])
    assert {k: len(v) for k, v in by_parent.items()} == {
        BEMIS: 8,
        "CIK:59527": 5,
        "CIK:39547": 4,
    }
    assert len(c) == 3 + 17
    # Same name key, two companies: "Holdings" is part of what the list says.
    assert {"Lincoln Global, Inc.", "Lincoln Global Holdings LLC"} <= by_parent["CIK:59527"]
    # Stakes listed per group holder add up.
    itap = links[f"{BEMIS}/itap-bemis-ltda@brazil"]
    assert (itap["pct"], itap["minority"], itap["filing"]) == (100.0, False, "0001104659-06-016718")
    assert links[f"{BEMIS}/dt-participacoes-s-a@brazil"]["pct"] == 100.0
    mexico = f"{BEMIS}/bemis-flexible-packaging-de-mexico-s-a-de-c-v@mexico"
    assert links[mexico]["pct"] == 87.0
    assert all(v["group_id"] in (BEMIS, "CIK:59527", "CIK:39547") for v in c.values())
    turtle = backend.read(
        "MATCH (c:Company) WHERE c.name STARTS WITH 'Turtle' "
        "RETURN c.name_key AS key, c.country AS country, c.incorporated_in AS incorporated_in"
    )
    assert turtle == [{"key": "turtle shell", "country": "US", "incorporated_in": "Georgia, USA"}]


def test_a_rerun_of_a_list_changes_nothing(backend: Backend) -> None:
    ingest_hierarchy(backend, "subsidiaries", EX21)
    before = parent_links(backend), companies(backend)
    again = ingest_hierarchy(backend, "subsidiaries", EX21)
    assert (again.counts.created, again.counts.updated, again.counts.linked) == (0, 0, 0)
    assert (parent_links(backend), companies(backend)) == before


def test_generic_lists_attach_to_crm_accounts(backend: Backend) -> None:
    load_crm(backend)
    report = ingest_hierarchy(backend, "subsidiaries", GENERIC)
    assert {(r.line, r.field) for r in report.rejects} == {
        (7, "ownership_pct"),
        (8, "parent_id"),
    }
    c = companies(backend)
    links = listed_links(backend)
    # parent_id is a CRM account id: that account, its CRM name kept.
    assert c[CRM_PUMA]["name"] == "Puma SE"
    # PUMA Europe GmbH is the CRM's account (by name), now also listed under Puma SE, while
    # the CRM puts it under Puma International Trading: both links stay, the family is flagged.
    europe = "001HIER00000004AAA"
    assert links[europe]["parent"] == CRM_PUMA
    assert (europe, "SUBSIDIARY_OF", "salesforce", "001HIER00000003AAA", True) in parent_links(
        backend
    )
    assert c[europe]["issue"] == "conflicting parents"
    # A parent given by LEI is matched by name to the CRM's Puma SE (which has no LEI yet).
    canada = "LEI:529900GRZ2BQY5ZM9N49/puma-canada-inc@canada"
    assert links[canada]["parent"] == CRM_PUMA and c[canada]["group_id"] == CRM_PUMA
    assert c[CRM_PUMA]["lei"] == "529900GRZ2BQY5ZM9N49"
    # A parent given by CIK is a company of its own, named by the list.
    assert c["CIK:320193"]["name"] == "Apple Inc."
    beats = links["CIK:320193/beats-electronics-llc@delaware"]
    assert (beats["pct"], beats["minority"]) == (49.5, True)
    nordic = f"{CRM_PUMA}/puma-nordic-ab@sweden"
    assert c[nordic]["group_id"] == CRM_PUMA


def test_the_reader_recognizes_both_shapes_and_refuses_others(tmp_path: Path) -> None:
    assert SubsidiaryListReader(EX21).shapes[EX21].name == "ex21"  # type: ignore[union-attr]
    assert SubsidiaryListReader(GENERIC).shapes[GENERIC].name == "generic"  # type: ignore[union-attr]
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputDataError, match="not a subsidiary list"):
        SubsidiaryListReader(other)
    with pytest.raises(InputDataError, match="no subsidiary list CSV"):
        SubsidiaryListReader(tmp_path)


FULL = SHARED / "sec-ex21-subsidiaries" / "ex21_labels.csv"


@pytest.mark.skipif(not FULL.is_file(), reason=f"{FULL} is not here")
def test_the_whole_labelled_set_lands_one_parent_per_subsidiary(backend: Backend) -> None:
    with FULL.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ciks = {r["Filename"].split("-")[0] for r in rows}
    report = ingest_hierarchy(backend, "subsidiaries", FULL)
    assert [r.field for r in report.rejects] == ["Subsidiary"]  # one row has no name
    c = companies(backend)
    parents = {k for k in c if "/" not in k}
    assert parents == {f"CIK:{cik}" for cik in ciks}
    links = listed_links(backend)
    assert set(links) == set(c) - parents  # every listed company has exactly one parent
    assert all(str(k).startswith(str(v["parent"]) + "/") for k, v in links.items())
    again = ingest_hierarchy(backend, "subsidiaries", FULL)
    assert (again.counts.created, again.counts.updated, again.counts.linked) == (0, 0, 0)


def test_a_folder_entry_the_source_does_not_read_is_listed() -> None:
    """Nothing in an input folder is skipped in silence (here: the attribution file)."""
    from kamgraph.backends.embedded import EmbeddedBackend
    from kamgraph.ingest.pipeline import ingest as run

    report = run(EmbeddedBackend.in_memory(), "subsidiaries", EX21.parent)
    assert report.skipped == ["SOURCE.md (the subsidiaries source does not read it)"]
    assert {Path(f).name for f in report.files} == {
        "ex21_labels_sample.csv",
        "generic_subsidiaries.csv",
    }
