"""Real-world export shapes (issue 12, the file layer): encodings, delimiters, headers, ids,
the Salesforce weekly export ZIP and stage names. Each loads right or is refused clearly."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamgraph.backends.base import Backend
from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.cli import app
from kamgraph.dump import canonical_dump
from kamgraph.errors import InputDataError
from kamgraph.ingest.csvio import PROBLEM, detect_encoding, read_csv
from kamgraph.ingest.fields import FieldError, sf_id
from kamgraph.ingest.pipeline import RunReport, ingest
from kamgraph.schema import apply_schema

from .conftest import SF_SMALL, wipe

ACCOUNTS = "Id,Name,BillingState\n001000000000001AAA,Müller Kommunikation GmbH,Zürich\n"


def load(backend: Backend, path: Path, **kw: object) -> RunReport:
    apply_schema(backend)
    return ingest(backend, "salesforce", path, **kw)  # type: ignore[arg-type]


def folder_with(tmp_path: Path, name: str, data: bytes, file: str = "Account.csv") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / file).write_bytes(data)
    return folder


def companies(backend: Backend) -> list[tuple[str, str]]:
    rows = backend.read("MATCH (c:Company) RETURN c.name AS name, c.state AS city")
    return sorted((r["name"], r["city"]) for r in rows)


# -- encodings ----------------------------------------------------------------------------


def test_windows_1252_excel_export_loads_right(backend: Backend, tmp_path: Path) -> None:
    # Before: read as GB18030, stored as 'M黮ler Kommunikation GmbH' with exit 0.
    report = load(backend, folder_with(tmp_path, "cp1252", ACCOUNTS.encode("cp1252")))
    assert not report.rejects
    assert companies(backend) == [("Müller Kommunikation GmbH", "Zürich")]


def test_utf16_unicode_text_loads_right(backend: Backend, tmp_path: Path) -> None:
    # Excel "Unicode text": UTF-16 with a BOM, tab-separated.
    text = ACCOUNTS.replace(",", "\t").replace("\n", "\r\n")
    load(backend, folder_with(tmp_path, "utf16", text.encode("utf-16")))
    assert companies(backend) == [("Müller Kommunikation GmbH", "Zürich")]


@pytest.mark.parametrize(
    ("encoding", "name", "city"),
    [
        ("cp1252", "Señor Café Crème SARL", "Besançon"),
        ("gb18030", "北京华为技术有限公司", "北京"),
        ("big5", "臺灣積體電路製造", "新竹"),
        ("shift_jis", "トヨタ自動車株式会社", "豊田"),
        ("utf-8", "Ünïcode Zürich AG", "Zürich"),
        ("utf-8-sig", "Ünïcode Zürich AG", "Zürich"),
        ("utf-16-le", "Müller 北京", "Zürich"),
    ],
)
def test_each_encoding_is_detected(tmp_path: Path, encoding: str, name: str, city: str) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(f"Id,Name,City\n1,{name},{city}\n2,{name} 2,{city}\n".encode(encoding))
    assert detect_encoding(path) == encoding
    assert [row.raw[1:] for row in read_csv(path)] == [[name, city], [f"{name} 2", city]]


def test_an_explicit_encoding_wins(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("Id,Name\n1,華\n".encode("big5"))
    assert [row.raw for row in read_csv(path, encoding="big5")] == [["1", "華"]]


def test_a_file_of_unclear_encoding_is_refused_naming_the_candidates(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "unclear", "Id,Name\n001000000000001AAA,華\n".encode("big5"))
    with pytest.raises(InputDataError) as caught:
        detect_encoding(folder / "Account.csv")
    message = str(caught.value)
    assert "Account.csv" in message and "not clear" in message
    assert "BIG5" in message and "GB18030" in message and "the encoding setting" in message
    result = CliRunner().invoke(
        app,
        ["ingest", "salesforce", str(folder)],
        env={"KAMGRAPH_STORE": str(tmp_path / "store.kgl"), "NEO4J_URI": ""},
    )
    assert result.exit_code == 5, result.output
    assert "--encoding" in result.stderr and "Account.csv" in result.stderr
    assert "Traceback" not in result.output


def test_bytes_no_legacy_encoding_reads_plausibly_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"Id,Name\n1,A\x81\x40b\n")  # 'A丂b' / 'A\u3000b': CJK wedged in a word
    with pytest.raises(InputDataError, match="reads as none of"):
        detect_encoding(path)


# -- delimiters ---------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_sniffed_from_the_header_and_first_rows(
    tmp_path: Path, delimiter: str
) -> None:
    rows = [["Id", "Name", "Amount"], ["1", "Acme, Inc; Ltd", "1,5"], ["2", "Beta|Gamma", "2"]]
    path = tmp_path / "a.csv"
    text = "".join(
        delimiter.join(f'"{c}"' if delimiter in c else c for c in row) + "\n" for row in rows
    )
    path.write_text(text, encoding="utf-8")
    assert [row.raw for row in read_csv(path)] == rows[1:]


def test_semicolon_excel_export_loads(backend: Backend, tmp_path: Path) -> None:
    text = "Id;Name;BillingState\r\n001000000000001AAA;Müller Kommunikation GmbH;Zürich\r\n"
    load(backend, folder_with(tmp_path, "semi", text.encode("cp1252")))
    assert companies(backend) == [("Müller Kommunikation GmbH", "Zürich")]


def test_an_ambiguous_delimiter_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Id,Name;Note\n1,Acme;x\n2,Beta;y\n", encoding="utf-8")
    with pytest.raises(
        InputDataError,
        match=r"a\.csv:1: the delimiter is not clear.*commas and "
        "semicolons",
    ):
        list(read_csv(path))


# -- input hygiene --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "named"), [("Id,Name,ID", "'Id' and 'ID'"), ("Id,Name,Name", "'Name' and 'Name'")]
)
def test_duplicate_column_names_are_refused(tmp_path: Path, header: str, named: str) -> None:
    path = tmp_path / "Account.csv"
    path.write_text(f"{header}\n001000000000001AAA,Acme,x\n", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"Account\.csv:1: the header names a column twice"):
        list(read_csv(path))
    with pytest.raises(InputDataError, match=re.escape(named)):
        list(read_csv(path))


def test_a_lower_cased_18_char_id_is_restored_from_its_checksum(
    backend: Backend, tmp_path: Path
) -> None:
    account = sf_id("0015g00000AbCdE")  # the real case-safe id, suffix computed
    folder = tmp_path / "folded"
    folder.mkdir()
    (folder / "Account.csv").write_text(f"Id,Name\n{account},Acme AG\n", encoding="utf-8")
    (folder / "Opportunity.csv").write_text(
        "Id,AccountId,Name,StageName,Amount,CloseDate,IsClosed,IsWon\n"
        f"006000000000001AAA,{account.lower()},Deal,Prospecting,100,2024-01-31,false,false\n",
        encoding="utf-8",
    )
    report = load(backend, folder)
    assert not report.rejects
    rows = backend.read(
        "MATCH (c:Company)-[:HAS_DEAL]->(d:Deal) RETURN c.account_id AS a, d.deal_id AS d"
    )
    assert rows == [{"a": account, "d": "006000000000001AAA"}]


def test_a_folded_id_whose_checksum_cannot_fit_is_rejected_with_the_reason() -> None:
    with pytest.raises(FieldError, match="looks case-folded.*cannot be restored"):
        sf_id("001000000000001zzz")


# -- stages -------------------------------------------------------------------------------

OPPS = "Id,AccountId,Name,StageName{extra},Amount,CloseDate\n"


def deal_statuses(backend: Backend, tmp_path: Path, extra: str, rows: list[str]) -> RunReport:
    folder = tmp_path / "stages"
    folder.mkdir()
    (folder / "Account.csv").write_text("Id,Name\n001000000000001AAA,Acme\n", encoding="utf-8")
    body = "".join(
        f"00600000000000{i}AAA,001000000000001AAA,Deal {i},{row},100,2024-01-31\n"
        for i, row in enumerate(rows, start=1)
    )
    (folder / "Opportunity.csv").write_text(OPPS.format(extra=extra) + body, encoding="utf-8")
    return load(backend, folder)


def statuses(backend: Backend) -> dict[str, str]:
    rows = backend.read("MATCH (d:Deal) RETURN d.name AS name, d.status AS status")
    return {r["name"]: r["status"] for r in rows}


def test_known_stage_names_map_without_is_won(backend: Backend, tmp_path: Path) -> None:
    # Before: "Closed/Won" (sfdx-apex-recipes) was stored as lost.
    stages = ["Closed/Won", "Closed Won", "Closed - Won", "Won", "Closed/Lost", "Closed Lost"]
    report = deal_statuses(backend, tmp_path, "", [*stages, "Prospecting", "Closed - Cancelled"])
    assert statuses(backend) == {
        "Deal 1": "won",
        "Deal 2": "won",
        "Deal 3": "won",
        "Deal 4": "won",
        "Deal 5": "lost",
        "Deal 6": "lost",
        "Deal 7": "open",
    }
    (reject,) = report.rejects
    assert reject.field == "StageName" and "'Closed - Cancelled' looks closed" in reject.reason


def test_forecast_category_decides_before_the_stage_name(backend: Backend, tmp_path: Path) -> None:
    rows = ["Signed,Closed", "Dead,Omitted", "Negotiation,BestCase", "Closed Won,Pipeline"]
    deal_statuses(backend, tmp_path, ",ForecastCategory", rows)
    assert statuses(backend) == {
        "Deal 1": "won",
        "Deal 2": "lost",
        "Deal 3": "open",
        "Deal 4": "open",
    }


def test_is_won_and_is_closed_win_over_stage_names(backend: Backend, tmp_path: Path) -> None:
    rows = ["Closed/Won,false,true", "Signed,true,true", "Closed Won,false,false"]
    deal_statuses(backend, tmp_path, ",IsWon,IsClosed", rows)
    assert statuses(backend) == {"Deal 1": "lost", "Deal 2": "won", "Deal 3": "open"}


# -- the Salesforce weekly export ZIP ------------------------------------------------------


def weekly_export(folder: Path) -> list[Path]:
    """tests/data/sf_small as a weekly Data Export in two numbered ZIPs, with files kamgraph
    does not read and Data Export header casing (``ID``)."""
    folder.mkdir()
    csvs = sorted(SF_SMALL.glob("*.csv"))
    archives = [folder / "WE_00D000000000001_1.zip", folder / "WE_00D000000000001_2.zip"]
    for number, archive in enumerate(archives):
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for csv_path in csvs[number::2]:
                text = csv_path.read_text(encoding="utf-8")
                header, _, body = text.partition("\n")
                header = ",".join("ID" if h == "Id" else h for h in header.split(","))
                zf.writestr(csv_path.name.upper().replace(".CSV", ".csv"), f"{header}\n{body}")
            if number == 1:
                zf.writestr("Lead.csv", "Id,LastName\n00Q000000000001AAA,Lead\n")
                zf.writestr("Attachments/readme.txt", "binary files")
    return archives


def second_store(backend: Backend, tmp_path: Path) -> Backend:
    if backend.kind == "neo4j":
        wipe(backend)
        return backend
    return EmbeddedBackend.open(tmp_path / "zip.kgl")


def test_weekly_export_zips_load_like_the_same_csvs_in_a_folder(
    backend: Backend, tmp_path: Path
) -> None:
    load(backend, SF_SMALL)
    expected = canonical_dump(backend)
    archives = weekly_export(tmp_path / "export")
    other = second_store(backend, tmp_path)
    report = load(other, tmp_path / "export")
    assert not report.rejects
    assert canonical_dump(other) == expected
    assert sorted(report.skipped) == [
        "WE_00D000000000001_2.zip/Attachments/readme.txt (not a Salesforce export file)",
        "WE_00D000000000001_2.zip/Lead.csv (kamgraph does not read Lead records)",
    ]
    assert any(f.startswith(str(archives[0]) + "/") for f in report.files)
    if other is not backend:
        other.close()


def test_one_weekly_export_zip_is_read_from_its_path(tmp_path: Path) -> None:
    archives = weekly_export(tmp_path / "export")
    store = EmbeddedBackend.open(tmp_path / "one.kgl")
    try:
        report = load(store, archives[0])  # Account, Contact, Opportunity... of the first half
        assert report.counts.created > 0 and not report.skipped
        first_half = {p.name.upper() for p in sorted(SF_SMALL.glob("*.csv"))[0::2]}
        assert {Path(f).name.upper() for f in report.files} == first_half
    finally:
        store.close()


def test_files_a_folder_does_not_read_are_listed_with_the_reason(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "folder", ACCOUNTS.encode("utf-8"))
    (folder / "Lead.csv").write_text("Id,LastName\n00Q000000000001AAA,Lead\n", encoding="utf-8")
    (folder / "notes.txt").write_text("hello", encoding="utf-8")
    runner = CliRunner()
    env = {"KAMGRAPH_STORE": str(tmp_path / "store.kgl"), "NEO4J_URI": ""}
    result = runner.invoke(app, ["ingest", "salesforce", str(folder)], env=env)
    assert result.exit_code == 0, result.output
    assert "skipped: Lead.csv (kamgraph does not read Lead records)" in result.stderr
    assert "skipped: notes.txt (not a Salesforce export file)" in result.stderr


REAL_SHAPES = Path(__file__).parent / "data" / "real_shapes"


def test_apex_recipes_closed_won_is_won_and_the_csv_beside_is_listed(
    backend: Backend, tmp_path: Path
) -> None:
    # Real shape (CC0, see SOURCE.txt): sfdx tree JSON whose stages have no IsWon/IsClosed.
    report = load(backend, REAL_SHAPES / "apex_recipes_stages")
    assert statuses(backend) == {
        "Paradoxure": "won",
        "Giraffe": "won",
        "Lizard, mexican beaded": "lost",
        "Duck, blue": "open",
    }
    assert report.skipped == [
        "Opportunities.csv (a CSV beside sf data export tree JSON; only the JSON files are read)",
        "SOURCE.txt (not a Salesforce export file)",
    ]


def test_a_windows_1252_line_in_a_utf8_file_is_marked_with_its_reading(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    utf8 = "Id,Name\n1,Ünïcode AG\n2,Zürich AG\n".encode()
    path.write_bytes(utf8 + "3,Müller GmbH\n".encode("cp1252") + "4,Genève SA\n".encode())
    rows = list(read_csv(path))
    assert [row.raw[1] for row in rows] == ["Ünïcode AG", "Zürich AG", "Müller GmbH", "Genève SA"]
    marked = [row.line for row in rows if PROBLEM in row.cells]
    assert marked == [4]
    assert "not UTF-8 (they read as CP1252)" in rows[2].cells[PROBLEM]
