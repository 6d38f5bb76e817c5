// name: scrub-pending-links
// purpose: Empty pending references that named an erased contact (closed, never deleted).
// params: rows
// columns: scrubbed
// rows: [{pending_id, token}]. The node stays (docs/portable-cypher.md rule 15) with a new
// random id and nothing of the row that named the person.
UNWIND $rows AS row
MATCH (p:PendingLink {pending_id: row.pending_id})
SET p.pending_id = row.token, p.state = 'erased', p.from_key = null, p.to_key = null,
    p.owner = null, p.props = null, p.file = null, p.line = null, p.field = null,
    p.reason = null
RETURN count(p) AS scrubbed
