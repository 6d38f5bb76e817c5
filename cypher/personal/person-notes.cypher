// name: person-notes
// purpose: Notes that mention one contact: about them, or naming them or their e-mail in the text.
// params: contact_id, name, email
// columns: note_id, kind, date, about, text
// about is true for notes linked to the contact (ABOUT); the others only name them. Listed
// for review when the person is forgotten (the note itself is kept), and in the person record.
MATCH (n:Note)
OPTIONAL MATCH (n)-[a:ABOUT]->(c:Contact {contact_id: $contact_id})
WITH n, count(a) AS links
WHERE links > 0 OR ($name IS NOT NULL AND n.text CONTAINS $name)
   OR ($email IS NOT NULL AND toLower(n.text) CONTAINS $email)
RETURN n.note_id AS note_id, n.kind AS kind, n.date AS date, links > 0 AS about, n.text AS text
ORDER BY note_id
