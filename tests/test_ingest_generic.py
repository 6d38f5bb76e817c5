"""Generic CRM CSV ingestion (`kamgraph ingest csv --mapping`): mappings, rejects, real data."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from kamgraph.backends.base import Backend
from kamgraph.errors import InputDataError
from kamgraph.ingest import pipeline
from kamgraph.ingest.generic import GenericReader, MissingMappingError, open_generic
from kamgraph.ingest.mapping import ENTITIES, MappingError, load_mapping
from kamgraph.ingest.pipeline import RunReport, SourceSpec, ingest
from kamgraph.ingest.records import Record, Reject
from kamgraph.ingest.runs import list_pending
from kamgraph.schema import apply_schema
from kamgraph.stats import graph_stats

from .conftest import DATA, SHARED, wipe

CRM = DATA / "generic_crm"
TOML = CRM / "mapping.toml"
YAML = CRM / "mapping.yaml"
REPO = Path(__file__).resolve().parents[1]
MAVEN = SHARED / "maven-crm-sales-opportunities"
MAVEN_TOML = REPO / "examples" / "mappings" / "maven-crm.toml"


@pytest.fixture(autouse=True)
def csv_source(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``csv`` source, registered as kamgraph/ingest/pipeline.py registers it."""
    spec = SourceSpec("csv", "generic CRM CSVs", "folder", open_generic)
    monkeypatch.setitem(pipeline.SOURCES, "csv", pipeline.SOURCES.get("csv", spec))


def load(backend: Backend, folder: Path = CRM, mapping: Path = TOML, **kw: Any) -> RunReport:
    apply_schema(backend)
    return ingest(backend, "csv", folder, options={"mapping": mapping}, **kw)


def snapshot(backend: Backend) -> dict[str, list[dict[str, Any]]]:
    """What the fixture's graph holds, without provenance (run ids, timestamps)."""
    queries = {
        "Company": "MATCH (n:Company) RETURN n.account_id AS k, n.name AS name, "
        "n.name_key AS name_key, n.country AS country, n.industry AS industry, n.lei AS lei, "
        "n.hierarchy_type AS hierarchy_type, n.group_id AS group_id, n.depth AS depth "
        "ORDER BY k",
        "Contact": "MATCH (n:Contact) RETURN n.contact_id AS k, n.name AS name, "
        "n.job_title AS job_title, n.department AS department, n.attitude AS attitude ORDER BY k",
        "Deal": "MATCH (n:Deal) RETURN n.deal_id AS k, n.name AS name, n.stage AS stage, "
        "n.status AS status, n.amount AS amount, n.currency AS currency, n.created AS created, "
        "n.closed AS closed, n.expected_close AS expected_close, n.lost_to_name AS lost_to "
        "ORDER BY k",
        "Product": "MATCH (n:Product) RETURN n.product_id AS k, n.name AS name, "
        "n.family AS family ORDER BY k",
        "Rep": "MATCH (n:Rep) RETURN n.rep_id AS k, n.name AS name, n.tier AS tier ORDER BY k",
        "Competitor": "MATCH (n:Competitor) RETURN n.competitor_id AS k, n.name AS name ORDER BY k",
        "links": "MATCH (a)-[r]->(b) WHERE NOT a:IngestRun "
        "RETURN type(r) AS type, coalesce(a.account_id, a.contact_id, a.deal_id, a.rep_id) AS a, "
        "coalesce(b.account_id, b.contact_id, b.deal_id, b.product_id, b.competitor_id) AS b, "
        "r.via AS via, r.quantity AS quantity, r.unit_price AS unit_price, r.role AS role, "
        "r.is_primary AS is_primary, r.tier AS tier, r.team_role AS team_role, "
        "r.job_title AS job_title, r.active AS active ORDER BY type, a, b",
    }
    return {name: backend.read(q) for name, q in queries.items()}


def by_key(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["k"]: r for r in rows}


