"""The one model-record builder: source-neutral entity rows -> the records the loader writes.

Every CRM reader (Salesforce CSV and sfdx JSON, mapped CSV, and any later source) only turns its
rows into ``Entity`` rows: a kind (``company``, ``contact``...), a key, typed fields named like
the model's properties, and references to other records. This module alone decides what those
become: node upserts, history kept before a value changes (``pre``), the links, and what a
change ends (the declared rules of ``kamgraph/schema/end_rules.py``), and which rows name a
forgotten person (``suppressions``): those make no record, so no source re-creates them.

``read_sections`` is the shared reading loop: a section whose rows may refer to each other
(companies, contacts) is read twice, nodes first (a reader may learn names), then links, so a
reference may point at any row of the same section or of a section read before. A row is
rejected at most once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kamgraph.ingest import fields as f
from kamgraph.ingest.countries import country_code
from kamgraph.ingest.csvio import PROBLEM, SourceRow, raw_line
from kamgraph.ingest.ids import normalize_id
from kamgraph.ingest.names import is_branch_name, name_key
from kamgraph.ingest.records import Origin, Record, Reject, link, node
from kamgraph.ingest.rows import FirstRowWins, RowError, problem_reason
from kamgraph.personal.suppression import Suppressions
from kamgraph.schema.end_rules import CHANGED, END_RULES, LISTED, history_for

#: Competitor names repeat across deals: their keys are computed once per distinct name.
_name_key = functools.lru_cache(maxsize=4096)(name_key)

#: A reference: the key it names, None when the row names none, or a function giving either
#: (references by name are looked up only when the links are written).
Ref = str | None | Callable[[], str | None]

_UPSERT = {
    "rep": ("upsert-rep", "rep_id"),
    "company": ("upsert-company", "account_id"),
    "contact": ("upsert-contact", "contact_id"),
    "product": ("upsert-product", "product_id"),
    "deal": ("upsert-deal", "deal_id"),
    "activity": ("upsert-touchpoint", "touchpoint_id"),
}
#: Kinds a source may delete (IsDeleted, a mapped ``deleted`` column): made inactive.
DEACTIVATE = {
    "company": "deactivate-company",
    "contact": "deactivate-contact",
    "deal": "deactivate-deal",
}
#: The model record a reference field points at, per kind.
_TARGETS = {
    "parent": "company",
    "company": "company",
    "reports_to": "contact",
    "owner": "rep",
    "rep": "rep",
    "contact": "contact",
    "deal": "deal",
    "product": "product",
}
#: Account team role -> rep tier, when the source states no tier of its own.
TIER_BY_ROLE = {
    "key account manager": "key-account",
    "account manager": "progression",
    "sales rep": "expansion",
}
_END_BY_FIELD = {(r.holder, r.field): r for r in END_RULES if r.trigger == CHANGED}
#: Rows that only link a contact to something: a forgotten contact's row is dropped whole.
_CONTACT_LINK_ROWS = frozenset({"relation", "contact_role"})


@dataclass
class Entity:
    """One source row in model words: what it is, its key, fields and references.

    ``kind`` is one of ``rep``, ``company``, ``contact``, ``relation`` (an account-contact
    relation), ``team_member``, ``product``, ``deal``, ``line_item``, ``competitor``,
    ``contact_role`` and ``activity``; a kind the builder does not know yields no records (a
    source's own bookkeeping rows, like Salesforce's PricebookEntry).

    ``fields`` and ``refs`` hold only what the source states: a field that is absent is left
    alone in the graph, a reference that is present but None ends the old link (end rules).
    ``labels`` name the source's own field for each model field, for rejects and messages.
    """

    kind: str
    origin: Origin
    key: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, Ref] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    deleted: bool = False

    def label(self, name: str) -> str:
        return self.labels.get(name, name)


@dataclass(frozen=True)
class Words:
    """How a source names model records in messages (Salesforce says account, user...)."""

    nouns: Mapping[str, str] = field(default_factory=dict)
    hints: Mapping[str, str] = field(default_factory=dict)
    hint: str = "load it too (this row's own record was loaded)"

    def noun(self, kind: str) -> str:
        return self.nouns.get(kind, kind)

    def fix(self, kind: str) -> str:
        return self.hints.get(kind, self.hint)


class ModelBuilder:
    """Turns entity rows into records; the only place that knows what a change ends."""

    def __init__(self, words: Words | None = None) -> None:
        self.words = words or Words()
        #: Forgotten people (kamgraph/personal): set by the ingest run before rows are read.
        self.suppressions = Suppressions()
        #: Rows dropped (wholly, or their reference to the person) because they name one.
        self.suppressed = 0
        #: Of those, rows dropped whole (they yield no record, so the run counts them read here).
        self.dropped = 0

    # -- forgotten people: the one check every source goes through
    def _forgotten(self, e: Entity) -> bool:
        """Whether ``e`` is a forgotten person's own row (by source id or e-mail)."""
        return e.kind == "contact" and self.suppressions.forgets(e.key, e.fields.get("email"))

    def _forgotten_refs(self, e: Entity) -> list[str]:
        """The references of ``e`` that name a forgotten contact (a bad one is left to links)."""
        found = []
        for name, ref in e.refs.items():
            if _TARGETS.get(name) != "contact" or ref is None:
                continue
            try:
                target = ref() if callable(ref) else ref
            except RowError:
                continue
            if self.suppressions.forgets(target):
                found.append(name)
        return found

    # -- first pass
    def nodes(self, e: Entity) -> list[Record]:
        """Node upserts (with the history kept before they change), or the deactivation."""
        if self._forgotten(e):
            self.suppressed += 1
            self.dropped += 1
            return []
        if e.deleted:
            statement = DEACTIVATE.get(e.kind)
            if statement is None or not e.key:
                return []
            return [Record(statement, "batch", {"key": e.key}, e.origin)]
        build = getattr(self, f"_{e.kind}_props", None)
        if build is None:
            return self._competitor_nodes(e) if e.kind == "competitor" else []
        statement, key_name = _UPSERT[e.kind]
        assert e.key is not None
        props: dict[str, Any] = {key_name: e.key, **build(e)}
        records = []
        history = history_for(e.kind)
        if history is not None and history.value in props:
            data = {"key": e.key, history.value: props[history.value]}
            records.append(Record(history.statement, "pre", data, e.origin))
        records.append(node(statement, e.key, props, e.origin))
        return records

    # -- second pass
    def links(self, e: Entity) -> list[Record | Reject]:
        """The entity's links, each preceded by the end statement its rule declares."""
        if e.deleted or self._forgotten(e):
            return []
        forgotten = self._forgotten_refs(e) if self.suppressions else []
        if forgotten:
            # The row stays, without its reference to the person: no link, no pending link
            # (which would keep their id), no end rule (a closed reports-to chain stays).
            self.suppressed += 1
            if e.kind in _CONTACT_LINK_ROWS:
                self.dropped += 1
                return []
            e = replace(e, refs={k: v for k, v in e.refs.items() if k not in forgotten})
        out: list[Record | Reject] = []
        getattr(self, f"_{e.kind}_links", _no_links)(e, out)
        return out

    # -- props per kind
    def _rep_props(self, e: Entity) -> dict[str, Any]:
        props = dict(e.fields)
        props["name"] = props.get("name") or e.key
        return props

    def _company_props(self, e: Entity) -> dict[str, Any]:
        name = self._required_name(e)
        props: dict[str, Any] = {"name": name, "name_key": name_key(name), **e.fields}
        props["name"] = name
        # The ISO code beside the country as the CRM writes it: duplicates and resolution
        # compare countries by code.
        props["country_code"] = country_code(props.get("country"))
        for kind in ("duns", "cik"):
            if props.get(kind) is not None:
                props[kind] = normalize_id(kind, props[kind])
        if props.get("hierarchy_type") is None and is_branch_name(name):
            props["hierarchy_type"] = "Branch"
        return props

    def _contact_props(self, e: Entity) -> dict[str, Any]:
        name = contact_name(e.fields)
        if not name:
            label = next(
                (e.label(n) for n in ("last_name", "name", "first_name") if n in e.labels),
                "name",
            )
            raise RowError(label, f"{label} is required but empty: a contact needs a name")
        return {**e.fields, "name": name}

    def _product_props(self, e: Entity) -> dict[str, Any]:
        props = {**e.fields, "name": self._required_name(e)}
        props["family"] = props.get("family") or "(no family)"
        return props

    def _deal_props(self, e: Entity) -> dict[str, Any]:
        status = e.fields["status"]
        created, closed = e.fields.get("created"), e.fields.get("closed")
        if not created and not closed:
            stated = [n for n in ("created", "closed") if n in e.labels] or ["created"]
            names = " and ".join(e.label(n) for n in stated)
            verb = "are both empty" if len(stated) > 1 else "is empty"
            raise RowError(
                e.label(stated[0]),
                f"{names} {verb}; the {self.words.noun('deal')} needs its created or closed date",
            )
        props = {
            **e.fields,
            "name": e.fields.get("name") or e.key,
            "created": created or closed,
            "closed": closed if status != "open" else None,
            "expected_close": e.fields.get("expected_close")
            or (closed if status == "open" else None),
        }
        return props

    def _activity_props(self, e: Entity) -> dict[str, Any]:
        if not e.fields.get("date"):
            label = e.label("date")
            raise RowError(label, f"{label} is empty; a touchpoint needs a date")
        return {**e.fields, "kind": e.fields.get("kind") or "task"}

    def _competitor_nodes(self, e: Entity) -> list[Record]:
        return [self._competitor(e, "name")]

    # -- links per kind
    def _company_links(self, e: Entity, out: list[Record | Reject]) -> None:
        props = self._company_props(e)
        branch = props.get("hierarchy_type") == "Branch"
        self._link(
            e,
            out,
            "parent",
            "link-branch" if branch else "link-subsidiary",
            rel_type="BRANCH_OF" if branch else "SUBSIDIARY_OF",
            props={"via": e.label("parent")},
        )

    def _contact_links(self, e: Entity, out: list[Record | Reject]) -> None:
        works_at = {"via": "contact", "job_title": e.fields.get("job_title"), "until": None}
        self._link(e, out, "company", "link-works-at", props=works_at)
        self._link(e, out, "reports_to", "link-reports-to")

    def _deal_links(self, e: Entity, out: list[Record | Reject]) -> None:
        self._link(e, out, "company", "link-deal", reverse=True)
        self._link(e, out, "owner", "link-owner", reverse=True)
        lost_to = e.fields.get("lost_to_name")
        if lost_to:
            try:
                competitor = self._competitor(e, "lost_to_name")
            except RowError as err:
                out.append(_reject(e, err))
                return
            out.append(competitor)
            out.append(
                link(
                    "link-lost-to",
                    str(e.key),
                    competitor.data["key"],
                    e.origin,
                    field=e.label("lost_to_name"),
                    missing_reason="the competitor could not be stored",
                )
            )

    def _relation_links(self, e: Entity, out: list[Record | Reject]) -> None:
        props = {"relation": True, **e.fields}
        self._pair(e, out, "contact", "company", "link-works-at", props)

    def _team_member_links(self, e: Entity, out: list[Record | Reject]) -> None:
        role = e.fields.get("team_role")
        props = {
            "team_role": role,
            "tier": e.fields.get("tier") or TIER_BY_ROLE.get((role or "").lower()),
        }
        self._pair(e, out, "rep", "company", "link-team", props)

    def _line_item_links(self, e: Entity, out: list[Record | Reject]) -> None:
        self._pair(e, out, "deal", "product", "link-line-item", dict(e.fields))

    def _contact_role_links(self, e: Entity, out: list[Record | Reject]) -> None:
        role = e.fields.get("role") or "Other"
        props = {"role": role, "is_primary": bool(e.fields.get("is_primary"))}
        history = history_for("contact_role")
        assert history is not None
        pre = {"role": role}
        self._pair(e, out, "contact", "deal", "link-role", props, pre=(history.statement, pre))

    def _competitor_links(self, e: Entity, out: list[Record | Reject]) -> None:
        name = _name_key(e.fields.get("name") or "")
        try:
            deal = self._resolve(e, "deal")
        except RowError as err:
            out.append(_reject(e, err))
            return
        if deal and name:
            out.append(
                link(
                    "link-against",
                    deal,
                    name,
                    e.origin,
                    field=e.label("deal"),
                    missing_reason=self._missing(e, "deal", deal),
                )
            )

    def _activity_links(self, e: Entity, out: list[Record | Reject]) -> None:
        self._link(e, out, "rep", "link-touchpoint-rep", reverse=True)
        self._link(e, out, "contact", "link-touchpoint-contact")
        self._link(e, out, "company", "link-touchpoint-company")
        self._link(e, out, "deal", "link-touchpoint-deal")

    # -- helpers
    def _required_name(self, e: Entity) -> str:
        name = e.fields.get("name")
        if not name:
            label = e.label("name")
            raise RowError(
                label, f"{label} is required but empty: a {self.words.noun(e.kind)} needs a name"
            )
        return str(name)

    def _competitor(self, e: Entity, name_field: str) -> Record:
        text = e.fields.get(name_field) or ""
        key = _name_key(text)
        if not key:
            label = e.label(name_field)
            raise RowError(label, f"{label} is blank after normalization")
        return node(
            "upsert-competitor", key, {"competitor_id": key, "name": text.strip()}, e.origin
        )

    def _resolve(self, e: Entity, name: str) -> str | None:
        ref = e.refs.get(name)
        return ref() if callable(ref) else ref

    def _missing(self, e: Entity, name: str, target: str) -> str:
        kind = _TARGETS[name]
        return (
            f"{e.label(name)} {target} is not a known {self.words.noun(kind)}; "
            f"{self.words.fix(kind)}"
        )

    def _link(
        self,
        e: Entity,
        out: list[Record | Reject],
        name: str,
        statement: str,
        *,
        reverse: bool = False,
        rel_type: str | None = None,
        props: dict[str, Any] | None = None,
    ) -> None:
        """The link a reference field states, after its end rule's statement (if it has one).

        A bad reference rejects this link only; the row's other links are still made.
        """
        if name not in e.refs:
            return
        assert e.key is not None
        try:
            target = self._resolve(e, name)
            if target is not None and target == e.key and _TARGETS[name] == e.kind:
                label = e.label(name)
                raise RowError(label, f"{label} points at the {self.words.noun(e.kind)} itself")
        except RowError as err:
            out.append(_reject(e, err))
            return
        rule = _END_BY_FIELD.get((e.kind, name))
        if rule is not None:
            data = {"key": e.key, "to": target, "rel_type": rel_type}
            out.append(Record(rule.statement, "batch", data, e.origin))
        if target:
            start, end = (target, e.key) if reverse else (e.key, target)
            out.append(
                link(
                    statement,
                    start,
                    end,
                    e.origin,
                    field=e.label(name),
                    missing_reason=self._missing(e, name, target),
                    props=props,
                )
            )

    def _pair(
        self,
        e: Entity,
        out: list[Record | Reject],
        start_name: str,
        end_name: str,
        statement: str,
        props: dict[str, Any],
        pre: tuple[str, dict[str, Any]] | None = None,
    ) -> None:
        """A link record between two references of a row that is itself no node."""
        try:
            start, end = self._resolve(e, start_name), self._resolve(e, end_name)
        except RowError as err:
            out.append(_reject(e, err))
            return
        if not start or not end:
            return
        if pre is not None:
            out.append(Record(pre[0], "pre", {"from": start, "to": end, **pre[1]}, e.origin))
        words = self.words
        out.append(
            link(
                statement,
                start,
                end,
                e.origin,
                field=e.label(start_name),
                missing_reason=(
                    f"{words.noun(_TARGETS[start_name])} {start} ({e.label(start_name)}) or "
                    f"{words.noun(_TARGETS[end_name])} {end} ({e.label(end_name)}) is not "
                    "known; load them too"
                ),
                props=props,
            )
        )


