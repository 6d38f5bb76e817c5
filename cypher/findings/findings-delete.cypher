// name: findings-delete
// purpose: Drop the stored findings with the given ids (groups that no longer exist).
// params: ids
// columns: deleted
MATCH (f:Finding)
WHERE f.finding_id IN $ids
DELETE f
RETURN count(*) AS deleted
