// name: group-account-touchpoints
// purpose: Touchpoints per rep and active company between two dates, for the key-account scorecard.
// params: since="0000", as_of=@today
// fragments: employed-on
// columns: rep_id, account_id, touchpoints
// A touchpoint concerns a company when it was about that company (CONCERNS), about one of its
// active deals, or with an active contact employed there on the touchpoint's date; it counts
// once per company it concerns. Only touchpoints a rep LOGGED count.
MATCH (r:Rep)-[:LOGGED]->(t:Touchpoint)
WHERE t.date >= $since AND t.date <= $as_of
OPTIONAL MATCH (t)-[:`WITH`]->(c:Contact)-[w:WORKS_AT]->(a1:Company)
WHERE a1.active = true AND @employed-on(c, w, t.date)
WITH r, t, collect(DISTINCT a1.account_id) AS met_at
OPTIONAL MATCH (t)-[:CONCERNS]->(a2:Company)
WHERE a2.active = true
WITH r, t, met_at, collect(DISTINCT a2.account_id) AS about
OPTIONAL MATCH (t)-[:CONCERNS]->(d:Deal)<-[:HAS_DEAL]-(a3:Company)
WHERE d.active = true AND a3.active = true
WITH r, t, met_at, about, collect(DISTINCT a3.account_id) AS dealt_with
UNWIND met_at + about + dealt_with AS account_id
WITH DISTINCT r.rep_id AS rep_id, t.touchpoint_id AS touchpoint_id, account_id
RETURN rep_id, account_id, count(touchpoint_id) AS touchpoints
ORDER BY rep_id, account_id
