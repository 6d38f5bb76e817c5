// name: group-reps
// purpose: Every rep (our side of the relationship graph) with name, title and tier.
// params: -
// columns: rep_id, name, job_title, tier
MATCH (r:Rep)
RETURN r.rep_id AS rep_id, r.name AS name, r.job_title AS job_title, r.tier AS tier
ORDER BY rep_id
