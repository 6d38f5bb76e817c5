// name: graph-deals
// purpose: Deals of one group's members (or of every group) created by a date, with owner and product families.
// params: group_id=null, as_of=@today
// columns: deal_id, name, account_id, group_id, status, amount, currency, created, closed, owner_id, families
// status is as of as_of: a deal closed after as_of is still open then (closed is then null).
MATCH (m:Company)-[:HAS_DEAL]->(d:Deal)
WHERE m.group_id IS NOT NULL AND ($group_id IS NULL OR m.group_id = $group_id)
  AND d.active = true AND d.created <= $as_of
OPTIONAL MATCH (owner:Rep)-[:OWNS]->(d)
OPTIONAL MATCH (d)-[:INCLUDES]->(p:Product)
WITH m, d, owner, p
ORDER BY p.family
WITH m, d, collect(DISTINCT owner.rep_id) AS owners, collect(DISTINCT p.family) AS families
WITH m, d, owners, families,
     CASE WHEN d.status <> 'open' AND d.closed > $as_of THEN 'open' ELSE d.status END AS status
RETURN d.deal_id AS deal_id, d.name AS name, m.account_id AS account_id,
       m.group_id AS group_id, status, d.amount AS amount, d.currency AS currency,
       d.created AS created, CASE WHEN status = 'open' THEN null ELSE d.closed END AS closed,
       owners[0] AS owner_id, families
ORDER BY group_id, account_id, created, deal_id