def contact_name(fields: Mapping[str, Any]) -> str | None:
    """A contact's name: the name field, else first and last name joined."""
    parts = [fields.get("first_name"), fields.get("last_name")]
    return fields.get("name") or " ".join(p for p in parts if p) or None


def _no_links(e: Entity, out: list[Record | Reject]) -> None:
    return None


def _reject(e: Entity, err: RowError) -> Reject:
    return Reject(e.origin.file, e.origin.line, err.field, err.reason, e.origin.raw)


def listed_end(holder: str, key: str, targets: list[str], origin: Origin) -> list[Record]:
    """The end record of a ``listed`` rule: the holder's row lists all its links' other ends."""
    return [
        Record(r.statement, "batch", {"key": key, "to": targets}, origin)
        for r in END_RULES
        if r.holder == holder and r.trigger == LISTED
    ]


#: Kinds whose references may name a row further down the same section (a parent, a manager):
#: their sections are read twice, nodes first, then links. Other sections are read once.
SELF_REFERENCING = frozenset({"company", "contact"})


@dataclass
class Section:
    """One kind of row in an export: where its rows come from and how one becomes an entity.

    ``rows`` is called once per pass and must give the same rows each time. ``identity`` gives
    the id that duplicate rows share (first row wins), or None to skip that check.
    """

    name: str
    kind: str
    rows: Callable[[], Iterable[SourceRow]]
    convert: Callable[[SourceRow, Origin], Entity]
    identity: Callable[[SourceRow], str | None] | None = None


