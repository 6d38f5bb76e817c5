// name: upsert-fx-rate
// purpose: Create or update exchange rates (units of a currency per 1 EUR on a date); unchanged rows are left alone.
// params: rows, source, run_id, now
// columns: changed
// rows: [{key, hash, props}]; key is CURRENCY@YYYY-MM-DD.
UNWIND $rows AS row
MERGE (n:FxRate {rate_id: row.key})
ON CREATE SET n.first_run_id = $run_id, n.created_at = $now
WITH n, row
WHERE n.content_hash IS NULL OR n.content_hash <> row.hash
SET n += row.props, n.content_hash = row.hash, n.source = $source, n.run_id = $run_id,
    n.updated_at = $now, n.active = true
RETURN count(n) AS changed
