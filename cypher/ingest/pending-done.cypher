// name: pending-done
// purpose: Remove pending link references that were completed.
// params: ids
// columns: removed
// ids: [pending_id]
UNWIND $ids AS pending_id
MATCH (p:PendingLink {pending_id: pending_id})
DETACH DELETE p
RETURN count(*) AS removed
