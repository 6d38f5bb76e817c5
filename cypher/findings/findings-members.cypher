// name: findings-members
// purpose: Every company's group and whether it is active, to see which groups a run changed.
// params: -
// columns: account_id, group_id, active
MATCH (c:Company)
WHERE c.group_id IS NOT NULL
RETURN c.account_id AS account_id, c.group_id AS group_id, c.active = true AS active
