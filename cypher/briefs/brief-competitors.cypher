// name: brief-competitors
// purpose: Competitors met in one group's deals up to a date: deals against them, and how those ended.
// params: group_id, as_of
// columns: competitor, deals, won, lost_to_them, open, last_met
// For the handover brief (kamgraph/brief.py). A deal counts when the competitor was in it
// (AGAINST) or won it (LOST_TO); the outcome is read as of as_of, like map-deals.
MATCH (m:Company)-[:HAS_DEAL]->(d:Deal)-[x:AGAINST|LOST_TO]->(k:Competitor)
WHERE m.group_id = $group_id AND m.active = true AND d.active = true AND d.created <= $as_of
WITH DISTINCT k, d,
     CASE WHEN d.status <> 'open' AND d.closed > $as_of THEN 'open' ELSE d.status END AS status
OPTIONAL MATCH (d)-[:LOST_TO]->(winner:Competitor)
WITH k, d, status, winner
RETURN k.name AS competitor, count(d) AS deals,
       sum(CASE WHEN status = 'won' THEN 1 ELSE 0 END) AS won,
       sum(CASE WHEN status = 'lost' AND winner.competitor_id = k.competitor_id THEN 1 ELSE 0 END)
         AS lost_to_them,
       sum(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open,
       max(d.created) AS last_met
ORDER BY deals DESC, competitor