# -- the fixture CRM
def test_fixture_lands_completely(backend: Backend) -> None:
    report = load(backend)
    assert report.status == "ok", report.rejects
    assert report.counts.rejected == 0
    stats = graph_stats(backend)
    assert stats["nodes"] == {
        "Company": 6,
        "Competitor": 2,
        "Contact": 4,
        "Deal": 4,
        "Product": 3,
        "Rep": 2,
    }
    assert stats["relationships"] == {
        "AGAINST": 2,
        "BRANCH_OF": 1,
        "HAS_DEAL": 4,
        "INCLUDES": 4,
        "LOST_TO": 1,
        "OWNS": 4,
        "ON_TEAM": 2,
        "REPORTS_TO": 2,
        "ROLE_IN": 2,
        "SUBSIDIARY_OF": 3,
        "WORKS_AT": 4,
    }
    # 7 + 2 + 4 + 3 + 4 + 4 + 2 + 2 + 2 data rows, each counted once.
    assert report.counts.rows_read == 30


def test_values_land_as_the_mapping_says(backend: Backend) -> None:
    load(backend)
    snap = snapshot(backend)
    companies = by_key(snap["Company"])
    assert set(companies) == {"ORG-1", "ORG-2", "ORG-3", "ORG-4", "ORG-5", "ORG-6"}
    # Parent by name (ORG-4 writes "NORDWIND HOLDING"), a branch by its name, families.
    assert {k: (c["group_id"], c["depth"]) for k, c in companies.items()} == {
        "ORG-1": ("ORG-1", 0),
        "ORG-2": ("ORG-1", 1),
        "ORG-3": ("ORG-1", 2),
        "ORG-4": ("ORG-1", 1),
        "ORG-5": ("ORG-5", 0),
        "ORG-6": ("ORG-5", 1),
    }
    assert companies["ORG-3"]["hierarchy_type"] == "Branch"
    assert companies["ORG-1"]["lei"] == "529900NORDWIND000001"
    assert companies["ORG-6"]["country"] == "IT"
    parents = {(r["a"], r["b"], r["type"], r["via"]) for r in snap["links"] if r["via"]}
    assert ("ORG-3", "ORG-2", "BRANCH_OF", "parent_org") in parents
    assert ("ORG-4", "ORG-1", "SUBSIDIARY_OF", "parent_org") in parents

    deals = by_key(snap["Deal"])
    assert deals["D-1"] | {"k": None} == {
        "k": None,
        "name": "Monitoring rollout",
        "stage": "Signed",
        "status": "won",
        "amount": 12500.0,
        "currency": "EUR",
        "created": "2025-03-31",
        "closed": "2025-05-15",
        "expected_close": None,
        "lost_to": None,
    }
    assert (deals["D-2"]["status"], deals["D-2"]["lost_to"]) == ("lost", "GridCorp Ltd")
    assert (deals["D-3"]["status"], deals["D-3"]["closed"]) == ("open", None)
    assert deals["D-3"]["expected_close"] == "2025-09-30"
    assert (deals["D-4"]["created"], deals["D-4"]["amount"]) == ("2025-12-31", 1200.5)

    contacts = by_key(snap["Contact"])
    assert {k: c["attitude"] for k, c in contacts.items()} == {
        "P-1": "Mentor",
        "P-2": "Neutral",
        "P-3": "Non-Supporter",
        "P-4": "Supporter",
    }
    assert by_key(snap["Rep"])["mweber"]["tier"] == "key-account"
    assert by_key(snap["Product"])["A-300"]["family"] == "(no family)"
    links = {(r["type"], r["a"], r["b"]): r for r in snap["links"]}
    assert links[("HAS_DEAL", "ORG-3", "D-4")]  # account named in lower case
    assert links[("INCLUDES", "D-1", "A-100")]["quantity"] == 2.0
    assert links[("INCLUDES", "D-1", "A-100")]["unit_price"] == 5000.0
    assert links[("ROLE_IN", "P-1", "D-1")]["is_primary"] is True
    assert links[("ROLE_IN", "P-2", "D-1")]["role"] == "Evaluator"
    assert links[("ON_TEAM", "tkoch", "ORG-5")]["tier"] == "progression"
    assert links[("WORKS_AT", "P-2", "ORG-1")]["job_title"] == "Head of Procurement"
    assert ("LOST_TO", "D-2", "gridcorp") in links
    assert ("AGAINST", "D-3", "sensata") in links


