"""The group view: the one way map, brief, analytics, export and scorecard read a customer group.

A group is a corporate family (its members share ``Company.group_id``). :func:`read_group`
runs the ``cypher/group/`` queries once and returns a :class:`GroupView` as of a date: the
active members with their parent on that date, the people (active contacts employed at an
active member on that date, each once, with their current manager), the deals with their
status on that date, decision roles, account team, reps and touchpoints. The rule "active,
and employed on date D" lives in ``cypher/fragments/employed-on.cypher``; which of two links
wins when the data holds two (two managers, two employers) in ``newest-first.cypher``.
Consumers arrange these rows; none of them reads the group with Cypher of its own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from kamgraph import queries
from kamgraph.backends.base import Backend, Row
from kamgraph.dates import iso_day
from kamgraph.errors import InvalidValueError, NotFoundError
from kamgraph.ingest import fields

#: Touchpoints older than this (before ``as_of``) do not count as a living relationship.
DEFAULT_WINDOW_DAYS = 365


@dataclass(frozen=True)
class GroupView:
    """One group (or, with ``group_id`` None, every group) as of a date.

    ``members`` rows carry the ``group-members`` columns plus ``won``, ``lost`` and ``open``
    (the member's deals by their status on ``as_of``); the other lists are the rows of
    ``group-people``, ``group-deals``, ``group-roles``, ``group-team``, ``group-reps`` and
    ``group-touchpoints``. Roles may name an active contact employed outside the group (a
    consultant on the deal); consumers that draw people keep the roles of ``people``.
    """

    group_id: str | None
    group_name: str | None
    as_of: str
    since: str
    members: list[Row]
    people: list[Row]
    deals: list[Row]
    roles: list[Row]
    team: list[Row]
    reps: list[Row]
    touchpoints: list[Row]

    def roles_of(self) -> dict[str, list[str]]:
        """Contact id -> the distinct decision roles they hold on the group's deals, sorted."""
        held: dict[str, set[str]] = defaultdict(set)
        for r in self.roles:
            if r["role"]:
                held[r["contact_id"]].add(r["role"])
        return {contact: sorted(roles) for contact, roles in held.items()}

    def member_names(self) -> dict[str, str]:
        """Account id -> the member's name (its id when it has none)."""
        return {m["account_id"]: m["name"] or m["account_id"] for m in self.members}


def check_day(value: str | None) -> str:
    """``value`` as an ISO date (today when None); a clear error when it is not a date."""
    if value is None:
        return dt.date.today().isoformat()
    return iso_day(value)


def window_start(as_of: str, window_days: int) -> str:
    """The first day of a window of ``window_days`` ending on ``as_of`` (ISO)."""
    if window_days < 1:
        raise InvalidValueError(f"a window of {window_days} days is too short: at least 1 day")
    return (dt.date.fromisoformat(as_of) - dt.timedelta(days=window_days - 1)).isoformat()


def resolve_group(backend: Backend, account_id: str) -> tuple[str, str]:
    """The (group_id, group_name) of a company, given its id (15- or 18-char for Salesforce)."""
    candidates = [account_id]
    try:
        candidates.insert(0, fields.sf_id(account_id))
    except fields.FieldError:
        pass
    for candidate in candidates:
        rows = queries.run(backend, "group-of", {"account_id": candidate})
        if rows:
            return rows[0]["group_id"], rows[0]["group_name"] or rows[0]["group_id"]
    raise NotFoundError(
        f"no company with id {account_id!r}; `kamgraph query key-account-candidates` or "
        "`kamgraph stats` show what is loaded"
    )


def _with_outcomes(members: list[Row], deals: list[Row]) -> list[Row]:
    """Members with their deals counted by status on the view's date (won / lost / open)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"won": 0, "lost": 0, "open": 0})
    for d in deals:
        if d["status"] in ("won", "lost", "open"):
            counts[d["account_id"]][d["status"]] += 1
    return [m | counts[m["account_id"]] for m in members]


def read_group(
    backend: Backend,
    group_id: str | None,
    *,
    as_of: str,
    window_days: int = DEFAULT_WINDOW_DAYS,
    group_name: str | None = None,
    currency: str | None = None,
) -> GroupView:
    """Read the group ``group_id`` (None: every group) as of ``as_of`` (ISO date).

    Touchpoints count from ``window_days`` before ``as_of``; members' ``revenue_base`` is in
    the base currency ``currency`` (None: KAMGRAPH_BASE_CURRENCY, else EUR).
    """
    since = window_start(as_of, window_days)
    group = {"group_id": group_id}
    day = {"as_of": as_of}
    deals = queries.run(backend, "group-deals", group | day)
    people = queries.run(backend, "group-people", group | day)
    return GroupView(
        group_id=group_id,
        group_name=group_name,
        as_of=as_of,
        since=since,
        members=_with_outcomes(
            queries.run(backend, "group-members", group | day | {"currency": currency}), deals
        ),
        people=people,
        deals=deals,
        roles=queries.run(backend, "group-roles", group | day),
        team=queries.run(backend, "group-team", group | day),
        reps=queries.run(backend, "group-reps"),
        touchpoints=queries.run(backend, "group-touchpoints", group | day | {"since": since}),
    )


def group_view(
    backend: Backend,
    account_id: str,
    *,
    as_of: str | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    currency: str | None = None,
) -> GroupView:
    """The view of the group ``account_id`` belongs to (its top company or any member)."""
    day = check_day(as_of)
    group_id, group_name = resolve_group(backend, account_id)
    return read_group(
        backend,
        group_id,
        as_of=day,
        window_days=window_days,
        group_name=group_name,
        currency=currency,
    )


def account_touchpoints(backend: Backend, *, since: str, as_of: str) -> list[Row]:
    """Touchpoints per (rep, company) between two dates, over the whole portfolio."""
    return queries.run(backend, "group-account-touchpoints", {"since": since, "as_of": as_of})
