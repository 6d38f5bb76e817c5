// name: findings-read
// purpose: The maintained findings of one query: every group's stored rows and the dates they hold for.
// params: query
// columns: group_id, rows, floor, horizon
// kamgraph/queries/findings.py: rows is the JSON text of the group's rows (as the per-group
// form returns them, before the Python finishing step); they equal the live answer for any
// as_of with floor <= as_of < horizon (null: unbounded).
MATCH (f:Finding)
WHERE f.query = $query
RETURN f.group_id AS group_id, f.rows AS rows, f.floor AS floor, f.horizon AS horizon
