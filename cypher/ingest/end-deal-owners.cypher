// name: end-deal-owners
// purpose: End ownership links of deals whose owner changed in the sending system (history kept).
// params: rows, system, today
// columns: ended
// rows: [{key, to}] for every deal in the export; to null when it has no owner.
// End rule OWNS (kamgraph/schema/end_rules.py).
UNWIND $rows AS row
MATCH (o:Rep)-[r:OWNS]->(d:Deal {deal_id: row.key})
WHERE coalesce(r.system, r.source) = $system AND r.active = true AND (row.to IS NULL OR o.rep_id <> row.to)
SET r.active = false, r.until = $today
RETURN count(r) AS ended
