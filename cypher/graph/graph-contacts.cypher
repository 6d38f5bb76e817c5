// name: graph-contacts
// purpose: People employed at members of one group (or every group) on a date, with manager and owner.
// params: group_id=null, as_of=@today
// columns: contact_id, name, job_title, account_id, group_id, reports_to, owner_id, last_verified, attitude, influence
// An employment counts when it covers as_of (since <= as_of < until; open-ended only while
// active), as in map-contacts. owner_id is the raw CRM owner (a rep_id when the owner is a
// loaded user). A contact employed at two members appears once per member.
MATCH (c:Contact)-[w:WORKS_AT]->(m:Company)
WHERE m.group_id IS NOT NULL AND ($group_id IS NULL OR m.group_id = $group_id)
  AND c.active = true AND coalesce(w.since, '0000') <= $as_of
  AND (w.until IS NULL OR w.until > $as_of) AND (w.active = true OR w.until IS NOT NULL)
OPTIONAL MATCH (c)-[:REPORTS_TO]->(boss:Contact)
WITH c, m, boss
ORDER BY boss.contact_id
WITH c, m, collect(boss.contact_id)[0] AS reports_to
RETURN c.contact_id AS contact_id, c.name AS name, c.job_title AS job_title,
       m.account_id AS account_id, m.group_id AS group_id, reports_to, c.owner_id AS owner_id,
       c.last_verified AS last_verified, c.attitude AS attitude, c.influence AS influence
ORDER BY group_id, account_id, contact_id
