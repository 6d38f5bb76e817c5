// name: find-contacts
// purpose: The contacts a forget or a person record names: by contact id, or by e-mail (any case).
// params: who, email
// columns: contact_id, name, email, active, inactive_since
// email is the lower-cased e-mail to match, or null when who is no e-mail address.
MATCH (c:Contact)
WHERE c.contact_id = $who OR ($email IS NOT NULL AND toLower(c.email) = $email)
RETURN c.contact_id AS contact_id, c.name AS name, c.email AS email, c.active AS active,
       c.inactive_since AS inactive_since
ORDER BY contact_id
