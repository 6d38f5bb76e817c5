// name: findings-groups-of-competitors
// purpose: The groups of the accounts of every deal lost to the given competitors.
// params: ids
// columns: group_id
MATCH (b:Company)-[:HAS_DEAL]->(:Deal)-[:LOST_TO]->(x:Competitor)
WHERE x.competitor_id IN $ids AND b.group_id IS NOT NULL
RETURN DISTINCT b.group_id AS group_id
