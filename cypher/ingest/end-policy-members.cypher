// name: end-policy-members
// purpose: End a policy's member links to companies its latest row no longer lists.
// params: rows, system, today
// columns: ended
// rows: [{key, to}] for every policy in the file; to is the list of member ids ([] for "all").
// End rule APPLIES_TO (kamgraph/schema/end_rules.py).
UNWIND $rows AS row
MATCH (p:Policy {policy_id: row.key})-[r:APPLIES_TO]->(c:Company)
WHERE coalesce(r.system, r.source) = $system AND r.active = true AND NOT c.account_id IN row.to
SET r.active = false, r.until = $today
RETURN count(r) AS ended
