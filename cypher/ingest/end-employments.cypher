// name: end-employments
// purpose: End a contact's employments this source no longer states (the contact moved on).
// params: rows, source, today
// columns: ended
// rows: [{key, account_id}] for every contact in the export; account_id null when none.
UNWIND $rows AS row
MATCH (c:Contact {contact_id: row.key})-[r:WORKS_AT]->(co:Company)
WHERE r.source = $source AND r.active = true AND r.via = 'contact'
  AND (row.account_id IS NULL OR co.account_id <> row.account_id)
SET r.active = false, r.until = $today
RETURN count(r) AS ended
