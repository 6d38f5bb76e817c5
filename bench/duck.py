"""``procurement-links`` and ``cross-sell-gaps`` the way an analyst would get them: DuckDB SQL
straight over the generated CSVs (families by a recursive CTE over ParentId).

procurement-links' Cypher only gathers per (group, product family) the members, deals, HQ
contacts and policies; kamgraph finishes it in Python (densest window, wave, action). The SQL
here gathers the same rows and hands them to the same Python step, so both sides compute one
definition. cross-sell-gaps is pure SQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import duckdb

from bench.generate import FILES

_TABLES: Final = (
    "Account",
    "Contact",
    "Product2",
    "Opportunity",
    "OpportunityLineItem",
    "OpportunityContactRole",
)

_BASE: Final = """
CREATE OR REPLACE TEMP VIEW membership AS
WITH RECURSIVE chain(id, cur, depth) AS (
    SELECT Id, Id, 0 FROM Account
    UNION ALL
    SELECT chain.id, a.ParentId, chain.depth + 1
    FROM chain JOIN Account a ON a.Id = chain.cur
    WHERE a.ParentId IS NOT NULL AND a.ParentId <> '' AND chain.depth < 10
)
SELECT id AS account_id, arg_max(cur, depth) AS group_id FROM chain GROUP BY id;

CREATE OR REPLACE TEMP VIEW deal_family AS
SELECT DISTINCT o.Id AS deal_id, o.AccountId AS account_id, p.Family AS family,
       CASE WHEN o.IsWon = 'true' THEN 'won' WHEN o.IsClosed = 'true' THEN 'lost'
            ELSE 'open' END AS status,
       substr(o.CreatedDate, 1, 10) AS created,
       CASE WHEN o.IsClosed = 'true' THEN o.CloseDate END AS closed,
       CAST(o.Amount AS DOUBLE) AS amount,
       NULLIF(trim(o.Lost_To__c), '') AS competitor
FROM Opportunity o
JOIN OpportunityLineItem li ON li.OpportunityId = o.Id
JOIN Product2 p ON p.Id = li.Product2Id;
"""

CROSS_SELL_SQL: Final = """
WITH won AS (
    SELECT DISTINCT m.group_id, d.family, d.account_id, d.deal_id, d.amount
    FROM deal_family d JOIN membership m USING (account_id)
    WHERE d.status = 'won' AND coalesce(d.closed, d.created) <= $as_of
), buyers AS (
    SELECT group_id, family, list(DISTINCT account_id) AS buyer_ids,
           count(DISTINCT account_id) AS evidence, round(sum(amount), 2) AS evidence_revenue
    FROM won GROUP BY group_id, family
), latest AS (
    SELECT account_id, family, status, coalesce(closed, created) AS last_closed, competitor
    FROM deal_family WHERE created <= $as_of
    QUALIFY row_number() OVER (PARTITION BY account_id, family
        ORDER BY coalesce(closed, created) DESC, deal_id DESC, competitor) = 1
)
SELECT b.group_id, m.account_id, a.Name AS account_name, b.family AS product_family,
       b.evidence, b.evidence_revenue,
       CASE WHEN l.status = 'lost' AND l.last_closed <= $as_of THEN l.competitor END AS lost_to
FROM buyers b
JOIN membership m ON m.group_id = b.group_id
JOIN Account a ON a.Id = m.account_id
LEFT JOIN latest l ON l.account_id = m.account_id AND l.family = b.family
WHERE b.evidence >= 1 AND NOT list_contains(b.buyer_ids, m.account_id)
ORDER BY b.evidence DESC, b.evidence_revenue DESC, b.group_id, m.account_id, b.family
"""

PROCUREMENT_SQL: Final = """
WITH members AS (
    SELECT group_id, list(account_id ORDER BY account_id) AS members
    FROM membership GROUP BY group_id
), deals AS (
    SELECT m.group_id, d.family,
           list(DISTINCT {'account_id': d.account_id, 'deal_id': d.deal_id, 'status': d.status,
                          'created': d.created, 'closed': d.closed,
                          'competitor': d.competitor}) AS deals
    FROM deal_family d JOIN membership m USING (account_id)
    WHERE d.created <= $as_of
    GROUP BY m.group_id, d.family
), hq AS (
    SELECT c.AccountId AS group_id,
           list(DISTINCT {'contact_id': c.Id, 'role': coalesce(r.Role, c.Title)}) AS hq_contacts
    FROM Contact c
    JOIN membership m ON m.account_id = c.AccountId AND m.group_id = c.AccountId
    LEFT JOIN OpportunityContactRole r ON r.ContactId = c.Id
    GROUP BY c.AccountId
)
SELECT d.group_id, a.Name AS group_name, d.family AS product_family, mb.members, d.deals,
       coalesce(hq.hq_contacts, []) AS hq_contacts
FROM deals d
JOIN members mb USING (group_id)
JOIN Account a ON a.Id = d.group_id
LEFT JOIN hq USING (group_id)
ORDER BY d.group_id, d.family
"""


def connect(directory: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the CSVs loaded as tables (all text, as exported)."""
    con = duckdb.connect()
    for table in _TABLES:
        path = str(directory / FILES[table])
        # Table names come from the fixed _TABLES whitelist; the path travels as a parameter.
        con.execute(
            f"CREATE TABLE {table} AS "  # noqa: S608
            "SELECT * FROM read_csv(?, header = true, all_varchar = true)",
            [path],
        )
    con.execute(_BASE)
    return con


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, as_of: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql, {"as_of": as_of})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def cross_sell_gaps(con: duckdb.DuckDBPyConnection, as_of: str) -> list[dict[str, Any]]:
    return _fetch(con, CROSS_SELL_SQL, as_of)


def procurement_links(
    con: duckdb.DuckDBPyConnection, as_of: str, params: dict[str, Any]
) -> list[dict[str, Any]]:
    from kamgraph.queries.finish import load_all
    from kamgraph.queries.finish.procurement_links import procurement_links as finish

    load_all()
    rows = _fetch(con, PROCUREMENT_SQL, as_of)
    for row in rows:
        row["policies"] = []  # the generated portfolio has no policies.csv
    return finish(rows, params)
