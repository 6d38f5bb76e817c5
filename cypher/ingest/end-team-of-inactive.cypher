// name: end-team-of-inactive
// purpose: End account team memberships of companies that are inactive.
// params: today
// columns: ended
// Inactive rule (kamgraph/schema/end_rules.py); runs after every CRM run, so it also ends links
// that were active when their record became inactive in an earlier run or another way.
MATCH (:Rep)-[r:ON_TEAM]->(n:Company)
WHERE n.active = false AND r.active = true
SET r.active = false, r.until = $today
RETURN count(r) AS ended
