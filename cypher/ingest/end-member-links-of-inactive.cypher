// name: end-member-links-of-inactive
// purpose: End members' parent links to companies that are inactive; the members are reported.
// params: today
// columns: member, parent, rel_type
// Inactive rule (kamgraph/schema/end_rules.py); runs after every CRM run, so it also ends links
// that were active when their record became inactive in an earlier run or another way.
MATCH (m:Company)-[r:SUBSIDIARY_OF|BRANCH_OF]->(n:Company)
WHERE n.active = false AND r.active = true
SET r.active = false, r.until = $today
RETURN m.account_id AS member, n.account_id AS parent, type(r) AS rel_type
ORDER BY member, parent
