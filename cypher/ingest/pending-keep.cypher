// name: pending-keep
// purpose: Keep link references whose other end is not loaded yet, to be completed when it arrives.
// params: rows, source, system, run_id, now
// columns: kept
// rows: [{pending_id, statement, from, to, owner, props, file, line, field, reason}]; props is
// the link's properties as JSON text (a property cannot hold a map). pending_id is one per
// source, statement and both ends: stating the same reference again moves it to the newer run
// (run_id, stated_at, where it was read) and keeps when it was first seen (since).
UNWIND $rows AS row
MERGE (p:PendingLink {pending_id: row.pending_id})
ON CREATE SET p.since = $now, p.first_run_id = $run_id
SET p.statement = row.statement, p.source = $source, p.system = $system, p.run_id = $run_id,
    p.stated_at = $now,
    p.from_key = row.from, p.to_key = row.to, p.owner = row.owner, p.props = row.props,
    p.file = row.file, p.line = row.line, p.field = row.field, p.reason = row.reason,
    p.state = null
RETURN count(p) AS kept
