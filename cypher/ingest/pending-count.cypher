// name: pending-count
// purpose: How many link references are pending: all of them, those of one source, or those a run left.
// params: source=null, run_id=null, other_runs=false
// columns: pending
// other_runs=true counts those of the source that runs other than run_id left (the ones this
// run may supersede).
MATCH (p:PendingLink)
WHERE p.state IS NULL
  AND ($source IS NULL OR p.source = $source)
  AND ($run_id IS NULL OR (p.run_id = $run_id) <> $other_runs)
RETURN count(p) AS pending
