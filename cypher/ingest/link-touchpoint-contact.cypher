// name: link-touchpoint-contact
// purpose: Link a touchpoint to the contact met (WITH); returns the refs of the rows whose both ends exist.
// params: rows, source, run_id, now
// columns: ref
// rows: [{ref, from, to, props}]; rows with a missing end return nothing (the loader rejects them).
// WITH is a Cypher keyword: kglite refuses it as a bare relationship type, so it is backticked.
UNWIND $rows AS row
MATCH (a:Touchpoint {touchpoint_id: row.from})
MATCH (b:Contact {contact_id: row.to})
MERGE (a)-[r:`WITH`]->(b)
ON CREATE SET r.first_run_id = $run_id, r.created_at = $now
SET r += row.props, r.source = $source, r.active = coalesce(row.props.active, true)
RETURN row.ref AS ref
