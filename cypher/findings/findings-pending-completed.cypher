// name: findings-pending-completed
// purpose: The ends of every pending link that has been completed (written into the graph).
// params: -
// columns: pending_id, from_key, to_key
// A completed link carries the run id and time of the run that stated it, not of the run
// that wrote it; kamgraph/queries/findings.py keeps the ids it has seen in its '@state' node.
MATCH (p:PendingLink)
WHERE p.state = 'completed'
RETURN p.pending_id AS pending_id, p.from_key AS from_key, p.to_key AS to_key
