// name: end-members-of-inactive-policy
// purpose: End the member links of procurement policies that are inactive.
// params: today
// columns: ended
// Inactive rule (kamgraph/schema/end_rules.py); runs after every run.
MATCH (n:Policy)-[r:APPLIES_TO]->(:Company)
WHERE n.active = false AND r.active = true
SET r.active = false, r.until = $today
RETURN count(r) AS ended
