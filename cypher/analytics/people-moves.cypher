// name: people-moves
// purpose: People who moved: one person matched across Contact records (email, LinkedIn URL, name plus phone or email local part, AccountContactRelation history), "champion moved from A to B" with the evidence.
// params: group_id=null, as_of=@today
// fragments: in-force, ended-by
// columns: person_id, name, from_account_id, from_account_name, from_group_id, to_account_id, to_account_name, to_group_id, moved_on, old_contact_id, new_contact_id, roles, attitude, headline, evidence
// python: group_id
// Moves are derived here, at query time, not stored by ingest: the matching needs every
// contact record at once, and deriving keeps --as-of replay exact. Cypher lists every contact
// record with its identifying fields, its employments (held or ended on as_of) and the roles
// it played on deals; kamgraph/queries/finish/people_moves.py matches records that are one
// person (never on the name alone) and reports each move.
MATCH (c:Contact)
OPTIONAL MATCH (c)-[w:WORKS_AT]->(m:Company)
WITH c, w, m
ORDER BY m.account_id
WITH c, collect({account_id: m.account_id, name: m.name, group_id: m.group_id,
                 since: w.since, until: w.until, held: @in-force(w, $as_of),
                 ended: @ended-by(w, $as_of), company_active: m.active}) AS jobs
OPTIONAL MATCH (c)-[ro:ROLE_IN]->(d:Deal)
WHERE d.created <= $as_of
WITH c, jobs, ro
ORDER BY ro.role
RETURN c.contact_id AS contact_id, c.name AS name, c.email AS email, c.phone AS phone,
       c.linkedin_url AS linkedin_url, c.email_bounced AS email_bounced,
       c.email_bounced_on AS email_bounced_on, c.active AS active,
       c.inactive_since AS inactive_since, c.attitude AS attitude, jobs,
       collect(DISTINCT ro.role) AS roles
ORDER BY contact_id
