"""Your own questions: ``kamgraph cypher`` read-only on both backends, and the query registry's
help for users (``query NAME --help``, did-you-mean, ``KAMGRAPH_QUERY_PATH``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamgraph.backends.base import Backend
from kamgraph.cli.app import app
from kamgraph.errors import CypherRegistryError, InvalidValueError, QueryError
from kamgraph.ingest.pipeline import ingest
from kamgraph.queries import list_queries, run
from kamgraph.queries.adhoc import adhoc_params, ask, check_read_only
from kamgraph.queries.registry import registry_with

from .conftest import SF_SMALL

WRITES = {
    "CREATE": "CREATE (c:Company {account_id: 'x'})",
    "MERGE": "MERGE (c:Company {account_id: 'x'}) RETURN c.account_id AS id",
    "SET": "MATCH (c:Company) SET c.name = 'x'",
    "DELETE": "MATCH (c:Company) DETACH DELETE c",
    "REMOVE": "MATCH (c:Company) REMOVE c.name",
    "CALL-with-writes": "CALL { MATCH (c:Company) SET c.x = 1 } RETURN 1 AS one",
    "CALL a procedure": "CALL apoc.create.node(['X'], {}) YIELD node RETURN node",
    "LOAD CSV": "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "two statements": "MATCH (c) RETURN c; MATCH (c) DETACH DELETE c",
    "lower case": "match (c:Company) set c.name = 'x'",
}
READS = {
    "a SET inside a string": "RETURN 'SET x = 1; DELETE' AS text",
    "a comment": "// CREATE nothing\nRETURN 1 AS one",
    "a block comment": "/* MERGE */ RETURN 1 AS one",
    "property and key names": "MATCH (c:Company) RETURN c.set AS s, {delete: 1} AS m LIMIT 1",
    "a backticked alias": "RETURN 1 AS `CREATE`",
    "schema procedure": "CALL db.labels() YIELD label RETURN label",
}


@pytest.mark.parametrize("statement", WRITES.values(), ids=list(WRITES))
def test_statements_that_write_are_refused_before_running(statement: str) -> None:
    with pytest.raises(QueryError, match="refused|one Cypher statement"):
        check_read_only(statement)


@pytest.mark.parametrize("statement", READS.values(), ids=list(READS))
def test_reads_pass_the_check(statement: str) -> None:
    check_read_only(statement)


@pytest.fixture
def loaded(backend: Backend) -> Backend:
    ingest(backend, "salesforce", SF_SMALL)
    return backend


def _companies(backend: Backend) -> int:
    return int(backend.read("MATCH (c:Company) RETURN count(c) AS n")[0]["n"])


@pytest.mark.parametrize("kind", ["CREATE", "MERGE", "SET", "DELETE", "CALL-with-writes"])
def test_cypher_refuses_writes_on_both_backends(loaded: Backend, kind: str) -> None:
    before = _companies(loaded)
    with pytest.raises(QueryError, match="refused"):
        ask(loaded, WRITES[kind])
    assert _companies(loaded) == before


@pytest.mark.parametrize("kind", ["CREATE", "SET", "DELETE"])
def test_the_store_itself_refuses_a_write_the_check_missed(loaded: Backend, kind: str) -> None:
    """The second lock: a read-only transaction (Neo4j READ access mode, kglite begin_read)."""
    before = loaded.read("MATCH (c:Company) RETURN c.account_id AS id, c.name AS name")
    with pytest.raises(QueryError):
        loaded.read_only(WRITES[kind])
    assert loaded.read("MATCH (c:Company) RETURN c.account_id AS id, c.name AS name") == before


def test_cypher_answers_a_read_with_its_columns(loaded: Backend) -> None:
    columns, rows = ask(
        loaded,
        "MATCH (c:Company) WHERE c.country = $country RETURN c.account_id AS id, c.name AS name "
        "ORDER BY id",
        adhoc_params({"country": "DE"}),
    )
    assert columns == ["id", "name"]
    assert rows[0] == {"id": "001000000000001AAA", "name": "Acme Holding AG"}
    columns, rows = ask(loaded, "MATCH (c:Company {account_id: 'none'}) RETURN c.name AS name")
    assert (columns, rows) == (["name"], [])  # an empty answer keeps its header


def test_adhoc_parameters_read_json_literals_else_text() -> None:
    given = {"n": "12", "x": "1.5", "flag": "true", "ids": '["a","b"]', "id": "001A", "q": '"7"'}
    assert adhoc_params(given) == {
        "n": 12, "x": 1.5, "flag": True, "ids": ["a", "b"], "id": "001A", "q": "7"
    }  # fmt: skip
    with pytest.raises(InvalidValueError, match="not a Cypher identifier"):
        adhoc_params({"a-b": "1"})


def test_a_missing_parameter_is_named(loaded: Backend) -> None:
    with pytest.raises(InvalidValueError, match=r"\$who"):
        ask(loaded, "MATCH (c:Company {account_id: $who}) RETURN c.name AS name")


# The CLI (embedded store): a statement, a file, formats, query help, did-you-mean, user folders.


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for key in ("NEO4J_URI", "KAMGRAPH_QUERY_PATH", "KAMGRAPH_RAW_CSV"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("KAMGRAPH_STORE", str(tmp_path / "s.kgl"))
    runner = CliRunner()
    done = runner.invoke(app, ["ingest", "salesforce", str(SF_SMALL), "-q"])
    assert done.exit_code == 0, done.output
    return runner


def test_cli_cypher_statement_and_file(cli: CliRunner, tmp_path: Path) -> None:
    done = cli.invoke(app, ["cypher", "MATCH (c:Company) RETURN count(c) AS n", "-f", "JSON"])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip().startswith("[") and '"n": ' in done.stdout
    mine = tmp_path / "my.cypher"
    mine.write_text("MATCH (c:Company {account_id: $id}) RETURN c.name AS name\n")
    done = cli.invoke(app, ["cypher", str(mine), "-p", "id=001000000000001AAA", "-f", "csv"])
    assert done.stdout == "name\nAcme Holding AG\n", done.output
    done = cli.invoke(app, ["cypher", "MATCH (c:Company) DETACH DELETE c"])
    assert done.exit_code == 6 and "refused" in done.output
    assert cli.invoke(app, ["cypher", str(tmp_path / "nope.cypher")]).exit_code == 5


def test_query_help_shows_the_query_documentation(cli: CliRunner) -> None:
    done = cli.invoke(app, ["query", "procurement-links", "--help"])
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("procurement-links: HQ-to-branch buying waves")
    assert "min_members=3" in done.stdout and "Columns: group_id, group_name" in done.stdout
    general = cli.invoke(app, ["query", "--help"])
    assert general.exit_code == 0 and "Usage:" in general.stdout and "--list" in general.stdout


def test_did_you_mean_for_queries_and_parameters(cli: CliRunner) -> None:
    done = cli.invoke(app, ["query", "procurment-links"])
    assert done.exit_code == 6 and "did you mean 'procurement-links'?" in done.output
    done = cli.invoke(app, ["query", "procurement-links", "-p", "min_member=2"])
    assert done.exit_code == 2 and "did you mean 'min_members'?" in done.output


def test_format_is_case_insensitive_and_empty_csv_has_its_header(cli: CliRunner) -> None:
    done = cli.invoke(app, ["query", "key-account-candidates", "-p", "region=Mars", "-f", "CSV"])
    assert done.exit_code == 0, done.output
    assert done.stdout.count("\n") == 1 and done.stdout.startswith("rank,group_id,")


QUERY = """// name: my-companies
// purpose: Companies of one country.
// params: country="DE"
// columns: account_id, name
// Written by an analyst; loaded from KAMGRAPH_QUERY_PATH.
MATCH (c:Company) WHERE c.country = $country
RETURN c.account_id AS account_id, c.name AS name ORDER BY account_id
"""


def test_user_query_folders_are_loaded_and_checked(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: Backend
) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "mine.cypher").write_text(QUERY)
    monkeypatch.setenv("KAMGRAPH_QUERY_PATH", str(folder))
    assert "my-companies" in cli.invoke(app, ["query", "--list"]).stdout
    done = cli.invoke(app, ["query", "my-companies", "-f", "json"])
    assert done.exit_code == 0 and "Acme Holding AG" in done.stdout, done.output
    assert "Written by an analyst" in cli.invoke(app, ["query", "my-companies", "-h"]).stdout
    registry = registry_with((folder,))
    assert "my-companies" in [q.name for q in list_queries(registry)]
    ingest(backend, "salesforce", SF_SMALL)
    assert run(backend, "my-companies", {"country": "XX"}, registry=registry) == []
    # The same header checks as the built-in queries: an undeclared parameter is refused (7).
    (folder / "bad.cypher").write_text(QUERY.replace("my-companies", "bad").replace(
        "$country", "$land"))  # fmt: skip
    with pytest.raises(CypherRegistryError, match=r"undeclared parameter\(s\) \$land"):
        registry_with((folder,)).get("bad")
    assert cli.invoke(app, ["query", "--list"]).exit_code == 7
    (folder / "bad.cypher").write_text(QUERY.replace("my-companies", "bad").replace(
        "RETURN", "SET c.name = 'x' RETURN"))  # fmt: skip
    done = cli.invoke(app, ["query", "bad"])
    assert done.exit_code == 6 and "refused" in done.output
    (folder / "bad.cypher").write_text(QUERY.replace("my-companies", "procurement-links"))
    done = cli.invoke(app, ["query", "--list"])
    assert done.exit_code == 7 and "already defined" in done.output
