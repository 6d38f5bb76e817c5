// name: link-lost-to
// purpose: Link a lost deal to the competitor that won it (LOST_TO); returns the refs of the rows whose both ends exist.
// params: rows, source, run_id, now
// columns: ref
// rows: [{ref, from, to, props}]; rows with a missing end return nothing (the loader rejects them).
UNWIND $rows AS row
MATCH (a:Deal {deal_id: row.from})
MATCH (b:Competitor {competitor_id: row.to})
MERGE (a)-[r:LOST_TO]->(b)
ON CREATE SET r.first_run_id = $run_id, r.created_at = $now
SET r += row.props, r.source = $source, r.active = coalesce(row.props.active, true)
RETURN row.ref AS ref
