// name: group-touchpoints
// purpose: Touchpoints per rep and person of one group (or every group) between two dates: how often and when last.
// params: group_id=null, since="0000", as_of=@today
// fragments: employed-on
// columns: rep_id, contact_id, group_id, touchpoints, first_date, last_date
// A touchpoint counts for the group of the active member the (active) contact was employed at
// on its date. Touchpoints without a rep (no LOGGED) or without a contact (no WITH) are not in
// here.
MATCH (m:Company)
WHERE m.group_id IS NOT NULL AND ($group_id IS NULL OR m.group_id = $group_id)
  AND m.active = true
MATCH (r:Rep)-[:LOGGED]->(t:Touchpoint)-[:`WITH`]->(c:Contact)-[w:WORKS_AT]->(m)
WHERE t.date >= $since AND t.date <= $as_of AND @employed-on(c, w, t.date)
WITH DISTINCT r.rep_id AS rep_id, c.contact_id AS contact_id, m.group_id AS group_id,
     t.touchpoint_id AS touchpoint_id, t.date AS day
RETURN rep_id, contact_id, group_id, count(touchpoint_id) AS touchpoints,
       min(day) AS first_date, max(day) AS last_date
ORDER BY group_id, rep_id, contact_id
