"""Rule 16 of docs/portable-cypher.md: no pattern starts from a variable an OPTIONAL MATCH may
have left null (kglite scans the whole graph for it). The last test scans every file in cypher/.
"""

from __future__ import annotations

import pytest

from kamgraph.queries.nullsafe import null_starts
from kamgraph.queries.registry import cypher_root

HEAD = """MATCH (m:Company)
OPTIONAL MATCH (m)-[:HAS_DEAL]->(last:Deal)
WHERE last.active = true
"""


@pytest.mark.parametrize(
    "tail",
    [
        "OPTIONAL MATCH (last)-[:LOST_TO]->(w:Competitor)\nRETURN m, w",
        "OPTIONAL MATCH (w:Competitor)<-[:LOST_TO]-(last)\nRETURN m, w",
        "MATCH (last)-[:LOST_TO]->(w:Competitor)\nRETURN m, w",
        "WITH m, last\nORDER BY m.account_id\nOPTIONAL MATCH (last)-[:LOST_TO]->(w)\nRETURN w",
        "WITH m, last AS d\nOPTIONAL MATCH (r:Rep)-[:OWNS]->(d)\nRETURN r",
        "WITH m, last, [(last)-[:LOST_TO]->(w) | w.name] AS names\nRETURN names",
        "WITH m, last\nWHERE EXISTS { (last)-[:LOST_TO]->(:Competitor) }\nRETURN m",
        "CALL (m) {\n  OPTIONAL MATCH (m)-[:OWNS]-(d:Deal)\n  OPTIONAL MATCH (d)-[:LOST_TO]->(w)\n"
        "  RETURN w\n}\nRETURN w",
    ],
)
def test_a_pattern_from_a_possibly_null_variable_is_found(tail: str) -> None:
    text = HEAD + tail
    [found] = null_starts(text)
    assert found.variable in ("last", "d")
    assert found.line == text.count("\n", 0, text.index(f"({found.variable})")) + 1
    message = found.describe("cypher/analytics/x.cypher")
    assert message.startswith(f"cypher/analytics/x.cypher:{found.line}: pattern starts from")
    assert "CALL (" in message and "rule 16" in message


@pytest.mark.parametrize(
    "tail",
    [
        # the measured fix: the pattern inside a subquery importing the variable
        "CALL (last) {\n  OPTIONAL MATCH (last)-[:LOST_TO]->(w:Competitor)\n  RETURN w\n}\n"
        "RETURN m, w.name AS name",
        "CALL {\n  WITH last\n  OPTIONAL MATCH (last)-[:LOST_TO]->(w)\n  RETURN w\n}\nRETURN w",
        "WITH m, CASE WHEN last IS NULL THEN [] ELSE [(last)-[:LOST_TO]->(w) | w.name] END AS n\n"
        "RETURN n",
        "WITH m, collect(CASE WHEN last IS NOT NULL THEN\n"
        "  {id: last.deal_id, w: [(last)-[:LOST_TO]->(w) | w.name]} END) AS n\nRETURN n",
        "WITH m, last\nWHERE last IS NOT NULL\nOPTIONAL MATCH (last)-[:LOST_TO]->(w)\nRETURN w",
        # no longer in scope, or re-bound by a MATCH that drops the null rows
        "WITH m, collect(last.deal_id) AS deals\nMATCH (m)-[:OWNS]-(last:Deal)\n"
        "OPTIONAL MATCH (last)-[:LOST_TO]->(w)\nRETURN w",
        "RETURN m.name AS name, size(last.deal_id) - (1) AS x",
        "// OPTIONAL MATCH (last)-[:LOST_TO]->(w) in a comment\nRETURN '(last)-->(x)' AS s",
    ],
)
def test_null_safe_forms_pass(tail: str) -> None:
    assert null_starts(HEAD + tail) == []


def test_every_cypher_file_is_null_safe() -> None:
    root = cypher_root()
    files = sorted(root.rglob("*.cypher"))
    assert len(files) > 100, "the scan must see the whole cypher/ folder"
    problems = [
        found.describe(str(path.relative_to(root.parent)))
        for path in files
        for found in null_starts(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "\n".join(problems)
