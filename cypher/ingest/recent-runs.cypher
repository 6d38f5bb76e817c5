// name: recent-runs
// purpose: The latest ingest runs other than this one, newest first, to tell whether an export is unchanged.
// params: run_id, limit
// columns: run_id, source, system, status, fingerprint, unchanged, started_ns
// fingerprint: the digest of the run's input (kamgraph.ingest.unchanged); unchanged: whether the
// run skipped writing because its input repeated an earlier run's.
MATCH (r:IngestRun)
WHERE r.run_id <> $run_id
WITH r ORDER BY coalesce(r.started_ns, 0) DESC, r.started_at DESC, r.run_id DESC LIMIT $limit
RETURN r.run_id AS run_id, r.source AS source, r.system AS system, r.status AS status,
       r.fingerprint AS fingerprint, coalesce(r.unchanged, false) AS unchanged,
       coalesce(r.started_ns, 0) AS started_ns
ORDER BY started_ns DESC, run_id DESC
