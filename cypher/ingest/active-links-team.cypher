// name: active-links-team
// purpose: The sending system's active account team memberships (ON_TEAM), for ending those a --full export no longer lists.
// params: system
// columns: from, to
MATCH (a:Rep)-[r:ON_TEAM]->(b:Company)
WHERE coalesce(r.system, r.source) = $system AND r.active = true
RETURN a.rep_id AS from, b.account_id AS to
ORDER BY from, to
