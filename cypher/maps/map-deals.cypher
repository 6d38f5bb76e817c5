// name: map-deals
// purpose: Deals of one group's members as of a date, with product families and competitor.
// params: group_id, as_of
// columns: deal_id, name, account_id, status, amount, currency, created, closed, families, lost_to
MATCH (m:Company)-[:HAS_DEAL]->(d:Deal)
WHERE m.group_id = $group_id AND d.created <= $as_of
OPTIONAL MATCH (d)-[:INCLUDES]->(p:Product)
OPTIONAL MATCH (d)-[:LOST_TO]->(k:Competitor)
WITH m, d, p, k
ORDER BY p.family, k.name
WITH m, d, collect(DISTINCT p.family) AS families, collect(DISTINCT k.name) AS competitors
RETURN d.deal_id AS deal_id, d.name AS name, m.account_id AS account_id,
       CASE WHEN d.status <> 'open' AND d.closed > $as_of THEN 'open' ELSE d.status END AS status,
       d.amount AS amount, d.currency AS currency, d.created AS created, d.closed AS closed,
       families, competitors[0] AS lost_to
ORDER BY account_id, created, deal_id
