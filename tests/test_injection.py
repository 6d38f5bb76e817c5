"""Cypher injection: query text only ever comes from the static files under cypher/ (through the
registry) or from the schema layer's whitelisted identifiers; values travel as $parameters.

The static part parses every module under kamgraph/ and follows the first argument of every
call that hands text to a graph store back to where it was made. The dynamic part sends
Cypher-looking parameters through the CLI's query and map commands on both backends.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamgraph import queries
from kamgraph.backends.base import Backend
from kamgraph.cli import app
from kamgraph.dump import canonical_dump
from kamgraph.errors import ConfigError, NotFoundError
from kamgraph.ingest.pipeline import ingest
from kamgraph.maps import build_group_map
from kamgraph.queries.registry import FRAGMENTS, cypher_root, default_registry
from kamgraph.schema import apply_schema
from kamgraph.schema.apply import INDEXED, schema_statements
from kamgraph.schema.model import NODE_KEYS

from .conftest import SF_SMALL

PACKAGE = Path(__file__).resolve().parents[1] / "kamgraph"

#: Methods (``x.name(...)``) that hand query text to a store: the Backend protocol, kglite's
#: graph, the neo4j driver.
SINKS = {"read", "read_only", "write", "run_schema", "cypher", "execute_query"}
#: Calls whose result is registry text (``statement(name).text``, ``registry.get(name).text``).
REGISTRY_CALLS = {"statement", "get"}
#: The one place allowed to build DDL text, from whitelisted identifiers only.
SCHEMA_MODULE = PACKAGE / "schema" / "apply.py"
SCHEMA_BUILDER = "schema_statements"
BACKENDS = PACKAGE / "backends"
#: ``kamgraph cypher``: the user's own statement reaches the store as typed (never built from
#: data), only from a function that first calls the read-only check on it.
ADHOC_MODULE = PACKAGE / "queries" / "adhoc.py"
ADHOC_CHECK = "check_read_only"
#: Modules that write files, not queries: their ``.write`` is a file's; they import no store.
FILE_WRITERS = (PACKAGE / "files.py",)


@dataclass(frozen=True)
class Finding:
    """A call that hands a store query text of unknown or dynamic origin."""

    file: str
    line: int
    call: str
    why: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.call}(...) gets query text {self.why}"


class _Checker:
    """Follows the first argument of each sink call back through local assignments."""

    def __init__(self, tree: ast.Module, path: Path) -> None:
        self.tree = tree
        self.path = path
        self.module_assigns = _assignments(tree.body)

    def findings(self) -> Iterator[Finding]:
        for func, call in _sink_calls(self.tree):
            if not call.args or _is_byte_count(call.args[0]):
                continue  # file.read(n): not a query
            why = self._unsafe(call.args[0], func, depth=0)
            if why:
                name = call.func.attr if isinstance(call.func, ast.Attribute) else "call"
                rel = self.path.relative_to(PACKAGE.parent)
                yield Finding(str(rel), call.lineno, name, why)

    def _unsafe(
        self, expr: ast.expr, func: ast.FunctionDef | ast.AsyncFunctionDef | None, depth: int
    ) -> str | None:
        """None when ``expr`` is registry text, a literal or whitelisted DDL; else why not."""
        if depth > 8:
            return "through too many assignments to follow"
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return None
        if isinstance(expr, ast.JoinedStr):
            return "built with an f-string"
        if isinstance(expr, ast.BinOp):
            return "built with an operator (+ or %)"
        if isinstance(expr, ast.Call):
            callee = _callee(expr)
            if callee in ("format", "join", "replace", "format_map"):
                return f"built with .{callee}()"
            if callee == "Query" and expr.args:  # neo4j.Query(text): a wrapper
                return self._unsafe(expr.args[0], func, depth + 1)
            if callee == SCHEMA_BUILDER and self.path == SCHEMA_MODULE:
                return None
            return f"returned by {callee or 'a call'}()"
        if isinstance(expr, ast.Attribute) and expr.attr == "text":
            return self._registry_object(expr.value, func, depth)
        if isinstance(expr, ast.Name):
            return self._name(expr.id, func, depth)
        return f"from a {type(expr).__name__} expression"

    def _registry_object(
        self, expr: ast.expr, func: ast.FunctionDef | ast.AsyncFunctionDef | None, depth: int
    ) -> str | None:
        if isinstance(expr, ast.Call) and _callee(expr) in REGISTRY_CALLS:
            return None
        if isinstance(expr, ast.Name):
            values = self._values_of(expr.id, func)
            if values and all(
                isinstance(v, ast.Call) and _callee(v) in REGISTRY_CALLS for v in values
            ):
                return None
            if func is not None and _annotation(func, expr.id) == "CypherQuery":
                return None
        return "from a .text that is not a registry query"

    def _name(
        self, name: str, func: ast.FunctionDef | ast.AsyncFunctionDef | None, depth: int
    ) -> str | None:
        if func is not None and name in _parameters(func):
            if self.path.parent == BACKENDS:
                return None  # the backend passes its caller's query through; callers are checked
            if self.path == ADHOC_MODULE and _checks_first(func, name):
                return None
            return f"from the parameter {name!r} (callers cannot be followed)"
        values = self._values_of(name, func)
        if not values:
            return f"from {name!r}, whose origin is unknown"
        for value in values:
            if value is None:
                return f"from {name!r}, changed in place (+= or a loop)"
            why = self._unsafe(value, func, depth + 1)
            if why:
                return why
        return None

    def _values_of(
        self, name: str, func: ast.FunctionDef | ast.AsyncFunctionDef | None
    ) -> list[ast.expr | None]:
        local = _assignments(func.body) if func is not None else {}
        return local.get(name) or self.module_assigns.get(name) or []


def _sink_calls(
    tree: ast.Module,
) -> Iterator[tuple[ast.FunctionDef | ast.AsyncFunctionDef | None, ast.Call]]:
    def visit(
        node: ast.AST, func: ast.FunctionDef | ast.AsyncFunctionDef | None
    ) -> Iterator[tuple[ast.FunctionDef | ast.AsyncFunctionDef | None, ast.Call]]:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else func
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr in SINKS
            ):
                yield func, child
            yield from visit(child, inner)

    yield from visit(tree, None)


def _callee(call: ast.Call) -> str:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return ""


def _is_byte_count(expr: ast.expr) -> bool:
    """``fh.read(4096)``, ``fh.read(256 * 1024)``, ``fh.read(_SNIFF_BYTES)``."""
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, int)
    if isinstance(expr, ast.BinOp):
        return _is_byte_count(expr.left) and _is_byte_count(expr.right)
    return isinstance(expr, ast.Name) and expr.id.lstrip("_").isupper()


def _parameters(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    a = func.args
    return {x.arg for x in [*a.posonlyargs, *a.args, *a.kwonlyargs]}


def _annotation(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> str:
    for arg in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]:
        if arg.arg == name and arg.annotation is not None:
            return ast.unparse(arg.annotation)
    return ""


def _assignments(body: list[ast.stmt]) -> dict[str, list[ast.expr | None]]:
    """Every value bound to each name in ``body`` (None: changed by += or of unknown origin).

    A loop variable stands for the elements of what it iterates: a literal list's items, or
    the call the iterated name was bound to (``for s in schema_statements(...)``).
    """
    found: dict[str, list[ast.expr | None]] = {}
    loops: list[ast.For | ast.comprehension] = []
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and isinstance(
                node.target, ast.Name
            ):
                if node.value is not None:
                    found.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                found.setdefault(node.target.id, []).append(None)
            elif isinstance(node, ast.For | ast.comprehension):
                loops.append(node)
    for loop in loops:
        if not isinstance(loop.target, ast.Name):
            continue
        sources: list[ast.expr | None] = [loop.iter]
        if isinstance(loop.iter, ast.Name):
            sources = list(found.get(loop.iter.id, [None]))
        elements: list[ast.expr | None] = []
        for source in sources:
            if isinstance(source, ast.List | ast.Tuple):
                elements.extend(source.elts)
            elif isinstance(source, ast.Call) and _callee(source) == SCHEMA_BUILDER:
                elements.append(source)
            else:
                elements.append(None)
        found.setdefault(loop.target.id, []).extend(elements)
    return found


def scan(source: str, path: Path) -> list[Finding]:
    return list(_Checker(ast.parse(source), path).findings())


def _checks_first(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Whether ``func`` starts by passing ``name`` to the read-only check."""
    first = func.body[1] if isinstance(func.body[0], ast.Expr) and isinstance(
        func.body[0].value, ast.Constant) else func.body[0]  # fmt: skip
    return (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Call)
        and _callee(first.value) == ADHOC_CHECK
        and [ast.unparse(a) for a in first.value.args] == [name]
    )


