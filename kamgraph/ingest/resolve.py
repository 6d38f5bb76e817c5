"""Entity resolution for hierarchy sources: match incoming companies to the graph's companies.

Readers of reference data (GLEIF, subsidiary lists) key every company by its own id
(``LEI:<lei>``, ``CIK:<cik>``). Before loading, :func:`resolve_companies` looks each one up
among the stored companies, by id first (LEI, D-U-N-S, registration code, CIK), then by exact
legal name, then by ``name_key`` (narrowed by country, candidates scored with rapidfuzz), and
rewrites the record and every link that names it to the matched company's ``account_id``.
Companies whose ids conflict are never merged; several equally good candidates are reported as
an ambiguous match and not merged either. A name match never makes a CRM group top a member of
a reference family: the incoming company keeps its own node and the match becomes a proposal
(``match_proposal``, listed by ``hierarchy-issues``). Every decision is kept as an event for
``--dry-run``. It sits between reader and loader: the reader stays free of the database, the
loader stays simple. docs/ingest.md, "How companies are resolved", states the rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from rapidfuzz import fuzz

from kamgraph.backends.base import Backend
from kamgraph.ingest.countries import country_code as country_code
from kamgraph.ingest.families import REFERENCE_SOURCES
from kamgraph.ingest.ids import ID_KINDS, normalize_id
from kamgraph.ingest.names import legal_name_key
from kamgraph.ingest.records import Origin, Record, Reject, content_hash
from kamgraph.queries import statement

#: The node statement hierarchy readers emit for companies.
HIERARCHY_COMPANY = "upsert-hierarchy-company"
#: Statement that retires a company this source created once a CRM company took its place.
RETIRE_COMPANY = "retire-hierarchy-company"
#: Properties a source writes only on companies it created itself; the CRM owns them elsewhere.
IDENTITY_PROPS = (
    "name",
    "name_key",
    "country",
    "lei",
    "duns",
    "registration_code",
    "active",
    "superseded_by",
)
#: Ids a company can be matched by, in order of trust. LEI, D-U-N-S and CIK are global: two
#: companies with different values are different companies. Registration codes are only
#: unique per register and spelled in many ways, so they match but never conflict.
ID_FIELDS = ID_KINDS
CONFLICTING_IDS = ("lei", "duns", "cik")
#: Id field -> the ``match-companies`` parameter listing the wanted values.
_ID_PARAMS = {
    "lei": "leis",
    "duns": "duns",
    "cik": "ciks",
    "registration_code": "registration_codes",
}
#: Statements whose rows name companies, and the row fields that hold company keys.
COMPANY_REFS: Mapping[str, tuple[str, ...]] = {
    "link-hierarchy-subsidiary": ("from", "to"),
    "link-hierarchy-branch": ("from", "to"),
    "end-parent-links": ("key", "parent"),
    "set-company-facts": ("key",),
}
LEI_PREFIX = "LEI:"
#: Statement that stores a proposal (and the score of a match) on a company.
FACTS = "set-company-facts"
#: Two name candidates closer than this (rapidfuzz points) are a tie, not a choice.
SCORE_MARGIN = 5.0
DEFAULT_RESOLVE_BATCH = 500


@dataclass(frozen=True)
class Candidate:
    """A stored company that might be the incoming one."""

    account_id: str
    name: str | None
    name_key: str | None
    ids: dict[str, str]
    country: str | None
    source: str | None
    active: bool
    #: Whether the company is the top of its family (group_id = account_id).
    top: bool = False

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Candidate:
        ids = {f: normalize_id(f, row.get(f)) for f in ID_FIELDS}
        return cls(
            account_id=str(row["account_id"]),
            name=row.get("name"),
            name_key=row.get("name_key"),
            ids={k: v for k, v in ids.items() if v},
            country=country_code(row.get("country")),
            source=row.get("source"),
            active=row.get("active") is not False,
            top=row.get("group_id") in (None, row["account_id"]),
        )

    @property
    def crm_top(self) -> bool:
        """A group top that a CRM (not reference data) keeps: never made a member by a name."""
        return self.top and self.source not in REFERENCE_SOURCES


@dataclass(frozen=True)
class Decision:
    """Where an incoming company goes: ``key`` and whether this source owns that node."""

    key: str
    own: bool
    method: str
    problem_field: str = ""
    problem: str = ""
    retire: bool = False
    #: rapidfuzz score (0-100) of the legal names of a name match, and why it was chosen.
    score: float | None = None
    reason: str = ""
    #: A stored company the incoming one probably is, not merged (see ``hierarchy-issues``).
    proposal: str | None = None


@dataclass(frozen=True)
class Incoming:
    """What an incoming company can be matched by (the ``match`` field of its record)."""

    key: str
    ids: dict[str, str] = field(default_factory=dict)
    name_key: str | None = None
    country: str | None = None
    #: The legal name (``legal_name_key``), for the exact-name step.
    legal_key: str | None = None
    #: Whether the source names a parent for it: a name match then must not make a CRM group
    #: top its member.
    member: bool = False

    @classmethod
    def from_record(cls, record: Record) -> Incoming:
        hints = record.data.get("match") or {}
        ids = {f: normalize_id(f, hints.get(f)) for f in ID_FIELDS}
        name = (record.data.get("props") or {}).get("name") or hints.get("name")
        return cls(
            key=record.data["key"],
            ids={k: v for k, v in ids.items() if v},
            name_key=hints.get("name_key") or None,
            country=country_code(hints.get("country")),
            legal_key=legal_name_key(name) if name else None,
            member=bool(hints.get("member")),
        )


def company_record(
    key: str,
    props: dict[str, Any],
    origin: Origin,
    *,
    match: dict[str, Any],
) -> Record:
    """A hierarchy company record: loadable as-is (as this source's own node) or resolvable.

    ``props`` holds identity properties (:data:`IDENTITY_PROPS`, written only when the node is
    the source's own) and facts (written always); ``match`` holds the ids, name key and
    country the resolver matches by.
    """
    return Record(HIERARCHY_COMPANY, "node", _row(key, props, match), origin)


def _row(key: str, props: dict[str, Any], match: dict[str, Any] | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "key": key,
        "hash": content_hash(props),
        "props": props,
        "lei": props.get("lei") or (match or {}).get("lei"),
    }
    if match is not None:
        row["match"] = match
    return row


def decide(incoming: Incoming, candidates: Iterable[Candidate], source: str) -> Decision:
    """Pick the stored company ``incoming`` is, or keep its own key; pure, for testing."""
    cands = list(candidates)
    itself = next((c for c in cands if c.account_id == incoming.key), None)
    if itself is not None and itself.source != source:
        # The record names a stored company of another source by its key (a CRM account id).
        return Decision(incoming.key, own=False, method="account_id")
    pool = [c for c in cands if c.active and c.source != source and c.account_id != incoming.key]
    retire = itself is not None and itself.active
    by_id = [c for c in pool if _shares_id(incoming, c) and not _conflict(incoming, c)]
    if len(by_id) == 1:
        found = by_id[0]
        return Decision(found.account_id, False, _id_method(incoming, found), retire=retire)
    if len(by_id) > 1:
        kind = _id_method(incoming, by_id[0])
        return _keep(
            incoming,
            kind,
            f"ambiguous match: {kind} {incoming.ids.get(kind)} is on {len(by_id)} companies "
            f"({_list(by_id)}); not merged, loaded as {incoming.key}. Keep the id on one "
            "account only",
        )
    if not incoming.name_key:
        return Decision(incoming.key, own=True, method="new")
    named = [c for c in pool if c.name_key == incoming.name_key]
    if incoming.country:
        # One name in two countries is two companies: no match, and no conflict either.
        named = [c for c in named if c.country in (None, incoming.country)]
    conflicts = [c for c in named if _conflict(incoming, c)]
    if conflicts:
        c = conflicts[0]
        kind = next(k for k in CONFLICTING_IDS if k in incoming.ids and k in c.ids)
        return _keep(
            incoming,
            kind,
            f"id conflict: {c.account_id} ({c.name}) has the same name key "
            f"{incoming.name_key!r} but {kind} {c.ids[kind]}, not {incoming.ids[kind]}; "
            f"not merged, loaded as {incoming.key}",
        )
    if not named:
        return Decision(incoming.key, own=True, method="new")
    best, method, tied = _best(incoming, named)
    if tied:
        return _keep(
            incoming,
            "name",
            f"ambiguous match: name key {incoming.name_key!r} fits {len(tied)} companies "
            f"({_list(tied)}) equally well; not merged, loaded as {incoming.key}. Set the id "
            "(LEI__c, DUNS, CIK__c) on the right account",
        )
    score = _score(incoming, best)
    reason = _reason(incoming, best, method, score)
    if best.crm_top and incoming.member:
        # The source puts this company under a parent: merging it would make a CRM group
        # top a member of a reference family on the strength of a name.
        return Decision(
            incoming.key,
            own=True,
            method="proposal",
            score=score,
            reason=reason + f"; {best.account_id} is a CRM group top, kept as one",
            proposal=best.account_id,
        )
    return Decision(best.account_id, False, method, retire=retire, score=score, reason=reason)


def _best(incoming: Incoming, named: list[Candidate]) -> tuple[Candidate, str, list[Candidate]]:
    """The best name candidate, how it matched, and the tied candidates when there is no best.

    Exact legal names first, then the same country, then the rapidfuzz score of the legal
    names: a candidate wins a tie only by :data:`SCORE_MARGIN` points.
    """
    exact = [c for c in named if c.name and legal_name_key(c.name) == incoming.legal_key]
    for pool, method in ((exact, "legal_name"), (named, "name")):
        if not pool:
            continue
        if len(pool) > 1 and incoming.country:
            same = [c for c in pool if c.country == incoming.country]
            if len(same) == 1:
                return same[0], f"{method}+country", []
            pool = same or pool
        if len(pool) == 1:
            return pool[0], method, []
        ranked = sorted(pool, key=lambda c: (-_score(incoming, c), c.account_id))
        if _score(incoming, ranked[0]) - _score(incoming, ranked[1]) >= SCORE_MARGIN:
            return ranked[0], f"{method}+score", []
        return ranked[0], method, pool
    raise AssertionError("named is not empty")


def _score(incoming: Incoming, c: Candidate) -> float:
    """How alike the legal names are, 0-100 (rapidfuzz token sort ratio)."""
    if not incoming.legal_key or not c.name:
        return 0.0
    return round(float(fuzz.token_sort_ratio(incoming.legal_key, legal_name_key(c.name))), 1)


def _reason(incoming: Incoming, c: Candidate, method: str, score: float) -> str:
    how = (
        "the same legal name"
        if method.startswith("legal_name")
        else (f"the same name key {incoming.name_key!r}")
    )
    where = (
        f", both {c.country}"
        if incoming.country and c.country == incoming.country
        else ", country not known on both sides"
    )
    return f"{how} as {c.account_id} ({c.name}){where}; legal names score {score:g}"


def _keep(incoming: Incoming, field_name: str, reason: str) -> Decision:
    return Decision(incoming.key, True, "new", problem_field=field_name, problem=reason)


def _shares_id(incoming: Incoming, c: Candidate) -> bool:
    for kind, value in incoming.ids.items():
        if c.ids.get(kind) == value:
            if kind == "registration_code" and incoming.country and c.country:
                if incoming.country != c.country:
                    continue
            return True
    return False


def _conflict(incoming: Incoming, c: Candidate) -> bool:
    return any(
        kind in incoming.ids and kind in c.ids and incoming.ids[kind] != c.ids[kind]
        for kind in CONFLICTING_IDS
    )


def _id_method(incoming: Incoming, c: Candidate) -> str:
    return next(k for k in ID_FIELDS if k in incoming.ids and c.ids.get(k) == incoming.ids[k])


def _list(cands: list[Candidate]) -> str:
    return ", ".join(f"{c.account_id} {c.name}" for c in sorted(cands, key=lambda c: c.account_id))


def resolve_companies(
    backend: Backend,
    records: Iterable[Record | Reject],
    *,
    source: str,
    batch_size: int = DEFAULT_RESOLVE_BATCH,
    events: list[dict[str, Any]] | None = None,
) -> Iterator[Record | Reject]:
    """Yield ``records`` with companies matched to stored ones and links pointed at them.

    Streams in batches of ``batch_size``: each batch's lookups are one ``match-companies``
    read. Order is kept, so companies still come before the links that need them. ``events``,
    if given, receives what was decided (see ``_Resolver.events``; ``--dry-run`` prints them).
    """
    resolver = _Resolver(backend, source, events)
    batch: list[Record | Reject] = []
    for item in records:
        batch.append(item)
        if len(batch) >= max(1, batch_size):
            yield from resolver.resolve(batch)
            batch = []
    if batch:
        yield from resolver.resolve(batch)


#: (backend, records, events) -> records; ``events`` (or None) receives what was decided.
ResolveStep = Callable[
    [Backend, Iterable[Record | Reject], list[dict[str, Any]] | None], Iterator[Record | Reject]
]


class FileReader(Protocol):
    """A reference source's reader: the records of the files it reads."""

    @property
    def files(self) -> list[Path]: ...

    def __iter__(self) -> Iterator[Record | Reject]: ...


ReaderFactory = Callable[
    [Path, "str | None", Mapping[str, Any]], tuple[Iterable[Record | Reject], list[str]]
]


def reader_factory(make: Callable[..., FileReader]) -> ReaderFactory:
    """The reader factory of a reference source (``SourceSpec.factory``): ``make(path,
    encoding=...)``, and the files it reads."""

    def open_source(
        path: Path, encoding: str | None, options: Mapping[str, Any]
    ) -> tuple[Iterable[Record | Reject], list[str]]:
        reader = make(path, encoding=encoding)
        return reader, [str(p) for p in reader.files]

    return open_source


def resolver(source: str) -> ResolveStep:
    """The resolution step of a reference source (``SourceSpec.resolve``)."""

    def resolve(
        backend: Backend,
        records: Iterable[Record | Reject],
        events: list[dict[str, Any]] | None = None,
    ) -> Iterator[Record | Reject]:
        return resolve_companies(backend, records, source=source, events=events)

    return resolve


class _Resolver:
    def __init__(
        self, backend: Backend, source: str, events: list[dict[str, Any]] | None = None
    ) -> None:
        self.backend = backend
        self.source = source
        #: Incoming key -> the stored company it was matched to (only where they differ).
        self.remap: dict[str, str] = {}
        self.reported: set[str] = set()
        self.retired: set[str] = set()
        #: Stored company -> the incoming key that matched it by name in this run.
        self.claims: dict[str, str] = {}
        #: What resolution decided, in order: {action, key, target, method, score, reason}
        #: with action merge, attach, propose, conflict or new (shown by ``--dry-run``).
        self.events: list[dict[str, Any]] = [] if events is None else events

    def _event(self, key: str, d: Decision) -> None:
        if d.problem:
            action = "conflict"
        elif d.proposal:
            action = "propose"
        elif d.key != key:
            action = "merge"
        else:
            action = "new"
        self.events.append(
            {
                "action": action,
                "key": key,
                "target": d.proposal or (d.key if d.key != key else None),
                "method": d.method,
                "score": d.score,
                "reason": d.problem or d.reason,
            }
        )

    def _attached(self, item: Record) -> None:
        """A link with an end that is a stored company of another source attaches there."""
        ends = [item.data.get(name) for name in ("from", "to")]
        if not any(isinstance(ref, str) and ref in self.remap for ref in ends):
            return
        child, parent = (self.remap.get(ref, ref) if isinstance(ref, str) else ref for ref in ends)
        self.events.append(
            {
                "action": "attach",
                "key": child,
                "target": parent,
                "method": item.statement,
                "score": None,
                "reason": f"the source's {ends[0]} -> {ends[1]}",
            }
        )

    def resolve(self, batch: list[Record | Reject]) -> Iterator[Record | Reject]:
        incoming = {
            r.data["key"]: Incoming.from_record(r)
            for r in batch
            if isinstance(r, Record) and r.statement == HIERARCHY_COMPANY
        }
        # Link ends that are not companies of this batch nor matched before: LEI keys may be
        # stored companies (a CRM account with that LEI), so look them up by LEI.
        ends: dict[str, tuple[Incoming, Origin]] = {}
        for r in batch:
            if isinstance(r, Record):
                for name in COMPANY_REFS.get(r.statement, ()):
                    ref = r.data.get(name)
                    if (
                        isinstance(ref, str)
                        and ref.startswith(LEI_PREFIX)
                        and ref not in incoming
                        and ref not in self.remap
                    ):
                        lei = ref[len(LEI_PREFIX) :]
                        ends[ref] = (Incoming(ref, ids={"lei": lei}), r.origin)
        candidates = self._candidates([*incoming.values(), *(i for i, _ in ends.values())])
        found = {k: decide(i, candidates.get(k, []), self.source) for k, i in incoming.items()}
        # Exact legal names claim their stored company before looser name matches do.
        order = sorted(found, key=lambda k: not found[k].method.startswith("legal_name"))
        decisions = {k: self._claim(incoming[k], found[k]) for k in order}
        for k, d in decisions.items():
            self._event(k, d)
        retired: list[Record] = []
        for key, d in decisions.items():
            if d.key != key:
                self.remap[key] = d.key
        for key, (inc, origin) in ends.items():
            d = decide(inc, candidates.get(key, []), self.source)
            if d.key != key:
                self.remap[key] = d.key
                self._event(key, d)
                self._retire(key, d, retired, origin)
        for item in batch:
            if isinstance(item, Reject):
                yield item
            elif item.statement == HIERARCHY_COMPANY:
                yield from self._company(item, decisions[item.data["key"]], retired)
            elif item.statement in COMPANY_REFS:
                yield self._pointed(item)
                if item.statement.startswith("link-"):
                    self._attached(item)
            else:
                yield item
        yield from retired

    def _claim(self, incoming: Incoming, d: Decision) -> Decision:
        """A stored company matched by name takes one incoming company per run, not several.

        Names are coarse (``name_key`` drops "Holdings" and legal forms): when a second,
        different company of the same source fits the same stored company by name, it keeps
        its own node and the match becomes a proposal, not a merge of two legal entities.
        """
        if d.own or d.method in (*ID_FIELDS, "account_id"):
            return d
        first = self.claims.setdefault(d.key, incoming.key)
        if first == incoming.key:
            return d
        return Decision(
            incoming.key,
            own=True,
            method="proposal",
            score=d.score,
            reason=f"{d.reason}; {d.key} already matched {first} in this run",
            proposal=d.key,
        )

    def _company(
        self, item: Record, d: Decision, retired: list[Record]
    ) -> Iterator[Record | Reject]:
        key = item.data["key"]
        if d.problem and key not in self.reported:
            self.reported.add(key)
            o = item.origin
            yield Reject(o.file, o.line, d.problem_field, d.problem, o.raw)
        props = dict(item.data["props"])
        if not d.own:
            # No match method in props: a name match stores the LEI, so the next run matches
            # by LEI, and a changing method would rewrite the company on every run.
            props = {k: v for k, v in props.items() if k not in IDENTITY_PROPS}
        self._retire(key, d, retired, item.origin)
        row = _row(d.key, props, None) | {"lei": item.data.get("lei")}
        yield Record(HIERARCHY_COMPANY, "node", row, item.origin)
        if d.proposal or d.score is not None:
            # Outside props (and their content hash): kept current, also on CRM companies.
            facts = {
                "match_proposal": d.proposal,
                "match_score": d.score if d.proposal else None,
                "match_reason": d.reason if d.proposal else None,
                f"{self.source}_match": f"{d.method}, score {d.score:g}"
                if not d.proposal
                else None,
            }
            yield Record(FACTS, "batch", {"key": d.key, "props": facts}, item.origin)

    def _retire(self, key: str, d: Decision, retired: list[Record], origin: Origin) -> None:
        """Once per run: this source's own node for ``key`` gives way to the matched company."""
        if d.retire and key not in self.retired:
            self.retired.add(key)
            retired.append(Record(RETIRE_COMPANY, "batch", {"key": key, "by": d.key}, origin))

    def _pointed(self, item: Record) -> Record:
        data = dict(item.data)
        for name in COMPANY_REFS[item.statement]:
            ref = data.get(name)
            if isinstance(ref, str):
                data[name] = self.remap.get(ref, ref)
        return Record(item.statement, item.kind, data, item.origin, item.field, item.missing_reason)

    def _candidates(self, wanted: list[Incoming]) -> dict[str, list[Candidate]]:
        """Stored companies per incoming key, from one ``match-companies`` read."""
        if not wanted:
            return {}
        params: dict[str, list[str]] = {
            "keys": sorted({w.key for w in wanted}),
            "name_keys": sorted({w.name_key for w in wanted if w.name_key}),
        }
        for kind, param in _ID_PARAMS.items():
            params[param] = sorted({w.ids[kind] for w in wanted if kind in w.ids})
        rows = self.backend.read(statement("match-companies").text, params)
        found = {}
        for row in rows:
            c = Candidate.from_row(row)
            found[c.account_id] = c
        by_value: dict[tuple[str, str], list[Candidate]] = {}
        for c in found.values():
            by_value.setdefault(("key", c.account_id), []).append(c)
            if c.name_key:
                by_value.setdefault(("name_key", c.name_key), []).append(c)
            for kind, value in c.ids.items():
                by_value.setdefault((kind, value), []).append(c)
        result: dict[str, list[Candidate]] = {}
        for w in wanted:
            seen: dict[str, Candidate] = {}
            probes = [("key", w.key), *(w.ids.items())]
            if w.name_key:
                probes.append(("name_key", w.name_key))
            for probe in probes:
                for c in by_value.get(probe, []):
                    seen[c.account_id] = c
            result[w.key] = sorted(seen.values(), key=lambda c: c.account_id)
        return result
