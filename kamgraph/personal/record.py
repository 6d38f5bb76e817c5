"""A person's record: everything stored about one contact, for a subject-access request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kamgraph.backends.base import Backend
from kamgraph.dump import ENGINE_FIELDS
from kamgraph.personal.erase import mentioning_notes, named_contacts
from kamgraph.personal.notice import personal_data_notice
from kamgraph.queries import statement

#: Properties that hold a contact's history (kept before the source changed them).
HISTORY_PROPERTIES = ("previous_titles", "job_title_since", "inactive_since")


def person_record(
    backend: Backend, who: str, *, today: dt.date | str | None = None
) -> list[dict[str, Any]]:
    """The record of every contact ``who`` names (a contact id, or an e-mail: one person may be
    several contacts). Each has ``properties``, ``history`` (titles, employments, managers,
    reports, decision roles, with ended ones), ``relationships`` (every link) and ``notes``.

    Raises NotFoundError when no contact has that id or e-mail (saying so when the person was
    forgotten: then nothing but a one-way hash is stored).
    """
    contacts = named_contacts(
        backend,
        who,
        forgotten="was forgotten: nothing is stored about them but a one-way hash of the id "
        "and e-mail that keeps ingests from loading them again",
    )
    day = today if isinstance(today, str) else (today or dt.date.today()).isoformat()
    return [_record(backend, contact, day) for contact in contacts]


def _record(backend: Backend, contact: dict[str, Any], day: str) -> dict[str, Any]:
    contact_id = str(contact["contact_id"])
    rows = backend.read(statement("person-properties").text, {"contact_id": contact_id})
    props = {
        k: v
        for k, v in sorted((rows[0]["props"] if rows else {}).items())
        if k not in ENGINE_FIELDS and v is not None
    }
    links = backend.read(statement("person-links").text, {"contact_id": contact_id})
    relationships = [
        {
            "type": link["type"],
            "direction": link["direction"],
            "other": link["other_label"],
            "other_id": link["other_id"],
            "other_name": link["other_name"],
            "props": {
                k: v
                for k, v in sorted((link["props"] or {}).items())
                if k not in ENGINE_FIELDS and v is not None
            },
        }
        for link in links
    ]

    def of(rel_type: str, direction: str) -> list[dict[str, Any]]:
        return [
            {"other_id": r["other_id"], "other_name": r["other_name"], **r["props"]}
            for r in relationships
            if r["type"] == rel_type and r["direction"] == direction
        ]

    return {
        "contact_id": contact_id,
        "as_of": day,
        "notice": personal_data_notice(day),
        "properties": props,
        "history": {
            "titles": props.get("previous_titles", []),
            "employments": of("WORKS_AT", "out"),
            "managers": of("REPORTS_TO", "out"),
            "reports": of("REPORTS_TO", "in"),
            "decision_roles": of("ROLE_IN", "out"),
        },
        "relationships": relationships,
        "notes": mentioning_notes(backend, contact),
    }
