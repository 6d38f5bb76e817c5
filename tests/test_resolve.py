"""Entity resolution for hierarchy sources: the matching rules alone, then against a CRM graph."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kamgraph.backends.base import Backend
from kamgraph.ingest import gleif, pipeline, subsidiaries
from kamgraph.ingest.names import name_key
from kamgraph.ingest.pipeline import RunReport, SourceSpec, ingest
from kamgraph.ingest.records import Origin, Reject
from kamgraph.ingest.resolve import (
    HIERARCHY_COMPANY,
    Candidate,
    Incoming,
    company_record,
    country_code,
    decide,
    resolve_companies,
)
from kamgraph.schema import apply_schema

from .conftest import DATA

GLEIF = DATA / "gleif"
CRM = GLEIF / "crm"
PUMA_LEI = "529900GRZ2BQY5ZM9N49"
SHELL_LEI = "21380068P1DRHMJ8KU70"
CRM_PUMA = "001HIER00000002AAA"


@contextmanager
def _registered(backend: Backend, source: str) -> Iterator[None]:
    """``source`` wired as pipeline.ingest will wire it once SourceSpec has ``resolve``."""
    module = {"gleif": gleif, "subsidiaries": subsidiaries}[source]

    def factory(path: Path, encoding: str | None, options: object) -> object:
        reader, files = module.open_source(path, encoding, {})
        return module.resolve(backend, reader, None), files

    before = pipeline.SOURCES.get(source)
    pipeline.SOURCES[source] = SourceSpec(source, "test", "test", factory)  # type: ignore[arg-type]
    try:
        yield
    finally:
        if before is None:
            del pipeline.SOURCES[source]
        else:
            pipeline.SOURCES[source] = before


def ingest_hierarchy(backend: Backend, source: str, path: Path, **kw: object) -> RunReport:
    """Reader -> resolve -> loader through the real pipeline (families, run records)."""
    apply_schema(backend)
    with _registered(backend, source):
        return ingest(backend, source, path, **kw)  # type: ignore[arg-type]


def load_crm(backend: Backend, folder: Path = CRM) -> RunReport:
    apply_schema(backend)
    return ingest(backend, "salesforce", folder)


def companies(backend: Backend) -> dict[str, dict[str, object]]:
    rows = backend.read(
        "MATCH (c:Company) RETURN c.account_id AS id, c.name AS name, c.lei AS lei, "
        "c.legal_name AS legal_name, c.group_id AS group_id, c.depth AS depth, "
        "c.hierarchy_issue AS issue, c.active AS active, c.superseded_by AS superseded_by, "
        "c.source AS source"
    )
    return {str(r.pop("id")): r for r in rows}


def parent_links(backend: Backend) -> set[tuple[str, str, str, str, bool]]:
    rows = backend.read(
        "MATCH (c:Company)-[r:SUBSIDIARY_OF|BRANCH_OF]->(p:Company) "
        "RETURN c.account_id AS child, type(r) AS rel, r.source AS source, "
        "p.account_id AS parent, r.active AS active"
    )
    return {(r["child"], r["rel"], r["source"], r["parent"], r["active"]) for r in rows}


# -- the rules, without a database


def crm(account_id: str, name: str, *, country: str = "DE", **ids: str) -> Candidate:
    return Candidate(account_id, name, name_key(name), ids, country, "salesforce", True)


def incoming(key: str, name: str, country: str = "DE", **ids: str) -> Incoming:
    return Incoming(key, ids, name_key(name), country)


def test_an_id_beats_a_name() -> None:
    d = decide(
        incoming("LEI:X", "PUMA SE", lei="X"),
        [crm("001a", "Puma SE"), crm("001b", "Shell International", lei="X")],
        "gleif",
    )
    assert (d.key, d.method, d.own, d.problem) == ("001b", "lei", False, "")


def test_a_name_with_another_legal_form_matches() -> None:
    d = decide(
        incoming("LEI:M", "MICROSOFT CORPORATION", "US", lei="M"),
        [crm("001m", "Microsoft Corp.", country="US")],
        "gleif",
    )
    assert (d.key, d.method) == ("001m", "name")


def test_the_same_name_with_a_different_lei_is_not_merged() -> None:
    d = decide(
        incoming("LEI:C", "COMMERZBANK Aktiengesellschaft", lei="C"),
        [crm("001c", "Commerzbank AG", lei="OTHER")],
        "gleif",
    )
    assert (d.key, d.own, d.problem_field) == ("LEI:C", True, "lei")
    assert d.problem.startswith("id conflict: 001c")


def test_two_accounts_with_one_name_are_ambiguous() -> None:
    d = decide(
        incoming("LEI:B", "Bloomberg Finance L.P.", "US", lei="B"),
        [crm("001x", "Bloomberg Finance LP", country="US"), crm("001y", "Bloomberg Finance L.P.")],
        "gleif",
    )
    # 001y's country (DE) differs from the incoming US: it is no candidate at all.
    assert (d.key, d.method) == ("001x", "name")
    d = decide(
        incoming("LEI:B", "Bloomberg Finance L.P.", "US", lei="B"),
        [
            crm("001x", "Bloomberg Finance LP", country="US"),
            crm("001y", "Bloomberg Finance L.P.", country="US"),
        ],
        "gleif",
    )
    assert d.key == "LEI:B" and d.own
    assert d.problem.startswith("ambiguous match: name key 'bloomberg finance' fits 2")


def test_country_breaks_a_tie_between_names() -> None:
    d = decide(
        incoming("S", "Acme GmbH", "DE"),
        [crm("001us", "Acme Inc", country=None), crm("001de", "Acme AG", country="DE")],  # type: ignore[arg-type]
        "subsidiaries",
    )
    assert (d.key, d.method) == ("001de", "name+country")


def test_two_crm_accounts_with_one_lei_are_ambiguous() -> None:
    d = decide(
        incoming("LEI:X", "Shell plc", lei="X"),
        [crm("001a", "Shell", lei="X"), crm("001b", "Shell UK", lei="X")],
        "gleif",
    )
    assert d.key == "LEI:X" and d.problem.startswith("ambiguous match: lei X is on 2 companies")


def test_own_nodes_are_no_candidates_and_give_way_to_a_crm_match() -> None:
    own = Candidate("LEI:X", "PUMA SE", "puma", {"lei": "X"}, "DE", "gleif", True)
    other_own = Candidate("LEI:Y", "Puma SE", "puma", {"lei": "Y"}, "DE", "gleif", True)
    assert decide(incoming("LEI:X", "PUMA SE", lei="X"), [own, other_own], "gleif").key == "LEI:X"
    d = decide(incoming("LEI:X", "PUMA SE", lei="X"), [own, crm("001p", "Puma SE")], "gleif")
    assert (d.key, d.retire) == ("001p", True)


def test_a_record_naming_a_crm_account_by_key_is_that_account() -> None:
    d = decide(Incoming("001p", {}, "other name"), [crm("001p", "Puma SE")], "subsidiaries")
    assert (d.key, d.own, d.method) == ("001p", False, "account_id")


def test_registration_codes_match_only_within_one_country() -> None:
    hrb = crm("001f", "Frankfurt Airport", registration_code="HRB 7042")
    assert decide(incoming("L", "Fraport", "DE", registration_code="HRB 7042"), [hrb], "g").key == (
        "001f"
    )
    assert decide(incoming("L", "Fraport", "AT", registration_code="HRB 7042"), [hrb], "g").key == (
        "L"
    )


def test_country_codes_from_what_exports_write() -> None:
    cases = {
        "DE": "DE",
        "de-by": "DE",
        "Germany": "DE",
        "Deutschland": "DE",
        "The Netherlands": "NL",
        "Delaware": "US",
        "Georgia, USA": "US",
        "(USA) Delaware": "US",
        "England and Wales": "GB",
        "Moldova": "MD",
        "Slovak Republic": "SK",
        "(USA) New York": "US",
        "Curaçao": "CW",
        "Jersey": "JE",
        "Korea, Republic of": "KR",
        "Atlantis": None,
        "": None,
    }
    assert {k: country_code(k) for k in cases} == cases


def test_name_keys_drop_former_names_and_dotted_legal_forms() -> None:
    cases = {
        "Turtle Shell, Inc. (f/k/a Snapper, Inc.)": "turtle shell",
        "Acme Corp d/b/a Roadrunner": "acme",
        "GE GAS TURBINES (GREENVILLE) L.L.C": "ge gas turbines greenville",
        "Bloomberg Finance L.P.": "bloomberg finance",
        "Orbitz Worldwide (Europe) S.L.U.": "orbitz worldwide europe",
        "Lincoln Electric Company (India) Private Limited": "lincoln electric company india",
        "Austria Puma Dassler Gesellschaft m.b.H.": "austria puma dassler",
        "CBG Commerz Beteiligungsgesellschaft mbH & Co. KG": "cbg commerz beteiligungsgesellschaft",
        "PUMA SE": "puma",
        "Formerly Ltd": "formerly",
    }
    assert {k: name_key(k) for k in cases} == cases
    assert all(name_key(v) == v for v in cases.values())


# -- against a graph


def test_gleif_companies_match_crm_accounts_by_lei_and_by_name(backend: Backend) -> None:
    load_crm(backend)
    report = ingest_hierarchy(backend, "gleif", GLEIF / "api")
    c = companies(backend)
    # LEI__c on the CRM account: GLEIF's Shell plc lands on it; the CRM name stays.
    assert c["001HIER00000001AAA"]["name"] == "Shell International"
    assert c["001HIER00000001AAA"]["legal_name"] == "SHELL PLC"
    assert f"LEI:{SHELL_LEI}" not in c
    # By name despite case and legal form: "Puma SE" / "PUMA SE", "Microsoft Corp." /
    # "MICROSOFT CORPORATION"; the LEI is added to the account.
    assert c[CRM_PUMA]["lei"] == PUMA_LEI and c[CRM_PUMA]["name"] == "Puma SE"
    assert c["001HIER00000005AAA"]["lei"] == "INR2EJN1ERAN0W5ZP974"
    assert f"LEI:{PUMA_LEI}" not in c and "LEI:INR2EJN1ERAN0W5ZP974" not in c
    # Conflicting LEI: a company of its own, reported.
    assert c["001HIER00000006AAA"]["lei"] == "5299HIERTESTOTHERB34"
    assert c["LEI:851WYGNLUQLFZBSYGB56"]["name"] == "COMMERZBANK Aktiengesellschaft"
    # Two CRM accounts fit "Bloomberg Finance L.P.": not merged, reported.
    assert c["LEI:5493001KJTIIGC8Y1R12"]["source"] == "gleif"
    assert c["001HIER00000007AAA"]["lei"] is None and c["001HIER00000008AAA"]["lei"] is None
    found = {(r.field, r.reason.split(":")[0], Path(r.file).name) for r in report.rejects}
    assert found == {
        ("lei", "id conflict", "multi_lei_records.json"),
        ("name", "ambiguous match", "multi_lei_records.json"),
    }
    assert "001HIER00000007AAA" in next(r.reason for r in report.rejects if r.field == "name")
    # Links name the matched accounts: PUMA's children hang under the CRM's Puma SE.
    links = parent_links(backend)
    assert ("LEI:5299003P2JQIMN2SR117", "SUBSIDIARY_OF", "gleif", CRM_PUMA, True) in links
    assert c["LEI:5299003P2JQIMN2SR117"]["group_id"] == CRM_PUMA


def test_disagreeing_with_the_crm_parent_keeps_both_links_and_flags_it(backend: Backend) -> None:
    load_crm(backend)
    ingest_hierarchy(backend, "gleif", GLEIF / "api")
    europe, trading = "001HIER00000004AAA", "001HIER00000003AAA"
    links = {link for link in parent_links(backend) if link[0] in (europe, trading)}
    assert links == {
        (europe, "SUBSIDIARY_OF", "salesforce", trading, True),  # CRM: Europe under Trading
        (europe, "SUBSIDIARY_OF", "gleif", CRM_PUMA, True),  # GLEIF: Europe under PUMA SE
        (trading, "SUBSIDIARY_OF", "salesforce", CRM_PUMA, True),  # both agree: two links
        (trading, "SUBSIDIARY_OF", "gleif", CRM_PUMA, True),
    }
    c = companies(backend)
    # The CRM wins for the tree; the disagreement is flagged, the agreement is not.
    assert (c[europe]["group_id"], c[europe]["depth"], c[europe]["issue"]) == (
        CRM_PUMA,
        2,
        "conflicting parents",
    )
    assert c[trading]["issue"] is None


def test_a_rerun_over_a_crm_changes_nothing(backend: Backend) -> None:
    load_crm(backend)
    ingest_hierarchy(backend, "gleif", GLEIF / "api")
    before = parent_links(backend), companies(backend)
    again = ingest_hierarchy(backend, "gleif", GLEIF / "api")
    assert (again.counts.created, again.counts.updated, again.counts.linked) == (0, 0, 0)
    assert again.families_changed == 0
    assert (parent_links(backend), companies(backend)) == before


def test_a_crm_rerun_keeps_the_gleif_link_beside_its_own(backend: Backend) -> None:
    load_crm(backend)
    ingest_hierarchy(backend, "gleif", GLEIF / "api")
    before = parent_links(backend)
    crm_again = load_crm(backend)
    assert (crm_again.counts.created, crm_again.counts.updated) == (0, 0)
    assert parent_links(backend) == before


def test_a_gleif_company_gives_way_when_the_crm_gets_it(backend: Backend, tmp_path: Path) -> None:
    apply_schema(backend)
    ingest_hierarchy(backend, "gleif", GLEIF / "api")
    assert companies(backend)[f"LEI:{PUMA_LEI}"]["active"] is True
    load_crm(backend)
    report = ingest_hierarchy(backend, "gleif", GLEIF / "api")
    assert report.counts.created == 0
    c = companies(backend)
    assert (c[f"LEI:{PUMA_LEI}"]["active"], c[f"LEI:{PUMA_LEI}"]["superseded_by"]) == (
        False,
        CRM_PUMA,
    )
    links = parent_links(backend)
    canada = "LEI:5299003P2JQIMN2SR117"
    assert (canada, "SUBSIDIARY_OF", "gleif", CRM_PUMA, True) in links
    assert (canada, "SUBSIDIARY_OF", "gleif", f"LEI:{PUMA_LEI}", False) in links
    assert c[canada]["group_id"] == CRM_PUMA
    # ... and a third run is quiet again.
    third = ingest_hierarchy(backend, "gleif", GLEIF / "api")
    assert (third.counts.created, third.counts.updated, third.counts.linked) == (0, 0, 0)


def test_one_crm_account_is_not_matched_by_two_incoming_companies(backend: Backend) -> None:
    """The exact legal name wins, whatever the order; the looser name becomes a proposal (the
    old behaviour rejected it as ambiguous, with advice a CRM cannot follow)."""
    apply_schema(backend)
    backend.write(
        "CREATE (:Company {account_id: 'crm-1', name: 'Lincoln Global Inc', "
        "name_key: 'lincoln global', source: 'salesforce', active: true, group_id: 'crm-0'})"
    )
    exact = company_record(
        "P/a",
        {"name": "Lincoln Global, Inc."},
        Origin("list.csv", 2),
        match={"name_key": "lincoln global", "member": True},
    )
    looser = company_record(
        "P/b",
        {"name": "Lincoln Global Holdings LLC"},
        Origin("list.csv", 3),
        match={"name_key": "lincoln global", "member": True},
    )
    for records in ([exact, looser], [looser, exact]):
        out = list(resolve_companies(backend, records, source="subsidiaries", batch_size=2))
        nodes = {r.origin.line: r.data["key"] for r in out if r.statement == HIERARCHY_COMPANY}
        facts = {r.data["key"]: r.data["props"] for r in out if r.statement == "set-company-facts"}
        assert nodes == {2: "crm-1", 3: "P/b"}
        assert not [r for r in out if isinstance(r, Reject)]
        assert facts["P/b"]["match_proposal"] == "crm-1"
        assert "already matched P/a" in facts["P/b"]["match_reason"]
        assert facts["crm-1"]["subsidiaries_match"].startswith("legal_name")