def test_yaml_and_toml_mappings_give_the_same_graph(backend: Backend) -> None:
    assert load_mapping(TOML).sections == load_mapping(YAML).sections
    load(backend, mapping=TOML)
    from_toml = snapshot(backend)
    wipe(backend)
    load(backend, mapping=YAML)
    assert snapshot(backend) == from_toml
    assert len(from_toml["links"]) == 29


def test_second_run_is_a_no_op(backend: Backend) -> None:
    load(backend)
    before = graph_stats(backend)
    report = load(backend)
    assert (report.counts.created, report.counts.updated, report.counts.linked) == (0, 0, 0)
    assert report.status == "ok"
    after = graph_stats(backend)
    assert before["nodes"] == after["nodes"]
    assert before["relationships"] == after["relationships"]


def test_a_moved_parent_ends_the_old_link(backend: Backend, tmp_path: Path) -> None:
    load(backend)
    folder = copy_fixture(tmp_path)
    orgs = folder / "organisations.csv"
    orgs.write_text(
        orgs.read_text(encoding="utf-8").replace(
            "ORG-4;Nordwind Services s.r.o.;NORDWIND HOLDING;",
            "ORG-4;Nordwind Services s.r.o.;Alpenglas AG;",
        ),
        encoding="utf-8",
    )
    load(backend, folder)
    rows = backend.read(
        "MATCH (:Company {account_id: 'ORG-4'})-[r:SUBSIDIARY_OF]->(p:Company) "
        "RETURN p.account_id AS parent, r.active AS active ORDER BY parent"
    )
    assert rows == [{"parent": "ORG-1", "active": False}, {"parent": "ORG-5", "active": True}]
    group = backend.read("MATCH (c:Company {account_id: 'ORG-4'}) RETURN c.group_id AS g")
    assert group == [{"g": "ORG-5"}]


