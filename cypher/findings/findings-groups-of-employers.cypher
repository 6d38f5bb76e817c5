// name: findings-groups-of-employers
// purpose: The groups of every company the given contacts work or worked at.
// params: ids
// columns: group_id
MATCH (k:Contact)-[:WORKS_AT]->(b:Company)
WHERE k.contact_id IN $ids AND b.group_id IS NOT NULL
RETURN DISTINCT b.group_id AS group_id
