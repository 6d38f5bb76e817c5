// name: findings-dates
// purpose: Per group, the span of as_of dates over which its procurement-links and cross-sell-gaps answers stay the same.
// params: group_ids, as_of
// columns: group_id, floor, horizon
// An answer read with as_of = D equals the one computed for as_of = A as long as no date here
// lies between them (every comparison in those queries is 'date <= as_of' or its negation):
// deal created dates, close dates of closed deals (an open deal's expected close date is
// never compared), since/until of parent links and of employments at members, and issue dates
// of the group's policies. floor is the latest of them on or before as_of, horizon the first
// after it: the group's answer holds for floor <= as_of < horizon (null: unbounded).
MATCH (m:Company)
WHERE m.group_id IN $group_ids
OPTIONAL MATCH (m)-[:HAS_DEAL]->(d:Deal)
WITH m, collect(d.created) + collect(CASE WHEN d.status <> 'open' THEN d.closed END) AS deal_days
OPTIONAL MATCH (m)-[up:SUBSIDIARY_OF|BRANCH_OF]->(:Company)
WITH m, deal_days, collect(up.since) + collect(up.until) AS link_days
OPTIONAL MATCH (:Contact)-[w:WORKS_AT]->(m)
WITH m, deal_days, link_days, collect(w.since) + collect(w.until) AS work_days
OPTIONAL MATCH (pol:Policy)-[:ISSUED_BY]->(m)
WITH m, deal_days, link_days, work_days, collect(pol.issued_on) AS policy_days
WITH m.group_id AS group_id, deal_days + link_days + work_days + policy_days AS days
UNWIND days AS day
RETURN group_id, max(CASE WHEN day <= $as_of THEN day END) AS floor,
       min(CASE WHEN day > $as_of THEN day END) AS horizon
