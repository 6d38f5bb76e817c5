// name: end-parent-links
// purpose: End the sending system's parent links that its latest export no longer states (history kept).
// params: rows, system, today
// columns: ended
// rows: [{key, to, rel_type}] for every company in the export; to null when it has no parent.
// End rule SUBSIDIARY_OF / BRANCH_OF (kamgraph/schema/end_rules.py).
UNWIND $rows AS row
MATCH (c:Company {account_id: row.key})-[r:SUBSIDIARY_OF|BRANCH_OF]->(p:Company)
WHERE coalesce(r.system, r.source) = $system AND r.active = true
  AND (row.to IS NULL OR p.account_id <> row.to OR type(r) <> row.rel_type)
SET r.active = false, r.until = $today
RETURN count(r) AS ended
