"""The one registry of Cypher files: ``cypher/<area>/<name>.cypher``, loaded by name.

Each file starts with a comment header::

    // name: procurement-links
    // purpose: HQ-to-branch buying waves per group and product family.
    // params: group_id=null, min_members=3, window_days=90, as_of=@today
    // columns: group_id, group_name, product_family, ...
    // python: waves_only            (optional: parameters only the Python finishing step reads)
    // Free text after the header lines documents the query.

A parameter without ``=default`` is required. Defaults are JSON literals, or ``@today``
(the run date, ISO) and ``@now`` (the run timestamp, ISO). Every ``$param`` the body uses must
be declared, and every declared parameter used: the file is refused at load time otherwise.

A rule several queries share (such as "employed on a date") lives once, as a named fragment in
``cypher/fragments/<name>.cypher``::

    // fragment: in-force
    // purpose: A dated link holds on a day.
    // args: r, day
    (coalesce(r.since, '0000') <= day AND ...)

A query lists the fragments it uses in a ``// fragments: in-force`` header line and calls them
as ``@in-force(w, $as_of)``; the registry splices the fragment's text in at load time, with
each argument name replaced by the caller's expression, so both engines receive plain Cypher.
Unknown, undeclared or unused fragments and a wrong number of arguments are refused at load.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kamgraph.dates import iso_day
from kamgraph.errors import CypherRegistryError, InputDataError, InvalidValueError, QueryError

_HEADER = re.compile(r"^//\s*(name|purpose|params|columns|python|fragments)\s*:\s*(.*?)\s*$")
_FRAGMENT_HEADER = re.compile(r"^//\s*(fragment|purpose|args|fragments)\s*:\s*(.*?)\s*$")
_FRAGMENT_CALL = re.compile(r"@([a-z][a-z0-9-]*)\(")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Folder of cypher/ that holds fragments, not queries.
FRAGMENTS = "fragments"
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_DYNAMIC = ("@today", "@now")
#: The area of queries from the user's own folders (the query path setting).
USER_AREA = "user"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" for the closest of ``choices``, or "" when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True)
class Param:
    """A declared query parameter; ``default`` is used when the caller leaves it out."""

    name: str
    required: bool
    default: Any = None

    def describe(self) -> str:
        if self.required:
            return self.name
        if self.default in _DYNAMIC:
            return f"{self.name}={self.default}"
        return f"{self.name}={json.dumps(self.default, ensure_ascii=False)}"


@dataclass(frozen=True)
class CypherQuery:
    """One query file: its name, area, documentation, parameters and text."""

    name: str
    area: str
    purpose: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    doc: str
    text: str
    path: Path
    fragments: tuple[str, ...] = ()
    #: Parameters only the Python finishing step reads (the ``// python:`` header line).
    python: tuple[str, ...] = ()

    def describe(self) -> str:
        """What ``kamgraph query NAME --help`` prints: purpose, documentation, parameters
        (required ones marked), columns and the file."""
        params = [
            f"  {p.describe()}" + ("   (required)" if p.required else "") for p in self.params
        ]
        lines = [f"{self.name}: {self.purpose}", ""]
        if self.doc:
            lines += [self.doc, ""]
        lines += ["Parameters (--param NAME=VALUE):", *(params or ["  none"]), ""]
        lines += [f"Columns: {', '.join(self.columns)}", f"File: {self.path}"]
        return "\n".join(lines) + "\n"

    def bind(self, given: Mapping[str, Any], *, today: dt.date | None = None) -> dict[str, Any]:
        """Check ``given`` against the declaration; fill defaults; coerce CLI strings."""
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            hint = did_you_mean(unknown[0], declared) if len(unknown) == 1 else ""
            raise InvalidValueError(
                f"query {self.name!r} has no parameter {', '.join(unknown)}{hint}; "
                f"it takes: {', '.join(p.describe() for p in self.params) or 'no parameters'}"
            )
        bound: dict[str, Any] = {}
        run_date = today or dt.date.today()
        for p in self.params:
            if p.name in given:
                bound[p.name] = _coerce(self.name, p, given[p.name])
            elif p.required:
                raise InvalidValueError(
                    f"query {self.name!r} needs parameter {p.name} "
                    f"(parameters: {', '.join(q.describe() for q in self.params)})"
                )
            elif p.default == "@today":
                bound[p.name] = run_date.isoformat()
            elif p.default == "@now":
                bound[p.name] = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
            else:
                bound[p.name] = p.default
        return bound


def _coerce(query: str, param: Param, value: Any) -> Any:
    """CLI values arrive as strings: give them the type of the default, or JSON for lists."""
    if not isinstance(value, str):
        return value
    default = param.default
    try:
        if isinstance(default, bool):
            if value.lower() in ("true", "1", "yes"):
                return True
            if value.lower() in ("false", "0", "no"):
                return False
            raise ValueError(value)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, list):
            return json.loads(value) if value.startswith("[") else value.split(",")
    except ValueError as e:
        kind = type(default).__name__
        raise InvalidValueError(
            f"query {query!r}: parameter {param.name}={value!r} is not a valid {kind}"
        ) from e
    if param.default in _DYNAMIC:
        try:
            iso_day(value)
        except InvalidValueError as e:
            raise InvalidValueError(f"query {query!r}: parameter {param.name}={e}") from None
    if value.lower() == "null":
        return None
    return value


@dataclass(frozen=True)
class Fragment:
    """A named piece of Cypher (a shared rule) spliced into queries as ``@name(arg, ...)``."""

    name: str
    purpose: str
    args: tuple[str, ...]
    text: str
    path: Path

    def expand(self, values: list[str], where: str) -> str:
        """The fragment's text with each argument name replaced by the caller's expression."""
        if len(values) != len(self.args):
            raise CypherRegistryError(
                f"{where}: @{self.name} takes {len(self.args)} argument(s) "
                f"({', '.join(self.args)}), given {len(values)}"
            )
        by_name = dict(zip(self.args, values, strict=True))
        pattern = re.compile(r"(?<![\w.$])(" + "|".join(map(re.escape, self.args)) + r")(?!\w)")
        return _outside_strings(
            self.text, lambda part: pattern.sub(lambda m: by_name[m.group(1)], part)
        )


def _outside_strings(text: str, change: Any) -> str:
    """Apply ``change`` to the parts of ``text`` that are not string literals or comments."""
    out: list[str] = []
    last = 0
    for m in re.finditer(r"//[^\n]*|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", text):
        out.append(change(text[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(change(text[last:]))
    return "".join(out)


def parse_fragment(path: Path) -> Fragment:
    """Parse one ``cypher/fragments/*.cypher`` file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    fields: dict[str, str] = {}
    body: list[str] = []
    for line in lines:
        m = _FRAGMENT_HEADER.match(line)
        if m and not body:
            fields[m.group(1)] = m.group(2)
        elif not line.startswith("//") and line.strip():
            body.append(line)
    where = f"{path}:1"
    for key in ("fragment", "purpose", "args"):
        if key not in fields:
            raise CypherRegistryError(f"{where}: header line '// {key}: ...' is missing")
    name = fields["fragment"]
    if not _NAME.match(name):
        raise CypherRegistryError(f"{where}: fragment name {name!r} must be lower-case-with-dashes")
    args = tuple(_split(fields["args"]))
    bad = [a for a in args if not _IDENT.match(a)]
    if bad or not args:
        raise CypherRegistryError(f"{where}: fragment {name!r} needs argument names, got {bad}")
    text = "\n".join(body).strip()
    if not text:
        raise CypherRegistryError(f"{where}: fragment {name!r} has no Cypher after its header")
    stripped = strip_strings(text)
    unused = [a for a in args if not re.search(r"(?<![\w.$])" + re.escape(a) + r"(?!\w)", stripped)]
    if unused:
        raise CypherRegistryError(
            f"{where}: fragment {name!r} never uses its argument(s) {', '.join(unused)}"
        )
    if "$" in stripped:
        raise CypherRegistryError(
            f"{where}: fragment {name!r} uses a $parameter; pass it in as an argument"
        )
    return Fragment(name=name, purpose=fields["purpose"], args=args, text=text, path=path)


def _call_args(text: str, start: int, where: str) -> tuple[list[str], int]:
    """The arguments of a call whose '(' is at ``start``, and the index after its ')'."""
    depth, args, current, i = 0, [], [], start
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            end = text.index(ch, i + 1) if ch in text[i + 1 :] else len(text)
            current.append(text[i : end + 1])
            i = end + 1
            continue
        if ch in "([{":
            depth += 1
            if depth > 1:
                current.append(ch)
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                args.append("".join(current).strip())
                return [a for a in args if a], i + 1
            current.append(ch)
        elif ch == "," and depth == 1:
            args.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    raise CypherRegistryError(f"{where}: a fragment call is missing its closing ')'")


def splice(
    text: str, fragments: Mapping[str, Fragment], where: str, _seen: tuple[str, ...] = ()
) -> tuple[str, set[str]]:
    """``text`` with every ``@name(...)`` call replaced by its fragment; the names used."""
    used: set[str] = set()

    def expand(part: str) -> str:
        out, last = [], 0
        for m in _FRAGMENT_CALL.finditer(part):
            if m.start() < last:
                continue
            name = m.group(1)
            if name not in fragments:
                known = ", ".join(sorted(fragments)) or "none"
                raise CypherRegistryError(
                    f"{where}: unknown fragment @{name}; cypher/{FRAGMENTS}/ has: {known}"
                )
            if name in _seen:
                raise CypherRegistryError(f"{where}: fragment @{name} calls itself")
            args, end = _call_args(part, m.end() - 1, where)
            fragment = fragments[name]
            inner, nested = splice(
                fragment.expand(args, where), fragments, f"{fragment.path}:1", (*_seen, name)
            )
            used.add(name)
            used.update(nested)
            out.append(part[last : m.start()])
            out.append(inner)
            last = end
        out.append(part[last:])
        return "".join(out)

    return _outside_strings(text, expand), used


def parse_file(
    path: Path, area: str, fragments: Mapping[str, Fragment] | None = None
) -> CypherQuery:
    """Parse one ``.cypher`` file, checking its header, fragments and parameter use."""
    lines = path.read_text(encoding="utf-8").splitlines()
    fields: dict[str, str] = {}
    doc: list[str] = []
    body_start = len(lines)
    for i, line in enumerate(lines):
        m = _HEADER.match(line)
        if m and not doc:
            fields[m.group(1)] = m.group(2)
        elif line.startswith("//"):
            doc.append(line[2:].strip())
        elif line.strip():
            body_start = i
            break
    where = f"{path}:1"
    for key in ("name", "purpose", "params", "columns"):
        if key not in fields:
            raise CypherRegistryError(f"{where}: header line '// {key}: ...' is missing")
    name = fields["name"]
    if not _NAME.match(name):
        raise CypherRegistryError(f"{where}: query name {name!r} must be lower-case-with-dashes")
    params = tuple(_parse_param(path, p) for p in _split(fields["params"]))
    text = "\n".join(lines[body_start:]).strip()
    if not text:
        raise CypherRegistryError(f"{where}: query {name!r} has no Cypher after its header")
    declared_fragments = tuple(_split(fields.get("fragments", "")))
    missing = [f for f in declared_fragments if f not in (fragments or {})]
    if missing:
        raise CypherRegistryError(
            f"{where}: query {name!r} declares unknown fragment(s) {', '.join(missing)}"
        )
    text, _ = splice(text, fragments or {}, where)
    direct = {
        m.group(1) for m in _FRAGMENT_CALL.finditer(strip_strings("\n".join(lines[body_start:])))
    }
    if direct - set(declared_fragments):
        raise CypherRegistryError(
            f"{where}: query {name!r} calls @{', @'.join(sorted(direct - set(declared_fragments)))}"
            " without declaring it; add it to '// fragments:'"
        )
    if set(declared_fragments) - direct:
        raise CypherRegistryError(
            f"{where}: query {name!r} declares fragment(s) it never calls: "
            f"{', '.join(sorted(set(declared_fragments) - direct))}"
        )
    used = set(_PARAM_USE.findall(strip_strings(text))) | set(_split(fields.get("python", "")))
    declared = {p.name for p in params}
    if used - declared:
        raise CypherRegistryError(
            f"{where}: query {name!r} uses undeclared parameter(s) "
            f"{', '.join('$' + u for u in sorted(used - declared))}; add them to '// params:'"
        )
    if declared - used:
        raise CypherRegistryError(
            f"{where}: query {name!r} declares unused parameter(s) "
            f"{', '.join(sorted(declared - used))}"
        )
    return CypherQuery(
        name=name,
        area=area,
        purpose=fields["purpose"],
        params=params,
        columns=tuple(_split(fields["columns"])),
        doc="\n".join(doc).strip(),
        text=text,
        path=path,
        fragments=declared_fragments,
        python=tuple(_split(fields.get("python", ""))),
    )


def query_file(path: Path) -> CypherQuery | str:
    """A user's ``.cypher`` file: with a header, the checked query; without one, its text."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputDataError(f"cannot read the query file {path}: {e}") from e
    if re.match(r"\s*//\s*name\s*:", text):
        return parse_file(path, USER_AREA)
    return text


