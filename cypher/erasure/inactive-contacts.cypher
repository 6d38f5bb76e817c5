// name: inactive-contacts
// purpose: Contacts inactive since before a day: the people a retention window erases.
// params: before
// columns: contact_id, name, email, active, inactive_since
// before is the first day still kept (ISO); inactive_since is an ISO day, so text order is day
// order. A contact made inactive without a date is kept (its age is unknown).
MATCH (c:Contact)
WHERE c.active = false AND c.inactive_since IS NOT NULL AND c.inactive_since < $before
RETURN c.contact_id AS contact_id, c.name AS name, c.email AS email, c.active AS active,
       c.inactive_since AS inactive_since
ORDER BY contact_id
