// name: end-deal-accounts
// purpose: End a deal's account link when the sending system moved the deal to another account.
// params: rows, system, today
// columns: ended
// rows: [{key, to}] for every deal in the export; to null when it names no account.
// End rule HAS_DEAL (kamgraph/schema/end_rules.py).
UNWIND $rows AS row
MATCH (a:Company)-[r:HAS_DEAL]->(d:Deal {deal_id: row.key})
WHERE coalesce(r.system, r.source) = $system AND r.active = true AND (row.to IS NULL OR a.account_id <> row.to)
SET r.active = false, r.until = $today
RETURN count(r) AS ended
