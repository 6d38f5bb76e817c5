"""Named fragments: one copy of a shared rule (cypher/fragments/), spliced into queries at load.

The last tests scan cypher/ to prove that no query carries its own copy of the "link holds on
a date" / "active, and employed on date D" rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kamgraph.errors import CypherRegistryError
from kamgraph.queries.by_group import SUFFIX
from kamgraph.queries.registry import FRAGMENTS, Registry, cypher_root, default_registry

HOLDS = """// fragment: holds
// purpose: A dated link holds on a day.
// args: r, day
// Comments after the header are documentation.
(coalesce(r.since, '0000') <= day AND (r.until IS NULL OR r.until > day))
"""
EMPLOYED = """// fragment: employed
// purpose: An active contact employed on a day.
// args: c, w, day
(c.active = true AND @holds(w, day))
"""
QUERY = """// name: people
// purpose: People employed on a date.
// params: as_of
// fragments: employed
// columns: contact_id
MATCH (c:Contact)-[job:WORKS_AT]->(m:Company)
WHERE @employed(c, job, $as_of) AND c.name <> '@employed(x)'
RETURN c.contact_id AS contact_id
ORDER BY contact_id
"""


def tree(tmp_path: Path, query: str = QUERY, *fragments: str) -> Path:
    (tmp_path / FRAGMENTS).mkdir(exist_ok=True)
    for i, text in enumerate(fragments or (HOLDS, EMPLOYED)):
        (tmp_path / FRAGMENTS / f"f{i}.cypher").write_text(text, encoding="utf-8")
    (tmp_path / "analytics").mkdir(exist_ok=True)
    (tmp_path / "analytics" / "people.cypher").write_text(query, encoding="utf-8")
    return tmp_path


def test_a_fragment_is_spliced_with_the_callers_arguments(tmp_path: Path) -> None:
    q = Registry.load(tree(tmp_path)).get("people")
    assert q.fragments == ("employed",)
    assert "(c.active = true AND (coalesce(job.since, '0000') <= $as_of" in q.text
    assert "(job.until IS NULL OR job.until > $as_of)" in q.text
    assert "'@employed(x)'" in q.text, "a call inside a string literal is left alone"
    assert "@" not in q.text.replace("'@employed(x)'", "")
    assert [p.name for p in q.params] == ["as_of"]
    assert "people" in Registry.load(tmp_path) and len(Registry.load(tmp_path).names()) == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            QUERY.replace("@employed(c, job, $as_of)", "@hired(c, job, $as_of)"),
            "unknown fragment @hired",
        ),
        (QUERY.replace("// fragments: employed\n", ""), "calls @employed without declaring it"),
        (
            QUERY.replace("// fragments: employed", "// fragments: employed, holds"),
            "never calls: holds",
        ),
        (
            QUERY.replace("// fragments: employed", "// fragments: employed, nope"),
            "unknown fragment",
        ),
        (QUERY.replace("@employed(c, job, $as_of)", "@employed(c, $as_of)"), "takes 3 argument"),
        (QUERY.replace("@employed(c, job, $as_of)", "@employed(c, job, $as_of"), "closing"),
    ],
)
def test_bad_fragment_use_is_refused_at_load_with_the_file(
    tmp_path: Path, query: str, message: str
) -> None:
    with pytest.raises(CypherRegistryError, match=message) as e:
        Registry.load(tree(tmp_path, query))
    assert "people.cypher" in str(e.value) or "f1.cypher" in str(e.value)


@pytest.mark.parametrize(
    ("fragment", "message"),
    [
        (HOLDS.replace("// args: r, day", "// args: r, day, extra"), "never uses its argument"),
        (HOLDS.replace("<= day", "<= $as_of"), "uses a \\$parameter"),
        (HOLDS.replace("// args: r, day\n", ""), "'// args: ...' is missing"),
        (EMPLOYED.replace("@holds(w, day)", "@employed(c, w, day)"), "calls itself"),
    ],
)
def test_bad_fragments_are_refused(tmp_path: Path, fragment: str, message: str) -> None:
    others = (HOLDS, fragment) if "fragment: employed" in fragment else (fragment, EMPLOYED)
    with pytest.raises(CypherRegistryError, match=message):
        Registry.load(tree(tmp_path, QUERY, *others))


def test_duplicate_fragment_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CypherRegistryError, match="already defined"):
        Registry.load(tree(tmp_path, QUERY, HOLDS, EMPLOYED, HOLDS))


# -- One definition of "the link holds on D" and "active, and employed on D" ------------------

#: Relationship types with since / until / active: the ones the in-force rule is about.
DATED = ("WORKS_AT", "REPORTS_TO", "OWNS", "ON_TEAM", "SUBSIDIARY_OF", "BRANCH_OF")
#: Pieces of the rule; outside cypher/fragments/ none of them may appear in a query.
COPIES = (
    re.compile(r"\b\w+\.until\s*(>|<|IS NULL OR)"),
    re.compile(r"coalesce\(\s*\w+\.since"),
    re.compile(r"\b\w+\.since\s*[<>]"),
)
#: Files allowed to read a dated link's ``active`` flag directly, and why.
ALLOWED = {
    "ingest": "loader statements write since / until / active (the end rules); they take no date",
    "hierarchy-issues": "data quality of the CRM's current parent links; it takes no date",
    "close-reports-around": "writes the active flag of the link that closes a chain (a forget)",
}


def _query_files() -> list[Path]:
    root = cypher_root()
    return [p for p in sorted(root.glob("*/*.cypher")) if p.parent.name != FRAGMENTS]


def _code(path: Path) -> str:
    return "\n".join(
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("//")
    )


def test_no_query_carries_its_own_copy_of_the_dated_link_rule() -> None:
    found = []
    dated = re.compile(r"\[(\w+):[A-Z_|]*(?:" + "|".join(DATED) + r")\b")
    for path in _query_files():
        code = _code(path)
        found += [f"{path.name}: {m.group(0)!r}" for p in COPIES for m in p.finditer(code)]
        # A per-group form (cypher/by-group/) is its query's text: it has the same allowance.
        if path.parent.name in ALLOWED or path.stem.removesuffix(SUFFIX) in ALLOWED:
            continue
        for var in set(dated.findall(code)):
            if re.search(rf"\b{var}\.active\b", code):
                found.append(f"{path.name}: reads {var}.active itself")
    assert not found, "use @in-force / @employed-on / @ended-by instead:\n" + "\n".join(found)


def test_every_dated_employment_a_reader_matches_goes_through_a_fragment() -> None:
    """A query that binds a WORKS_AT variable outside ingestion judges it with a fragment."""
    missing = []
    for path in _query_files():
        # findings-dates collects the raw since/until dates (when answers can change); it
        # judges no employment.
        if path.parent.name == "ingest" or path.stem == "findings-dates":
            continue
        code = _code(path)
        for var in set(re.findall(r"\[(\w+):WORKS_AT\]", code)):
            if not re.search(rf"@(employed-on|in-force|ended-by)\([^)]*\b{var}\b", code):
                missing.append(f"{path.name}: [{var}:WORKS_AT]")
    assert not missing, "\n".join(missing)


def test_the_shared_rules_are_used_where_people_are_read() -> None:
    registry = default_registry()
    users = {q.name for q in registry if "employed-on" in q.fragments}
    assert {
        "group-people",
        "group-touchpoints",
        "group-account-touchpoints",
        "stale-map",
        "coverage-gaps",
        "procurement-links",
        "warm-paths",
        "handover-risk",
    } <= users
    for q in registry:
        assert "@" not in re.sub(r"'[^']*'|\"[^\"]*\"", "", q.text), f"{q.name}: unspliced call"
