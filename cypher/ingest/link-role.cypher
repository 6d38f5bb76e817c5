// name: link-role
// purpose: Link a contact to a deal, with their decision role (ROLE_IN); returns the refs of the rows whose both ends exist.
// params: rows, source, system, run_id, now
// columns: ref
// rows: [{ref, from, to, props}]; rows with a missing end return nothing (the loader rejects them).
// A row naming an inactive record does not revive the link (GUARDED_LINKS in
// kamgraph/schema/end_rules.py): it stays as the inactive rules left it.
UNWIND $rows AS row
MATCH (a:Contact {contact_id: row.from})
MATCH (b:Deal {deal_id: row.to})
MERGE (a)-[r:ROLE_IN]->(b)
ON CREATE SET r.first_run_id = $run_id, r.created_at = $now
SET r += row.props, r.source = $source, r.system = $system,
    r.active = CASE WHEN coalesce(a.active, true) AND coalesce(b.active, true)
                    THEN coalesce(row.props.active, true) ELSE coalesce(r.active, false) END
RETURN row.ref AS ref
