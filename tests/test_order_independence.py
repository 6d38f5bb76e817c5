"""Nightly jobs in any order, or overlapping with --wait, end in the graph of the serial order.

finance, notes and policies (tests/data/pending) refer to the records of tests/data/sf_small.
A reference to a record not loaded yet is kept pending and completed by the run that loads it.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamgraph.backends.base import Backend
from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.cli import app
from kamgraph.dump import canonical_dump
from kamgraph.errors import QueryError
from kamgraph.ingest.pending import check_link_statement
from kamgraph.ingest.pipeline import RunReport, ingest
from kamgraph.ingest.runs import list_pending, list_runs
from kamgraph.schema import apply_schema

from .conftest import DATA, SF_SMALL, neo4j_backend, wipe

PENDING = DATA / "pending"
JOBS = ("salesforce", "finance", "notes", "policies")
SERIAL = JOBS
#: finance.csv line 6 names an account no file has: it stays pending in every order.
TYPO = ("finance.csv", 6, "account_id", "001000000000099AAA")


def path_of(job: str) -> Path:
    return SF_SMALL if job == "salesforce" else PENDING / f"{job}.csv"


def run(backend: Backend, job: str, **kw: object) -> RunReport:
    return ingest(backend, job, path_of(job), **kw)  # type: ignore[arg-type]


def load(backend: Backend, order: tuple[str, ...]) -> list[str]:
    apply_schema(backend)
    for job in order:
        report = run(backend, job)
        assert report.status == "ok" and report.counts.rejected == 0, (job, report.rejects)
    return canonical_dump(backend)


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def fresh(request: pytest.FixtureRequest) -> Callable[[], Backend]:
    """A function giving an empty graph of one backend each time it is called."""
    if request.param == "neo4j":
        backend = neo4j_backend()

        def wiped() -> Backend:
            wipe(backend)
            return backend

        return wiped
    return EmbeddedBackend.in_memory


def rels(dump: list[str], rel_type: str) -> int:
    return sum(
        1 for line in dump if line.startswith('{"from": ') and f'"rel": "{rel_type}"' in line
    )


def test_every_order_of_the_nightly_jobs_gives_the_serial_graph(
    fresh: Callable[[], Backend],
) -> None:
    serial = load(fresh(), SERIAL)
    # The serial graph has every link the files state (but the typo'd account's).
    assert (rels(serial, "BILLED_TO"), rels(serial, "ISSUED_BY"), rels(serial, "APPLIES_TO")) == (
        4,
        2,
        2,
    )
    assert rels(serial, "ABOUT") == 4 and rels(serial, "WROTE") == 3
    for order in itertools.permutations(JOBS):
        backend = fresh()
        assert load(backend, order) == serial, f"order {' -> '.join(order)} differs from serial"
        waiting = [
            (Path(p["file"]).name, p["line"], p["field"], p["to_key"])
            for p in list_pending(backend)
        ]
        assert waiting == [TYPO], order


def test_pending_references_are_listed_then_completed(
    fresh: Callable[[], Backend],
) -> None:
    backend = fresh()
    apply_schema(backend)
    finance = run(backend, "finance")
    # Not rejects: five references wait for the CRM, and the run is ok.
    assert (finance.status, finance.counts.rejected, finance.rejects) == ("ok", 0, [])
    assert (finance.pending, finance.counts.linked) == (5, 0)
    waiting = {(Path(p["file"]).name, p["line"], p["field"]): p for p in list_pending(backend)}
    assert set(waiting) == {("finance.csv", line, "account_id") for line in range(2, 7)}
    assert (
        "001000000000004AAA is not a known company"
        in waiting[("finance.csv", 2, "account_id")]["reason"]
    )
    assert all(p["source"] == "finance" and p["run_id"] == finance.run_id for p in waiting.values())
    by_run = {r["run_id"]: r for r in list_runs(backend)}
    assert (by_run[finance.run_id]["pending"], by_run[finance.run_id]["still_pending"]) == (5, 5)

    crm = run(backend, "salesforce")
    assert (crm.completed, crm.pending) == (4, 0)
    assert [(Path(p["file"]).name, p["line"]) for p in list_pending(backend)] == [TYPO[:2]]
    billed = backend.read(
        "MATCH (f:FinanceEntry)-[r:BILLED_TO]->(c:Company) "
        "RETURN f.entry_id AS entry, c.account_id AS account, r.source AS source ORDER BY entry"
    )
    assert [(r["entry"], r["source"]) for r in billed] == [
        ("CST-1", "finance"),
        ("INV-1", "finance"),
        ("INV-2", "finance"),
        ("INV-3", "finance"),
    ]
    by_run = {r["run_id"]: r for r in list_runs(backend)}
    assert (by_run[finance.run_id]["pending"], by_run[finance.run_id]["still_pending"]) == (5, 1)

    # Idempotent: running both again creates, links and completes nothing new.
    before = canonical_dump(backend)
    again = [run(backend, "finance"), run(backend, "salesforce")]
    assert [(r.counts.created, r.counts.linked, r.completed) for r in again] == [(0, 0, 0)] * 2
    assert canonical_dump(backend) == before
    assert len(list_pending(backend)) == 1


def test_a_newer_export_replaces_what_an_older_one_left_pending(
    fresh: Callable[[], Backend], tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    backend = fresh()
    apply_schema(backend)
    header = "document_id,account_id,date,amount,currency,kind\n"
    night1, night2 = tmp_path / "night1.csv", tmp_path / "night2.csv"
    night1.write_text(
        header + f"INV-9,{sf_ids['B1']},2025-01-31,10,EUR,invoice\n", encoding="utf-8"
    )
    night2.write_text(
        header + f"INV-9,{sf_ids['A1a']},2025-01-31,10,EUR,invoice\n", encoding="utf-8"
    )
    ingest(backend, "finance", night1)
    ingest(backend, "finance", night2)  # re-exported with another account, CRM still missing
    assert [p["to_key"] for p in list_pending(backend)] == [sf_ids["A1a"]]
    run(backend, "salesforce")
    billed = backend.read(
        "MATCH (:FinanceEntry {entry_id: 'INV-9'})-[:BILLED_TO]->(c:Company) "
        "RETURN c.account_id AS account"
    )
    assert billed == [{"account": sf_ids["A1a"]}]  # never the account of the older export
    assert list_pending(backend) == []


def test_a_contact_exported_again_without_its_account_ends_the_pending_employment(
    fresh: Callable[[], Backend], tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    """End rules apply to pending links as to stored ones (here: end-employments)."""
    backend = fresh()
    apply_schema(backend)
    contact, account = sf_ids["c1"], sf_ids["A1a"]
    folders = []
    for night, account_cell in (("n1", account), ("n2", "")):
        folder = tmp_path / night
        folder.mkdir()
        (folder / "Account.csv").write_text(
            f"Id,Name\n{sf_ids['A0']},Acme Holding AG\n", encoding="utf-8"
        )
        (folder / "Contact.csv").write_text(
            f"Id,AccountId,FirstName,LastName\n{contact},{account_cell},Hanna,Berg\n",
            encoding="utf-8",
        )
        folders.append(folder)
    ingest(backend, "salesforce", folders[0])  # the account is not exported yet: pending
    assert [p["field"] for p in list_pending(backend)] == ["AccountId"]
    ingest(backend, "salesforce", folders[1])  # she no longer works there
    assert list_pending(backend) == []
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "Account.csv").write_text(
        f"Id,Name\n{account},Acme Hamburg\n", encoding="utf-8"
    )
    ingest(backend, "salesforce", tmp_path / "accounts")
    works = backend.read("MATCH (:Contact)-[r:WORKS_AT]->(:Company) RETURN count(r) AS n")
    assert works == [{"n": 0}]


def test_a_contact_exported_again_without_a_manager_ends_the_pending_manager_link(
    fresh: Callable[[], Backend], tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    """Every end rule of the declared table ends pending links too (here: end-reports-to)."""
    backend = fresh()
    apply_schema(backend)
    contact, manager = sf_ids["c1"], sf_ids["c2"]
    folders = []
    for night, manager_cell in (("n1", manager), ("n2", "")):
        folder = tmp_path / night
        folder.mkdir()
        (folder / "Account.csv").write_text(
            f"Id,Name\n{sf_ids['A0']},Acme Holding AG\n", encoding="utf-8"
        )
        (folder / "Contact.csv").write_text(
            "Id,AccountId,ReportsToId,FirstName,LastName\n"
            f"{contact},{sf_ids['A0']},{manager_cell},Hanna,Berg\n",
            encoding="utf-8",
        )
        folders.append(folder)
    ingest(backend, "salesforce", folders[0])  # the manager is not exported yet: pending
    assert [p["field"] for p in list_pending(backend)] == ["ReportsToId"]
    ingest(backend, "salesforce", folders[1])  # she no longer reports to anyone
    assert list_pending(backend) == []
    (tmp_path / "manager").mkdir()
    (tmp_path / "manager" / "Account.csv").write_text(
        f"Id,Name\n{sf_ids['A0']},Acme Holding AG\n", encoding="utf-8"
    )
    (tmp_path / "manager" / "Contact.csv").write_text(
        f"Id,AccountId,FirstName,LastName\n{manager},{sf_ids['A0']},Jonas,Krug\n",
        encoding="utf-8",
    )
    ingest(backend, "salesforce", tmp_path / "manager")
    reports = backend.read("MATCH (:Contact)-[r:REPORTS_TO]->(:Contact) RETURN count(r) AS n")
    assert reports == [{"n": 0}]


def test_cli_counts_pending_exits_0_and_lists_them(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"KAMGRAPH_STORE": str(tmp_path / "store.kgl"), "NEO4J_URI": ""}
    rejects = tmp_path / "rejects.csv"
    result = runner.invoke(
        app,
        ["ingest", "finance", str(PENDING / "finance.csv"), "--rejects", str(rejects)],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert "0 rejected, 5 pending" in result.stderr
    assert rejects.read_text(encoding="utf-8").splitlines() == ["file,line,field,reason,original"]
    listed = runner.invoke(app, ["runs", "--pending", "--format", "csv"], env=env)
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.strip().splitlines()
    assert lines[0].startswith("source,run_id,since,file,line,field,reason")
    assert len(lines) == 1 + 5 and "finance.csv,6,account_id" in listed.stdout
    table = runner.invoke(app, ["runs", "--format", "json"], env=env)
    assert '"pending": 5' in table.stdout and '"still_pending": 5' in table.stdout


def test_completed_references_leave_the_embedded_store_writable_night_after_night(
    tmp_path: Path,
) -> None:
    """Completing references closes them; the store is reopened by every command, and the runs
    after a completion still write (deleting nodes made kglite reuse ids of existing nodes)."""
    runner = CliRunner()
    env = {"KAMGRAPH_STORE": str(tmp_path / "store.kgl"), "NEO4J_URI": ""}
    nights = ["finance", "notes", "salesforce", "policies", "finance", "salesforce", "notes"]
    for job in nights:
        result = runner.invoke(app, ["ingest", job, str(path_of(job)), "-q"], env=env)
        assert result.exit_code == 0, f"{job}: {result.output}"
    runs = runner.invoke(app, ["runs", "--format", "json"], env=env)
    assert runs.exit_code == 0, runs.output
    assert [r["status"] for r in json.loads(runs.stdout)] == ["ok"] * len(nights)
    listed = runner.invoke(app, ["runs", "--pending", "--format", "json"], env=env)
    # Only the fixture's deliberate typo (an account no export has) still waits.
    assert [r["line"] for r in json.loads(listed.stdout)] == [6]


def _cli(env: dict[str, str], job: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kamgraph", "ingest", job, str(path_of(job)), "--wait", "120", "-q"],
        cwd=cwd,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("kind", ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_overlapping_runs_with_wait_end_in_the_serial_graph(kind: str, tmp_path: Path) -> None:
    serial = load(EmbeddedBackend.in_memory(), SERIAL)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    if kind == "neo4j":
        backend = neo4j_backend()
        wipe(backend)
        env["NEO4J_URI"] = os.environ.get("KAMGRAPH_TEST_NEO4J_URI") or os.environ["NEO4J_URI"]
    else:
        env["KAMGRAPH_STORE"] = str(tmp_path / "store.kgl")
    # The CRM job last in the list, so it usually starts after the others have the lock.
    jobs = [_cli(env, job, tmp_path) for job in ("finance", "notes", "policies", "salesforce")]
    for job in jobs:
        _, err = job.communicate(timeout=300)
        assert job.returncode == 0, err
    if kind == "embedded":
        backend = EmbeddedBackend.open(tmp_path / "store.kgl", write=False)
    assert canonical_dump(backend) == serial
    statuses = [r["status"] for r in list_runs(backend)]
    assert statuses == ["ok"] * 4


@pytest.mark.neo4j
def test_a_run_that_waited_for_the_lock_resolves_against_the_graph_it_finds(
    tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    """Entity resolution (subsidiaries, gleif) reads the graph after --wait, not before."""
    backend = neo4j_backend()
    listing = tmp_path / "subsidiaries.csv"
    listing.write_text(
        "parent_id,parent_name,subsidiary_name,jurisdiction,ownership_pct\n"
        f"{sf_ids['A0']},Acme Holding AG,Acme Polska Sp. z o.o.,Poland,100\n",
        encoding="utf-8",
    )
    wipe(backend)
    apply_schema(backend)
    run(backend, "salesforce")
    ingest(backend, "subsidiaries", listing)
    serial = canonical_dump(backend)
    assert any('"rel": "SUBSIDIARY_OF"' in line and sf_ids["A0"] in line for line in serial)

    wipe(backend)
    apply_schema(backend)
    crm_holds_the_lock = threading.Event()

    def slowly(n: int) -> None:
        crm_holds_the_lock.set()
        time.sleep(0.05)

    crm = threading.Thread(
        target=lambda: run(backend, "salesforce", batch_size=3, on_progress=slowly)
    )
    crm.start()
    assert crm_holds_the_lock.wait(timeout=60)
    report = ingest(backend, "subsidiaries", listing, wait=120)
    crm.join(timeout=120)
    assert report.status == "ok" and report.pending == 0
    assert canonical_dump(backend) == serial


def test_a_move_to_a_company_loaded_later_is_dated_like_one_seen_at_once(
    fresh: Callable[[], Backend], tmp_path: Path, sf_ids: dict[str, str]
) -> None:
    contact, old, new = sf_ids["c1"], sf_ids["A1a"], sf_ids["B1"]

    def export(name: str, accounts: list[str], employer: str | None) -> Path:
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        rows = "".join(f"{a},Account {a[-6:]}\n" for a in accounts)
        (folder / "Account.csv").write_text(f"Id,Name\n{rows}", encoding="utf-8")
        if employer is not None:
            (folder / "Contact.csv").write_text(
                f"Id,AccountId,FirstName,LastName\n{contact},{employer},Hanna,Berg\n",
                encoding="utf-8",
            )
        return folder

    def employments(backend: Backend) -> list[tuple[str, bool, str | None, str | None]]:
        rows = backend.read(
            "MATCH (:Contact)-[r:WORKS_AT]->(c:Company) RETURN c.account_id AS account, "
            "r.active AS active, r.since AS since, r.until AS until ORDER BY account"
        )
        return [(r["account"], r["active"], r["since"], r["until"]) for r in rows]

    graphs = []
    for new_arrives_later in (False, True):
        backend = fresh()
        apply_schema(backend)
        ingest(backend, "salesforce", export("night1", [old], old))
        night2 = [old] if new_arrives_later else [old, new]
        ingest(backend, "salesforce", export(f"night2-{new_arrives_later}", night2, new))
        if new_arrives_later:
            assert [p["to_key"] for p in list_pending(backend)] == [new]
            ingest(backend, "salesforce", export("accounts", [new], None))
        graphs.append(employments(backend))
    assert graphs[0] == graphs[1]
    (_, _, _, until), (_, active, since, _) = graphs[1]
    assert active and until is not None and since == until


def test_only_registered_link_statements_are_replayed() -> None:
    assert check_link_statement("link-billed-to") == "link-billed-to"
    for name in ("deactivate-company", "pending-done", "runs"):
        with pytest.raises(QueryError, match="not a link statement"):
            check_link_statement(name)
    with pytest.raises(QueryError):
        check_link_statement("link-nothing")
