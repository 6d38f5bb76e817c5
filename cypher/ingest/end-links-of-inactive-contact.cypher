// name: end-links-of-inactive-contact
// purpose: End the employments, manager link and decision roles of contacts that are inactive.
// params: today
// columns: ended
// Inactive rule (kamgraph/schema/end_rules.py); runs after every CRM run, so it also ends links
// that were active when their record became inactive in an earlier run or another way.
MATCH (n:Contact)-[r:WORKS_AT|REPORTS_TO|ROLE_IN]->()
WHERE n.active = false AND r.active = true
SET r.active = false, r.until = $today
RETURN count(r) AS ended
