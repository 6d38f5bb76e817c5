// name: contact-exists
// purpose: The contact with this id, if one is loaded (a query parameter naming a contact is checked).
// params: contact_id
// columns: contact_id
MATCH (p:Contact {contact_id: $contact_id})
RETURN p.contact_id AS contact_id
LIMIT 1
