// name: map-members
// purpose: Members of one group with their parent, depth and deal outcomes as of a date.
// params: group_id, as_of
// columns: account_id, name, parent_id, parent_type, depth, hierarchy_type, country, industry, won, lost, open, revenue
MATCH (m:Company)
WHERE m.group_id = $group_id
OPTIONAL MATCH (m)-[pr:SUBSIDIARY_OF|BRANCH_OF]->(p:Company)
WHERE pr.active = true AND p.group_id = $group_id
WITH m, collect(p.account_id)[0] AS parent_id, collect(type(pr))[0] AS parent_type
OPTIONAL MATCH (m)-[:HAS_DEAL]->(d:Deal)
WHERE d.created <= $as_of
WITH m, parent_id, parent_type,
     sum(CASE WHEN d.status = 'won' AND d.closed <= $as_of THEN 1 ELSE 0 END) AS won,
     sum(CASE WHEN d.status = 'lost' AND d.closed <= $as_of THEN 1 ELSE 0 END) AS lost,
     sum(CASE WHEN d IS NOT NULL AND (d.status = 'open' OR d.closed > $as_of) THEN 1 ELSE 0 END) AS open
OPTIONAL MATCH (f:FinanceEntry)-[:BILLED_TO]->(m)
WHERE f.kind = 'invoice' AND f.date <= $as_of
WITH m, parent_id, parent_type, won, lost, open, round(sum(coalesce(f.amount, 0)), 2) AS revenue
RETURN m.account_id AS account_id, m.name AS name, parent_id, parent_type, m.depth AS depth,
       m.hierarchy_type AS hierarchy_type, m.country AS country, m.industry AS industry,
       won, lost, open, revenue
ORDER BY depth, account_id
