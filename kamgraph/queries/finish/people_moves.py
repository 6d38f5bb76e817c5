"""people-moves: match one person across Contact records and report where they moved.

Records are one person when they share a strong identifier: the same email address, the same
LinkedIn URL, the same name with the same phone number, or the same name with the same
distinctive email local part (``a.schmidt77`` at two domains; a local part spelled from the name
alone, like ``anna.schmidt``, is what namesakes share and never matches). A name alone never
merges two records. A person moved when one of their employments ended (or the record holding
it went stale: the email bounced, the CRM deleted it) and another, at a different company, holds
on ``as_of``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from kamgraph.backends.base import Row
from kamgraph.queries.run import post_processor

#: Most telling role first: the headline names the best one a person played.
HEADLINE_ROLES = (
    "Champion",
    "Economic Buyer",
    "Economic Decision Maker",
    "Decision Maker",
    "Executive Sponsor",
    "Coach",
    "Technical Buyer",
    "Influencer",
)
_MIN_PHONE_DIGITS = 7
SAME_RECORD = (
    "the same contact record, employed at both (AccountContactRelation or AccountId history)"
)
_LETTERS = re.compile(r"[^a-z]")


def _name(value: str | None) -> str:
    return " ".join((value or "").casefold().split())


def _linkedin(url: str) -> str:
    url = url.strip().casefold().split("?")[0].rstrip("/")
    return re.sub(r"^(https?://)?(www\.|[a-z]{2}\.)?", "", url)


def _from_name(local: str, name: str) -> bool:
    """Whether an email local part is only the person's name spelled out (namesakes share it)."""
    parts = [_LETTERS.sub("", p) for p in name.split()]
    parts = [p for p in parts if p]
    if not parts:
        return False
    first, last = parts[0], parts[-1]
    letters = _LETTERS.sub("", local)
    spelled = {first + last, last + first, first[0] + last, last + first[0], first, last}
    return letters in spelled and not re.search(r"\d", local)


def identity_keys(record: Row) -> list[tuple[str, str]]:
    """The identifiers one record shares with another record of the same person."""
    keys = []
    name = _name(record.get("name"))
    email = (record.get("email") or "").strip().casefold()
    if email:
        keys.append(("the same email address", email))
        local = email.split("@")[0]
        if name and len(local) >= 3 and not _from_name(local, name):
            keys.append(("the same name and email local part", f"{name}|{local}"))
    if record.get("linkedin_url"):
        keys.append(("the same LinkedIn URL", _linkedin(record["linkedin_url"])))
    digits = re.sub(r"\D", "", record.get("phone") or "")
    if name and len(digits) >= _MIN_PHONE_DIGITS:
        keys.append(("the same name and phone", f"{name}|{digits[-9:]}"))
    return keys


def match_people(records: list[Row]) -> list[tuple[list[Row], list[str]]]:
    """Records grouped into people (union-find over shared identifiers), with the evidence."""
    parent = {r["contact_id"]: r["contact_id"] for r in records}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    holders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in records:
        for key in identity_keys(r):
            holders[key].append(r["contact_id"])
    for ids in holders.values():
        for other in ids[1:]:
            parent[root(other)] = root(ids[0])
    people: dict[str, list[Row]] = defaultdict(list)
    for r in records:
        people[root(r["contact_id"])].append(r)
    evidence: dict[str, set[str]] = defaultdict(set)
    for (kind, _), ids in holders.items():
        if len(set(ids)) > 1:
            evidence[root(ids[0])].add(f"{kind} on {len(set(ids))} contact records")
    return [(rs, sorted(evidence[key])) for key, rs in sorted(people.items())]


def _stale(record: Row, as_of: str) -> str | None:
    """Why a record no longer places the person, or None."""
    if record.get("email_bounced") and (record.get("email_bounced_on") or "") <= as_of:
        return "email bounced" + (
            f" on {record['email_bounced_on']}" if record.get("email_bounced_on") else ""
        )
    if record.get("active") is False:
        return "record deleted in the CRM" + (
            f" on {record['inactive_since']}" if record.get("inactive_since") else ""
        )
    return None


def _headline_role(roles: set[str]) -> str:
    return next((r for r in HEADLINE_ROLES if r in roles), "Contact")


def moves_of(records: list[Row], matched_by: list[str], as_of: str) -> list[Row]:
    """The moves of one person: each position left, in order, to the next one."""
    left: list[tuple[str, Row, dict[str, Any], str]] = []
    current: list[tuple[Row, dict[str, Any]]] = []
    for r in records:
        stale = _stale(r, as_of)
        for job in r["jobs"]:
            if not job.get("account_id"):
                continue
            if job.get("held") and not stale and job.get("company_active") is not False:
                current.append((r, job))
            elif job.get("ended") or (stale and job.get("held")):
                why = stale or f"employment ended on {job.get('until') or 'an unknown day'}"
                left.append((job.get("until") or r.get("email_bounced_on") or "", r, job, why))
    if not left or not current:
        return []
    left.sort(key=lambda x: (x[0] or "9999", x[2]["account_id"]))
    current.sort(key=lambda x: (x[1].get("since") or "", x[1]["account_id"]))
    steps = [(a, b) for a, b in zip(left, left[1:], strict=False)]
    last = left[-1]
    roles = {role for r in records for role in (r.get("roles") or []) if role}
    name = next(r["name"] for r in records if r.get("name"))
    out = []
    pairs = [((a[1], a[2], a[3]), (b[1], b[2])) for a, b in steps]
    pairs += [((last[1], last[2], last[3]), now) for now in current]
    for (old_rec, old_job, why), (new_rec, new_job) in pairs:
        if old_job["account_id"] == new_job["account_id"]:
            continue
        evidence = [f"at {old_job['name']}: {why}"]
        if old_rec["contact_id"] == new_rec["contact_id"]:
            evidence.append(SAME_RECORD)
        else:
            evidence += matched_by
        role = _headline_role(roles)
        out.append(
            {
                "person_id": min(r["contact_id"] for r in records),
                "name": name,
                "from_account_id": old_job["account_id"],
                "from_account_name": old_job["name"],
                "from_group_id": old_job["group_id"],
                "to_account_id": new_job["account_id"],
                "to_account_name": new_job["name"],
                "to_group_id": new_job["group_id"],
                "moved_on": new_job.get("since")
                or old_job.get("until")
                or old_rec.get("email_bounced_on"),
                "old_contact_id": old_rec["contact_id"],
                "new_contact_id": new_rec["contact_id"],
                "roles": sorted(roles),
                "attitude": old_rec.get("attitude") or new_rec.get("attitude"),
                "headline": f"{role} {name} moved from {old_job['name']} to {new_job['name']}",
                "evidence": evidence,
            }
        )
    return out


@post_processor("people-moves")
def people_moves(rows: list[Row], params: dict[str, Any]) -> list[Row]:
    out: list[Row] = []
    for records, matched_by in match_people(rows):
        out += moves_of(records, matched_by, params["as_of"])
    group = params.get("group_id")
    if group is not None:
        out = [r for r in out if group in (r["from_group_id"], r["to_group_id"])]
    out.sort(
        key=lambda r: (
            r["moved_on"] or "",
            r["person_id"],
            r["from_account_id"],
            r["to_account_id"],
        )
    )
    return out
