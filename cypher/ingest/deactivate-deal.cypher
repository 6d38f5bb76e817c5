// name: deactivate-deal
// purpose: Mark Deal records deleted in the source inactive (kept, never erased).
// params: rows, today
// columns: deactivated
UNWIND $rows AS row
MATCH (n:Deal {deal_id: row.key})
WHERE n.active = true
SET n.active = false, n.inactive_since = $today, n.content_hash = null
RETURN count(n) AS deactivated
