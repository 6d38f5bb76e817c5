"""The Cypher registry: headers, parameters checked at load and at run, duplicates refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamgraph.errors import CypherRegistryError, InvalidValueError, QueryError
from kamgraph.queries.registry import Registry, default_registry, parse_file


def write(tmp_path: Path, area: str, name: str, text: str) -> Path:
    folder = tmp_path / area
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.cypher"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """// name: members
// purpose: Members of a group.
// params: group_id, limit=10, as_of=@today
// columns: account_id
// Documentation line.
MATCH (c:Company) WHERE c.group_id = $group_id AND c.created <= $as_of
RETURN c.account_id AS account_id LIMIT $limit
"""


def test_header_is_parsed(tmp_path: Path) -> None:
    q = parse_file(write(tmp_path, "analytics", "members", GOOD), "analytics")
    assert q.name == "members"
    assert q.area == "analytics"
    assert [p.name for p in q.params] == ["group_id", "limit", "as_of"]
    assert q.columns == ("account_id",)
    assert q.doc == "Documentation line."
    assert q.text.startswith("MATCH")


def test_bind_fills_defaults_and_coerces_cli_strings(tmp_path: Path) -> None:
    import datetime as dt

    q = parse_file(write(tmp_path, "analytics", "members", GOOD), "analytics")
    bound = q.bind({"group_id": "G1", "limit": "5"}, today=dt.date(2026, 1, 2))
    assert bound == {"group_id": "G1", "limit": 5, "as_of": "2026-01-02"}


def test_bind_refuses_unknown_missing_and_badly_typed(tmp_path: Path) -> None:
    q = parse_file(write(tmp_path, "analytics", "members", GOOD), "analytics")
    # What the caller gave is wrong (exit 2), not the query; the message names no CLI flag.
    with pytest.raises(InvalidValueError, match="needs parameter group_id"):
        q.bind({})
    with pytest.raises(InvalidValueError, match="has no parameter nope"):
        q.bind({"group_id": "x", "nope": "1"})
    with pytest.raises(InvalidValueError, match="not a valid int"):
        q.bind({"group_id": "x", "limit": "ten"})
    with pytest.raises(InvalidValueError, match="not a date"):
        q.bind({"group_id": "x", "as_of": "yesterday"})


def test_undeclared_parameter_is_refused_at_load(tmp_path: Path) -> None:
    text = GOOD.replace("LIMIT $limit", "LIMIT $limit + $other")
    with pytest.raises(CypherRegistryError, match=r"undeclared parameter\(s\) \$other"):
        parse_file(write(tmp_path, "analytics", "members", text), "analytics")


def test_unused_parameter_is_refused_at_load(tmp_path: Path) -> None:
    text = GOOD.replace("// params: group_id,", "// params: group_id, spare=1,")
    with pytest.raises(CypherRegistryError, match="unused parameter"):
        parse_file(write(tmp_path, "analytics", "members", text), "analytics")


def test_dollar_inside_string_is_not_a_parameter(tmp_path: Path) -> None:
    text = GOOD.replace("RETURN c.account_id", "RETURN '$notaparam' AS s, c.account_id")
    q = parse_file(write(tmp_path, "analytics", "members", text), "analytics")
    assert "notaparam" not in {p.name for p in q.params}


def test_missing_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CypherRegistryError, match="'// purpose: ...' is missing"):
        parse_file(write(tmp_path, "a", "x", "// name: x\nRETURN 1\n"), "a")


def test_duplicate_names_are_refused_with_both_files(tmp_path: Path) -> None:
    write(tmp_path, "one", "members", GOOD)
    write(tmp_path, "two", "members2", GOOD)
    with pytest.raises(CypherRegistryError, match="already defined in .*one/members.cypher"):
        Registry.load(tmp_path)


def test_an_unknown_query_is_named() -> None:
    with pytest.raises(QueryError, match="no query named"):
        default_registry().get("no-such-query")


def test_every_project_file_loads_and_is_documented() -> None:
    registry = default_registry()
    names = registry.names()
    assert "procurement-links" in names
    assert "upsert-company" in names
    for q in registry:
        assert q.purpose, q.name
        assert q.columns, q.name
        assert q.path.stem == q.name, f"{q.path} must be named after its query {q.name}"


def test_by_group_forms_are_in_sync_with_their_queries() -> None:
    from .by_group_forms import expected_files

    expected = expected_files()
    assert expected, "no query has a per-group form: the by-group mechanism is unused"
    for path, text in expected.items():
        assert path.exists() and path.read_text(encoding="utf-8") == text, (
            f"{path} is out of date: python -m tests.by_group_forms"
        )
    folder = next(iter(expected)).parent
    assert set(folder.glob("*.cypher")) == set(expected), "stale file in cypher/by-group/"


def test_group_queries_use_their_by_group_form(monkeypatch: pytest.MonkeyPatch) -> None:
    from kamgraph import queries

    seen: list[str] = []

    class Recorder:
        kind = "embedded"

        def read(self, query: str, params: object = None) -> list[dict[str, object]]:
            seen.append(query)
            return []

    queries.run(Recorder(), "cross-sell-gaps", {"group_id": "G1"})  # type: ignore[arg-type]
    queries.run(Recorder(), "cross-sell-gaps", {})  # type: ignore[arg-type]
    assert "MATCH (g:Company {account_id: $group_id})" in seen[0]
    # Without maintained findings (kamgraph/queries/findings.py) the portfolio form runs.
    assert "$group_id IS NULL" in seen[-1]
