// name: end-listed-team
// purpose: End account team memberships (ON_TEAM) a --full export of the sending system no longer lists.
// params: rows, system, today
// columns: ended
// rows: [{from, to}]. End rule ON_TEAM (kamgraph/schema/end_rules.py).
UNWIND $rows AS row
MATCH (a:Rep {rep_id: row.from})-[r:ON_TEAM]->(b:Company {account_id: row.to})
WHERE coalesce(r.system, r.source) = $system AND r.active = true
SET r.active = false, r.until = $today
RETURN count(r) AS ended
