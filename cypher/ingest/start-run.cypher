// name: start-run
// purpose: Record the start of an ingest run.
// params: run_id, props
// columns: run_id
CREATE (r:IngestRun {run_id: $run_id})
SET r += $props
RETURN r.run_id AS run_id
