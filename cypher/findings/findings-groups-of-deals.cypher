// name: findings-groups-of-deals
// purpose: The groups of the accounts of the given deals.
// params: ids
// columns: group_id
MATCH (b:Company)-[:HAS_DEAL]->(d:Deal)
WHERE d.deal_id IN $ids AND b.group_id IS NOT NULL
RETURN DISTINCT b.group_id AS group_id
