"""The end rules that need the stored graph: what a ``--full`` export no longer lists, and
what records made inactive end (kamgraph/schema/end_rules.py declares both).

The builder applies the rules a single row triggers; this module applies, after a run's rows
are written, the rules that compare the whole export with the store.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from kamgraph.backends.base import Backend
from kamgraph.queries import statement
from kamgraph.schema.end_rules import END_RULES, FULL, INACTIVE_RULES

#: Node statements whose records a full export lists completely: upsert -> (keys, deactivate).
FULL_EXPORT_LABELS = {
    "upsert-company": ("active-keys-company", "deactivate-company"),
    "upsert-contact": ("active-keys-contact", "deactivate-contact"),
    "upsert-deal": ("active-keys-deal", "deactivate-deal"),
    "upsert-policy": ("active-keys-policy", "deactivate-policy"),
    "upsert-note": ("active-keys-note", "deactivate-note"),
    "upsert-finance-entry": ("active-keys-finance-entry", "deactivate-finance-entry"),
}
BATCH = 1000
#: Statements that date a link replacing one an end rule ended (``since`` = the old ``until``).
START_STAMPS = ("stamp-moves", "stamp-new-managers")


@dataclass
class Ended:
    """What the store-side rules did: records made inactive, links ended, members detached."""

    deactivated: int = 0
    links_ended: int = 0
    #: Companies whose parent became inactive: [{member, parent, rel_type}].
    detached: list[dict[str, str]] = field(default_factory=list)


def _batches(rows: list[dict[str, str]]) -> Iterator[list[dict[str, str]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _total(
    backend: Backend, name: str, rows: list[dict[str, str]], params: dict[str, str], column: str
) -> int:
    total = 0
    text = statement(name).text
    for batch in _batches(rows):
        result = backend.write(text, {**params, "rows": batch})
        total += sum(int(r.get(column) or 0) for r in result.rows)
    return total


def end_missing(backend: Backend, system: str, seen: Mapping[str, set[str]], today: str) -> Ended:
    """A ``--full`` export: make inactive what ``system`` wrote before but the export no longer
    lists, and end its links of the ``full`` rules the export no longer lists.

    Only what the export has at all counts: a full export without Contact rows says nothing
    about contacts, one without contact roles nothing about decision roles.
    """
    ended = Ended()
    for upsert, (keys_query, deactivate) in FULL_EXPORT_LABELS.items():
        present = seen.get(upsert)
        if not present:
            continue
        stored = backend.read(statement(keys_query).text, {"system": system})
        missing = sorted(r["key"] for r in stored if r["key"] not in present)
        rows = [{"key": k} for k in missing]
        ended.deactivated += _total(backend, deactivate, rows, {"today": today}, "deactivated")
    for rule in END_RULES:
        present = seen.get(rule.link_statement)
        if rule.trigger != FULL or not present:
            continue
        stored = backend.read(statement(rule.listing).text, {"system": system})
        rows = [
            {"from": r["from"], "to": r["to"]}
            for r in stored
            if f"{r['from']}\x1f{r['to']}" not in present
        ]
        params = {"system": system, "today": today}
        ended.links_ended += _total(backend, rule.statement, rows, params, "ended")
    return ended


def end_links_of_inactive(backend: Backend, today: str) -> Ended:
    """Apply the inactive rules: links at records that are inactive end; members reported."""
    ended = Ended()
    for rule in INACTIVE_RULES:
        result = backend.write(statement(rule.statement).text, {"today": today})
        if rule.reported:
            ended.detached.extend(
                {"member": r["member"], "parent": r["parent"], "rel_type": r["rel_type"]}
                for r in result.rows
            )
            ended.links_ended += len(result.rows)
        else:
            ended.links_ended += sum(int(r.get("ended") or 0) for r in result.rows)
    return ended
