// name: person-properties
// purpose: Every property stored on one contact (with its history of job titles), for a subject-access request.
// params: contact_id
// columns: contact_id, props
// properties(c) is returned on purpose: the request is for everything stored. On kglite it
// also holds the engine's own fields (id, title, type); kamgraph.personal drops them.
MATCH (c:Contact {contact_id: $contact_id})
RETURN c.contact_id AS contact_id, properties(c) AS props
ORDER BY contact_id
