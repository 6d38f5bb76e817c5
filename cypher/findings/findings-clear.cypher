// name: findings-clear
// purpose: Drop every stored finding, so queries answer live until the next ingest computes them again.
// params: -
// columns: deleted
// Run by every writer that changes the graph outside an ingest run (erasure, forget).
MATCH (f:Finding)
DELETE f
RETURN count(*) AS deleted
