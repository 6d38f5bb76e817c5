// name: active-links-roles
// purpose: The sending system's active decision roles (ROLE_IN), for ending those a --full export no longer lists.
// params: system
// columns: from, to
MATCH (a:Contact)-[r:ROLE_IN]->(b:Deal)
WHERE coalesce(r.system, r.source) = $system AND r.active = true
RETURN a.contact_id AS from, b.deal_id AS to
ORDER BY from, to