def read_sections(
    sections: Iterable[Section],
    builder: ModelBuilder,
    *,
    learned: Callable[[Section, Entity], None] | None = None,
) -> Iterator[Record | Reject]:
    """The records of every section, in order; ``learned`` sees every row that became a node.

    A self-referencing section is read twice (nodes, then links: a reference may point at any
    row of it); any other section once, each row's links right after its node.
    """
    skip: set[tuple[str, int]] = set()
    duplicates = FirstRowWins()
    sections = list(sections)
    for index, section in enumerate(sections):
        if all(later.name != section.name for later in sections[index + 1 :]):
            # No later section shares this one's ids: its duplicate check ends with it.
            for earlier in sections[:index]:
                duplicates.forget(earlier.name)
        twice = section.kind in SELF_REFERENCING
        for row in section.rows():
            where = (row.file, row.line)
            if where in skip:
                continue
            origin = Origin(row.file, row.line, raw_line(row))
            if PROBLEM in row.cells:
                skip.add(where)
                yield Reject(row.file, row.line, "(row)", problem_reason(row), origin.raw)
                continue
            if section.identity is not None:
                key = section.identity(row)
                verdict = duplicates.check(section.name, key, row, "Id") if key else None
                if verdict is not None:
                    skip.add(where)
                    if verdict:
                        yield Reject(row.file, row.line, "Id", verdict, origin.raw)
                    continue
            try:
                entity = section.convert(row, origin)
                records = builder.nodes(entity)
            except RowError as e:
                skip.add(where)
                yield Reject(row.file, row.line, e.field, e.reason, origin.raw)
                continue
            except f.FieldError as e:  # a parser called without Cells: the row, not the run
                skip.add(where)
                yield Reject(row.file, row.line, "(row)", str(e), origin.raw)
                continue
            if entity.deleted:
                skip.add(where)
            elif learned is not None:
                learned(section, entity)
            yield from records
            if not twice:
                yield from builder.links(entity)
        if not twice:
            continue
        for row in section.rows():
            if (row.file, row.line) in skip:
                continue
            origin = Origin(row.file, row.line, raw_line(row))
            try:
                yield from builder.links(section.convert(row, origin))
            except RowError as e:  # unreachable for converters that are pure functions
                yield Reject(row.file, row.line, e.field, e.reason, origin.raw)
