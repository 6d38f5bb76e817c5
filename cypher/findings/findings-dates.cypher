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
WITH m, collect(d.created) + collect(CASE WHEN d.status <> 'open' THEN d.closed END) AS days
OPTIONAL MATCH (m)-[up:SUBSIDIARY_OF|BRANCH_OF]->(:Company)
WITH m, days + collect(up.since) + collect(up.until) AS days
OPTIONAL MATCH (:Contact)-[w:WORKS_AT]->(m)
WITH m, days + collect(w.since) + collect(w.until) AS days
OPTIONAL MATCH (pol:Policy)-[:ISSUED_BY]->(m)
WITH m, days + collect(pol.issued_on) AS days
WITH m.group_id AS group_id, days
UNWIND days AS day
RETURN group_id, max(CASE WHEN day <= $as_of THEN day END) AS floor,
       min(CASE WHEN day > $as_of THEN day END) AS horizon
