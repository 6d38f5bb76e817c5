// name: pending-supersede
// purpose: Drop references an earlier run of this source left pending for records this run stated again.
// params: rows, source, run_id
// columns: dropped
// rows: [{statement, owner}]: the records (owner = the end the source row describes) this run
// wrote links or end rules for. Their newer export replaces what an older one left pending, so
// a finance entry re-exported with another account never links to the old one later. Closed
// (state = 'superseded'), not deleted: see pending-done.
UNWIND $rows AS row
MATCH (p:PendingLink {owner: row.owner})
WHERE p.statement = row.statement AND p.source = $source AND p.run_id <> $run_id
  AND p.state IS NULL
SET p.state = 'superseded'
RETURN count(p) AS dropped
