// name: mark-abandoned-runs
// purpose: Mark runs still recorded as running as abandoned; only a run holding the store's writer lease or the ingest lock calls this.
// params: run_id, now, error
// columns: run_id
// One writer at a time: while this run holds the lock, no other run can still be running, so
// one that says so died without finishing (kill -9, power loss, a full disk).
MATCH (r:IngestRun)
WHERE r.status = 'running' AND r.run_id <> $run_id
SET r.status = 'abandoned', r.error = $error, r.abandoned_at = $now
RETURN r.run_id AS run_id
ORDER BY run_id
