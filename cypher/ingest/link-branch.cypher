// name: link-branch
// purpose: Link a branch to its headquarters (BRANCH_OF); returns the refs of the rows whose both ends exist.
// params: rows, source, system, run_id, now
// columns: ref
// rows: [{ref, from, to, props}]; rows with a missing end return nothing (the loader rejects them).
// Written the end-rules way (GUARDED_LINKS in kamgraph/schema/end_rules.py): while either
// end is inactive the link keeps its active / until (a row that still names an inactive
// record does not revive it); otherwise it is active and its until is the row's (none).
UNWIND $rows AS row
MATCH (a:Company {account_id: row.from})
MATCH (b:Company {account_id: row.to})
MERGE (a)-[r:BRANCH_OF {source: $source}]->(b)
ON CREATE SET r.first_run_id = $run_id, r.created_at = $now
WITH r, row, coalesce(a.active, true) AND coalesce(b.active, true) AS live,
     r.active AS was_active, r.until AS was_until
SET r += row.props, r.source = $source, r.system = $system,
    r.active = CASE WHEN live THEN coalesce(row.props.active, true)
                    ELSE coalesce(was_active, false) END,
    r.until = CASE WHEN live THEN row.props.until ELSE was_until END
RETURN row.ref AS ref
