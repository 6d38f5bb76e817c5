"""Currencies on both backends over tests/data/currency (README.md there has the hand sums).

Each amount is converted at the latest rate on or before its date; an amount that cannot be
converted is counted (unconverted_count), never added; the old fields keep their meaning.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.cli.app import app
from kamgraph.errors import InputDataError, InvalidValueError
from kamgraph.ingest.pipeline import ingest
from kamgraph.money import Rates, base_currency
from kamgraph.schema import apply_schema

from .conftest import DATA

FIXTURE = DATA / "currency"
ALPHA, ALPHA_SH, BETA = "001000000009001AAA", "001000000009002AAA", "001000000009101AAA"
PERIOD = {"from": "2025-01-01", "to": "2025-06-30"}


def load(backend: Backend) -> None:
    apply_schema(backend)
    for source, path in (
        ("fx", FIXTURE / "fx-ecb.csv"),
        ("fx", FIXTURE / "fx-long.csv"),
        ("salesforce", FIXTURE),
        ("finance", FIXTURE / "finance.csv"),
    ):
        report = ingest(backend, source, path)
        assert report.counts.rejected == 0, report.rejects


def groups(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["group_id"]: r for r in rows if r["level"] == "group"}


def test_fx_reads_the_ecb_and_the_long_shape(backend: Backend) -> None:
    load(backend)
    every = {"currencies": ["CNY", "GBP", "JPY", "USD"], "from": "2000-01-01", "to": "2099-12-31"}
    rows = queries.run(backend, "fx-rates", every)
    got = {(r["currency"], r["date"]): r["rate"] for r in rows}
    # N/A cells and the ECB file's trailing empty column give no rate; rows may come unsorted.
    assert got == {
        ("USD", "2025-01-02"): 1.25,
        ("USD", "2025-01-03"): 1.6,
        ("USD", "2025-01-06"): 2.0,
        ("JPY", "2025-01-03"): 160.0,
        ("JPY", "2025-01-06"): 200.0,
        ("CNY", "2025-01-02"): 8.0,
        ("CNY", "2025-01-06"): 10.0,
        ("GBP", "2025-02-03"): 0.8,
    }


def test_account_roi_converts_each_amount_at_its_dates_rate(backend: Backend) -> None:
    load(backend)
    rows = groups(queries.run(backend, "account-roi", PERIOD))
    alpha, beta = rows[ALPHA], rows[BETA]
    # The old fields keep their meaning: the plain sum of the amounts as given.
    assert (alpha["revenue"], alpha["cost"]) == (1135.0, 250.0)
    assert (alpha["revenue_base"], alpha["cost_base"], alpha["margin_base"]) == (350.0, 25.0, 325.0)
    assert alpha["roi_base"] == 13.0
    assert alpha["base_currency"] == "EUR"
    assert alpha["currencies"] == ["CNY", "EUR", "USD"]
    assert alpha["unconverted_count"] == 0
    # Beta: XYZ has no rate (this period), USD none before 2025-01-02 (previous period).
    assert (beta["revenue"], beta["revenue_base"]) == (10107.0, 60.0)
    assert (beta["prev_revenue"], beta["prev_revenue_base"]) == (10.0, 0.0)
    assert beta["unconverted_count"] == 2
    members = {
        r["account_id"]: r
        for r in queries.run(backend, "account-roi", PERIOD)
        if r["level"] == "member"
    }
    assert members[ALPHA_SH]["revenue_base"] == 200.0  # INV-2 and INV-3, 100 EUR each


def test_another_base_currency(backend: Backend) -> None:
    load(backend)
    rows = groups(queries.run(backend, "account-roi", PERIOD | {"currency": "usd"}))
    alpha, beta = rows[ALPHA], rows[BETA]
    assert alpha["base_currency"] == "USD"
    assert (alpha["revenue_base"], alpha["cost_base"]) == (545.0, 50.0)
    # In USD the 2024 USD invoice needs no rate; XYZ still has none.
    assert (beta["revenue_base"], beta["prev_revenue_base"]) == (120.0, 10.0)
    assert beta["unconverted_count"] == 1


def test_base_currency_from_the_setting(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    load(backend)
    monkeypatch.setenv("KAMGRAPH_BASE_CURRENCY", "USD")
    rows = groups(queries.run(backend, "account-roi", PERIOD))
    assert rows[ALPHA]["base_currency"] == "USD" and rows[ALPHA]["revenue_base"] == 545.0


def test_money_everywhere_agrees(backend: Backend) -> None:
    """key-account-candidates, the group view and the portfolio convert the same way."""
    load(backend)
    kac = {
        r["group_id"]: r
        for r in queries.run(backend, "key-account-candidates", {"as_of": "2025-06-30"})
    }
    # as_of 2025-06-30: the last 365 days hold every entry but INV-6 (2024-12-31 is inside too).
    assert kac[ALPHA]["revenue_12m"] == 1135.0 and kac[ALPHA]["revenue_12m_base"] == 350.0
    assert kac[ALPHA]["currencies"] == ["CNY", "EUR", "USD"]
    assert kac[BETA]["revenue_12m"] == 10117.0 and kac[BETA]["revenue_12m_base"] == 60.0
    assert kac[BETA]["unconverted_count"] == 2  # INV-6 (no rate before 2025-01-02) and XYZ
    portfolio = {
        r["group_id"]: r for r in queries.run(backend, "portfolio-groups", {"as_of": "2025-06-30"})
    }
    assert (portfolio[ALPHA]["revenue"], portfolio[ALPHA]["revenue_base"]) == (1135.0, 350.0)
    assert portfolio[BETA]["unconverted_count"] == 2
    members = {
        r["account_id"]: r
        for r in queries.run(backend, "group-members", {"group_id": ALPHA, "as_of": "2025-06-30"})
    }
    assert members[ALPHA]["revenue_base"] == 150.0 and members[ALPHA_SH]["revenue_base"] == 200.0


def test_a_higher_revenue_in_a_weak_currency_no_longer_wins(backend: Backend) -> None:
    load(backend)
    rows = queries.run(backend, "key-account-candidates", {"as_of": "2025-06-30"})
    scores = {r["group_id"]: r["scores"]["revenue_12m"] for r in rows}
    # Alpha's 350 EUR outranks Beta's 60 EUR (as given, 1135 against 10117 JPY-heavy units).
    assert scores[ALPHA] > scores[BETA]


def test_bad_rates_are_rejected_with_file_line_and_column(backend: Backend, tmp_path: Path) -> None:
    apply_schema(backend)
    path = tmp_path / "rates.csv"
    path.write_text(
        "date,currency,rate\n2025-01-02,USD,-1\n2025-01-02,US,1.1\n2025-01-03,USD,1.1\n"
    )
    report = ingest(backend, "fx", path)
    assert [(r.line, r.field) for r in report.rejects] == [(2, "rate"), (3, "currency")]
    assert "positive" in report.rejects[0].reason
    every = {"currencies": ["USD"], "from": "2000-01-01", "to": "2099-12-31"}
    assert [r["date"] for r in queries.run(backend, "fx-rates", every)] == ["2025-01-03"]


def test_a_file_that_is_no_rate_file_is_refused(tmp_path: Path, backend: Backend) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Day,Dollar\n2025-01-02,1.1\n")
    with pytest.raises(InputDataError, match="not a rate file"):
        ingest(backend, "fx", path)


def test_rates_rule() -> None:
    rates = Rates.from_rows(
        [
            {"currency": "USD", "date": "2025-01-02", "rate": 1.25},
            {"currency": "USD", "date": "2025-01-06", "rate": 2.0},
        ]
    )
    assert rates.convert(125, "USD", "2025-01-05", "EUR") == 100.0  # the rate of 01-02
    assert rates.convert(125, "USD", "2025-01-01", "EUR") is None  # nothing earlier
    assert rates.convert(7, "EUR", "2025-01-01", "EUR") == 7.0  # same currency: no rate needed
    assert rates.convert(7, None, "2025-01-06", "EUR") is None  # no currency: never guessed
    assert base_currency(None, {}) == "EUR"
    with pytest.raises(InvalidValueError, match="ISO 4217"):
        base_currency("euro", {})


def test_cli_currency_flag_and_unconverted_warning(tmp_path: Path) -> None:
    runner = CliRunner()
    store = str(tmp_path / "store.kgl")
    for source, path in (
        ("fx", FIXTURE / "fx-ecb.csv"),
        ("fx", FIXTURE / "fx-long.csv"),
        ("salesforce", FIXTURE),
        ("finance", FIXTURE / "finance.csv"),
    ):
        result = runner.invoke(app, ["--store", store, "ingest", source, str(path), "-q"])
        assert result.exit_code == 0, result.output
    args = [
        "--store",
        store,
        "query",
        "account-roi",
        "-p",
        "from=2025-01-01",
        "-p",
        "to=2025-06-30",
        "-f",
        "json",
    ]
    result = runner.invoke(app, [*args, "--currency", "USD"])
    assert result.exit_code == 0, result.output
    rows = groups(json.loads(result.stdout))
    assert rows[ALPHA]["revenue_base"] == 545.0
    assert "could not be converted to USD" in result.stderr
    result = runner.invoke(app, args, env={"KAMGRAPH_BASE_CURRENCY": "EUR"})
    assert groups(json.loads(result.stdout))[ALPHA]["revenue_base"] == 350.0
    result = runner.invoke(app, [*args, "--currency", "dollars"])
    assert result.exit_code == 2 and "ISO 4217" in result.stderr


def test_maps_and_brief_show_money_in_the_base_currency(backend: Backend) -> None:
    from kamgraph.brief import build_brief
    from kamgraph.maps import build_group_map, build_portfolio_map

    load(backend)
    day = "2025-06-30"
    portfolio = dict(build_portfolio_map(backend, as_of=day).summary)
    # 350 (Alpha) + 60 (Beta) EUR; Beta's XYZ invoice and its 2024 USD invoice have no rate.
    assert portfolio["revenue (invoiced)"] == "410 EUR (+2 amount(s) not converted: no rate)"
    in_usd = dict(build_portfolio_map(backend, as_of=day, currency="USD").summary)
    assert in_usd["revenue (invoiced)"] == "675 USD (+1 amount(s) not converted: no rate)"
    group = dict(build_group_map(backend, ALPHA, as_of=day).summary)
    assert group["revenue (invoiced)"] == "350 EUR"
    brief = build_brief(backend, ALPHA, as_of=day, currency="USD")
    assert "revenue invoiced 545 USD" in brief
    # Alpha HQ: 125 USD + 50 EUR (100 USD); Shanghai: 160 USD + 800 CNY (160 USD).
    assert "revenue 225 USD" in brief and "revenue 320 USD" in brief
