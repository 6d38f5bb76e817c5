// name: close-reports-around
// purpose: Before a contact is erased, its reports report to its manager (the chain is closed).
// params: contact_id, today, now
// fragments: in-force
// columns: closed
// Only links in force today are closed; the new link takes the system and source of the
// report's old one, so that system's end rules keep applying to it, and starts today.
MATCH (r:Contact)-[down:REPORTS_TO]->(c:Contact {contact_id: $contact_id})
MATCH (c)-[up:REPORTS_TO]->(m:Contact)
WHERE @in-force(down, $today) AND @in-force(up, $today) AND r.contact_id <> m.contact_id
MERGE (r)-[n:REPORTS_TO]->(m)
ON CREATE SET n.first_run_id = down.first_run_id, n.created_at = $now
SET n.source = down.source, n.system = down.system, n.active = true, n.until = null,
    n.since = $today, n.closed_around_erased = true
RETURN count(n) AS closed
