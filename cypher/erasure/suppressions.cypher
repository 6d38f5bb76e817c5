// name: suppressions
// purpose: The hashes of every forgotten person that ingests skip (undone entries left out).
// params: -
// columns: id_hash, email_hash
MATCH (s:Suppression)
WHERE s.state IS NULL
RETURN s.suppression_id AS id_hash, s.email_hash AS email_hash
ORDER BY id_hash
