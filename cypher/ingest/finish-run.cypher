// name: finish-run
// purpose: Record the outcome and counts of an ingest run.
// params: run_id, props
// columns: run_id
MATCH (r:IngestRun {run_id: $run_id})
SET r += $props
RETURN r.run_id AS run_id
