"""Files that cannot hurt their readers: hostile text through every writer, and atomic writes.

A small family from tests/data/sf_small gets names a spreadsheet would run (=HYPERLINK,
+cmd|...), HTML a Markdown viewer would render (<script>, <img onerror>), characters XML
forbids (U+FFFF), a bidi override and C1 controls, written as another tool would (Cypher
``SET``, since the readers refuse control characters on the way in). Every writer's output is
then parsed by what its readers use: the csv module, markdown-it plus an HTML parser,
xml.etree, and json with NaN/Infinity refused.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from kamgraph.analytics.export import export_text
from kamgraph.analytics.graph import group_graph
from kamgraph.backends.base import Backend
from kamgraph.brief import build_brief
from kamgraph.cli.app import app
from kamgraph.cli.output import to_csv, to_json
from kamgraph.files import FORMULA_STARTS, AtomicFile, atomic_write, csv_cell, csv_text
from kamgraph.ingest.pipeline import ingest

from .conftest import SF_SMALL

TOP = "001000000000001AAA"  # Acme Holding AG, the top of sf_small's family
AS_OF = "2025-06-30"
FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"]
HTML = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">']
ODD = ["Bad\uffffName", "\u202eevil", "C1\x85\x9bctl"]
HOSTILE = [*FORMULAS, *HTML, *ODD]


def _no_constants(name: str) -> Any:
    raise ValueError(f"not strict JSON: {name}")


def strict_json(text: str) -> Any:
    return json.loads(text, parse_constant=_no_constants)


@pytest.fixture
def hostile(backend: Backend) -> Backend:
    """sf_small with hostile names on its companies, contacts and deals."""
    ingest(backend, "salesforce", SF_SMALL)
    companies = [r["id"] for r in backend.read(
        "MATCH (c:Company) RETURN c.account_id AS id ORDER BY id"
    )]  # fmt: skip
    contacts = [r["id"] for r in backend.read(
        "MATCH (p:Contact) RETURN p.contact_id AS id ORDER BY id"
    )]  # fmt: skip
    deals = [r["id"] for r in backend.read("MATCH (d:Deal) RETURN d.deal_id AS id ORDER BY id")]
    for ids, label, key in ((companies, "Company", "account_id"), (contacts, "Contact",
                            "contact_id"), (deals, "Deal", "deal_id")):  # fmt: skip
        for i, value in enumerate(ids):
            backend.write(
                f"MATCH (n:{label} {{{key}: $id}}) SET n.name = $name",
                {"id": value, "name": HOSTILE[i % len(HOSTILE)]},
            )
    return backend


def _check_csv(text: str, *, raw: bool) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows, "a header row at least"
    for row in rows[1:]:
        for cell in row:
            if raw:
                continue
            starts_formula = cell.startswith(FORMULA_STARTS)
            number = cell.lstrip("+-").replace(".", "", 1).isdigit()
            assert not starts_formula or number, f"a spreadsheet would run {cell!r}"
    return rows


def test_csv_neutralises_formulas_and_keeps_numbers(hostile: Backend) -> None:
    _, rows = hostile.read_only(
        "MATCH (c:Company) RETURN c.name AS name, -12.5 AS delta ORDER BY c.account_id"
    )
    text = to_csv(rows, ["name", "delta"])
    parsed = _check_csv(text, raw=False)
    names = [r[0] for r in parsed[1:]]
    for formula in FORMULAS:
        if formula in {r["name"] for r in rows}:
            assert "'" + formula in names  # the value is all there, behind one quote
    assert {r[1] for r in parsed[1:]} == {"-12.5"}  # a negative number stays a number
    raw = _check_csv(to_csv(rows, ["name", "delta"], raw=True), raw=True)
    assert [r[0] for r in raw[1:]] == [r["name"] for r in rows]


def test_an_empty_csv_still_has_its_header() -> None:
    assert list(csv.reader(io.StringIO(csv_text([], ["a", "b"])))) == [["a", "b"]]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\uff1dcmd", "'\uff1dcmd"),
        ("-12.5", "-12.5"),
        ("+3e4", "+3e4"),
        ("-", "'-"),
        ("a=b", "a=b"),
        (None, ""),
        (["=x"], "'=x"),  # one value per cell: a list is joined, then held to the rule
    ],
)
def test_one_cell_rule(value: Any, cell: str) -> None:
    assert csv_cell(value) == cell
    assert csv_cell(value, raw=True) == ("" if value is None else cell.removeprefix("'"))


def test_the_rejects_file_is_safe_too(tmp_path: Path, backend: Backend) -> None:
    source = tmp_path / "finance.csv"
    with source.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["document_id", "account_id", "date", "amount", "currency", "kind"])
        for formula in FORMULAS:  # a bad date: every row is rejected, with its original text
            w.writerow([formula, "001BAD000000001AAA", "2025-02-31", "1", "EUR", "invoice"])
    rejects = tmp_path / "rejects.csv"
    report = ingest(backend, "finance", source, rejects=rejects)
    assert report.counts.rejected == len(FORMULAS)
    rows = _check_csv(rejects.read_text(encoding="utf-8"), raw=False)
    assert rows[0] == ["file", "line", "field", "reason", "original"]
    lines = source.read_text(encoding="utf-8").splitlines()[1:]
    originals = [r[4] for r in rows[1:]]
    assert [o.removeprefix("'") for o in originals] == lines  # nothing lost but the quote
    assert sum(o.startswith("'") for o in originals) == 3  # the quoted =HYPERLINK starts with "
    raw = tmp_path / "raw.csv"
    ingest(backend, "finance", source, rejects=raw, raw_csv=True)
    assert [r[4] for r in _check_csv(raw.read_text(encoding="utf-8"), raw=True)[1:]] == lines


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.append(tag)


def test_the_markdown_brief_renders_no_html_of_the_data(hostile: Backend) -> None:
    text = build_brief(hostile, TOP, as_of=AS_OF)
    assert "&lt;script&gt;" in text or "&lt;img" in text  # the hostile names are in the brief
    rendered = MarkdownIt("commonmark").render(text)
    parser = _Tags()
    parser.feed(rendered)
    assert not {"script", "img", "iframe"} & set(parser.tags), parser.tags
    assert "<script>" not in rendered and "onerror=" not in rendered.replace("onerror=&quot;", "")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_exports_are_well_formed_xml(hostile: Backend, fmt: str) -> None:
    text = export_text(group_graph(hostile, TOP, as_of=AS_OF), fmt)
    root = ET.fromstring(text.encode("utf-8"))  # raises on U+FFFF or a control character
    values = "".join(root.itertext()) + "".join(v for el in root.iter() for v in el.attrib.values())
    assert "BadName" in values and "\uffff" not in values
    assert "<script>alert(1)</script>" in values  # escaped by the writer, kept as text


def test_json_outputs_are_strict_json(hostile: Backend) -> None:
    g = group_graph(hostile, TOP, as_of=AS_OF)
    data = strict_json(export_text(g, "json"))
    values = {v for n in data["nodes"] for v in n.values() if isinstance(v, str)}
    assert len(values & set(HOSTILE)) >= 3  # hostile names travel as they are
    _, rows = hostile.read_only("MATCH (c:Company) RETURN c.name AS name, 0.0/0.0 AS nan")
    assert {r["name"] for r in strict_json(to_json(rows))} == {r["name"] for r in rows}


def test_cli_csv_and_its_opt_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "s.kgl"
    monkeypatch.setenv("KAMGRAPH_STORE", str(store))
    for key in ("NEO4J_URI", "KAMGRAPH_RAW_CSV"):
        monkeypatch.delenv(key, raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    statement = "RETURN '=1+2' AS f, -3 AS n"
    done = runner.invoke(app, ["cypher", statement, "-f", "CSV"])
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines() == ["f,n", "'=1+2,-3"]
    done = runner.invoke(app, ["--raw-csv", "cypher", statement, "-f", "csv"])
    assert done.stdout.splitlines() == ["f,n", "=1+2,-3"]
    monkeypatch.setenv("KAMGRAPH_RAW_CSV", "1")
    assert runner.invoke(app, ["cypher", statement, "-f", "csv"]).stdout.endswith("=1+2,-3\n")


# Atomic writes: a failure half-way leaves the last good file and no temporary file.


def _no_space(*_: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.csv"
    atomic_write(target, "old\n")
    monkeypatch.setattr(os, "fsync", _no_space)
    with pytest.raises(OSError) as raised:
        atomic_write(target, "new\n" * 10_000)
    assert raised.value.filename == str(target) and raised.value.errno == errno.ENOSPC
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_write_that_fails_mid_stream_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "rejects.csv"
    atomic_write(target, "old\n")
    with pytest.raises(RuntimeError), AtomicFile(target) as out:
        out.write("file,line\n")
        out.write("half a row")
        raise RuntimeError("the run died")
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rejects.csv"]


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "m.html", "<p>x</p>")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_cli_out_file_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "list.csv"
    target.write_text("last good\n")
    monkeypatch.setattr(os, "fsync", _no_space)
    done = CliRunner().invoke(app, ["query", "--list", "-f", "csv", "-o", str(target)])
    assert done.exit_code == 9, done.output
    assert f"cannot write {target}: no space left" in done.output
    assert target.read_text() == "last good\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.csv"]