# -- bad rows
def copy_fixture(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    shutil.copytree(CRM, folder)
    return folder


def append(path: Path, *lines: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")


def test_bad_rows_are_rejected_naming_file_line_and_field(backend: Backend, tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    append(
        folder / "organisations.csv",
        "ORG-8;Ghost Sub GmbH;Nonexistent Parent AG;DE;;;;",  # line 9: parent name unknown
        "ORG-9;Too;Few",  # line 10: 3 cells
    )
    append(
        folder / "opportunities.csv",
        "D-5;Bad date;Alpenglas AG;Signed;1,00;EUR;32.13.2025;;mweber;",  # line 6
        "D-6;Frozen one;Alpenglas AG;Frozen;1,00;EUR;01.01.2025;;mweber;",  # line 7
    )
    append(folder / "positions.csv", "D-5;A-100;1;1,00")  # line 6: its deal was rejected
    append(folder / "people.csv", "P-5;ORG-1;Eve Angry;CFO;Finance;;furious")  # line 6
    rejects_file = tmp_path / "rejects.csv"
    report = load(backend, folder, rejects=rejects_file)
    assert report.status == "partial"
    found = {(Path(r.file).name, r.line, r.field): r.reason for r in report.rejects}
    assert set(found) == {
        ("organisations.csv", 9, "parent_org"),
        ("organisations.csv", 10, "(row)"),
        ("opportunities.csv", 6, "opened"),
        ("opportunities.csv", 7, "phase"),
        ("people.csv", 6, "mood"),
    }
    assert (
        "'Nonexistent Parent AG' names no company in organisations.csv"
        in found[("organisations.csv", 9, "parent_org")]
    )
    assert "companies.parent" in found[("organisations.csv", 9, "parent_org")]
    assert "does not match the date format %d.%m.%Y" in found[("opportunities.csv", 6, "opened")]
    assert "'Frozen' is not a stage the mapping knows" in found[("opportunities.csv", 7, "phase")]
    assert "'furious' is not one of: Mentor" in found[("people.csv", 6, "mood")]
    assert report.counts.rejected == 5
    # The line item names a deal that is not loaded (its row was rejected): the link waits for
    # it as a pending reference, completed when a fixed export loads D-5.
    waiting = [p for p in list_pending(backend) if Path(p["file"]).name == "positions.csv"]
    assert [(p["line"], p["field"]) for p in waiting] == [(6, "opp_no")]
    assert "deal D-5" in waiting[0]["reason"] and report.pending == 1
    # The company whose parent is unknown still lands, on its own.
    assert backend.read("MATCH (c:Company {account_id: 'ORG-8'}) RETURN c.group_id AS g") == [
        {"g": "ORG-8"}
    ]
    assert backend.read("MATCH (d:Deal) WHERE d.deal_id IN ['D-5', 'D-6'] RETURN d") == []
    text = rejects_file.read_text(encoding="utf-8")
    assert "opportunities.csv,6,opened," in text


def test_an_unknown_name_rejects_that_link_only(backend: Backend, tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path)
    append(folder / "opportunities.csv", "D-7;Typo;Alpnglas AG;Signed;1,00;EUR;01.01.2025;;tkoch;")
    report = load(backend, folder)
    assert [(r.line, r.field) for r in report.rejects] == [(6, "customer")]
    rows = backend.read(
        "MATCH (r:Rep)-[:OWNS]->(d:Deal {deal_id: 'D-7'}) RETURN r.rep_id AS rep, d.status AS s"
    )
    assert rows == [{"rep": "tkoch", "s": "won"}]


# -- mapping files
MINIMAL = """
[companies]
file = "organisations.csv"
id = "org_no"
name = "org_name"
"""


def write_mapping(tmp_path: Path, text: str, name: str = "m.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (MINIMAL + 'colour = "sector"\n', "[companies.colour]", "not a model field"),
        (MINIMAL.replace('name = "org_name"\n', ""), "[companies.name]", "needs 'name'"),
        (MINIMAL.replace('file = "organisations.csv"\n', ""), "[companies.file]", "missing"),
        ("[customers]\nfile = 'x.csv'\n", "[customers]", "unknown section"),
        ("version = 2\n" + MINIMAL, "[version]", "not supported"),
        ("", "", "no sections"),
        (
            MINIMAL + "[deals]\nfile='o.csv'\nid='opp_no'\ncreated='opened'\n",
            "[deals.status]",
            "needs 'status'",
        ),
        (
            "[deals]\nfile='o.csv'\nid='opp_no'\ncreated='opened'\n"
            "company = { column = 'customer', by = 'name' }\nstatus = 'st'\n",
            "[deals.company]",
            "no [companies] section",
        ),
        (
            "[deals]\nfile='o.csv'\nid='opp_no'\ncreated='opened'\nstage='phase'\n"
            "status = { won = ['Signed'], lost = ['signed'] }\n",
            "[deals.status.lost]",
            "both won and lost",
        ),
        (MINIMAL + "country = { column = 'a', value = 'DE' }\n", "[companies.country]", "one of"),
        (MINIMAL + "country = { column = 'a', by = 'name' }\n", "[companies.country.by]", "only"),
        (MINIMAL + "country = { column = 'a', colour = 1 }\n", "[companies.country.colour]", ""),
        (
            "[contacts]\nfile = 'people.csv'\nid = 'person_no'\n",
            "[contacts]",
            "at least one of: name, first_name, last_name",
        ),
        ("date_format = 'dd.mm.yyyy'\n" + MINIMAL, "[date_format]", "not a strptime format"),
    ],
)
def test_bad_mapping_files_name_the_file_and_key(
    tmp_path: Path, text: str, key: str, words: str
) -> None:
    path = write_mapping(tmp_path, text)
    with pytest.raises(MappingError) as e:
        load_mapping(path)
    message = str(e.value)
    assert message.startswith(str(path))
    assert key in message
    assert words in message


def test_mapping_file_format_errors(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="must end in .toml, .yaml or .yml"):
        load_mapping(write_mapping(tmp_path, MINIMAL, "m.json"))
    with pytest.raises(MappingError, match="not valid TOML"):
        load_mapping(write_mapping(tmp_path, "[companies\n"))
    with pytest.raises(MappingError, match="not valid YAML"):
        load_mapping(write_mapping(tmp_path, "companies: [\n", "m.yaml"))
    with pytest.raises(MappingError, match="mapping file not found"):
        load_mapping(tmp_path / "absent.toml")
    with pytest.raises(MappingError, match=r"\[companies.lei\].*quote it"):
        load_mapping(write_mapping(tmp_path, "companies:\n  file: a.csv\n  lei: yes\n", "b.yml"))


def test_a_column_missing_from_the_csv_names_the_key_and_the_file(tmp_path: Path) -> None:
    text = TOML.read_text(encoding="utf-8").replace('amount = "value"', 'amount = "amount_eur"')
    mapping = load_mapping(write_mapping(tmp_path, text))
    with pytest.raises(MappingError) as e:
        GenericReader(mapping, CRM)
    message = str(e.value)
    assert "[deals.amount]" in message
    assert "'amount_eur' is not in opportunities.csv" in message
    assert "value" in message  # the columns it does have are listed


def test_a_missing_csv_file_names_the_mapping_key(tmp_path: Path) -> None:
    text = TOML.read_text(encoding="utf-8").replace("rivals.csv", "competitors.csv")
    mapping = load_mapping(write_mapping(tmp_path, text))
    with pytest.raises(InputDataError, match=r"'competitors.csv'.*\[competitors.file\]"):
        GenericReader(mapping, CRM)


def test_a_bad_constant_is_a_mapping_error(tmp_path: Path) -> None:
    text = TOML.read_text(encoding="utf-8").replace(
        'department = "dept"', 'department = "dept"\ninfluence = { value = "Huge" }'
    )
    mapping = load_mapping(write_mapping(tmp_path, text))
    with pytest.raises(MappingError, match=r"\[contacts.influence\]: value 'Huge' is not one of"):
        GenericReader(mapping, CRM)


def test_id_prefix_applies_to_ids_and_references_by_id(tmp_path: Path) -> None:
    mapping = load_mapping(write_mapping(tmp_path, 'id_prefix = "orbis:"\n' + TOML.read_text()))
    records = [r for r in GenericReader(mapping, CRM) if isinstance(r, Record)]
    works_at = [r.data for r in records if r.statement == "link-works-at"]
    assert works_at[0]["from"] == "orbis:P-1" and works_at[0]["to"] == "orbis:ORG-1"
    deals = [r.data["key"] for r in records if r.statement == "upsert-deal"]
    assert deals == ["orbis:D-1", "orbis:D-2", "orbis:D-3", "orbis:D-4"]


def test_the_reader_needs_a_mapping_option() -> None:
    # Library words, not CLI words: the setting is named; the CLI adds its --mapping flag.
    with pytest.raises(MissingMappingError, match="needs a mapping file") as e:
        open_generic(CRM, None, {})
    assert "--" not in str(e.value) and e.value.setting == "mapping"


def test_the_docs_describe_every_section_and_field() -> None:
    doc = (REPO / "docs" / "ingest-mapping.md").read_text(encoding="utf-8")
    for section in ENTITIES.values():
        assert f"### `[{section.name}]`" in doc, section.name
        for fdef in section.fields:
            assert f"| `{fdef.name}` |" in doc.split(f"### `[{section.name}]`")[1], (
                f"{section.name}.{fdef.name}"
            )


# -- the command line
@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    """The real ``kamgraph`` app over a fresh store."""
    import os

    from kamgraph.cli.app import app

    for key in list(os.environ):
        if key.startswith("NEO4J_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("KAMGRAPH_STORE", str(tmp_path / "store.kgl"))
    yield app


def test_cli_ingest_csv_loads_and_reports(cli: typer.Typer, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", "csv", "--help"])
    assert result.exit_code == 0 and "--mapping" in result.output
    result = runner.invoke(cli, ["ingest", "csv", "--mapping", str(YAML), str(CRM)])
    assert result.exit_code == 0, result.output
    assert "csv: 30 rows read" in result.output
    result = runner.invoke(cli, ["stats", "--format", "json"])
    assert '"Company": 6' in result.output


def test_cli_mapping_errors_are_one_line(cli: typer.Typer, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", "csv", str(CRM)])
    assert result.exit_code == 2 and "--mapping" in result.output
    bad = write_mapping(tmp_path, MINIMAL + 'colour = "sector"\n')
    result = runner.invoke(cli, ["ingest", "csv", "--mapping", str(bad), str(CRM)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith(f"error: {bad} [companies.colour]")


# -- the real Maven CRM sample (licence unknown: read from ../shared, never copied)
@pytest.fixture
def maven() -> Path:
    if not (MAVEN / "sales_pipeline.csv").is_file():
        pytest.skip(f"Maven CRM sample not present at {MAVEN}")
    return MAVEN


def test_maven_example_mappings_agree() -> None:
    yaml_twin = MAVEN_TOML.with_suffix(".yaml")
    assert load_mapping(MAVEN_TOML).sections == load_mapping(yaml_twin).sections


def test_maven_sample_loads(backend: Backend, maven: Path) -> None:
    report = load(backend, maven, MAVEN_TOML, batch_size=2000)
    # 85 accounts, 7 products, 35 agents, 8,800 pipeline rows; 500 Prospecting rows have
    # neither an engage nor a close date and are rejected (a deal needs one date).
    assert report.counts.rows_read == 85 + 7 + 35 + 8800
    assert report.counts.rejected == 500
    assert {(r.field, "are both empty" in r.reason) for r in report.rejects} == {
        ("engage_date", True)
    }
    stats = graph_stats(backend)
    assert stats["nodes"] == {"Company": 85, "Deal": 8300, "Product": 7, "Rep": 35}
    rels = stats["relationships"]
    assert rels["SUBSIDIARY_OF"] == 15
    assert rels["OWNS"] == 8300
    assert rels["INCLUDES"] == 8300  # "GTXPro" found as "GTX Pro" through values
    # Deals with an account: Won 4,238 + Lost 2,473 + Engaging 501 (Prospecting ones rejected).
    assert rels["HAS_DEAL"] == 7212
    groups = backend.read(
        "MATCH (c:Company) WHERE c.group_id <> c.account_id "
        "RETURN c.group_id AS g, count(c) AS n ORDER BY g"
    )
    assert groups == [
        {"g": "Acme Corporation", "n": 4},
        {"g": "Bubba Gump", "n": 2},
        {"g": "Golddex", "n": 2},
        {"g": "Inity", "n": 2},
        {"g": "Massive Dynamic", "n": 1},
        {"g": "Sonron", "n": 3},
        {"g": "Warephase", "n": 1},
    ]
    families = backend.read(
        "MATCH (d:Deal)-[:INCLUDES]->(p:Product) "
        "RETURN p.family AS family, count(d) AS n ORDER BY family"
    )
    assert [r["family"] for r in families] == ["GTK", "GTX", "MG"]
    status = backend.read("MATCH (d:Deal) RETURN d.status AS s, count(d) AS n ORDER BY s")
    assert status == [
        {"s": "lost", "n": 2473},
        {"s": "open", "n": 1589},
        {"s": "won", "n": 4238},
    ]


def test_maven_reader_alone(maven: Path) -> None:
    """No database: what the reader yields for the sample."""
    items = list(open_generic(maven, None, {"mapping": MAVEN_TOML})[0])
    rejects = [i for i in items if isinstance(i, Reject)]
    deals = [i for i in items if isinstance(i, Record) and i.statement == "upsert-deal"]
    assert len(rejects) == 500 and len(deals) == 8300
    won = next(d.data["props"] for d in deals if d.data["key"] == "1C1I7A6R")
    assert won["status"] == "won" and won["amount"] == 1054.0 and won["currency"] == "USD"
    assert (won["created"], won["closed"]) == ("2016-10-20", "2017-03-01")


def test_files_the_mapping_does_not_read_are_listed(backend: Backend, tmp_path: Path) -> None:
    """Every entry of the export folder that is not read is named with the reason."""
    folder = tmp_path / "export"
    shutil.copytree(CRM, folder)
    (folder / "leads.csv").write_text("id,name\n1,Someone\n", encoding="utf-8")
    (folder / "old").mkdir()
    report = ingest(backend, "csv", folder, options={"mapping": folder / "mapping.toml"})
    assert "leads.csv (mapping.toml names no section for it)" in report.skipped
    assert "old (a folder the mapping names no file in)" in report.skipped
    assert "mapping.toml (the mapping file itself)" in report.skipped
    read = {Path(f).name for f in report.files}
    assert read and not read & {s.split(" (")[0] for s in report.skipped}
