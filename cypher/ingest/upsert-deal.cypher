// name: upsert-deal
// purpose: Create or update deals (opportunities); rows whose content hash is unchanged are left alone.
// params: rows, source, system, run_id, now
// columns: changed
// rows: [{key, hash, props}]; props never holds provenance fields.
UNWIND $rows AS row
MERGE (n:Deal {deal_id: row.key})
ON CREATE SET n.first_run_id = $run_id, n.created_at = $now
WITH n, row
WHERE n.content_hash IS NULL OR n.content_hash <> row.hash
SET n += row.props, n.content_hash = row.hash, n.source = $source, n.system = $system,
    n.run_id = $run_id, n.updated_at = $now, n.active = true
RETURN count(n) AS changed
