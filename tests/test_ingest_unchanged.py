"""A nightly re-run of an unchanged export writes nothing and says so (kamgraph.ingest.unchanged).

Night after night on both backends: the same export twice changes nothing; a changed export
after an unchanged one lands; A, B, A again is a change back and gives A's state; --full
unchanged is recognised too; the finance job between two Salesforce runs does not stop it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from kamgraph.backends.base import Backend
from kamgraph.cli import app
from kamgraph.dump import canonical_dump
from kamgraph.ingest.pipeline import RunReport, ingest
from kamgraph.ingest.runs import list_runs
from kamgraph.schema import apply_schema

from .conftest import DATA, SF_SMALL

RENAMED = ("Acme Nord GmbH", "Acme North GmbH")


def export(tmp_path: Path, name: str, *, renamed: bool = False) -> Path:
    """A copy of the small Salesforce export; ``renamed``: one account has a new name."""
    folder = tmp_path / name
    shutil.copytree(SF_SMALL, folder)
    if renamed:
        accounts = folder / "Account.csv"
        accounts.write_text(accounts.read_text().replace(*RENAMED))
    return folder


def account_name(backend: Backend) -> str:
    [row] = backend.read(
        "MATCH (c:Company {account_id: $id}) RETURN c.name AS name", {"id": "001000000000002AAA"}
    )
    return str(row["name"])


def loaded(report: RunReport) -> bool:
    assert report.status == "ok", report.error
    return report.unchanged_since is None


def test_same_export_twice_changes_nothing_and_a_change_lands(
    backend: Backend, tmp_path: Path
) -> None:
    apply_schema(backend)
    a, b = export(tmp_path, "a"), export(tmp_path, "b", renamed=True)
    first = ingest(backend, "salesforce", a)
    assert loaded(first) and first.counts.created > 0
    after_a = canonical_dump(backend)

    again = ingest(backend, "salesforce", a)
    assert not loaded(again) and again.unchanged_since == first.run_id
    assert (again.counts.created, again.counts.updated, again.counts.linked) == (0, 0, 0)
    assert again.as_dict()["unchanged"] is True
    assert canonical_dump(backend) == after_a

    # A changed export after an unchanged one: its change lands.
    changed = ingest(backend, "salesforce", b)
    assert loaded(changed) and changed.counts.updated >= 1
    assert account_name(backend) == RENAMED[1]
    # A, B, A: the old export again is a change back, not a repeat.
    back = ingest(backend, "salesforce", a)
    assert loaded(back) and back.counts.updated >= 1
    assert account_name(backend) == RENAMED[0]
    # And once more A: now it is a repeat of the latest run.
    assert ingest(backend, "salesforce", a).unchanged_since == back.run_id
    runs = list_runs(backend)
    assert [r["unchanged"] for r in runs] == [True, False, False, True, False]


def test_full_and_other_jobs_between_runs(backend: Backend, tmp_path: Path) -> None:
    apply_schema(backend)
    a = export(tmp_path, "a")
    assert loaded(ingest(backend, "salesforce", a))
    # The same files as a complete export are another input: loaded (it may end records).
    full = ingest(backend, "salesforce", a, full=True)
    assert loaded(full)
    # The nightly pattern: Salesforce, then finance, each night; finance writes other records.
    finance = DATA / "pending" / "finance.csv"
    assert ingest(backend, "finance", finance).status in ("ok", "partial")
    dump = canonical_dump(backend)
    again = ingest(backend, "salesforce", a, full=True)
    assert again.unchanged_since == full.run_id and again.counts.deactivated == 0
    assert canonical_dump(backend) == dump
    # Another option (how dates are read) is another input.
    assert loaded(ingest(backend, "salesforce", a, full=True, date_format="%Y-%m-%d"))


def test_a_failed_or_partial_run_is_never_the_one_repeated(
    backend: Backend, tmp_path: Path
) -> None:
    apply_schema(backend)
    a = export(tmp_path, "a")
    (a / "Contact.csv").write_text((a / "Contact.csv").read_text() + "bad-id,,,,,,\n")
    first = ingest(backend, "salesforce", a)
    assert first.status == "partial"
    # Its rejects are reported again: a partial run is not repeated.
    second = ingest(backend, "salesforce", a)
    assert loaded_or_partial(second) and second.counts.rejected == first.counts.rejected


def loaded_or_partial(report: RunReport) -> bool:
    return report.unchanged_since is None and report.status == "partial"


def test_cli_reports_an_unchanged_run(tmp_path: Path) -> None:
    store = tmp_path / "store.kgl"
    env = {"KAMGRAPH_STORE": str(store), "NEO4J_URI": ""}
    a = export(tmp_path, "a")
    runner = CliRunner()
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    for _ in range(2):
        result = runner.invoke(
            app, ["ingest", "salesforce", str(a), "--log-format", "json"], env=env
        )
        assert result.exit_code == 0, result.output
    summary = json.loads(result.stderr.strip().splitlines()[-1])
    assert summary["unchanged"] is True and summary["status"] == "ok"
    runs = runner.invoke(app, ["runs", "--format", "json"], env=env)
    assert runs.exit_code == 0, runs.output
    assert [r["unchanged"] for r in json.loads(runs.stdout)] == [True, False]
