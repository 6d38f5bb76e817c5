"""The terminal table: names instead of id lists, terminal-width aware, CJK-correct, safe text;
CSV one value per cell."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamgraph import display
from kamgraph.backends.embedded import EmbeddedBackend
from kamgraph.cli.app import app
from kamgraph.cli.output import MAX_CELL, to_csv, to_table

from .fixture_graphs import load_folder

HOSTILE = "evil\u202egnp.exe\x1b[31m red\x85 next\u2066iso\u2069"
ROWS = [
    {"group_id": "001A", "name": "北京华中自动化有限公司", "won": ["001B", "001C"],
     "won_names": ["上海分公司", "Acme Nord"], "note": HOSTILE},
    {"group_id": "001D", "name": "Acme Holding AG", "won": [], "won_names": [], "note": "x" * 200},
]  # fmt: skip


def lines_of(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def column_starts(line: str) -> list[int]:
    """The terminal column at which each cell after a two-space gap starts."""
    starts, col, prev_space = [], 0, 0
    for ch in line:
        if ch == " ":
            prev_space += 1
        else:
            if prev_space >= 2:
                starts.append(col)
            prev_space = 0
        col += display.char_width(ch)
    return starts


def test_cjk_cells_keep_columns_aligned() -> None:
    text = to_table(ROWS, ["group_id", "name", "won"], wide=True)
    header, rule, first, second, _ = lines_of(text)
    # Every line starts its columns at the same terminal column, whatever the script.
    assert column_starts(header) == column_starts(first) == [10, 34]
    assert column_starts(second) == [10]  # its won list is empty
    assert display.width("北京") == 4 and display.width("e\u0301") == 1


def test_lists_of_ids_show_their_names_once() -> None:
    text = to_table(ROWS, ["group_id", "name", "won", "won_names"], wide=True)
    header = lines_of(text)[0].split()
    assert header == ["group_id", "name", "won"]
    assert "上海分公司; Acme Nord" in text and "001B" not in text


def test_bidi_and_control_characters_are_neutralised() -> None:
    text = to_table(ROWS, ["note"], wide=True)
    for ch in ("\u202e", "\x1b", "\x85", "\u2066", "\u2069"):
        assert ch not in text
    assert "<U+202E>" in text and "<U+001B>" in text and "<U+0085>" in text
    assert not any(unicodedata.category(c) == "Cc" for c in text.replace("\n", ""))


def test_narrow_tables_fit_the_terminal_and_wide_ones_do_not_cut() -> None:
    narrow = to_table(ROWS, ["group_id", "name", "won", "note"], limit=70)
    assert max(display.width(line) for line in lines_of(narrow)) <= 70
    assert display.ELLIPSIS in narrow
    wide = to_table(ROWS, ["group_id", "name", "won", "note"], wide=True)
    assert "x" * 200 in wide
    assert max(display.width(line) for line in lines_of(wide)) > 200
    # Without a terminal limit a cell is still cut at MAX_CELL columns unless --wide.
    roomy = to_table(ROWS, ["note"], limit=1000)
    assert "x" * MAX_CELL not in roomy and "x" * (MAX_CELL - 1) in roomy


def test_csv_holds_one_value_per_cell() -> None:
    rows = [{"won": ["001B", "001C"], "lost": [{"account_id": "001E", "competitor": "Rival"}]}]
    [header, row] = list(csv.reader(io.StringIO(to_csv(rows))))
    assert header == ["won", "lost"]
    assert row == ["001B; 001C", "account_id=001E, competitor=Rival"]


@pytest.fixture
def store(tmp_path: Path) -> str:
    path = tmp_path / "store.kgl"
    backend = EmbeddedBackend.open(path)
    load_folder(backend, "analytics")
    backend.close()
    return str(path)


def test_query_table_fits_columns_and_wide_does_not(store: str) -> None:
    runner = CliRunner()
    args = ["--store", store, "query", "procurement-links", "-p", "as_of=2025-06-30"]
    narrow = runner.invoke(app, args, env={"COLUMNS": "100"})
    assert narrow.exit_code == 0, narrow.output
    assert max(display.width(line) for line in lines_of(narrow.stdout)) <= 100
    wide = runner.invoke(app, [*args, "--wide"], env={"COLUMNS": "100"})
    assert wide.exit_code == 0, wide.output
    assert max(display.width(line) for line in lines_of(wide.stdout)) > 100
    # The table names the members; JSON keeps the ids with the names beside them.
    assert "Acme South GmbH" in wide.stdout
    rows = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert all(len(r["untouched"]) == len(r["untouched_names"]) for r in rows)
    csv_rows = list(csv.DictReader(io.StringIO(runner.invoke(app, [*args, "-f", "csv"]).stdout)))
    assert "untouched_names" in csv_rows[0] and not csv_rows[0]["untouched"].startswith("[")
