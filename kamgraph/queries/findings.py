"""Maintained findings: portfolio answers of procurement-links and cross-sell-gaps kept per group.

Portfolio-wide, both queries scan every group (seconds at 10k companies, about a minute at
100k). An ingest run knows which groups it touched, so after each run :func:`refresh_after_run`
recomputes only those groups with the per-group form and stores each group's rows (as Cypher
returns them, before the Python finishing step) in one ``Finding`` node per (query, group),
with the span of ``as_of`` dates they hold for: ``floor`` (the group's latest compared date on
or before the day computed) and ``horizon`` (its first compared date after it; see
``cypher/findings/findings-dates.cypher``). :func:`read` answers a portfolio query from them
when no group is given, the Cypher parameters are the defaults (or a filter this module applies
to stored rows) and every group holds for the requested ``as_of``; a group whose span has run
out is computed live; otherwise the whole query runs live. The Python finishing step, names and
currency conversion run on the stored rows as on live ones, so the answer is the live one.

What makes groups "touched": nodes the run changed or made inactive (``run_id`` /
``inactive_since``), links it created or ended or whose role it changed, pending links it
completed (they keep the run id of the run that stated them), companies that moved
group or changed active (against the membership stored at the last refresh), and groups whose
span ended. The first run after an upgrade (no ``@state``) or after :func:`invalidate` (erasure,
forget) computes every group, with the portfolio query once. While a refresh runs the state is
marked incomplete, so a failed refresh leaves the findings unused until the next run.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kamgraph.backends.base import Backend, Row
from kamgraph.queries.registry import CypherQuery, default_registry
from kamgraph.queries.run import statement

#: The portfolio queries whose answers are maintained.
MAINTAINED: tuple[str, ...] = ("procurement-links", "cross-sell-gaps")
STATE_ID = "@state"
#: A refresh touching more than this share of the groups runs the portfolio query once.
PORTFOLIO_SHARE = 0.2
#: Cypher parameters a stored answer can still serve: rows kept when ``column >= value``
#: (cross-sell-gaps keeps ``size(buyers) >= $min_evidence`` and returns it as evidence).
AT_LEAST: dict[tuple[str, str], str] = {("cross-sell-gaps", "min_evidence"): "evidence"}
#: Whether the last portfolio read of each query came from maintained findings (for bench).
LAST_READ: dict[str, bool] = {}
#: How many ids one statement takes.
CHUNK = 500
#: Labels whose nodes, when changed, change the answers of the groups found by these queries.
_GROUPS_OF: dict[str, tuple[str, ...]] = {
    "Company": ("findings-groups-of-companies",),
    "Deal": ("findings-groups-of-deals",),
    "Contact": ("findings-groups-of-employers", "findings-groups-of-roles"),
    "Product": ("findings-groups-of-products",),
    "Competitor": ("findings-groups-of-competitors",),
    "Policy": ("findings-groups-of-policies",),
}

#: Nodes many groups' deals link to: a change to the node touches them all, a new link to it
#: only the deal's group.
_SHARED = frozenset({"Product", "Competitor"})


@dataclass
class Refreshed:
    """What one refresh did."""

    groups: int = 0
    full: bool = False
    seconds: float = 0.0


def finding_id(query: str, group_id: str) -> str:
    return f"{query}|{group_id}"


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def invalidate(backend: Backend) -> None:
    """Drop every stored finding: queries answer live until the next ingest recomputes them.

    Every writer that changes the graph outside an ingest run calls this."""
    backend.write(statement("findings-clear").text)


def _state(backend: Backend) -> Row | None:
    rows = backend.read(statement("findings-state").text)
    return rows[0] if rows else None


def _set_state(backend: Backend, props: dict[str, Any]) -> None:
    backend.write(
        statement("findings-write").text, {"rows": [{"finding_id": STATE_ID, "props": props}]}
    )


def _members(backend: Backend) -> dict[str, list[Any]]:
    return {
        str(r["account_id"]): [r["group_id"], bool(r["active"])]
        for r in backend.read(statement("findings-members").text)
    }


def _tops(members: Mapping[str, list[Any]]) -> set[str]:
    return {account for account, (group, _) in members.items() if group == account}


def _touched(
    backend: Backend, run_ids: list[str], days: list[str], completed: Iterable[Any] = ()
) -> set[str]:
    """The groups whose answers the runs ``run_ids`` may have changed (their nodes and links),
    and those of the ends of ``completed`` pending links (keys of any label)."""
    # A link to a product or competitor changes the answer of its deal's group only; the
    # groups of every other deal of that product are not touched by it.
    ends = [label for label in _GROUPS_OF if label not in _SHARED]
    keys: dict[str, set[str]] = {label: {str(k) for k in completed} for label in ends}

    def add(labels: list[str], key: Any, *, link: bool = False) -> None:
        for label in labels:
            if label in _GROUPS_OF and key is not None and not (link and label in _SHARED):
                keys.setdefault(label, set()).add(str(key))

    params = {"run_ids": run_ids, "days": days}
    for row in backend.read(statement("findings-changed-nodes").text, params):
        add(row["labels"], row["key"])
    for row in backend.read(statement("findings-changed-links").text, params):
        add(row["labels"], row["key"], link=True)
        add(row["other_labels"], row["other_key"], link=True)
    groups: set[str] = set()
    for label, ids in keys.items():
        for name in _GROUPS_OF[label]:
            for chunk in _chunks(sorted(ids)):
                rows = backend.read(statement(name).text, {"ids": chunk})
                groups.update(str(r["group_id"]) for r in rows if r["group_id"] is not None)
    return groups


def _moved(before: Mapping[str, list[Any]], now: Mapping[str, list[Any]]) -> set[str]:
    """Groups a company joined or left, or in which it became active or inactive."""
    groups: set[str] = set()
    for account in set(before) | set(now):
        old, new = before.get(account), now.get(account)
        if old != new:
            groups.update(str(x[0]) for x in (old, new) if x is not None)
    return groups


def _compute(
    backend: Backend, name: str, groups: list[str], day: str, *, portfolio: bool
) -> dict[str, list[Row]]:
    """The live rows (before the Python step) of ``groups`` for ``as_of = day``."""
    from kamgraph.queries.by_group import variant_name

    query = statement(name)
    out: dict[str, list[Row]] = {g: [] for g in groups}
    if portfolio:
        for row in backend.read(query.text, query.bind({"as_of": day})):
            if row["group_id"] in out:
                out[row["group_id"]].append(row)
        return out
    variant = variant_name(name, default_registry())
    text = query.text
    if variant:
        text = statement(variant).text
    for group in groups:
        out[group] = backend.read(text, query.bind({"group_id": group, "as_of": day}))
    return out


def _spans(backend: Backend, groups: list[str], day: str) -> dict[str, tuple[Any, Any]]:
    spans: dict[str, tuple[Any, Any]] = {}
    for chunk in _chunks(groups):
        rows = backend.read(statement("findings-dates").text, {"group_ids": chunk, "as_of": day})
        spans.update({str(r["group_id"]): (r["floor"], r["horizon"]) for r in rows})
    return spans


def _store(backend: Backend, groups: list[str], day: str, *, portfolio: bool) -> None:
    spans = _spans(backend, groups, day)
    for name in MAINTAINED:
        rows = _compute(backend, name, groups, day, portfolio=portfolio)
        batch = [
            {
                "finding_id": finding_id(name, group),
                "props": {
                    "query": name,
                    "group_id": group,
                    "rows": json.dumps(rows[group], ensure_ascii=False),
                    "as_of": day,
                    "floor": spans.get(group, (None, None))[0],
                    "horizon": spans.get(group, (None, None))[1],
                },
            }
            for group in groups
        ]
        for start in range(0, len(batch), CHUNK):
            backend.write(statement("findings-write").text, {"rows": batch[start : start + CHUNK]})


def _holds(floor: Any, horizon: Any, day: str) -> bool:
    return (floor is None or floor <= day) and (horizon is None or day < horizon)


def _runs_since(backend: Backend, state: Row | None) -> list[Row]:
    """The ingest runs not yet in the findings (all of them without findings)."""
    after = int((state or {}).get("started_ns") or 0)
    return backend.read(statement("findings-runs-since").text, {"after": after})


def refresh_after_run(backend: Backend, run_id: str, stamp: str) -> Refreshed:
    """Bring the findings up to date at the end of ingest run ``run_id`` (``stamp``: its start
    moment), with the changes of every run since the last refresh (one may have failed)."""
    started = time.perf_counter()
    day = stamp[:10]
    state = _state(backend)
    seen = backend.read(statement("findings-membership").text)
    before = seen[0]["members"] if seen else None
    pending_seen = set(json.loads(seen[0]["pending_done"] or "[]")) if seen else set()
    pending = backend.read(statement("findings-pending-completed").text)
    completed = [
        key
        for p in pending
        if p["pending_id"] not in pending_seen
        for key in (p["from_key"], p["to_key"])
        if key is not None
    ]
    members = _members(backend)
    tops = _tops(members)
    done = Refreshed()
    runs = _runs_since(backend, state)
    if state is None or state["complete"] is not True or not before:
        invalidate(backend)
        _set_state(backend, {"complete": False})
        _store(backend, sorted(tops), day, portfolio=True)
        done.groups, done.full = len(tops), True
    else:
        stored = backend.read(statement("findings-spans").text)
        have: dict[str, set[str]] = {}
        expired: set[str] = set()
        for row in stored:
            have.setdefault(row["query"], set()).add(str(row["group_id"]))
            if not _holds(row["floor"], row["horizon"], day):
                expired.add(str(row["group_id"]))
        run_ids = sorted({run_id, *(str(r["run_id"]) for r in runs)})
        days = sorted({day, *(str(r["day"]) for r in runs if r["day"])})
        touched = _touched(backend, run_ids, days, completed) | _moved(json.loads(before), members)
        touched |= expired
        for name in MAINTAINED:
            touched |= tops ^ have.get(name, set())
        if touched:
            _set_state(backend, {"complete": False})
            gone = sorted(touched - tops)
            for chunk in _chunks([finding_id(n, g) for n in MAINTAINED for g in gone]):
                backend.write(statement("findings-delete").text, {"ids": chunk})
            todo = sorted(touched & tops)
            portfolio = len(todo) > PORTFOLIO_SHARE * max(len(tops), 1)
            _store(backend, todo, day, portfolio=portfolio)
            done.groups, done.full = len(todo), portfolio
    # Every run listed is in the findings now.
    covered = max(
        [int(r["started_ns"] or 0) for r in runs] + [int((state or {}).get("started_ns") or 0)]
    )
    _set_state(
        backend,
        {
            "complete": True,
            "as_of": day,
            "started_ns": covered,
            "members": json.dumps(members, sort_keys=True),
            "pending_done": json.dumps(sorted(str(p["pending_id"]) for p in pending)),
        },
    )
    done.seconds = time.perf_counter() - started
    return done


def _order(query: CypherQuery) -> list[tuple[str, bool]]:
    """The columns and directions of the query's final ORDER BY (its RETURN aliases)."""
    m = re.search(r"ORDER BY\s+([^\n]+)\s*$", query.text)
    if m is None:
        return []
    out = []
    for part in m.group(1).split(","):
        words = part.split()
        out.append((words[0], len(words) > 1 and words[1].upper().startswith("DESC")))
    return out