def package_findings() -> list[Finding]:
    out: list[Finding] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in FILE_WRITERS:
            continue  # checked below: it cannot reach a store
        out.extend(scan(path.read_text(encoding="utf-8"), path))
    return out


def test_file_writers_cannot_reach_a_store() -> None:
    for path in FILE_WRITERS:
        imported = set(_imports_of(ast.parse(path.read_text(encoding="utf-8"))))
        stores = {m for m in imported if m.startswith(("kamgraph.backends", "neo4j", "kglite"))}
        assert not stores, f"{path} writes files; it must not import {stores}"


def _imports_of(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            yield node.module or ""
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


def test_no_query_text_is_built_from_runtime_values() -> None:
    findings = package_findings()
    assert not findings, "query text built at run time:\n" + "\n".join(map(str, findings))


def test_the_checker_catches_what_it_must() -> None:
    """The scan above is only worth something if it flags these."""
    bad = textwrap.dedent(
        """
        def a(backend, name):
            backend.read(f"MATCH (n {{name: '{name}'}}) RETURN n")
        def b(backend, name):
            q = "MATCH (n) WHERE n.name = '" + name + "' RETURN n"
            backend.write(q)
        def c(backend, label):
            backend.read("MATCH (n:{}) RETURN n".format(label))
        def d(backend, label):
            q = statement("x").text
            q += " LIMIT " + label
            backend.read(q)
        def e(graph, name):
            graph.cypher("MATCH (n) WHERE n.name = '%s'" % name)
        def f(driver, rel):
            driver.execute_query(statement("x").text.replace("REL", rel))
        def g(backend, query):
            backend.read(query)
        """
    )
    found = scan(bad, PACKAGE / "ingest" / "example.py")
    assert sorted(f.line for f in found) == [3, 6, 8, 12, 14, 16, 18]
    good = textwrap.dedent(
        """
        def a(backend, name):
            backend.read(statement("company-groups").text, {"name": name})
        def b(backend):
            q = statement("lock-status").text
            backend.write(q, {})
            backend.read("MATCH (n) RETURN count(n) AS n")
        def c(fh):
            return fh.read(64 * 1024)
        """
    )
    assert scan(good, PACKAGE / "ingest" / "example.py") == []


def test_schema_ddl_interpolates_only_checked_model_identifiers() -> None:
    tree = ast.parse(SCHEMA_MODULE.read_text(encoding="utf-8"))
    builder = next(
        n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == SCHEMA_BUILDER
    )
    loops = [n for n in ast.walk(builder) if isinstance(n, ast.For)]
    assert loops, "schema_statements builds its DDL in loops over the model"
    for loop in loops:
        fstrings = [n for n in ast.walk(loop) if isinstance(n, ast.JoinedStr)]
        if not fstrings:
            continue
        checked = {
            ast.unparse(n.args[0])
            for n in ast.walk(loop)
            if isinstance(n, ast.Call) and _callee(n) == "check_label" and n.args
        }
        assert "label" in checked, f"apply.py:{loop.lineno}: label used without check_label()"
        for fs in fstrings:
            for part in fs.values:
                if isinstance(part, ast.FormattedValue):
                    assert ast.unparse(part.value) in {
                        "label",
                        "key",
                        "prop",
                        "name",
                        "label.lower()",
                    }, ast.unparse(part)
    # And what it produces: only model labels and properties, backticked.
    labels = set(NODE_KEYS)
    props = set(NODE_KEYS.values()) | {p for _, p in INDEXED}
    pattern = re.compile(
        r"CREATE (CONSTRAINT|INDEX)( [a-z_]+)? IF NOT EXISTS FOR \(n:`(\w+)`\) "
        r"(REQUIRE |ON \()n\.`(\w+)`\)?( IS UNIQUE)?"
    )
    for kind in ("neo4j", "embedded"):
        for ddl in schema_statements(kind):
            m = pattern.fullmatch(ddl)
            assert m, ddl
            assert m.group(3) in labels and m.group(5) in props, ddl


def test_query_text_comes_only_from_the_registry() -> None:
    """Only the registry reads cypher/ files; the files hold no template placeholders."""
    registry_module = PACKAGE / "queries" / "registry.py"
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == registry_module:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                assert name not in ("cypher_root", "parse_file"), f"{path}: loads cypher itself"
            if isinstance(node, ast.Call) and _callee(node) in ("glob", "rglob", "open"):
                args = " ".join(ast.unparse(a) for a in node.args)
                assert ".cypher" not in args, f"{path}:{node.lineno}: reads cypher files itself"
    placeholder = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\(?[a-z_]*\)?s|\$\{|\{\{|\{\d+\}")
    everything = sorted(cypher_root().glob("*/*.cypher"))
    files = [f for f in everything if f.parent.name != FRAGMENTS]
    assert len(files) == len(list(default_registry())), "every file is a registered query"
    for path in everything:
        body = "\n".join(
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith("//")
        )
        assert not placeholder.search(body), f"{path}: looks like a template"
    for path in files:
        query = default_registry().get(path.stem)
        if not query.fragments:
            assert query.text.strip() in path.read_text(encoding="utf-8")
            continue
        # Named fragments (cypher/fragments/) are the one thing spliced in, at load time: the
        # file calls them, the registry's text holds their Cypher and nothing else differs.
        raw = path.read_text(encoding="utf-8")
        for name in query.fragments:
            assert f"@{name}(" in raw, f"{path}: declares {name} but does not call it"
        assert "@" not in re.sub(r"'[^']*'", "", query.text), f"{path}: unspliced fragment"
        code = "\n".join(ln for ln in raw.splitlines() if not ln.startswith("//"))
        outside = re.sub(r"@[a-z-]+\([^()]*(\([^()]*\))?[^()]*\)", "", code).split()
        assert all(word in query.text for word in outside), f"{path}: text changed beyond fragments"


def test_statement_names_used_in_code_exist() -> None:
    names = set(default_registry().names())
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and _callee(node) == "statement"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                assert node.args[0].value in names, f"{path}:{node.lineno}: {node.args[0].value!r}"


def test_store_drivers_are_imported_only_by_the_backends() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent == BACKENDS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                mods = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                for mod in mods:
                    assert mod.split(".")[0] not in ("kglite", "neo4j"), f"{path}:{node.lineno}"


# -- Cypher-looking parameters at run time -------------------------------------------------

PAYLOADS = [
    "'}) DETACH DELETE n //",
    '" OR 1=1 WITH 1 AS x MATCH (n) DETACH DELETE n //',
    "`) DETACH DELETE n //",
    "$group_id",
    "0017Q0000IbY6btQQC' }) RETURN 1 UNION MATCH (n) DETACH DELETE n //",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_cypher_looking_parameters_match_nothing_and_change_nothing(
    backend: Backend, payload: str
) -> None:
    apply_schema(backend)
    ingest(backend, "salesforce", SF_SMALL)
    before = canonical_dump(backend)
    for query in queries.list_queries():
        declared = {p.name for p in query.params}
        for name in ("group_id", "target", "region", "deal_id"):
            if name in declared:
                try:
                    assert queries.run(backend, query.name, {name: payload}) == [], query.name
                except NotFoundError:
                    pass  # "no company with id ...": as good as no rows
    with pytest.raises(NotFoundError):
        build_group_map(backend, payload)
    assert canonical_dump(backend) == before


def test_cli_passes_cypher_looking_values_as_parameters(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"KAMGRAPH_STORE": str(tmp_path / "s.kgl"), "NEO4J_URI": ""}
    assert runner.invoke(app, ["ingest", "salesforce", str(SF_SMALL), "-q"], env=env).exit_code == 0
    before = runner.invoke(app, ["stats", "--format", "json"], env=env).stdout
    result = runner.invoke(
        app, ["query", "procurement-links", "-p", f"group_id={PAYLOADS[0]}", "-f", "json"], env=env
    )
    # The payload is looked up as a value: no such company (8), as map says for it.
    assert result.exit_code == NotFoundError.exit_code and result.stdout == ""
    assert "no company with id" in result.output
    result = runner.invoke(app, ["map", PAYLOADS[1], "-o", str(tmp_path / "m.html")], env=env)
    assert result.exit_code == NotFoundError.exit_code
    result = runner.invoke(
        app, ["query", "procurement-links", "-p", "min_members=1 OR 1=1"], env=env
    )
    assert result.exit_code == ConfigError.exit_code and "not a valid int" in result.stderr
    assert runner.invoke(app, ["stats", "--format", "json"], env=env).stdout == before
