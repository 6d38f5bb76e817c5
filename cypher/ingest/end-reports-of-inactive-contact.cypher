// name: end-reports-of-inactive-contact
// purpose: End the manager links of people reporting to contacts that are inactive.
// params: today
// columns: ended
// Inactive rule (kamgraph/schema/end_rules.py); runs after every CRM run, so it also ends links
// that were active when their record became inactive in an earlier run or another way.
MATCH (:Contact)-[r:REPORTS_TO]->(n:Contact)
WHERE n.active = false AND r.active = true
SET r.active = false, r.until = $today
RETURN count(r) AS ended
