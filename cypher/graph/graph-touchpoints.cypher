// name: graph-touchpoints
// purpose: Touchpoints per rep and contact of one group (or every group) between two dates: how often and when last.
// params: group_id=null, since="0000", as_of=@today
// columns: rep_id, contact_id, group_id, touchpoints, first_date, last_date
// A touchpoint counts for the group of the member the contact was employed at on its date.
// Touchpoints without a rep (no LOGGED) or without a contact (no WITH) are not in here.
MATCH (r:Rep)-[:LOGGED]->(t:Touchpoint)-[:`WITH`]->(c:Contact)-[w:WORKS_AT]->(m:Company)
WHERE m.group_id IS NOT NULL AND ($group_id IS NULL OR m.group_id = $group_id)
  AND t.date >= $since AND t.date <= $as_of
  AND coalesce(w.since, '0000') <= t.date AND (w.until IS NULL OR w.until > t.date)
  AND (w.active = true OR w.until IS NOT NULL)
WITH DISTINCT r.rep_id AS rep_id, c.contact_id AS contact_id, m.group_id AS group_id,
     t.touchpoint_id AS touchpoint_id, t.date AS day
RETURN rep_id, contact_id, group_id, count(touchpoint_id) AS touchpoints,
       min(day) AS first_date, max(day) AS last_date
ORDER BY group_id, rep_id, contact_id
