// name: link-policy-member
// purpose: Link a procurement policy to a member it binds (APPLIES_TO); returns the refs of the rows whose both ends exist.
// params: rows, source, system, run_id, now
// columns: ref
// rows: [{ref, from, to, props}]; rows with a missing end return nothing (the loader rejects them).
UNWIND $rows AS row
MATCH (a:Policy {policy_id: row.from})
MATCH (b:Company {account_id: row.to})
MERGE (a)-[r:APPLIES_TO]->(b)
ON CREATE SET r.first_run_id = $run_id, r.created_at = $now
SET r += row.props, r.source = $source, r.system = $system, r.active = coalesce(row.props.active, true)
RETURN row.ref AS ref
