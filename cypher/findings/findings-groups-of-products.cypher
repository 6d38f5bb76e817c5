// name: findings-groups-of-products
// purpose: The groups of the accounts of every deal that includes the given products.
// params: ids
// columns: group_id
MATCH (b:Company)-[:HAS_DEAL]->(:Deal)-[:INCLUDES]->(p:Product)
WHERE p.product_id IN $ids AND b.group_id IS NOT NULL
RETURN DISTINCT b.group_id AS group_id
