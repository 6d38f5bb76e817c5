// name: retire-hierarchy-company
// purpose: A company a hierarchy source created is now matched to a CRM company: mark it inactive, point it at that company and end this source's parent links on it.
// params: rows, source, today
// columns: retired
// rows: [{key, by}]. Only nodes this source created are touched; history is kept, not erased.
UNWIND $rows AS row
MATCH (n:Company {account_id: row.key})
WHERE n.source = $source AND n.active = true
SET n.active = false, n.inactive_since = $today, n.superseded_by = row.by
WITH n
OPTIONAL MATCH (n)-[r:SUBSIDIARY_OF|BRANCH_OF]-(:Company)
WHERE r.source = $source AND r.active = true
SET r.active = false, r.until = $today
RETURN count(DISTINCT n) AS retired
