// name: end-deal-owners
// purpose: End ownership links of deals whose owner changed in the source (history kept).
// params: rows, source, today
// columns: ended
// rows: [{key, owner}] for every deal in the export; owner null when it has none.
UNWIND $rows AS row
MATCH (r:Rep)-[o:OWNS]->(d:Deal {deal_id: row.key})
WHERE o.source = $source AND o.active = true AND (row.owner IS NULL OR r.rep_id <> row.owner)
SET o.active = false, o.until = $today
RETURN count(o) AS ended
