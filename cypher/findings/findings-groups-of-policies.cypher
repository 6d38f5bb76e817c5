// name: findings-groups-of-policies
// purpose: The groups of the companies that issued the given policies.
// params: ids
// columns: group_id
MATCH (p:Policy)-[:ISSUED_BY]->(b:Company)
WHERE p.policy_id IN $ids AND b.group_id IS NOT NULL
RETURN DISTINCT b.group_id AS group_id
