"""Every failure class ends in one ``error:`` line and its documented exit code, never a traceback.

Each case runs as a real subprocess (``python -m kamgraph``); all of them at once in a small
thread pool. The disk cases are real: a tiny tmpfs, mounted read-only or filled up, in a private
mount namespace (``unshare -rm``). Exit codes: README "Exit codes" and kamgraph/errors.py.
``{tmp}`` in a case is the test's folder, ``{disk}`` the tmpfs mount point inside it.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from kamgraph.errors import (
    BackendConnectionError,
    ConfigError,
    InputDataError,
    NotFoundError,
    QueryError,
    WriteError,
)

from .conftest import DATA, SF_SMALL

pytestmark = pytest.mark.slow

USAGE = ConfigError.exit_code  # 2: usage errors and bad option values, on every command
BAD_DAY = "2026-13-45"
GROUP = "001000000000999AAA"  # no such company in the (empty) store
MARKER = "s3cr3t-marker-password"
DEEP = 200_000
DAY = ["--as-of", BAD_DAY]
NOT_A_DAY = f"'{BAD_DAY}' is not a date; write YYYY-MM-DD"

# Disk set-ups, run in the private mount namespace before kamgraph ($K runs kamgraph).
READ_ONLY = "mount -t tmpfs -o size=1m tmpfs {disk} && $K init && mount -o remount,ro {disk}"
FULL = "mount -t tmpfs -o size=64k tmpfs {disk} && (dd if=/dev/zero of={disk}/fill bs=4k; true)"
TINY = "mount -t tmpfs -o size=16k tmpfs {disk}"  # room to open the store, not to load it
STORE_ON_DISK = {"KAMGRAPH_STORE": "{disk}/graph.kgl"}


@dataclass(frozen=True)
class Case:
    argv: list[str]
    code: int
    words: str
    disk: str | None = None
    env: dict[str, str] | None = None


CASES: dict[str, Case] = {
    # A bad option value is a usage error (2) on every command that takes one.
    "map --as-of": Case(["map", GROUP, *DAY], USAGE, f"--as-of {NOT_A_DAY}"),
    "map --portfolio --as-of": Case(["map", "--portfolio", *DAY], USAGE, f"--as-of {NOT_A_DAY}"),
    "brief --as-of": Case(["brief", GROUP, *DAY], USAGE, f"--as-of {NOT_A_DAY}"),
    "analyze influence --as-of": Case(
        ["analyze", "influence", GROUP, *DAY], USAGE, f"--as-of {NOT_A_DAY}"
    ),
    "analyze single-points --as-of": Case(
        ["analyze", "single-points", GROUP, *DAY], USAGE, f"--as-of {NOT_A_DAY}"
    ),
    "export --as-of": Case(["export", GROUP, *DAY], USAGE, f"--as-of {NOT_A_DAY}"),
    "scorecard --from": Case(["scorecard", "--from", BAD_DAY], USAGE, f"--from {NOT_A_DAY}"),
    "scorecard --to": Case(["scorecard", "--to", BAD_DAY], USAGE, f"--to {NOT_A_DAY}"),
    "query --param as_of": Case(
        ["query", "procurement-links", "--param", f"as_of={BAD_DAY}"],
        USAGE,
        f"parameter as_of={NOT_A_DAY}",
    ),
    "query --param not an int": Case(
        ["query", "procurement-links", "--param", "min_members=many"], USAGE, "not a valid int"
    ),
    "query --param unknown": Case(
        ["query", "procurement-links", "--param", "colour=red"], USAGE, "has no parameter colour"
    ),
    "query --format": Case(["query", "--list", "--format", "xml"], USAGE, "--format 'xml'"),
    "stats --format": Case(["stats", "--format", "xml"], USAGE, "--format 'xml'"),
    "runs --limit": Case(["runs", "--limit", "-1"], USAGE, "--limit -1"),
    "ingest --log-format": Case(
        ["ingest", "finance", "x.csv", "--log-format", "xml"], USAGE, "--log-format 'xml'"
    ),
    "map --layers": Case(["map", GROUP, "--layers", "moon"], USAGE, "--layers: unknown map layer"),
    # Not found (8), an unknown query (6), unreadable input (5).
    "map unknown group": Case(["map", GROUP], NotFoundError.exit_code, "no company with id"),
    "brief unknown group": Case(["brief", GROUP], NotFoundError.exit_code, "no company with id"),
    "analyze unknown group": Case(
        ["analyze", "influence", GROUP], NotFoundError.exit_code, "no company with id"
    ),
    "unknown query": Case(["query", "nope"], QueryError.exit_code, "kamgraph query --list"),
    # An id a query parameter names is checked like map's argument (8), on every query.
    "query unknown group": Case(
        ["query", "cross-sell-gaps", "--param", "group_id=NOPE"],
        NotFoundError.exit_code,
        "parameter group_id: no company with id 'NOPE'",
    ),
    "query unknown deal": Case(
        ["query", "procurement-links", "--param", "deal_id=NOPE"],
        NotFoundError.exit_code,
        "parameter deal_id: no deal with id 'NOPE'",
    ),
    "query unknown target": Case(
        ["query", "warm-paths", "--param", "target=NOPE"],
        NotFoundError.exit_code,
        "parameter target: no company or contact with id 'NOPE'",
    ),
    "export unknown group": Case(["export", GROUP], NotFoundError.exit_code, "no company with id"),
    # A store that does not exist is a connection error (3) naming it; a reader never makes it.
    "query on a missing store": Case(
        ["query", "cross-sell-gaps"],
        BackendConnectionError.exit_code,
        "there is no store at {tmp}/elsewhere/s.kgl",
        env={"KAMGRAPH_STORE": "{tmp}/elsewhere/s.kgl"},
    ),
    "map on a missing store": Case(
        ["map", "--portfolio"],
        BackendConnectionError.exit_code,
        "there is no store at {tmp}/elsewhere/s.kgl",
        env={"KAMGRAPH_STORE": "{tmp}/elsewhere/s.kgl"},
    ),
    # An ad-hoc statement that writes is refused (6) before the store is opened.
    "cypher that writes": Case(
        ["cypher", "MATCH (c:Company) SET c.name = 'x'"], QueryError.exit_code, "refused"
    ),
    "forget unknown person": Case(
        ["forget", "003000000000999AAA"], NotFoundError.exit_code, "no contact with id or e-mail"
    ),
    "person unknown": Case(
        ["person", "nobody@example.com"], NotFoundError.exit_code, "no contact with id or e-mail"
    ),
    "forget --undo unknown": Case(
        ["forget", "--undo", "003000000000999AAA"], NotFoundError.exit_code, "no suppression"
    ),
    "ingest --retain-inactive-days": Case(
        ["ingest", "finance", "x.csv", "--retain-inactive-days", "0"],
        USAGE,
        "--retain-inactive-days DAYS 0 must be 1 or more",
    ),
    "missing input": Case(
        ["ingest", "finance", "{tmp}/nowhere.csv"], InputDataError.exit_code, "no such file"
    ),
    "deep sfdx JSON": Case(
        ["ingest", "salesforce", "{tmp}/sfdx"],
        InputDataError.exit_code,
        "{tmp}/sfdx/Account.json: the JSON is nested too deeply",
    ),
    "deep GLEIF JSON": Case(
        ["ingest", "gleif", "{tmp}/lei-records.json"],
        InputDataError.exit_code,
        "{tmp}/lei-records.json: the JSON is nested too deeply",
    ),
    # Malformed URIs are a setting to fix (2); an unreachable server a connection error (3).
    "URI port not a number": Case(
        ["--neo4j-uri", "bolt://host:notaport", "stats"], USAGE, "'bolt://host:notaport' is not"
    ),
    "URI unclosed IPv6": Case(["--neo4j-uri", "bolt://[::1", "stats"], USAGE, "not a valid URI"),
    "URI port out of range": Case(
        ["--neo4j-uri", "bolt://127.0.0.1:99999", "stats"], USAGE, "Port out of range"
    ),
    "URI without a host": Case(["--neo4j-uri", "bolt://", "stats"], USAGE, "names no host"),
    "URI unknown scheme": Case(
        ["--neo4j-uri", "http://127.0.0.1:1", "stats"], USAGE, "unsupported scheme"
    ),
    "URI unreachable": Case(
        ["--neo4j-uri", "bolt://127.0.0.1:1", "stats"],
        BackendConnectionError.exit_code,
        "cannot reach Neo4j at bolt://127.0.0.1:1",
    ),
    # The disk (9): a read-only store, and a full disk under the store, a map, a CSV, rejects.
    "read-only store": Case(
        ["ingest", "salesforce", str(SF_SMALL)],
        WriteError.exit_code,
        "cannot write the store {disk}/graph.kgl: the file system is read-only",
        disk=READ_ONLY,
        env=STORE_ON_DISK,
    ),
    "new store on a read-only disk": Case(
        ["init"],
        WriteError.exit_code,
        "cannot write the store {disk}/new/graph.kgl: the file system is read-only",
        disk="mount -t tmpfs -o ro tmpfs {disk}",
        env={"KAMGRAPH_STORE": "{disk}/new/graph.kgl"},
    ),
    "full disk under the store": Case(
        ["ingest", "salesforce", str(SF_SMALL)],
        WriteError.exit_code,
        "cannot write the store {disk}/graph.kgl: no space left on the device",
        disk=TINY,
        env=STORE_ON_DISK,
    ),
    "full disk under a map": Case(
        ["map", "--portfolio", "-o", "{disk}/m.html"],
        WriteError.exit_code,
        "cannot write {disk}/m.html: no space left on the device",
        disk=FULL,
    ),
    "full disk under a CSV": Case(
        ["query", "--list", "-f", "csv", "-o", "{disk}/q.csv"],
        WriteError.exit_code,
        "cannot write {disk}/q.csv: no space left on the device",
        disk=FULL,
    ),
    "full disk under the rejects file": Case(
        ["ingest", "finance", str(DATA / "bad" / "finance.csv"), "--rejects", "{disk}/r.csv"],
        WriteError.exit_code,
        "cannot write {disk}/r.csv: no space left on the device",
        disk=FULL,
    ),
}


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def _unshare_works() -> bool:
    """Whether this machine lets us mount a tmpfs in a private namespace (no root needed)."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt"], capture_output=True, timeout=60
    )
    return probe.returncode == 0


