"""The reference loaders: hand-tuned in-server ``LOAD CSV`` and a naive one-MERGE-per-row client.

Both write the graph kamgraph writes (same labels, keys, relationship types and the properties
queries read), with idempotent ``MERGE`` like kamgraph. The naive loader sends, for each CSV
row, the very statement body the ``LOAD CSV`` script runs per row, in its own transaction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import neo4j

from bench.generate import FILES, iter_rows
from kamgraph.backends.neo4j import Neo4jBackend
from kamgraph.schema import apply_schema

BATCH_ROWS: Final = 10_000


@dataclass(frozen=True)
class Step:
    """One pass over one file: the per-row Cypher body (``row`` bound) and the file's object."""

    obj: str
    body: str


_DEAL_STATUS: Final = (
    "CASE WHEN row.IsWon = 'true' THEN 'won' WHEN row.IsClosed = 'true' THEN 'lost' ELSE 'open' END"
)

#: In load order; a step may only refer to nodes an earlier step wrote.
STEPS: Final[tuple[Step, ...]] = (
    Step(
        "User",
        "MERGE (r:Rep {rep_id: row.Id}) SET r.name = row.Name, r.email = row.Email, "
        "r.job_title = row.Title, r.tier = toLower(replace(row.Rep_Tier__c, ' ', '-')), "
        "r.active = true, r.source = 'salesforce'",
    ),
    Step(
        "Account",
        "MERGE (c:Company {account_id: row.Id}) SET c.name = row.Name, "
        "c.name_key = toLower(row.Name), c.salesforce_id = row.Id, c.account_type = row.Type, "
        "c.industry = row.Industry, c.country = row.BillingCountry, c.state = row.BillingState, "
        "c.region = row.Region__c, c.hierarchy_type = row.Hierarchy_Type__c, "
        "c.duns = row.DunsNumber, c.buys_autonomously = row.Buys_Autonomously__c = 'true', "
        "c.active = true, c.source = 'salesforce'",
    ),
    Step(
        "Account",
        "WITH row WHERE row.ParentId <> '' "
        "MATCH (c:Company {account_id: row.Id}) MATCH (p:Company {account_id: row.ParentId}) "
        "FOREACH (_ IN CASE WHEN row.Hierarchy_Type__c = 'Branch' THEN [1] ELSE [] END | "
        "  MERGE (c)-[r:BRANCH_OF]->(p) SET r.active = true, r.source = 'salesforce') "
        "FOREACH (_ IN CASE WHEN row.Hierarchy_Type__c = 'Branch' THEN [] ELSE [1] END | "
        "  MERGE (c)-[r:SUBSIDIARY_OF]->(p) SET r.active = true, r.source = 'salesforce')",
    ),
    Step(
        "Contact",
        "MERGE (c:Contact {contact_id: row.Id}) SET c.name = row.FirstName + ' ' + row.LastName, "
        "c.first_name = row.FirstName, c.last_name = row.LastName, c.job_title = row.Title, "
        "c.department = row.Department, c.email = row.Email, "
        "c.attitude = nullif(row.Attitude__c, ''), c.influence = nullif(row.Influence__c, ''), "
        "c.last_verified = row.Last_Verified__c, c.owner_id = row.OwnerId, c.active = true "
        "WITH c, row MATCH (co:Company {account_id: row.AccountId}) "
        "MERGE (c)-[w:WORKS_AT]->(co) SET w.active = true, w.via = 'contact', "
        "w.source = 'salesforce', w.job_title = row.Title",
    ),
    Step(
        "Contact",
        "WITH row WHERE row.ReportsToId <> '' "
        "MATCH (c:Contact {contact_id: row.Id}) MATCH (m:Contact {contact_id: row.ReportsToId}) "
        "MERGE (c)-[r:REPORTS_TO]->(m) SET r.active = true, r.source = 'salesforce'",
    ),
    Step(
        "AccountTeamMember",
        "MATCH (r:Rep {rep_id: row.UserId}) MATCH (c:Company {account_id: row.AccountId}) "
        "MERGE (r)-[t:ON_TEAM]->(c) SET t.team_role = row.TeamMemberRole, t.active = true, "
        "t.tier = CASE row.TeamMemberRole WHEN 'Key Account Manager' THEN 'key-account' "
        "WHEN 'Account Manager' THEN 'progression' ELSE 'expansion' END",
    ),
    Step(
        "Product2",
        "MERGE (p:Product {product_id: row.Id}) SET p.name = row.Name, p.code = row.ProductCode, "
        "p.family = row.Family, p.active = true",
    ),
    Step(
        "Opportunity",
        "MERGE (d:Deal {deal_id: row.Id}) SET d.name = row.Name, d.stage = row.StageName, "
        f"d.status = {_DEAL_STATUS}, d.amount = toFloat(row.Amount), "
        "d.currency = row.CurrencyIsoCode, d.created = substring(row.CreatedDate, 0, 10), "
        "d.closed = CASE WHEN row.IsClosed = 'true' THEN row.CloseDate END, "
        "d.expected_close = CASE WHEN row.IsClosed = 'true' THEN null ELSE row.CloseDate END, "
        "d.lost_to_name = nullif(row.Lost_To__c, ''), d.active = true "
        "WITH d, row MATCH (a:Company {account_id: row.AccountId}) "
        "MERGE (a)-[h:HAS_DEAL]->(d) SET h.active = true "
        "WITH d, row MATCH (o:Rep {rep_id: row.OwnerId}) "
        "MERGE (o)-[w:OWNS]->(d) SET w.active = true",
    ),
    Step(
        "Opportunity",
        "WITH row WHERE row.Lost_To__c <> '' "
        "MERGE (k:Competitor {competitor_id: toLower(trim(row.Lost_To__c))}) "
        "ON CREATE SET k.name = trim(row.Lost_To__c), k.active = true "
        "WITH k, row MATCH (d:Deal {deal_id: row.Id}) "
        "MERGE (d)-[l:LOST_TO]->(k) SET l.active = true",
    ),
    Step(
        "OpportunityLineItem",
        "MATCH (d:Deal {deal_id: row.OpportunityId}) "
        "MATCH (p:Product {product_id: row.Product2Id}) "
        "MERGE (d)-[i:INCLUDES]->(p) SET i.line_id = row.Id, i.quantity = toFloat(row.Quantity), "
        "i.unit_price = toFloat(row.UnitPrice), i.total = toFloat(row.TotalPrice), i.active = true",
    ),
    Step(
        "OpportunityCompetitor",
        "MERGE (k:Competitor {competitor_id: toLower(trim(row.CompetitorName))}) "
        "ON CREATE SET k.name = trim(row.CompetitorName), k.active = true "
        "WITH k, row MATCH (d:Deal {deal_id: row.OpportunityId}) "
        "MERGE (d)-[a:AGAINST]->(k) SET a.active = true",
    ),
    Step(
        "OpportunityContactRole",
        "MATCH (c:Contact {contact_id: row.ContactId}) MATCH (d:Deal {deal_id: row.OpportunityId}) "
        "MERGE (c)-[r:ROLE_IN]->(d) SET r.role = row.Role, r.is_primary = row.IsPrimary = 'true', "
        "r.active = true",
    ),
    Step(
        "finance",
        "MERGE (f:FinanceEntry {entry_id: row.document_id}) SET f.kind = row.kind, "
        "f.date = row.date, f.amount = toFloat(row.amount), f.currency = row.currency, "
        "f.account_ref = row.account_id, f.active = true "
        "WITH f, row MATCH (c:Company {account_id: row.account_id}) "
        "MERGE (f)-[b:BILLED_TO]->(c) SET b.active = true",
    ),
)

