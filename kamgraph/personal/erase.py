"""Erasing people: ``forget`` one person on request, or everyone inactive past a retention
window; ``undo`` lifts a suppression (the erased data is gone for good).

Erasing a contact removes the node with every link (employments, manager and report links,
decision roles, touchpoint and note links) and all history kept on them, closes the reports-to
chain around them, empties pending references that named them, and leaves one suppression
entry (kamgraph/personal/suppression.py) so later ingests skip them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from kamgraph.backends.base import Backend, Row
from kamgraph.errors import InvalidValueError, NotFoundError
from kamgraph.ingest import unchanged
from kamgraph.ingest.lock import IngestLock
from kamgraph.personal.suppression import (
    Hasher,
    ensure_hasher,
    matching,
    normal_email,
    stored_hasher,
)
from kamgraph.queries import findings, statement

REQUEST = "request"
RETENTION = "retention"


@dataclass
class Erased:
    """What erasing did: people erased, links removed with them, reports moved up, pending
    references emptied, and the notes that mention them (kept, listed for review)."""

    people: int = 0
    links: int = 0
    reports_closed: int = 0
    pending_scrubbed: int = 0
    notes: list[Row] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "erased": self.people,
            "links_removed": self.links,
            "reports_closed": self.reports_closed,
            "pending_emptied": self.pending_scrubbed,
            "notes_to_review": self.notes,
        }


def _today(today: dt.date | str | None) -> str:
    if today is None:
        return dt.datetime.now(dt.UTC).date().isoformat()
    return today if isinstance(today, str) else today.isoformat()


def find_contacts(backend: Backend, who: str) -> list[Row]:
    """The contacts ``who`` names: a contact id, or an e-mail (any case)."""
    return backend.read(
        statement("find-contacts").text, {"who": who.strip(), "email": normal_email(who)}
    )


@contextmanager
def _exclusive(backend: Backend, what: str) -> Iterator[None]:
    """No ingest runs meanwhile: on Neo4j the ingest lock is held (the embedded store has one
    writer at a time anyway), so a run cannot load the person between erasure and its end."""
    if backend.kind != "neo4j":
        yield
        return
    with IngestLock(backend, f"{what}-{uuid.uuid4().hex[:8]}"):
        yield


def named_contacts(backend: Backend, who: str, *, forgotten: str) -> list[Row]:
    """The contacts ``who`` names; NotFoundError when there are none, ending in ``forgotten``
    when the id or e-mail is that of a forgotten person."""
    contacts = find_contacts(backend, who)
    if contacts:
        return contacts
    hasher = stored_hasher(backend)
    entries = backend.read(statement("suppressions").text) if hasher else []
    if hasher is not None and matching(entries, hasher, who.strip()):
        raise NotFoundError(f"{who!r} {forgotten}")
    raise NotFoundError(f"no contact with id or e-mail {who!r}; check the id or e-mail")


def mentioning_notes(backend: Backend, contact: Row) -> list[Row]:
    """Notes about the contact or naming them (name or e-mail) in their text."""
    return backend.read(
        statement("person-notes").text,
        {
            "contact_id": contact["contact_id"],
            "name": contact.get("name") or None,
            "email": normal_email(contact.get("email")),
        },
    )


def erase_contacts(
    backend: Backend, contacts: list[Row], *, today: str, reason: str, hasher: Hasher
) -> Erased:
    """Erase each of ``contacts`` (rows of ``find-contacts``), leaving suppression entries."""
    done = Erased()
    now = f"{today}T00:00:00+00:00"
    for contact in contacts:
        contact_id = str(contact["contact_id"])
        done.notes += [
            {k: n[k] for k in ("note_id", "kind", "date", "about")}
            for n in mentioning_notes(backend, contact)
        ]
        backend.write(statement("unlink-notes-about").text, {"contact_id": contact_id})
        closed = backend.write(
            statement("close-reports-around").text,
            {"contact_id": contact_id, "today": today, "now": now},
        )
        done.reports_closed += sum(int(r.get("closed") or 0) for r in closed.rows)
        pending = backend.read(statement("erase-pending-links").text, {"contact_id": contact_id})
        if pending:
            rows = [
                {"pending_id": p["pending_id"], "token": f"erased-{uuid.uuid4().hex}"}
                for p in pending
            ]
            backend.write(statement("scrub-pending-links").text, {"rows": rows})
            done.pending_scrubbed += len(rows)
        result = backend.write(
            statement("erase-contact").text,
            {
                "contact_id": contact_id,
                "id_hash": hasher.of_id(contact_id),
                "email_hash": hasher.of_email(contact.get("email")),
                "today": today,
                "reason": reason,
            },
        )
        for row in result.rows:
            done.people += int(row.get("erased") or 0)
            done.links += int(row.get("links") or 0)
    done.notes.sort(key=lambda n: str(n["note_id"]))
    if contacts:
        # The stored portfolio answers name people: computed again from the graph as it is now.
        findings.invalidate(backend)
        unchanged.forget_inputs(backend)
    return done


def forget(backend: Backend, who: str, *, today: dt.date | str | None = None) -> Erased:
    """Erase the contact(s) ``who`` names (contact id or e-mail) and suppress them.

    Raises NotFoundError when no contact has that id or e-mail (saying so when the person was
    already forgotten).
    """
    with _exclusive(backend, "forget"):
        contacts = named_contacts(
            backend,
            who,
            forgotten="is already forgotten (only its suppression entry is left); undo the "
            "suppression to let ingests load them again",
        )
        return erase_contacts(
            backend, contacts, today=_today(today), reason=REQUEST, hasher=ensure_hasher(backend)
        )


def undo(backend: Backend, who: str, *, today: dt.date | str | None = None) -> int:
    """Lift the suppression of the person ``who`` names (the contact id or e-mail that was
    forgotten); the next ingest that lists them loads them again. Returns entries lifted."""
    with _exclusive(backend, "forget-undo"):
        hasher = stored_hasher(backend)
        entries = backend.read(statement("suppressions").text) if hasher else []
        found = matching(entries, hasher, who.strip()) if hasher else []
        if not found:
            raise NotFoundError(
                f"no suppression entry for {who!r}; give the contact id or e-mail that was "
                "forgotten"
            )
        rows = [{"suppression_id": s, "token": f"undone-{uuid.uuid4().hex}"} for s in found]
        result = backend.write(
            statement("undo-suppression").text, {"rows": rows, "today": _today(today)}
        )
        unchanged.forget_inputs(backend)  # the next ingest that lists them loads them again
    return sum(int(r.get("undone") or 0) for r in result.rows)


def check_retention(days: int | None) -> int | None:
    """``days`` if it is a valid retention window (None: no retention)."""
    if days is not None and days < 1:
        raise InvalidValueError(
            f"the retain_inactive_days setting {days} must be 1 or more (days), or unset"
        )
    return days


def erase_inactive(backend: Backend, days: int, *, today: dt.date | str | None = None) -> Erased:
    """Erase (as ``forget`` does) every contact inactive for longer than ``days`` days."""
    check_retention(days)
    day = dt.date.fromisoformat(_today(today))
    before = (day - dt.timedelta(days=days)).isoformat()
    contacts = backend.read(statement("inactive-contacts").text, {"before": before})
    if not contacts:
        return Erased()
    return erase_contacts(
        backend, contacts, today=day.isoformat(), reason=RETENTION, hasher=ensure_hasher(backend)
    )
