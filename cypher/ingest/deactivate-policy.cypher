// name: deactivate-policy
// purpose: Mark Policy records a --full export no longer lists inactive (kept, never erased).
// params: rows, today
// columns: deactivated
UNWIND $rows AS row
MATCH (n:Policy {policy_id: row.key})
WHERE n.active = true
SET n.active = false, n.inactive_since = $today, n.content_hash = null
RETURN count(n) AS deactivated
