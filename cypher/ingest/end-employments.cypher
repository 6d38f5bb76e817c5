// name: end-employments
// purpose: End a contact's employments the sending system no longer states (the contact moved on).
// params: rows, system, today
// columns: ended
// rows: [{key, to}] for every contact in the export; to null when it names no employer.
// End rule WORKS_AT (kamgraph/schema/end_rules.py); AccountContactRelation links are not ended here.
UNWIND $rows AS row
MATCH (c:Contact {contact_id: row.key})-[r:WORKS_AT]->(co:Company)
WHERE coalesce(r.system, r.source) = $system AND r.active = true AND r.via = 'contact'
  AND (row.to IS NULL OR co.account_id <> row.to)
SET r.active = false, r.until = $today
RETURN count(r) AS ended
