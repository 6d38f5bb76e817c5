// name: runs-not-repeatable
// purpose: Forgets every earlier run's input digest: after people were erased or a suppression lifted, the same export reads differently, so no run may be taken as repeated.
// params: -
// columns: runs
// kamgraph.ingest.unchanged skips a run whose input digest equals the latest run's; this is
// called by kamgraph.personal.erase after a forget, an undo or a retention erasure.
MATCH (r:IngestRun)
WHERE r.fingerprint IS NOT NULL
SET r.fingerprint = null
RETURN count(r) AS runs
