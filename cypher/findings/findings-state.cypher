// name: findings-state
// purpose: The findings bookkeeping: whether the maintained findings are complete, and the membership they were computed for.
// params: -
// columns: complete, as_of, members
// One node (finding_id '@state'); no node means no findings yet (the next ingest computes
// them all). members is the JSON text of {account_id: [group_id, active]} at the last refresh.
MATCH (f:Finding {finding_id: '@state'})
RETURN f.complete AS complete, f.as_of AS as_of, f.members AS members
