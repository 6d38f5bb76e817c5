// name: end-reports-to
// purpose: End a contact's manager link when the sending system names another manager or none.
// params: rows, system, today
// columns: ended
// rows: [{key, to}] for every contact in the export; to null when it names no manager.
// End rule REPORTS_TO (kamgraph/schema/end_rules.py): one active manager per contact and system.
UNWIND $rows AS row
MATCH (c:Contact {contact_id: row.key})-[r:REPORTS_TO]->(m:Contact)
WHERE coalesce(r.system, r.source) = $system AND r.active = true AND (row.to IS NULL OR m.contact_id <> row.to)
SET r.active = false, r.until = $today
RETURN count(r) AS ended
