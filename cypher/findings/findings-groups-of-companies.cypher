// name: findings-groups-of-companies
// purpose: The groups of the given companies (whose findings a change to them may change).
// params: ids
// columns: group_id
MATCH (b:Company)
WHERE b.account_id IN $ids AND b.group_id IS NOT NULL
RETURN DISTINCT b.group_id AS group_id