def strip_strings(text: str) -> str:
    """Remove string literals and comments so a '$' inside them is not read as a parameter."""
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", text)


def _split(value: str) -> list[str]:
    value = value.strip()
    if value in ("", "-", "none"):
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


def _parse_param(path: Path, spec: str) -> Param:
    if "=" not in spec:
        return Param(spec, required=True)
    name, raw = (s.strip() for s in spec.split("=", 1))
    if raw in _DYNAMIC:
        return Param(name, required=False, default=raw)
    try:
        default = json.loads(raw.replace("'", '"'))
    except json.JSONDecodeError as e:
        raise CypherRegistryError(
            f"{path}:1: default of parameter {name!r} is not a JSON literal: {raw!r}"
        ) from e
    return Param(name, required=False, default=default)


class Registry:
    """All queries under one or more roots, by name; duplicates are refused."""

    def __init__(self, queries: Iterable[CypherQuery]) -> None:
        self._queries: dict[str, CypherQuery] = {}
        for q in queries:
            if q.name in self._queries:
                first = self._queries[q.name]
                raise CypherRegistryError(
                    f"{q.path}:1: query name {q.name!r} is already defined in {first.path}:1; "
                    "rename one of them"
                )
            self._queries[q.name] = q

    @classmethod
    def load(cls, root: Path, user_folders: Sequence[Path] = ()) -> Registry:
        """The queries under ``root/<area>/``, plus every ``.cypher`` file in ``user_folders``
        (area ``user``; checked the same way, and a name taken twice is refused)."""
        fragments = load_fragments(root)
        files = [
            (f, f.parent.name)
            for f in sorted(root.glob("*/*.cypher"))
            if f.parent.name != FRAGMENTS
        ]
        for folder in user_folders:
            if not folder.is_dir():
                raise CypherRegistryError(
                    f"{folder}: this query folder (the query path setting) is not a folder"
                )
            files += [(f, USER_AREA) for f in sorted(folder.rglob("*.cypher"))]
        return cls(parse_file(f, area, fragments) for f, area in files)

    def get(self, name: str) -> CypherQuery:
        try:
            return self._queries[name]
        except KeyError:
            hint = did_you_mean(name, self._queries)
            raise QueryError(f"no query named {name!r}{hint}") from None

    def names(self, area: str | None = None) -> list[str]:
        return sorted(n for n, q in self._queries.items() if area is None or q.area == area)

    def __iter__(self) -> Any:
        return iter(self._queries[n] for n in sorted(self._queries))

    def __contains__(self, name: object) -> bool:
        return name in self._queries


def load_fragments(root: Path) -> dict[str, Fragment]:
    """The fragments under ``root/fragments/``, by name; duplicates are refused."""
    found: dict[str, Fragment] = {}
    for path in sorted((root / FRAGMENTS).glob("*.cypher")):
        fragment = parse_fragment(path)
        if fragment.name in found:
            raise CypherRegistryError(
                f"{path}:1: fragment {fragment.name!r} is already defined in "
                f"{found[fragment.name].path}:1"
            )
        found[fragment.name] = fragment
    return found


def cypher_root() -> Path:
    """``cypher/`` beside the package in a checkout, or the copy packed into a wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "cypher", here / "_cypher"):
        if candidate.is_dir():
            return candidate
    raise CypherRegistryError(f"cannot find the cypher/ folder near {here}; reinstall kamgraph")


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry over the project's own ``cypher/`` folder, loaded once."""
    return Registry.load(cypher_root())


def registry_with(user_folders: tuple[Path, ...]) -> Registry:
    """The project's queries plus those of the user's folders (none: the default registry).

    Loaded afresh each call, so an edited user query is read as it is now."""
    if not user_folders:
        return default_registry()
    return Registry.load(cypher_root(), user_folders)
