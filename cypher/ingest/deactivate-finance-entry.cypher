// name: deactivate-finance-entry
// purpose: Mark FinanceEntry records a --full export no longer lists inactive (kept, never erased).
// params: rows, today
// columns: deactivated
UNWIND $rows AS row
MATCH (n:FinanceEntry {entry_id: row.key})
WHERE n.active = true
SET n.active = false, n.inactive_since = $today, n.content_hash = null
RETURN count(n) AS deactivated
