// name: group-people
// purpose: The people of one group (or of every group) on a date: active contacts employed at an active member, each once, with their current manager.
// params: group_id=null, as_of=@today
// fragments: employed-on, in-force, newest-first
// columns: contact_id, name, job_title, previous_titles, department, account_id, employers, group_id, attitude, influence, last_verified, owner_id, reports_to
// One row per contact and group. employers lists every member the contact is employed at on
// as_of (an AccountContactRelation adds a second one), newest employment first; account_id is
// the first of them. reports_to is the active contact the person's REPORTS_TO link on as_of
// points at; when the data holds two such links (a manager change not yet ended), the newest
// wins (see fragment newest-first), then the lowest contact_id. owner_id is the raw CRM owner.
MATCH (m:Company)
WHERE m.group_id IS NOT NULL AND ($group_id IS NULL OR m.group_id = $group_id)
  AND m.active = true
MATCH (c:Contact)-[w:WORKS_AT]->(m)
WHERE @employed-on(c, w, $as_of)
WITH c, m, w
ORDER BY @newest-first(w), m.account_id
WITH c, m.group_id AS group_id, collect(m.account_id) AS employers
OPTIONAL MATCH (c)-[r:REPORTS_TO]->(boss:Contact)
WHERE boss.active = true AND boss.contact_id <> c.contact_id AND @in-force(r, $as_of)
WITH c, group_id, employers, r, boss
ORDER BY @newest-first(r), boss.contact_id
WITH c, group_id, employers, collect(boss.contact_id) AS managers
RETURN c.contact_id AS contact_id, c.name AS name, c.job_title AS job_title,
       c.previous_titles AS previous_titles, c.department AS department,
       employers[0] AS account_id, employers, group_id, c.attitude AS attitude,
       c.influence AS influence, c.last_verified AS last_verified, c.owner_id AS owner_id,
       managers[0] AS reports_to
ORDER BY group_id, account_id, contact_id
