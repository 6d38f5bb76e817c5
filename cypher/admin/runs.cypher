// name: runs
// purpose: Ingest runs, newest first.
// params: limit=20
// columns: run_id, source, status, started_at, finished_at, rows_read, created, updated, linked, rejected, deactivated, links_ended
// deactivated: records made inactive (deleted in the source, or missing from a --full export);
// links_ended: links the end rules ended (kamgraph/schema/end_rules.py). Runs recorded before
// these counts existed show 0.
MATCH (r:IngestRun)
RETURN r.run_id AS run_id, r.source AS source, r.status AS status, r.started_at AS started_at,
       r.finished_at AS finished_at, r.rows_read AS rows_read, r.created AS created,
       r.updated AS updated, r.linked AS linked, r.rejected AS rejected,
       coalesce(r.deactivated, 0) AS deactivated, coalesce(r.links_ended, 0) AS links_ended
ORDER BY started_at DESC, run_id DESC
LIMIT $limit
