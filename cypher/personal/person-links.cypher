// name: person-links
// purpose: Every relationship of one contact, ended ones included (employments, managers, roles, touchpoints, notes).
// params: contact_id
// columns: direction, type, other_label, other_id, other_name, props
// props are the link's properties (since, until, active, job_title, role, previous_roles...).
// Notes and touchpoints have no name: kglite would answer o.name with a made-up one (a
// touchpoint is named by its subject, a note by nothing).
MATCH (c:Contact {contact_id: $contact_id})-[r]->(o)
RETURN 'out' AS direction, type(r) AS type, labels(o)[0] AS other_label,
       coalesce(o.account_id, o.contact_id, o.deal_id) AS other_id, o.name AS other_name,
       properties(r) AS props
ORDER BY type, other_id
UNION ALL
MATCH (c:Contact {contact_id: $contact_id})<-[r]-(o)
RETURN 'in' AS direction, type(r) AS type, labels(o)[0] AS other_label,
       coalesce(o.contact_id, o.touchpoint_id, o.note_id) AS other_id,
       CASE labels(o)[0] WHEN 'Contact' THEN o.name WHEN 'Touchpoint' THEN o.subject
            ELSE null END AS other_name,
       properties(r) AS props
ORDER BY type, other_id