#: The family step both kamgraph (in Python) and the script must do: group_id and depth.
GROUPS_STATEMENT: Final = (
    "MATCH (c:Company) CALL { WITH c "
    "MATCH p = (c)-[:SUBSIDIARY_OF|BRANCH_OF*0..6]->(top:Company) "
    "WHERE NOT (top)-[:SUBSIDIARY_OF|BRANCH_OF]->(:Company) "
    "WITH c, top, length(p) AS depth ORDER BY depth DESC LIMIT 1 "
    "SET c.group_id = top.account_id, c.depth = depth "
    f"}} IN TRANSACTIONS OF {BATCH_ROWS} ROWS"
)


def _auto(driver: neo4j.Driver, database: str, query: str, **params: Any) -> None:
    with driver.session(database=database) as session:
        session.run(query, params).consume()


def load_csv(driver: neo4j.Driver, database: str, directory: Path) -> dict[str, float]:
    """Run the LOAD CSV script over ``directory`` (absolute file URLs); seconds per step."""
    seconds: dict[str, float] = {}
    for index, step in enumerate(STEPS):
        url = (directory / FILES[step.obj]).resolve().as_uri()
        query = (
            f"LOAD CSV WITH HEADERS FROM $url AS row CALL {{ WITH row {step.body} }} "
            f"IN TRANSACTIONS OF {BATCH_ROWS} ROWS"
        )
        start = time.perf_counter()
        _auto(driver, database, query, url=url)
        seconds[f"{index:02d}-{step.obj}"] = time.perf_counter() - start
    start = time.perf_counter()
    _auto(driver, database, GROUPS_STATEMENT)
    seconds["groups"] = time.perf_counter() - start
    return seconds


