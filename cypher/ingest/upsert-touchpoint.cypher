// name: upsert-touchpoint
// purpose: Create or update touchpoints (CRM tasks and events between a rep and a contact).
// params: rows, source, run_id, now
// columns: changed
// rows: [{key, hash, props}]; props never holds provenance fields.
UNWIND $rows AS row
MERGE (n:Touchpoint {touchpoint_id: row.key})
ON CREATE SET n.first_run_id = $run_id, n.created_at = $now
WITH n, row
WHERE n.content_hash IS NULL OR n.content_hash <> row.hash
SET n += row.props, n.content_hash = row.hash, n.source = $source, n.run_id = $run_id,
    n.updated_at = $now, n.active = true
RETURN count(n) AS changed
