// name: pending-done
// purpose: Close pending link references that were completed (kept as closed, never deleted).
// params: ids
// columns: removed
// ids: [pending_id]. Closed, not deleted: deleting nodes in a durable kglite store and creating
// others after a reopen collides with the ids of existing nodes (kglite 0.21.2).
UNWIND $ids AS pending_id
MATCH (p:PendingLink {pending_id: pending_id})
WHERE p.state IS NULL
SET p.state = 'completed'
RETURN count(p) AS removed
