"""Suppression entries: what is left of a forgotten person, and the one test ingests ask of it.

An entry holds two one-way hashes: of the person's source id and of their e-mail. Each is an
HMAC-SHA256 keyed with a random 32-byte salt made for the store on its first forget (a
``SuppressionKey`` node). The salt makes the hashes useless outside the store (no table of
precomputed e-mail hashes matches them, and two stores' entries cannot be linked), while the
store can still recognise the same id or e-mail in a later export. Someone who holds the store
can test a guessed id or e-mail against an entry, as an ingest does; a hash cannot be turned
back into the id or e-mail.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from kamgraph.backends.base import Backend
from kamgraph.queries import statement


def normal_email(value: object) -> str | None:
    """An e-mail as it is compared: trimmed, lower case; None when it is no e-mail address."""
    text = str(value or "").strip().lower()
    return text if "@" in text else None


@dataclass(frozen=True)
class Hasher:
    """The store's keyed one-way hash of source ids and e-mails."""

    salt: bytes = field(repr=False)

    def of_id(self, contact_id: str) -> str:
        return self._digest("id", contact_id.strip())

    def of_email(self, email: object) -> str | None:
        normal = normal_email(email)
        return self._digest("email", normal) if normal else None

    def _digest(self, kind: str, value: str) -> str:
        return hmac.new(self.salt, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def stored_hasher(backend: Backend) -> Hasher | None:
    """The store's hasher, or None when nobody was ever forgotten in it."""
    rows = backend.read(statement("suppression-key").text)
    return Hasher(bytes.fromhex(rows[0]["salt"])) if rows and rows[0].get("salt") else None


def ensure_hasher(backend: Backend) -> Hasher:
    """The store's hasher, its salt made on first use."""
    found = stored_hasher(backend)
    if found is not None:
        return found
    result = backend.write(
        statement("suppression-key-create").text, {"salt": secrets.token_hex(32)}
    )
    return Hasher(bytes.fromhex(result.rows[0]["salt"]))


@dataclass
class Suppressions:
    """The forgotten people an ingest skips; ``forgets`` is the one test every source uses."""

    hasher: Hasher | None = field(default=None, repr=False)
    ids: frozenset[str] = field(default=frozenset(), repr=False)
    emails: frozenset[str] = field(default=frozenset(), repr=False)
    _cache: dict[str, bool] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, backend: Backend) -> Suppressions:
        hasher = stored_hasher(backend)
        if hasher is None:
            return cls()
        rows = backend.read(statement("suppressions").text)
        return cls(
            hasher,
            frozenset(str(r["id_hash"]) for r in rows),
            frozenset(str(r["email_hash"]) for r in rows if r.get("email_hash")),
        )

    def __bool__(self) -> bool:
        return bool(self.ids or self.emails)

    def forgets(self, contact_id: object, email: object = None) -> bool:
        """Whether a contact with this source id (or this e-mail) was forgotten."""
        if not self or self.hasher is None:
            return False
        if contact_id:
            key = str(contact_id)
            if key not in self._cache:
                self._cache[key] = self.hasher.of_id(key) in self.ids
            if self._cache[key]:
                return True
        email_hash = self.hasher.of_email(email)
        found = email_hash is not None and email_hash in self.emails
        if found and contact_id:
            # The same person under another id (another system): rows that point at this id
            # later in the run are theirs too.
            self._cache[str(contact_id)] = True
        return found


def matching(entries: Iterable[dict[str, object]], hasher: Hasher, who: str) -> list[str]:
    """The suppression ids among ``entries`` that ``who`` (a contact id or e-mail) names."""
    id_hash, email_hash = hasher.of_id(who), hasher.of_email(who)
    return [
        str(e["id_hash"])
        for e in entries
        if e["id_hash"] == id_hash or (email_hash is not None and e.get("email_hash") == email_hash)
    ]
