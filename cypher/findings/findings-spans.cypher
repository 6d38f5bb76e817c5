// name: findings-spans
// purpose: Every stored group's span of valid as_of dates, without its rows (what a refresh checks).
// params: -
// columns: query, group_id, floor, horizon
MATCH (f:Finding)
WHERE f.group_id IS NOT NULL
RETURN f.query AS query, f.group_id AS group_id, f.floor AS floor, f.horizon AS horizon
