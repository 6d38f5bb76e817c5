// name: findings-runs-since
// purpose: The ingest runs that started after the findings were last refreshed (their changes are not in them yet).
// params: after
// columns: run_id, day, started_ns
// after is the started_ns of the run that last refreshed the findings. A run still going, or
// one that failed before its refresh, is listed: reads answer live while any is, and the next
// refresh looks at the changes of all of them.
MATCH (r:IngestRun)
WHERE coalesce(r.started_ns, 0) > $after
RETURN r.run_id AS run_id, substring(r.started_at, 0, 10) AS day, r.started_ns AS started_ns
