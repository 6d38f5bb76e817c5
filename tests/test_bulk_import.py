"""A bulk first load (`kamgraph import-files`): the import files hold the graph `kamgraph ingest`
writes from the same export, read back as the import tool reads them, and - where the import
tool can run (scripts/neo4j-import) - imported into a real Neo4j."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shlex
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.cli.app import app
from kamgraph.demo.generate import generate_demo
from kamgraph.dump import canonical_dump
from kamgraph.ingest.bulk import ARRAY_DELIMITER, BulkImportError, write_import_files
from kamgraph.ingest.pipeline import ingest
from kamgraph.schema import apply_schema
from kamgraph.schema.model import NODE_KEYS, RELATIONSHIPS

from .conftest import DATA, SF_SMALL
from .test_personal_data import write as _write_csv

REPO = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.UTC)
_FIELD = re.compile(r"^(\w*):?(\w+)?(?:\((\w+)\))?(\[\])?$")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("demo")
    generate_demo(directory)
    return directory


def _cases(demo_dir: Path) -> dict[str, tuple[str, Path, dict[str, Any] | None]]:
    return {
        "sf_small": ("salesforce", SF_SMALL, None),
        "analytics": ("salesforce", DATA / "analytics", None),
        "demo": ("salesforce", demo_dir, None),
        "notes": ("notes", demo_dir / "notes.csv", None),
        "generic": (
            "csv",
            DATA / "generic_crm",
            {"mapping": DATA / "generic_crm" / "mapping.toml"},
        ),
        "former-employers": ("salesforce", DATA / "stale-map", None),
        "warm-paths": ("salesforce", DATA / "warm-paths", None),
        "deleted": ("salesforce", demo_dir.parent / "deleted", None),
    }


@pytest.fixture(scope="module")
def deleted_export(demo_dir: Path) -> Path:
    """The analytics export with one account deleted: it is not loaded, and the links that name
    it (contacts, deals, its branch) are kept pending."""
    export = demo_dir.parent / "deleted"
    shutil.copytree(DATA / "analytics", export)
    rows = list(csv.DictReader((export / "Account.csv").open(encoding="utf-8")))
    for row in rows:
        row["IsDeleted"] = "false"
    rows[-1]["IsDeleted"] = "true"
    _write_csv(export / "Account.csv", rows)
    return export


def _args(directory: Path) -> list[str]:
    return [
        a
        for line in (directory / "import.args").read_text().splitlines()
        for a in shlex.split(line)
    ]


def _value(text: str, kind: str) -> Any:
    if kind == "long":
        return int(text)
    if kind == "double":
        return float(text)
    if kind == "boolean":
        assert text in ("true", "false"), text
        return text == "true"
    return text


def read_back(directory: Path) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """The files as the import tool reads them (header fields name:type, ID spaces, arrays split
    on the array delimiter); every relationship end must name a node of its ID space."""
    nodes: dict[str, list[dict[str, Any]]] = {}
    links: list[dict[str, Any]] = []
    ids: dict[str, set[str]] = {}
    for arg in _args(directory):
        kind, _, spec = arg.partition("=")
        if kind not in ("--nodes", "--relationships"):
            continue
        name, _, files = spec.partition("=")
        header_file, data_file = files.split(",")
        header = next(csv.reader(Path(header_file).open(encoding="utf-8")))
        with Path(data_file).open(encoding="utf-8", newline="") as f:
            for cells in csv.reader(f):
                assert len(cells) == len(header), (data_file, cells)
                row: dict[str, Any] = {"props": {}}
                for field, cell in zip(header, cells, strict=True):
                    m = _FIELD.match(field)
                    assert m is not None, f"{header_file}: bad header field {field!r}"
                    prop, kind_, space, array = m.groups()
                    if kind_ in ("ID", "START_ID", "END_ID"):
                        row[kind_] = (space, cell)
                        if kind_ == "ID":
                            row["props"][prop] = cell
                        continue
                    if cell == "":
                        continue
                    row["props"][prop] = (
                        [_value(v, kind_) for v in cell.split(ARRAY_DELIMITER)]
                        if array
                        else _value(cell, kind_)
                    )
                if kind == "--nodes":
                    space, key = row["ID"]
                    assert space == name, "a node's ID space is its label"
                    assert key not in ids.setdefault(space, set()), f"duplicate id {key}"
                    ids[space].add(key)
                    nodes.setdefault(name, []).append(row["props"])
                else:
                    links.append({"type": name, **row})
    for link in links:
        for end in ("START_ID", "END_ID"):
            space, key = link[end]
            assert key in ids.get(space, set()), f"{link['type']} {end} {key} names no {space}"
    return nodes, links


def load_back(directory: Path, store: Path) -> EmbeddedBackend:
    """The files read back, written into an embedded store (labels and types from the model)."""
    nodes, links = read_back(directory)
    backend = EmbeddedBackend.open(store)
    for label, rows in nodes.items():
        assert label in NODE_KEYS
        backend.write(f"UNWIND $rows AS row CREATE (n:`{label}`) SET n += row", {"rows": rows})
    for link in links:
        (a, start), (b, end) = link["START_ID"], link["END_ID"]
        assert link["type"] in RELATIONSHIPS and a in NODE_KEYS and b in NODE_KEYS
        backend.write(
            f"MATCH (a:`{a}` {{{NODE_KEYS[a]}: $start}}) MATCH (b:`{b}` {{{NODE_KEYS[b]}: $end}}) "
            f"CREATE (a)-[r:`{link['type']}`]->(b) SET r += $props",
            {"start": start, "end": end, "props": link["props"]},
        )
    return backend


def ingested(source: str, path: Path, options: dict[str, Any] | None, store: Path) -> Backend:
    backend = EmbeddedBackend.open(store)
    apply_schema(backend)
    ingest(backend, source, path, options=options, now=NOW)
    return backend


@pytest.mark.parametrize(
    "case",
    [
        "sf_small",
        "analytics",
        "demo",
        "notes",
        "generic",
        "former-employers",
        "warm-paths",
        "deleted",
    ],
)
def test_files_read_back_are_the_ingested_graph(
    case: str, demo_dir: Path, deleted_export: Path, tmp_path: Path
) -> None:
    source, path, options = _cases(demo_dir)[case]
    files = write_import_files(source, path, tmp_path / "import", options=options, now=NOW)
    expected = ingested(source, path, options, tmp_path / "ingest.kgl")
    imported = load_back(tmp_path / "import", tmp_path / "import.kgl")
    assert files.rows > 0
    assert canonical_dump(imported) == canonical_dump(expected)
    # The run is recorded as the ingest records it.
    run = (
        "MATCH (r:IngestRun) RETURN r.source AS source, r.status AS status, r.rows_read AS rows, "
        "r.created AS created, r.linked AS linked, r.rejected AS rejected, r.pending AS pending, "
        "r.deactivated AS deactivated, r.system AS system"
    )
    assert imported.read(run) == expected.read(run)


def test_links_without_their_end_are_kept_pending_as_the_ingest_keeps_them(tmp_path: Path) -> None:
    """Finance entries of companies not loaded yet: each BILLED_TO is a PendingLink that the
    later CRM run completes."""
    path = DATA / "pending" / "finance.csv"
    files = write_import_files("finance", path, tmp_path / "import", now=NOW)
    expected = ingested("finance", path, None, tmp_path / "ingest.kgl")
    imported = load_back(tmp_path / "import", tmp_path / "import.kgl")
    pending = (
        "MATCH (p:PendingLink) RETURN p.pending_id AS id, p.statement AS s, p.props AS props "
        "ORDER BY id"
    )
    assert files.report.pending > 0
    assert imported.read(pending) == expected.read(pending)
    assert canonical_dump(imported) == canonical_dump(expected)


TRICKY = 'Acme "Holding", AG\nsecond line \\ trailing\\'


def with_tricky_name(source: Path, export: Path) -> Path:
    """A copy of a Salesforce export whose first account's name has a quote, a comma, a line
    break and backslashes (one at the end)."""
    shutil.copytree(source, export)
    accounts = list(csv.DictReader((export / "Account.csv").open(encoding="utf-8")))
    accounts[0]["Name"] = TRICKY
    _write_csv(export / "Account.csv", accounts)
    return export


def test_crm_text_with_quotes_commas_newlines_and_backslashes_survives(tmp_path: Path) -> None:
    export = with_tricky_name(DATA / "analytics", tmp_path / "export")
    write_import_files("salesforce", export, tmp_path / "import", now=NOW)
    nodes, _ = read_back(tmp_path / "import")
    assert TRICKY in {c.get("name") for c in nodes["Company"]}


def test_a_folder_in_use_and_a_reference_source_are_refused(tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "nodes-Company.csv").write_text("x\n")
    with pytest.raises(BulkImportError, match="not empty; name a new or empty folder"):
        write_import_files("salesforce", SF_SMALL, tmp_path / "used")
    with pytest.raises(BulkImportError, match="load gleif with kamgraph ingest"):
        write_import_files("gleif", DATA / "gleif" / "api", tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_cli_writes_the_files_and_prints_the_import_command(tmp_path: Path) -> None:
    out = tmp_path / "import"
    result = CliRunner().invoke(app, ["import-files", "salesforce", str(SF_SMALL), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        f"neo4j-admin database import full neo4j --overwrite-destination=true @{out}/import.args"
        in result.output
    )
    again = CliRunner().invoke(app, ["import-files", "salesforce", str(SF_SMALL), "-o", str(out)])
    assert again.exit_code == 2
    assert "not empty" in again.output


# -- the real import tool ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def imported_neo4j(tmp_path: Path, demo_dir: Path) -> Iterator[tuple[Backend, Path]]:
    """The demo export (an account renamed to TRICKY) imported by scripts/neo4j-import into a
    server of its own."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no java: the import tool needs Java 17 or 21")
    export = with_tricky_name(demo_dir, tmp_path / "export")
    files = write_import_files("salesforce", export, tmp_path / "import", now=NOW)
    assert files.rows > 0
    env = dict(
        os.environ,
        KAMGRAPH_NEO4J_HOME=str(tmp_path / "neo4j"),
        KAMGRAPH_NEO4J_PORT=str(_free_port()),
    )
    done = subprocess.run(
        [str(REPO / "scripts" / "neo4j-import"), str(tmp_path / "import")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    try:
        assert done.returncode == 0, done.stderr[-3000:]
        uri = done.stdout.strip().removeprefix("export NEO4J_URI=")
        from kamgraph.backends.neo4j import Neo4jBackend

        backend = Neo4jBackend.connect(uri)
        try:
            yield backend, export
        finally:
            backend.close()
    finally:
        subprocess.run([str(REPO / "scripts" / "neo4j-local"), "stop"], env=env, check=False)


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_admin_import_gives_the_ingested_graph(
    imported_neo4j: tuple[Backend, Path], tmp_path: Path
) -> None:
    neo4j, demo = imported_neo4j
    expected = ingested("salesforce", demo, None, tmp_path / "ingest.kgl")
    assert canonical_dump(neo4j) == canonical_dump(expected)
    assert neo4j.read("MATCH (c:Company {name: $name}) RETURN count(c) AS n", {"name": TRICKY}) == [
        {"n": 1}
    ]
    # kamgraph init creates the constraints after the import: every key is unique.
    apply_schema(neo4j)
    for name in ("cross-sell-gaps", "procurement-links", "hierarchy-issues"):
        assert queries.run(neo4j, name, {}) == queries.run(expected, name, {}), name
    # The nightly ingest runs on top: the same export again changes nothing.
    report = ingest(neo4j, "salesforce", demo)
    assert (report.counts.created, report.counts.updated, report.counts.linked) == (0, 0, 0)
    assert report.families_changed == 0
    assert canonical_dump(neo4j) == canonical_dump(expected)
