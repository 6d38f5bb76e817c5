// name: group-deals
// purpose: Deals of the active members of one group (or every group) created by a date, with status on that date, owner, product families and competitor.
// params: group_id=null, as_of=@today
// fragments: in-force, newest-first
// columns: deal_id, name, account_id, group_id, status, amount, currency, created, closed, owner_id, families, lost_to
// status is as of as_of: a deal closed after as_of is still open then (closed is then null).
// owner_id is the rep whose OWNS link held on as_of (the newest of two). lost_to is the
// competitor the deal was lost to.
MATCH (m:Company)
WHERE m.group_id IS NOT NULL AND ($group_id IS NULL OR m.group_id = $group_id)
  AND m.active = true
MATCH (m)-[:HAS_DEAL]->(d:Deal)
WHERE d.active = true AND d.created <= $as_of
OPTIONAL MATCH (owner:Rep)-[o:OWNS]->(d)
WHERE @in-force(o, $as_of)
WITH m, d, owner, o
ORDER BY @newest-first(o), owner.rep_id
WITH m, d, collect(owner.rep_id) AS owners
OPTIONAL MATCH (d)-[:INCLUDES]->(p:Product)
WITH m, d, owners, p
ORDER BY p.family
WITH m, d, owners, collect(DISTINCT p.family) AS families
OPTIONAL MATCH (d)-[:LOST_TO]->(k:Competitor)
WITH m, d, owners, families, k
ORDER BY k.name
WITH m, d, owners, families, collect(DISTINCT k.name) AS competitors,
     CASE WHEN d.status <> 'open' AND d.closed > $as_of THEN 'open' ELSE d.status END AS status
RETURN d.deal_id AS deal_id, d.name AS name, m.account_id AS account_id,
       m.group_id AS group_id, status, d.amount AS amount, d.currency AS currency,
       d.created AS created, CASE WHEN status = 'open' THEN null ELSE d.closed END AS closed,
       owners[0] AS owner_id, families, competitors[0] AS lost_to
ORDER BY group_id, account_id, created, deal_id
