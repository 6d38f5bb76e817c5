"""The notice every generated file carries: its as-of date, and that it holds personal data."""

from __future__ import annotations

#: Where the notice sends a reader who wants to know more.
DOC = "docs/personal-data.md"


def personal_data_notice(as_of: str | None, *, people: bool = True) -> str:
    """One line for the head of a map, brief or export.

    ``people`` is False for a file made without people (``map --all --no-people``): it then
    says so instead of warning.
    """
    when = f"As of {as_of}." if as_of else "As of the day it was made."
    if not people:
        return f"{when} Contains no personal data: people were left out."
    return (
        f"{when} Contains personal data (names, job titles and contact judgements of people at "
        f"customers): share it only with those who need it, and delete it when done ({DOC})."
    )