def _write_deep_json(tmp: Path) -> None:
    (tmp / "sfdx").mkdir()
    (tmp / "sfdx" / "Account.json").write_text(
        '{"records": [{"attributes": {"type": "Account", "referenceId": "AccountRef1"}, '
        f'"Name": "Deep", "Notes": {"[" * DEEP}{"]" * DEEP}}}]}}',
        encoding="utf-8",
    )
    (tmp / "lei-records.json").write_text(
        '{"data": [{"type": "lei-records", "id": "X", "attributes": '
        f"{'[' * DEEP}{']' * DEEP}}}]}}",
        encoding="utf-8",
    )


def _run(case: Case, tmp: Path, env: dict[str, str]) -> Run:
    def fill(text: str) -> str:
        return text.format(tmp=tmp, disk=tmp / "disk")

    argv = [fill(a) for a in case.argv]
    env = {**env, **{k: fill(v) for k, v in (case.env or {}).items()}}
    kamgraph = f"{shlex.quote(sys.executable)} -m kamgraph"
    if case.disk is None:
        cmd = [sys.executable, "-m", "kamgraph", *argv]
    else:
        setup = fill(case.disk).replace("$K", kamgraph)
        cmd = ["unshare", "-rm", "sh", "-c", f"{setup} && exec {kamgraph} {shlex.join(argv)}"]
    done = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
    return Run(done.returncode, done.stdout, done.stderr)


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KAMGRAPH_"))}


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An existing, empty embedded store (readers refuse a store that does not exist)."""
    store = tmp_path_factory.mktemp("empty") / "s.kgl"
    env = {**_clean_env(), "KAMGRAPH_STORE": str(store)}
    done = subprocess.run(
        [sys.executable, "-m", "kamgraph", "init"], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return store


@pytest.fixture(scope="module")
def runs(
    tmp_path_factory: pytest.TempPathFactory, empty_store: Path
) -> dict[str, tuple[Run, Path]]:
    """Every case of CASES run once (disk cases only where a tmpfs can be mounted)."""
    env = _clean_env()
    env["NEO4J_PASSWORD"] = MARKER  # never in any message
    disk_ok = _unshare_works()
    done: dict[str, tuple[Run, Path]] = {}
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {}
        for name, case in CASES.items():
            if case.disk is not None and not disk_ok:
                continue
            tmp = tmp_path_factory.mktemp("case")
            (tmp / "disk").mkdir()
            shutil.copy(empty_store, tmp / "s.kgl")
            if name.startswith("deep"):
                _write_deep_json(tmp)
            futures[name] = (
                pool.submit(_run, case, tmp, {**env, "KAMGRAPH_STORE": str(tmp / "s.kgl")}),
                tmp,
            )
        for name, (future, tmp) in futures.items():
            done[name] = (future.result(), tmp)
    return done


@pytest.mark.parametrize("name", list(CASES))
def test_each_failure_class_gives_one_line_and_its_exit_code(
    name: str, runs: dict[str, tuple[Run, Path]]
) -> None:
    case = CASES[name]
    if name not in runs:
        pytest.skip("cannot mount a tmpfs here (unshare -rm is not permitted)")
    run, tmp = runs[name]
    output = run.stdout + run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert run.code == case.code, f"{name}: exit {run.code}\n{run.stderr}"
    assert "Traceback" not in output, run.stderr
    assert len(errors) == 1, run.stderr
    assert run.stderr.strip().splitlines()[-1] == errors[0]
    assert case.words.format(tmp=tmp, disk=tmp / "disk") in errors[0]
    assert MARKER not in output


def _main_with(
    fault: str, *args: str, store: Path, debug: bool = False
) -> subprocess.CompletedProcess[str]:
    """``kamgraph stats`` with ``graph_stats`` replaced by code that raises ``fault``."""
    code = (
        "import sys, kamgraph.stats\n"
        f"def broken(backend): raise {fault}\n"
        "kamgraph.stats.graph_stats = broken\n"
        f"sys.argv = ['kamgraph', 'stats', *{list(args)!r}]\n"
        "from kamgraph.cli import main\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KAMGRAPH_"))}
    env.update(NEO4J_PASSWORD=MARKER, KAMGRAPH_STORE=str(store))
    if debug:
        env["KAMGRAPH_DEBUG"] = "1"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_an_unexpected_error_is_one_line_exit_1_and_says_where_to_report(
    empty_store: Path,
) -> None:
    done = _main_with(f"RuntimeError('boom near {MARKER}')", store=empty_store)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: unexpected RuntimeError: boom near ***"), last
    assert "report it" in last and "KAMGRAPH_DEBUG=1" in last
    assert MARKER not in done.stderr + done.stdout


def test_kamgraph_debug_shows_the_traceback(empty_store: Path) -> None:
    done = _main_with("RuntimeError('boom')", store=empty_store, debug=True)
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "RuntimeError: boom" in done.stderr


def test_with_log_format_json_an_error_is_one_json_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KAMGRAPH_"))}
    env["KAMGRAPH_STORE"] = str(tmp_path / "s.kgl")
    base = [sys.executable, "-m", "kamgraph", "ingest", "finance"]
    for argv, code, kind in (
        ([*base, str(tmp_path / "nowhere.csv"), "--log-format", "json"], 5, "input"),
        ([*base, "x.csv", "--log-format=json", "--batch-size", "0"], 2, "usage"),
        ([*base, "x.csv", "--log-format", "json", "--no-such-option"], 2, "usage"),
    ):
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == code, done.stderr
        record = json.loads(done.stderr.strip().splitlines()[-1])
        assert record["status"] == "error" and record["error"] == kind, record
        assert record["exit_code"] == code and record["message"], record
        assert "Traceback" not in done.stderr
