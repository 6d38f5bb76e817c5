// name: runs
// purpose: Ingest runs, newest first, with the link references each still has pending.
// params: limit=20
// columns: run_id, source, status, started_at, finished_at, rows_read, created, updated, linked, rejected, deactivated, links_ended, pending, still_pending, error, writer, started_ns, suppressed, erased, unchanged
// started_ns orders runs that started within the same second (0 for runs recorded before it).
// deactivated: records made inactive (deleted in the source, or missing from a --full export);
// links_ended: links the end rules ended (kamgraph/schema/end_rules.py). Runs recorded before
// these counts existed show 0. suppressed: rows skipped because they name a forgotten person;
// erased: people the retention window erased (docs/personal-data.md). unchanged: the run's input
// repeated an earlier run's and its records were not written again (kamgraph.ingest.unchanged).
// pending: references the run left pending when it finished; still_pending: how many of those
// (or of any it stated again) wait now. writer is host:pid:run_id of the process; kamgraph
// runs shows a "running" run whose writer is gone as abandoned (kamgraph.ingest.runs).
MATCH (r:IngestRun)
WITH r ORDER BY r.started_at DESC, coalesce(r.started_ns, 0) DESC, r.run_id DESC LIMIT $limit
OPTIONAL MATCH (p:PendingLink)
WHERE p.run_id = r.run_id AND p.state IS NULL
WITH r, count(p) AS still_pending
RETURN r.run_id AS run_id, r.source AS source, r.status AS status, r.started_at AS started_at,
       r.finished_at AS finished_at, r.rows_read AS rows_read, r.created AS created,
       r.updated AS updated, r.linked AS linked, r.rejected AS rejected,
       coalesce(r.deactivated, 0) AS deactivated, coalesce(r.links_ended, 0) AS links_ended,
       r.pending AS pending, still_pending, r.error AS error, r.writer AS writer,
       coalesce(r.started_ns, 0) AS started_ns, coalesce(r.suppressed, 0) AS suppressed,
       coalesce(r.erased, 0) AS erased, coalesce(r.unchanged, false) AS unchanged
ORDER BY started_at DESC, started_ns DESC, run_id DESC
