// name: link-touchpoint-rep
// purpose: Link the rep who had a touchpoint (LOGGED); returns the refs of the rows whose both ends exist.
// params: rows, source, run_id, now
// columns: ref
// rows: [{ref, from, to, props}]; rows with a missing end return nothing (the loader rejects them).
UNWIND $rows AS row
MATCH (a:Rep {rep_id: row.from})
MATCH (b:Touchpoint {touchpoint_id: row.to})
MERGE (a)-[r:LOGGED]->(b)
ON CREATE SET r.first_run_id = $run_id, r.created_at = $now
SET r += row.props, r.source = $source, r.active = coalesce(row.props.active, true)
RETURN row.ref AS ref
