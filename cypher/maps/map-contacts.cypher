// name: map-contacts
// purpose: Contacts employed at members of one group as of a date, with roles and manager.
// params: group_id, as_of
// columns: contact_id, name, job_title, previous_titles, department, account_id, attitude, influence, last_verified, reports_to, roles
MATCH (c:Contact)-[w:WORKS_AT]->(m:Company)
WHERE m.group_id = $group_id AND coalesce(w.since, '0000') <= $as_of
  AND (w.until IS NULL OR w.until > $as_of) AND (w.active = true OR w.until IS NOT NULL)
OPTIONAL MATCH (c)-[:REPORTS_TO]->(boss:Contact)
OPTIONAL MATCH (c)-[r:ROLE_IN]->(d:Deal)
WHERE d.created <= $as_of
WITH c, m, boss, r
ORDER BY r.role
WITH c, m, boss, collect(DISTINCT r.role) AS roles
RETURN c.contact_id AS contact_id, c.name AS name, c.job_title AS job_title,
       c.previous_titles AS previous_titles, c.department AS department,
       m.account_id AS account_id, c.attitude AS attitude, c.influence AS influence,
       c.last_verified AS last_verified, boss.contact_id AS reports_to, roles
ORDER BY account_id, contact_id
