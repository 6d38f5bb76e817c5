// name: competitor-footprint
// purpose: Per group and competitor: the deals the competitor won from us (LOST_TO), at which members, in which product families, and when.
// params: group_id=null, as_of=@today
// columns: group_id, group_name, competitor, wins, accounts, product_families, first_win, last_win
// A competitor's win is an active deal of an active member with status 'lost', closed (else
// created) on or before as_of, linked LOST_TO that competitor. Lost deals with no named winner
// are not counted. accounts and product_families are sorted (Python step); first_win and
// last_win are the earliest and latest closing dates of those deals. Rows are ordered by group,
// then most wins first, then competitor name.
MATCH (g:Company)
WHERE g.group_id = g.account_id AND ($group_id IS NULL OR g.account_id = $group_id)
MATCH (b:Company)-[:HAS_DEAL]->(d:Deal)-[:LOST_TO]->(c:Competitor)
WHERE b.group_id = g.account_id AND b.active = true AND d.active = true
  AND d.status = 'lost' AND coalesce(d.closed, d.created) <= $as_of
OPTIONAL MATCH (d)-[:INCLUDES]->(p:Product)
WITH g, c, count(DISTINCT d) AS wins, collect(DISTINCT b.account_id) AS accounts,
     collect(DISTINCT p.family) AS product_families,
     min(coalesce(d.closed, d.created)) AS first_win,
     max(coalesce(d.closed, d.created)) AS last_win
RETURN g.account_id AS group_id, g.name AS group_name, c.name AS competitor, wins, accounts,
       product_families, first_win, last_win
ORDER BY group_id, wins DESC, competitor
