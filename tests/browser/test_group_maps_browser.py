"""Maps built from an ingested CRM export (group, portfolio, all + index) in real Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.ingest.pipeline import ingest
from kamgraph.maps import build_group_map, build_portfolio_map, write_all_maps
from kamgraph.schema import apply_schema
from kamgraph.viz import write_org_map

from ..conftest import SF_SMALL
from .test_map_browser import context, open_map  # noqa: F401  (context is a fixture)

pytestmark = pytest.mark.browser

PAYLOAD = "<img src=x onerror=alert(1)>"
PAYLOAD2 = '"><script>alert(2)</script>'


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, sf_ids: dict[str, str]) -> EmbeddedBackend:
    """sf_small with a contact and an account named like XSS payloads."""
    folder = tmp_path_factory.mktemp("export") / "sf"
    shutil.copytree(SF_SMALL, folder)
    contacts = folder / "Contact.csv"
    contacts.write_text(
        contacts.read_text(encoding="utf-8")
        .replace("Otto,Klein", f"Otto,{PAYLOAD}")
        .replace("Technician", PAYLOAD2.replace('"', '""').join('""')),
        encoding="utf-8",
    )
    backend = EmbeddedBackend.open(tmp_path_factory.mktemp("store") / "g.kgl")
    apply_schema(backend)
    report = ingest(backend, "salesforce", folder)
    assert report.counts.rejected == 0, report.rejects
    return backend


def test_group_map_of_an_ingested_family(
    context: Any,  # noqa: F811
    store: EmbeddedBackend,
    sf_ids: dict[str, str],
    tmp_path: Path,
) -> None:
    org = build_group_map(store, sf_ids["A2b"], as_of="2025-12-01")
    path = write_org_map(org, tmp_path / "acme.html")
    page, watch = open_map(context, path)
    ids = set(page.evaluate("kgNodes.getIds()"))
    expected = {f"company:{sf_ids[k]}" for k in ("A0", "A1", "A2", "A1a", "A1b", "A2a", "A2b")}
    assert expected <= ids
    assert f"contact:{sf_ids['c3']}" in ids
    assert f"deal:{sf_ids['o2']}" in ids and "competitor:Rival GmbH" in ids
    assert not any(i.startswith(f"company:{sf_ids['B0']}") for i in ids)  # other family
    assert watch.requests == [path.as_uri()]
    assert watch.errors == [] and watch.dialogs == []
    # The payload is shown as text in the details panel and never runs.
    page.fill("#kg-search", "onerror")
    page.press("#kg-search", "Enter")
    assert page.locator("#kg-details h2").text_content() == f"Otto {PAYLOAD}"
    assert PAYLOAD2 in (page.text_content("#kg-details") or "")
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert watch.dialogs == []
    # Wave members carry their badge.
    a1a = page.evaluate(f"kgNodes.get('company:{sf_ids['A1a']}').kg.badges")
    assert "wave: Sensors" in a1a


def test_portfolio_and_all_maps(
    context: Any,  # noqa: F811
    store: EmbeddedBackend,
    sf_ids: dict[str, str],
    tmp_path: Path,
) -> None:
    org = build_portfolio_map(store, as_of="2025-12-01")
    path = write_org_map(org, tmp_path / "portfolio.html")
    page, watch = open_map(context, path)
    ids = set(page.evaluate("kgNodes.getIds()"))
    assert {f"group:{sf_ids['A0']}", f"group:{sf_ids['B0']}"} <= ids
    details = page.evaluate(f"kgNodes.get('group:{sf_ids['A0']}').kg.details")
    assert ["open its map", f"kamgraph map {sf_ids['A0']} -o group.html"] in details
    assert watch.errors == [] and watch.dialogs == []
    written = write_all_maps(store, tmp_path / "all", as_of="2025-12-01")
    # every group gets a map, single-member groups too (the portfolio lists the same groups)
    assert {f"group:{g['group_id']}" for g, _ in written} == ids
    assert {sf_ids["A0"], sf_ids["B0"]} <= {g["group_id"] for g, _ in written}
    index = tmp_path / "all" / "index.html"
    page, watch = open_map_index(context, index)
    hrefs = page.evaluate("[...document.querySelectorAll('td a')].map(a => a.href)")
    assert sorted(Path(h.removeprefix("file://")).name for h in hrefs) == sorted(
        p.name for _, p in written
    )
    assert all(Path(h.removeprefix("file://")).exists() for h in hrefs)
    assert watch.requests == [index.as_uri()]
    # every group is listed with its facts, and the table sorts by a clicked column
    first = "document.querySelector('#kg-index tbody tr td').textContent"
    names = page.evaluate(
        "[...document.querySelectorAll('#kg-index tbody tr')].map(r => r.cells[0].textContent)"
    )
    page.click("#kg-index th:nth-child(1) button")
    assert page.evaluate(first) == sorted(names, key=str.casefold)[0]
    page.click("#kg-index th:nth-child(1) button")
    assert page.evaluate(first) == sorted(names, key=str.casefold)[-1]
    assert "members" in (page.text_content("#kg-index") or "")
    # the portfolio written with --all links each group to its map
    portfolio, watch = open_map(context, tmp_path / "all" / "portfolio.html")
    a0 = next(p.name for g, p in written if g["group_id"] == sf_ids["A0"])
    assert portfolio.evaluate(f"kgNodes.get('group:{sf_ids['A0']}').kg.link") == a0
    portfolio.evaluate(f"kgNetwork.selectNodes(['group:{sf_ids['A0']}'])")
    portfolio.fill("#kg-search", "Acme")
    link = portfolio.get_attribute("#kg-details a.kg-open", "href")
    assert link is not None and link.endswith(a0)
    assert watch.errors == []


def open_map_index(context: Any, path: Path) -> tuple[Any, Any]:  # noqa: F811
    from .test_map_browser import Watch

    page = context.new_page()
    watch = Watch()
    page.on("request", lambda r: watch.requests.append(r.url))
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.goto(path.as_uri())
    return page, watch
