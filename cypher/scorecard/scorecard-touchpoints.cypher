// name: scorecard-touchpoints
// purpose: Touchpoints per rep and account between two dates, for the key-account scorecard.
// params: since="0000", as_of=@today
// columns: rep_id, account_id, touchpoints
// A touchpoint concerns an account when it was about that account (CONCERNS), about one of its
// deals, or with a contact employed there on the touchpoint's date; it counts once per
// account it concerns. Only touchpoints a rep LOGGED count.
MATCH (r:Rep)-[:LOGGED]->(t:Touchpoint)
WHERE t.date >= $since AND t.date <= $as_of
OPTIONAL MATCH (t)-[:`WITH`]->(:Contact)-[w:WORKS_AT]->(a1:Company)
WHERE coalesce(w.since, '0000') <= t.date AND (w.until IS NULL OR w.until > t.date)
  AND (w.active = true OR w.until IS NOT NULL)
WITH r, t, collect(DISTINCT a1.account_id) AS met_at
OPTIONAL MATCH (t)-[:CONCERNS]->(a2:Company)
WITH r, t, met_at, collect(DISTINCT a2.account_id) AS about
OPTIONAL MATCH (t)-[:CONCERNS]->(:Deal)<-[:HAS_DEAL]-(a3:Company)
WITH r, t, met_at, about, collect(DISTINCT a3.account_id) AS dealt_with
UNWIND met_at + about + dealt_with AS account_id
WITH DISTINCT r.rep_id AS rep_id, t.touchpoint_id AS touchpoint_id, account_id
RETURN rep_id, account_id, count(touchpoint_id) AS touchpoints
ORDER BY rep_id, account_id
