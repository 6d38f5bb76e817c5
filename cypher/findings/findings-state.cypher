// name: findings-state
// purpose: The findings bookkeeping: whether the maintained findings are complete, and which ingest run refreshed them last.
// params: -
// columns: complete, as_of, started_ns
// One node (finding_id '@state'); no node means no findings yet (the next ingest computes
// them all). started_ns is that of the ingest run that refreshed them last.
MATCH (f:Finding {finding_id: '@state'})
RETURN f.complete AS complete, f.as_of AS as_of, f.started_ns AS started_ns
