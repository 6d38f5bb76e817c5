// name: findings-write
// purpose: Store findings (one node per query and group, or the '@state' node).
// params: rows
// columns: written
// Each row is {finding_id, props}; props replace the node's stored ones.
UNWIND $rows AS row
MERGE (f:Finding {finding_id: row.finding_id})
SET f += row.props
RETURN count(f) AS written