@dataclass
class NaiveRate:
    """Rows the naive loader sent for one object and how long they took."""

    rows: int = 0
    seconds: float = 0.0


def naive(
    driver: neo4j.Driver, database: str, directory: Path, limits: dict[str, int]
) -> dict[str, NaiveRate]:
    """One auto-commit transaction per row and step, over the first ``limits[obj]`` rows."""
    rates: dict[str, NaiveRate] = {}
    with driver.session(database=database) as session:
        for step in STEPS:
            query = f"WITH $row AS row {step.body}"
            rate = rates.setdefault(step.obj, NaiveRate())
            rows = list(iter_rows(directory / FILES[step.obj], limits.get(step.obj, 0)))
            start = time.perf_counter()
            for row in rows:
                session.run(query, {"row": row}).consume()
            rate.seconds += time.perf_counter() - start
            # A file read by two steps counts its rows once (as kamgraph and LOAD CSV do).
            rate.rows = max(rate.rows, len(rows))
    return rates


def wipe(driver: neo4j.Driver, database: str) -> None:
    """Delete every node and relationship, then make sure kamgraph's schema is in place.

    Every loader (naive, LOAD CSV, kamgraph) starts from an empty graph with kamgraph's
    constraints and indexes, as ``kamgraph init`` leaves it: on a fresh server the baselines
    would otherwise MERGE without an index (naive measured 4x slower), flattering kamgraph.

    Relationships go first: detaching a product or competitor node in one inner transaction
    would delete hundreds of thousands of relationships at once (memory pool exceeded at L).
    """
    _auto(
        driver,
        database,
        "MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS",
    )
    _auto(
        driver,
        database,
        "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
    )
    apply_schema(Neo4jBackend(driver, database, "bench"))  # the driver stays open: no close()
    _auto(driver, database, "CALL db.awaitIndexes(300)")


def graph_counts(driver: neo4j.Driver, database: str) -> dict[str, int]:
    """Nodes and relationships in the database."""
    records, _, _ = driver.execute_query(
        "MATCH (n) WITH count(n) AS nodes "
        "OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS relationships",
        database_=database,
    )
    return {"nodes": int(records[0]["nodes"]), "relationships": int(records[0]["relationships"])}
