// name: end-listed-roles
// purpose: End decision roles (ROLE_IN) a --full export of the sending system no longer lists.
// params: rows, system, today
// columns: ended
// rows: [{from, to}]. End rule ROLE_IN (kamgraph/schema/end_rules.py).
UNWIND $rows AS row
MATCH (a:Contact {contact_id: row.from})-[r:ROLE_IN]->(b:Deal {deal_id: row.to})
WHERE coalesce(r.system, r.source) = $system AND r.active = true
SET r.active = false, r.until = $today
RETURN count(r) AS ended
