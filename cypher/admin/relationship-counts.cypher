// name: relationship-counts
// purpose: Number of relationships per type.
// params: -
// columns: type, count
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type
