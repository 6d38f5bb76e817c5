// name: end-parent-links
// purpose: End this source's parent links that its latest export no longer states (history kept).
// params: rows, source, today
// columns: ended
// rows: [{key, parent, rel_type}] for every company in the export; parent null when it has none.
UNWIND $rows AS row
MATCH (c:Company {account_id: row.key})-[r:SUBSIDIARY_OF|BRANCH_OF]->(p:Company)
WHERE r.source = $source AND r.active = true
  AND (row.parent IS NULL OR p.account_id <> row.parent OR type(r) <> row.rel_type)
SET r.active = false, r.until = $today
RETURN count(r) AS ended
