// name: findings-groups-of-roles
// purpose: The groups of the accounts of every deal the given contacts hold a role in.
// params: ids
// columns: group_id
MATCH (k:Contact)-[:ROLE_IN]->(:Deal)<-[:HAS_DEAL]-(b:Company)
WHERE k.contact_id IN $ids AND b.group_id IS NOT NULL
RETURN DISTINCT b.group_id AS group_id
