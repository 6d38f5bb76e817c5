// name: link-hierarchy-subsidiary
// purpose: Link a subsidiary to its parent as a hierarchy source states it (SUBSIDIARY_OF, one per source beside the CRM's own); returns the refs of the rows whose both ends exist.
// params: rows, source, run_id, now
// columns: ref
// rows: [{ref, from, to, props}]; props carry active, until and the source's own fields.
// MERGE on {source}: a source's link never takes over another source's link between the same
// two companies, so each statement of the hierarchy stays visible and can end on its own.
UNWIND $rows AS row
MATCH (a:Company {account_id: row.from})
MATCH (b:Company {account_id: row.to})
MERGE (a)-[r:SUBSIDIARY_OF {source: $source}]->(b)
ON CREATE SET r.first_run_id = $run_id, r.created_at = $now
SET r += row.props
RETURN row.ref AS ref
