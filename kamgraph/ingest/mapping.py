"""Mapping files for ``kamgraph ingest csv``: which CSV column feeds which model field.

A mapping is a TOML or YAML file with one section per kind of record (``companies``,
``deals``...). ``load_mapping`` reads and validates it; every error names the mapping file and
the key. ``ENTITIES`` is the reference of sections and fields (docs/ingest-mapping.md explains
the same table for people).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from kamgraph.errors import ConfigError
from kamgraph.ingest.columns import date_format_problem
from kamgraph.schema.model import (
    ATTITUDES,
    DEAL_STATUSES,
    DECISION_ROLES,
    HIERARCHY_TYPES,
    INFLUENCE_LEVELS,
)

MAPPING_VERSION = 1
#: Touchpoint kinds, as the Salesforce reader writes them (Task -> task, Event -> event).
TOUCHPOINT_KINDS = ("task", "event")


class MappingError(ConfigError):
    """A mapping file is unreadable or does not fit the format; the message names the key."""


@dataclass(frozen=True)
class FieldDef:
    """One model field a section may map.

    ``kind`` says how the cell is parsed: ``id``, ``text``, ``date``, ``amount`` (money),
    ``number``, ``boolean``, ``choice`` (one of ``vocab``), ``tier``, ``ref`` (a reference to a
    record of section ``target``) or ``status`` (deal outcome).
    """

    name: str
    kind: str
    help: str
    target: str = ""
    vocab: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class EntityDef:
    """A mapping section: the records it produces and the fields it reads."""

    name: str
    produces: str
    fields: tuple[FieldDef, ...]
    #: Groups of fields of which at least one must be mapped (e.g. a contact needs a name).
    one_of: tuple[tuple[str, ...], ...] = ()

    def field(self, name: str) -> FieldDef | None:
        return next((f for f in self.fields if f.name == name), None)


def _f(name: str, kind: str, help: str, **kw: Any) -> FieldDef:
    return FieldDef(name, kind, help, **kw)


_DELETED = _f("deleted", "boolean", "true marks the record deleted in the CRM (set inactive)")

#: Every section a mapping may have, in load order: a section's references by name may only
#: point at sections loaded before it (or at itself).
ENTITIES: dict[str, EntityDef] = {
    e.name: e
    for e in (
        EntityDef(
            "reps",
            "Rep",
            (
                _f("id", "id", "rep_id: the user's id (or login, or name)", required=True),
                _f("name", "text", "name (blank -> the id)"),
                _f("email", "text", "email"),
                _f("job_title", "text", "job_title"),
                _f("tier", "tier", "tier (lower-cased, spaces -> dashes: key-account...)"),
            ),
        ),
        EntityDef(
            "companies",
            "Company; SUBSIDIARY_OF / BRANCH_OF",
            (
                _f("id", "id", "account_id", required=True),
                _f("name", "text", "name and name_key", required=True),
                _f(
                    "parent",
                    "ref",
                    "parent company -> SUBSIDIARY_OF or BRANCH_OF",
                    target="companies",
                ),
                _f(
                    "hierarchy_type",
                    "choice",
                    "hierarchy_type; Branch makes the parent link BRANCH_OF",
                    vocab=HIERARCHY_TYPES,
                ),
                _f("account_type", "text", "account_type"),
                _f("industry", "text", "industry"),
                _f("country", "text", "country"),
                _f("state", "text", "state"),
                _f("region", "text", "region"),
                _f("lei", "text", "lei (Legal Entity Identifier)"),
                _f("duns", "text", "duns (D-U-N-S number)"),
                _f("registration_code", "text", "registration_code"),
                _f("cik", "text", "cik (SEC Central Index Key; Exhibit 21 parents attach by it)"),
                _f("buys_autonomously", "boolean", "buys_autonomously"),
                _DELETED,
            ),
        ),
        EntityDef(
            "contacts",
            "Contact; WORKS_AT, REPORTS_TO",
            (
                _f("id", "id", "contact_id", required=True),
                _f("name", "text", "name (else first_name + last_name)"),
                _f("first_name", "text", "first_name"),
                _f("last_name", "text", "last_name"),
                _f("company", "ref", "employer -> WORKS_AT", target="companies"),
                _f("reports_to", "ref", "manager -> REPORTS_TO", target="contacts"),
                _f("job_title", "text", "job_title (also on WORKS_AT)"),
                _f("department", "text", "department"),
                _f("email", "text", "email"),
                _f("phone", "text", "phone (people-moves)"),
                _f("linkedin_url", "text", "linkedin_url (people-moves)"),
                _f("email_bounced", "boolean", "email_bounced (stale-map, people-moves)"),
                _f("email_bounced_on", "date", "email_bounced_on"),
                _f("attitude", "choice", "attitude", vocab=ATTITUDES),
                _f("influence", "choice", "influence", vocab=INFLUENCE_LEVELS),
                _f("last_verified", "date", "last_verified"),
                _f("owner", "text", "owner_id (kept as text, not linked)"),
                _DELETED,
            ),
            one_of=(("name", "first_name", "last_name"),),
        ),
        EntityDef(
            "products",
            "Product",
            (
                _f("id", "id", "product_id", required=True),
                _f("name", "text", "name", required=True),
                _f("code", "text", "code"),
                _f("family", "text", "family (blank -> '(no family)')"),
            ),
        ),
        EntityDef(
            "deals",
            "Deal; HAS_DEAL, OWNS, LOST_TO",
            (
                _f("id", "id", "deal_id", required=True),
                _f("name", "text", "name (blank -> the id)"),
                _f("company", "ref", "the customer -> HAS_DEAL", target="companies"),
                _f("owner", "ref", "the owning rep -> OWNS", target="reps"),
                _f("stage", "text", "stage (as written in the CRM)"),
                _f("status", "status", "status open / won / lost", required=True),
                _f("amount", "amount", "amount"),
                _f("currency", "text", "currency"),
                _f("created", "date", "created (else the closed date)"),
                _f("closed", "date", "closed when won/lost; expected_close when open"),
                _f("expected_close", "date", "expected_close (overrides closed for open deals)"),
                _f("lost_to", "text", "lost_to_name -> Competitor + LOST_TO"),
                _f("contract_end", "date", "contract_end (displacement-calendar)"),
                _f("contract_term_months", "number", "contract_term_months"),
                _DELETED,
            ),
            one_of=(("created", "closed"),),
        ),
        EntityDef(
            "line_items",
            "INCLUDES (Deal -> Product)",
            (
                _f("deal", "ref", "the deal", target="deals", required=True),
                _f("product", "ref", "the product", target="products", required=True),
                _f("id", "id", "line_id"),
                _f("quantity", "number", "quantity"),
                _f("unit_price", "amount", "unit_price"),
                _f("total", "amount", "total"),
            ),
        ),
        EntityDef(
            "competitors",
            "Competitor; AGAINST (Deal -> Competitor)",
            (
                _f("name", "text", "name (competitor_id is its name key)", required=True),
                _f("deal", "ref", "a deal the competitor was in -> AGAINST", target="deals"),
            ),
        ),
        EntityDef(
            "contact_roles",
            "ROLE_IN (Contact -> Deal)",
            (
                _f("contact", "ref", "the contact", target="contacts", required=True),
                _f("deal", "ref", "the deal", target="deals", required=True),
                _f("role", "choice", "role (blank -> Other)", vocab=DECISION_ROLES),
                _f("is_primary", "boolean", "is_primary"),
            ),
        ),
        EntityDef(
            "team_members",
            "ON_TEAM (Rep -> Company)",
            (
                _f("rep", "ref", "the rep", target="reps", required=True),
                _f("company", "ref", "the account", target="companies", required=True),
                _f("team_role", "text", "team_role"),
                _f("tier", "tier", "tier"),
            ),
        ),
        EntityDef(
            "activities",
            "Touchpoint; LOGGED, WITH, CONCERNS",
            (
                _f("id", "id", "touchpoint_id", required=True),
                _f("date", "date", "date (a touchpoint needs its date)", required=True),
                _f(
                    "kind",
                    "choice",
                    "kind: task or event (blank -> task)",
                    vocab=TOUCHPOINT_KINDS,
                ),
                _f("rep", "ref", "the rep who had it -> LOGGED", target="reps"),
                _f("contact", "ref", "the contact met -> WITH", target="contacts"),
                _f("company", "ref", "the account it was about -> CONCERNS", target="companies"),
                _f("deal", "ref", "the deal it was about -> CONCERNS", target="deals"),
                _f("activity_type", "text", "activity_type (call, e-mail, meeting...)"),
                _f("subject", "text", "subject"),
                _f("status", "text", "status"),
            ),
        ),
    )
}

_TOP_KEYS = ("version", "system", "id_prefix", "encoding", "date_format")
#: The system a mapping without ``system`` stands for (records stored as source "csv").
DEFAULT_SYSTEM = "csv"
_SPEC_KEYS = ("column", "value", "values", "by", "required", "format")
_STATUS_KEYS = ("column", "won", "lost", "open", "default")


@dataclass(frozen=True)
class ColumnSpec:
    """Where one model field's value comes from: a CSV column or a constant ``value``.

    ``values`` translates cell values (keys case-folded) before parsing; ``by`` says how a
    reference is matched (``id`` or ``name``); ``fmt`` is a strptime format for dates.
    """

    key: str
    column: str | None = None
    value: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)
    by: str = "id"
    required: bool = False
    fmt: str | None = None

    @property
    def label(self) -> str:
        """How rejects name the field: the CSV column, or the mapping key for a constant."""
        return self.column if self.column is not None else self.key


@dataclass(frozen=True)
class StatusSpec:
    """Deal outcome: the stage column and which of its values mean won, lost or open."""

    key: str
    column: str
    outcomes: Mapping[str, str]
    default: str | None = None


@dataclass(frozen=True)
class Section:
    """One mapped section: the files it reads and its field specs."""

    entity: EntityDef
    files: tuple[str, ...]
    fields: Mapping[str, ColumnSpec]
    status: StatusSpec | None = None

    @property
    def name(self) -> str:
        return self.entity.name

    def columns(self) -> list[tuple[str, str]]:
        """Every (mapping key, CSV column) the section reads."""
        found = [(s.key, s.column) for s in self.fields.values() if s.column is not None]
        if self.status is not None:
            found.append((self.status.key, self.status.column))
        return found


@dataclass(frozen=True)
class CrmMapping:
    """A validated mapping file."""

    path: Path
    sections: Mapping[str, Section]
    id_prefix: str = ""
    encoding: str | None = None
    date_format: str | None = None
    #: The CRM the export comes from (``system = "maven-crm"``): a ``--full`` run only makes
    #: this system's records inactive, and end rules only end this system's links.
    system: str = DEFAULT_SYSTEM


def load_mapping(path: Path) -> CrmMapping:
    """Read and validate a ``.toml``, ``.yaml`` or ``.yml`` mapping file."""
    return parse_mapping(_read(path), path)


def _read(path: Path) -> dict[str, Any]:
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".yaml", ".yml"):
        raise MappingError(f"{path}: a mapping file must end in .toml, .yaml or .yml")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MappingError(f"{path}: mapping file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise MappingError(f"{path}: cannot read the mapping file: {e}") from e
    if suffix == ".toml":
        try:
            data: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise MappingError(f"{path}: not valid TOML: {e}") from e
    else:
        try:
            import yaml
        except ImportError:  # pragma: no cover - pyyaml is a dependency
            raise MappingError(
                f"{path}: reading YAML needs PyYAML (pip install pyyaml); or write the "
                "mapping as TOML"
            ) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise MappingError(f"{path}: not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise MappingError(f"{path}: the mapping must be a table of sections (companies, deals...)")
    return data


def parse_mapping(data: Mapping[str, Any], path: Path) -> CrmMapping:
    """Validate already-parsed mapping data (``path`` is only used in messages)."""
    p = _Problems(path)
    unknown = [k for k in data if k not in ENTITIES and k not in _TOP_KEYS]
    if unknown:
        p.fail(
            str(unknown[0]),
            f"unknown section or option {unknown[0]!r}; sections: {', '.join(ENTITIES)}; "
            f"options: {', '.join(_TOP_KEYS)}",
        )
    version = data.get("version", MAPPING_VERSION)
    if version != MAPPING_VERSION or isinstance(version, bool):
        p.fail("version", f"version {version!r} is not supported; write version = 1")
    id_prefix = p.string(data.get("id_prefix", ""), "id_prefix", allow_empty=True)
    system = p.string(data.get("system", DEFAULT_SYSTEM), "system").strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", system):
        p.fail(
            "system",
            f"{system!r} is not a system name; use letters, digits, . _ - (e.g. maven-crm)",
        )
    encoding = p.optional_string(data.get("encoding"), "encoding")
    date_format = p.optional_string(data.get("date_format"), "date_format")
    if date_format:
        _check_date_format(p, date_format, "date_format")
    sections: dict[str, Section] = {}
    for name, entity in ENTITIES.items():
        if name in data:
            sections[name] = _section(p, entity, data[name])
    if not sections:
        p.fail("", f"no sections; map at least one of: {', '.join(ENTITIES)}")
    for section in sections.values():
        for fname, spec in section.fields.items():
            fdef = section.entity.field(fname)
            if fdef is None or fdef.kind != "ref" or spec.by != "name":
                continue
            target = sections.get(fdef.target)
            if target is None:
                p.fail(
                    spec.key,
                    f"refers to {fdef.target} by name, but the mapping has no [{fdef.target}] "
                    f'section to find names in; add it or use by = "id"',
                )
            elif not _has_name(target):
                p.fail(
                    spec.key,
                    f"refers to {fdef.target} by name, but [{fdef.target}] maps no name",
                )
    return CrmMapping(path, sections, id_prefix, encoding, date_format, system)


def _has_name(section: Section) -> bool:
    return any(k in section.fields for k in ("name", "first_name", "last_name"))


def _section(p: _Problems, entity: EntityDef, raw: Any) -> Section:
    where = entity.name
    if not isinstance(raw, dict):
        p.fail(where, f"[{where}] must be a table of field = column entries")
    files = _files(p, raw.get("file"), f"{where}.file")
    fields: dict[str, ColumnSpec] = {}
    status: StatusSpec | None = None
    known = [f.name for f in entity.fields]
    for key, value in raw.items():
        if key == "file":
            continue
        fdef = entity.field(str(key))
        if fdef is None:
            p.fail(
                f"{where}.{key}",
                f"{key!r} is not a model field of [{where}]; fields: file, {', '.join(known)}",
            )
        if fdef.kind == "status":
            continue
        fields[fdef.name] = _spec(p, fdef, value, f"{where}.{key}")
    for fdef in entity.fields:
        if fdef.required and fdef.name not in raw:
            p.fail(
                f"{where}.{fdef.name}",
                f"[{where}] needs {fdef.name!r} (the column that holds its {fdef.help})",
            )
    for group in entity.one_of:
        if not any(g in raw for g in group):
            p.fail(where, f"[{where}] needs at least one of: {', '.join(group)}")
    if "status" in raw:
        status = _status(p, raw["status"], fields.get("stage"), f"{where}.status")
    return Section(entity, files, fields, status)


def _files(p: _Problems, raw: Any, key: str) -> tuple[str, ...]:
    if raw is None:
        p.fail(key, 'missing: name the CSV file of this section, e.g. file = "accounts.csv"')
    items = raw if isinstance(raw, list) else [raw]
    files = tuple(p.string(item, key) for item in items)
    if not files:
        p.fail(key, "is an empty list; name at least one CSV file")
    return files


def _spec(p: _Problems, fdef: FieldDef, raw: Any, key: str) -> ColumnSpec:
    if not isinstance(raw, dict):
        return ColumnSpec(key, column=p.string(raw, key))
    unknown = [k for k in raw if k not in _SPEC_KEYS]
    if unknown:
        p.fail(f"{key}.{unknown[0]}", f"unknown option; use {', '.join(_SPEC_KEYS)}")
    if ("column" in raw) == ("value" in raw):
        p.fail(key, 'give exactly one of column = "CSV column" or value = "constant"')
    column = p.string(raw["column"], f"{key}.column") if "column" in raw else None
    value = p.string(raw["value"], f"{key}.value", allow_empty=True) if "value" in raw else None
    values = _values(p, raw.get("values", {}), f"{key}.values")
    by = p.string(raw.get("by", "id"), f"{key}.by")
    if by not in ("id", "name"):
        p.fail(f"{key}.by", f"{by!r} is not id or name")
    if "by" in raw and fdef.kind != "ref":
        p.fail(f"{key}.by", f"only references take 'by'; {fdef.name} is not a reference")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        p.fail(f"{key}.required", "must be true or false")
    fmt = p.optional_string(raw.get("format"), f"{key}.format")
    if fmt is not None:
        if fdef.kind != "date":
            p.fail(f"{key}.format", f"only dates take 'format'; {fdef.name} is not a date")
        _check_date_format(p, fmt, f"{key}.format")
    return ColumnSpec(key, column, value, values, by, required, fmt)


def _status(p: _Problems, raw: Any, stage: ColumnSpec | None, key: str) -> StatusSpec:
    plain = {s: s for s in DEAL_STATUSES}
    if not isinstance(raw, dict):
        return StatusSpec(key, p.string(raw, key), plain)
    unknown = [k for k in raw if k not in _STATUS_KEYS]
    if unknown:
        p.fail(f"{key}.{unknown[0]}", f"unknown option; use {', '.join(_STATUS_KEYS)}")
    if "column" in raw:
        column = p.string(raw["column"], f"{key}.column")
    elif stage is not None and stage.column is not None:
        column = stage.column
    else:
        p.fail(f"{key}.column", "missing: name the stage column (or map stage to a column)")
    outcomes: dict[str, str] = {}
    for outcome in DEAL_STATUSES:
        listed = raw.get(outcome, [])
        for value in listed if isinstance(listed, list) else [listed]:
            text = p.string(value, f"{key}.{outcome}").casefold()
            if text in outcomes and outcomes[text] != outcome:
                p.fail(
                    f"{key}.{outcome}",
                    f"{value!r} is listed as both {outcomes[text]} and {outcome}",
                )
            outcomes[text] = outcome
    if not any(o in raw for o in DEAL_STATUSES):
        outcomes = plain
    default = p.optional_string(raw.get("default"), f"{key}.default")
    if default is not None and default not in DEAL_STATUSES:
        p.fail(f"{key}.default", f"{default!r} is not one of {', '.join(DEAL_STATUSES)}")
    return StatusSpec(key, column, outcomes, default)


def _values(p: _Problems, raw: Any, key: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        p.fail(key, "must be a table of 'value in the CSV' = 'value to use'")
    return {
        p.string(k, key).casefold(): p.string(v, f"{key}.{k}", allow_empty=True)
        for k, v in raw.items()
    }


def _check_date_format(p: _Problems, fmt: str, key: str) -> None:
    problem = date_format_problem(fmt)
    if problem:
        p.fail(key, problem)


class _Problems:
    """Raises MappingError naming the mapping file and the key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, message: str) -> NoReturn:
        where = f" [{key}]" if key else ""
        raise MappingError(f"{self.path}{where}: {message}")

    def string(self, value: Any, key: str, *, allow_empty: bool = False) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(
                key, f"{value!r} is not text; quote it (YAML reads yes/no/on/off as true/false)"
            )
        text = str(value)
        if not text.strip() and not allow_empty:
            self.fail(key, "is empty")
        return text

    def optional_string(self, value: Any, key: str) -> str | None:
        return None if value is None else self.string(value, key)
