"""``kamgraph demo``: generate a demo portfolio, ingest it, report the headline finding, map it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamgraph import money, queries
from kamgraph.backends.base import Backend, Row
from kamgraph.demo.generate import generate_demo
from kamgraph.ingest.pipeline import RunReport, ingest
from kamgraph.maps import build_group_map
from kamgraph.schema import apply_schema
from kamgraph.viz.orgmap import write_org_map

#: The demo's "today": fixed so the demo tells the same story whenever it is run.
DEMO_TODAY = dt.date(2026, 11, 1)


@dataclass(frozen=True)
class DemoResult:
    """What the demo did: the runs, the findings as text and the map file."""

    runs: list[RunReport]
    waves: list[dict[str, Any]]
    text: str
    map_path: Path
    key_group_id: str


def run_demo(
    backend: Backend, directory: Path, *, seed: int = 7, currency: str | None = None
) -> DemoResult:
    """Generate exports into ``directory/exports``, load them, and write the key group's map.

    Money is reported in the base currency ``currency`` (None: the setting, else EUR); the demo
    ships the exchange rates of its currencies (``fx.csv``) and loads them first.
    """
    manifest = generate_demo(directory / "exports", seed=seed, today=DEMO_TODAY)
    apply_schema(backend)
    exports = manifest.directory
    runs = [ingest(backend, "fx", exports / "fx.csv"), ingest(backend, "salesforce", exports)]
    for source, name in (
        ("finance", "finance.csv"),
        ("notes", "notes.csv"),
        ("policies", "policies.csv"),
    ):
        runs.append(ingest(backend, source, exports / name))
    as_of = DEMO_TODAY.isoformat()
    waves = queries.run(backend, "procurement-links", {"waves_only": True, "as_of": as_of})
    portfolio = queries.run(backend, "portfolio-groups", {"as_of": as_of, "currency": currency})
    org = build_group_map(backend, manifest.key_group_id, as_of=as_of, currency=currency)
    map_path = write_org_map(org, directory / "orgmap-key-group.html")
    text = _report(runs, waves, portfolio, manifest.key_group_id)
    text += _foresight(backend, manifest.key_group_id, as_of)
    return DemoResult(runs, waves, text, map_path, manifest.key_group_id)


def revenue_headline(portfolio: list[dict[str, Any]]) -> str:
    """The portfolio's invoiced revenue in the base currency, with the currencies it came in."""
    base = portfolio[0]["base_currency"] if portfolio else "EUR"
    total = sum(g["revenue_base"] for g in portfolio)
    currencies = sorted({c for g in portfolio for c in g["currencies"]})
    unconverted = sum(g["unconverted_count"] for g in portfolio)
    return (
        f"Revenue invoiced: {money.shown(total, base, unconverted)} "
        f"(converted from {', '.join(currencies) or 'no invoices'} at each invoice's date)"
    )


def _report(
    runs: list[RunReport], waves: list[dict[str, Any]], portfolio: list[Row], key_group: str
) -> str:
    lines = ["kamgraph demo — portfolio loaded:"]
    for r in runs:
        c = r.counts
        lines.append(
            f"  {r.source:<11} {c.rows_read:>5} rows, {c.created:>4} created, "
            f"{c.linked:>4} links, {c.rejected} rejected"
        )
    lines.append("")
    lines.append(revenue_headline(portfolio))
    lines.append("")
    lines.append("Headline findings (procurement-links, waves only):")
    ordered = sorted(
        waves, key=lambda w: (w["group_id"] != key_group, w["group_id"], w["product_family"])
    )
    for w in ordered:
        lines.append("")
        lines.append(
            f"* {w['group_name']} — product family {w['product_family']!r}"
            f" ({w['window_start']} .. {w['window_end']})"
        )
        if w["policies"]:
            lines.append(f"  HQ procurement policy: {', '.join(w['policies'])}")
        lines.append(f"  won by us:      {', '.join(w['won_names']) or '-'}")
        lost = [f"{x['name']} (to {x['competitor'] or 'unknown'})" for x in w["lost"]]
        lines.append(f"  lost:           {', '.join(lost) or '-'}")
        lines.append(f"  open:           {', '.join(w['open_names']) or '-'}")
        lines.append(f"  never approached: {', '.join(w['untouched_names']) or '-'}")
        hq = ", ".join(f"{c['name']} ({c['role']})" for c in w["hq_contacts"])
        lines.append(f"  contacts at HQ: {hq or 'NONE — we know nobody at group HQ'}")
        lines.append(f"  suggested: {w['suggested_action']}")
    if not waves:
        lines.append("  (no buying waves found)")
    return "\n".join(lines) + "\n"


#: Lines shown per finding in the demo's report (the queries list them all).
SHOWN = 3


def _foresight(backend: Backend, key_group: str, as_of: str) -> str:
    """The next moves in the key group: next buyers, central buying, contracts coming up,
    people who moved, relationships gone dark (one query each)."""
    lines = ["", "Next moves in the key group:"]
    buyers = queries.run(backend, "next-buyers", {"group_id": key_group, "as_of": as_of, "top": 3})
    for r in buyers:
        lines.append(
            f"  next buyer #{r['rank']} of {r['product_family']!r}: {r['account_name']}"
            f" ({r['expected_from']} .. {r['expected_to']}; {r['reasons'][0]})"
        )
    links = queries.run(backend, "procurement-links", {"group_id": key_group, "as_of": as_of})
    for r in [r for r in links if r["central_buying"] == "inferred"][:SHOWN]:
        who = r["central_evidence"][0]
        lines.append(
            f"  buys {r['product_family']!r} centrally (inferred, no policy): "
            f"{who['name']} ({', '.join(who['roles'])}) on deals of "
            f"{len(who['members'])} members"
        )
    calendar = queries.run(
        backend, "displacement-calendar", {"group_id": key_group, "as_of": as_of}
    )
    for r in calendar[:SHOWN]:
        lines.append(
            f"  {r['product_family']!r} contract with {r['competitor']} at {r['account_name']} "
            f"likely up {r['expected_renewal']} ({r['term_source']}, {r['term_months']} months)"
        )
    for r in queries.run(backend, "people-moves", {"group_id": key_group, "as_of": as_of}):
        lines.append(f"  {r['headline']} ({'; '.join(r['evidence'])})")
    strength = queries.run(
        backend, "relationship-strength", {"group_id": key_group, "as_of": as_of}
    )
    for r in [r for r in strength if r["gone_dark"]][:SHOWN]:
        lines.append(
            f"  gone dark: {r['contact_name']} ({r['account_name']}), decision maker on "
            f"{len(r['dark_deals'])} open deal(s) of {r['rep_name']}, "
            f"last touch {r['last_touch'] or 'never'}"
        )
    return "\n".join(lines) + "\n"
