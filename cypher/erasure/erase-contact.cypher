// name: erase-contact
// purpose: Erase a contact with every link and its history; leave only the suppression entry.
// params: contact_id, id_hash, email_hash, today, reason
// columns: erased, links
// History lives on the contact (previous_titles) and its links (WORKS_AT, ROLE_IN with
// previous_roles, REPORTS_TO, WITH, ABOUT): all go with it. The suppression node takes the
// erased node's id: a durable kglite store numbers new nodes by their count after a reopen,
// so a hole left by a deleted node would be handed out twice (docs/portable-cypher.md rule 15).
// On Neo4j that id is a plain property nobody reads.
MATCH (c:Contact {contact_id: $contact_id})
OPTIONAL MATCH (c)-[r]-()
WITH c, id(c) AS slot, count(r) AS links
DETACH DELETE c
CREATE (s:Suppression {id: slot, suppression_id: $id_hash})
SET s.email_hash = $email_hash, s.since = $today, s.reason = $reason
RETURN 1 AS erased, links
