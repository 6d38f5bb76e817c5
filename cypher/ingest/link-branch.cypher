// name: link-branch
// purpose: Link a branch to its headquarters (BRANCH_OF); returns the refs of the rows whose both ends exist.
// params: rows, source, run_id, now
// columns: ref
// rows: [{ref, from, to, props}]; rows with a missing end return nothing (the loader rejects them).
UNWIND $rows AS row
MATCH (a:Company {account_id: row.from})
MATCH (b:Company {account_id: row.to})
MERGE (a)-[r:BRANCH_OF {source: $source}]->(b)
ON CREATE SET r.first_run_id = $run_id, r.created_at = $now
SET r += row.props, r.source = $source, r.active = coalesce(row.props.active, true)
RETURN row.ref AS ref
