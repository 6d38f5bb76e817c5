"""Running kamgraph unattended: JSON stderr, progress only on a terminal, completion, a fast
``--version``. (Its time is measured with farm-bench, not here: see BENCHMARKS.md.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamgraph import __version__
from kamgraph.backends.base import Backend
from kamgraph.cli.app import app
from kamgraph.ingest.pipeline import ingest
from kamgraph.maps import write_all_maps

from .conftest import DATA, SF_SMALL


def _env(store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KAMGRAPH_"))}
    env["KAMGRAPH_STORE"] = str(store)
    return env


def test_every_stderr_line_is_json_under_log_format_json(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kamgraph", "ingest", "finance", str(DATA / "bad" / "finance.csv"),
         "--log-format", "json", "--rejects", str(tmp_path / "r.csv")],
        env=_env(tmp_path / "s.kgl"), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 10, done.stderr
    records = [json.loads(line) for line in done.stderr.splitlines()]  # each line parses
    assert records[0] == {
        "status": "info",
        "message": f"kamgraph: using embedded kglite store={tmp_path / 's.kgl'}",
    }
    assert records[-1]["status"] == "partial" and records[-1]["rejected"] > 0


def test_map_all_reports_progress_to_its_caller(backend: Backend, tmp_path: Path) -> None:
    ingest(backend, "salesforce", SF_SMALL)
    expected: list[int] = []
    ticks: list[int] = []
    written = write_all_maps(
        backend, tmp_path, as_of="2025-06-30", on_start=expected.append, on_map=ticks.append
    )
    assert expected == [len(written)] and len(written) >= 1
    assert ticks == [1] * len(written)


def test_no_progress_lines_off_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("KAMGRAPH_STORE", str(tmp_path / "s.kgl"))
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "salesforce", str(SF_SMALL), "-q"]).exit_code == 0
    done = runner.invoke(app, ["map", "--all", str(tmp_path / "maps"), "--as-of", "2025-06-30"])
    assert done.exit_code == 0, done.output
    assert [line.split(":")[0].split(" ")[0] for line in done.stderr.splitlines()] == [
        "kamgraph",
        "wrote",
    ]


def test_version_answers_without_loading_the_command_tree() -> None:
    code = (
        "import sys; sys.argv = ['kamgraph', '--version']\n"
        "import kamgraph.console as console; console.main()\n"
        "print(sorted(m for m in ('typer', 'networkx', 'kglite', 'neo4j') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"kamgraph {__version__}", "[]"]


def test_shell_completion_completes_commands(tmp_path: Path) -> None:
    """What the installed bash completion asks (typer's protocol), answered by the real script."""
    for words, cword, expected in (("kamgraph cy", 1, "cypher"), ("kamgraph ingest fin", 2,
                                   "finance")):  # fmt: skip
        env = {**_env(tmp_path / "s.kgl"), "_KAMGRAPH_COMPLETE": "complete_bash"}
        env.update(COMP_WORDS=words, COMP_CWORD=str(cword))
        code = "from kamgraph.cli.app import app; app(prog_name='kamgraph')"
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == [expected]


def test_the_airflow_example_runs_one_task_per_source_and_shows_rejects() -> None:
    """Parsed, not run (Airflow is not a dependency): the example's contract in its source."""
    import ast

    path = Path(__file__).resolve().parents[1] / "examples" / "scheduling" / "airflow_dag.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    values = {
        t.id: ast.literal_eval(node.value) if isinstance(node.value, ast.Constant) else None
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    assert values["EXIT_REJECTED"] == 10
    script = (path.parent / "nightly-ingest.sh").read_text(encoding="utf-8")
    sources = {line.split()[1] for line in script.splitlines() if line.startswith("run ")}
    text = path.read_text(encoding="utf-8")
    assert all(f'"{s}": ' in text for s in sources), sources  # every source its own task
    assert "skip_on_exit_code=EXIT_REJECTED" in text
    assert 'task_id=f"ingest_{source}"' in text
