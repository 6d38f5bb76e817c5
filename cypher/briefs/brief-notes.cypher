// name: brief-notes
// purpose: Notes and playbook steps about one group's members, their contacts and their deals, up to a date.
// params: group_id, as_of
// columns: note_id, kind, date, author, about_kind, about_id, about_name, text
// For the handover brief (kamgraph/brief.py). A note about a contact counts when the contact
// has ever worked at a member (history: an ended employment counts) and is still active;
// notes about inactive companies, contacts or deals are left out; notes without a date are
// kept (shown as undated).
MATCH (n:Note)-[:ABOUT]->(m:Company)
WHERE m.group_id = $group_id AND m.active = true AND coalesce(n.date, '0000') <= $as_of
OPTIONAL MATCH (r:Rep)-[:WROTE]->(n)
RETURN n.note_id AS note_id, n.kind AS kind, n.date AS date, r.name AS author,
       'company' AS about_kind, m.account_id AS about_id, m.name AS about_name, n.text AS text
ORDER BY date DESC, note_id
UNION ALL
MATCH (n:Note)-[:ABOUT]->(c:Contact)-[:WORKS_AT]->(m:Company)
WHERE m.group_id = $group_id AND m.active = true AND c.active = true AND coalesce(n.date, '0000') <= $as_of
OPTIONAL MATCH (r:Rep)-[:WROTE]->(n)
WITH DISTINCT n, c, r
RETURN n.note_id AS note_id, n.kind AS kind, n.date AS date, r.name AS author,
       'contact' AS about_kind, c.contact_id AS about_id, c.name AS about_name, n.text AS text
ORDER BY date DESC, note_id
UNION ALL
MATCH (n:Note)-[:ABOUT]->(d:Deal)<-[:HAS_DEAL]-(m:Company)
WHERE m.group_id = $group_id AND m.active = true AND d.active = true AND coalesce(n.date, '0000') <= $as_of
OPTIONAL MATCH (r:Rep)-[:WROTE]->(n)
RETURN n.note_id AS note_id, n.kind AS kind, n.date AS date, r.name AS author,
       'deal' AS about_kind, d.deal_id AS about_id, coalesce(d.name, d.deal_id) AS about_name,
       n.text AS text
ORDER BY date DESC, note_id
