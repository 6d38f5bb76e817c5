// name: unlink-notes-about
// purpose: Before a contact is erased, notes about them forget whom they were about (the text stays, for review).
// params: contact_id
// columns: unlinked
MATCH (n:Note)
WHERE n.about_id = $contact_id
SET n.about_id = null
RETURN count(n) AS unlinked