def _sort(rows: list[Row], order: list[tuple[str, bool]]) -> list[Row]:
    """Sort as Cypher's ORDER BY does (null sorts after every value ascending)."""
    for column, desc in reversed(order):
        rows.sort(
            key=lambda r, c=column: (r.get(c) is None, 0 if r.get(c) is None else r[c]),  # type: ignore[misc]
            reverse=desc,
        )
    return rows


def maintained_rows(
    backend: Backend, query: CypherQuery, bound: Mapping[str, Any], *, live: bool = False
) -> list[Row] | None:
    """The portfolio rows of ``query`` from maintained findings, or None to run it live.

    The rows are those the portfolio Cypher would return for ``bound`` (the finishing step
    still runs on them)."""
    if query.name not in MAINTAINED or bound.get("group_id") is not None or live:
        return None
    LAST_READ[query.name] = False
    filters: dict[str, Any] = {}
    for p in query.params:
        if p.name in ("group_id", "as_of") or p.name in query.python:
            continue
        if (query.name, p.name) in AT_LEAST and bound.get(p.name) is not None:
            filters[AT_LEAST[(query.name, p.name)]] = bound[p.name]
        elif bound.get(p.name) != p.default:
            return None
    day = str(bound["as_of"])
    state = _state(backend)
    if state is None or state["complete"] is not True or _runs_since(backend, state):
        # None yet, dropped, or a run has started since (still going, or failed): live.
        return None
    stored = backend.read(statement("findings-read").text, {"query": query.name})
    stale = sorted(str(r["group_id"]) for r in stored if not _holds(r["floor"], r["horizon"], day))
    if len(stale) > PORTFOLIO_SHARE * max(len(stored), 1):
        return None
    fresh = _compute(backend, query.name, stale, day, portfolio=False) if stale else {}
    rows: list[Row] = []
    for r in stored:
        group = str(r["group_id"])
        rows.extend(fresh[group] if group in fresh else json.loads(r["rows"]))
    for column, least in filters.items():
        rows = [r for r in rows if r.get(column) is not None and r[column] >= least]
    LAST_READ[query.name] = True
    return _sort(rows, _order(query))
