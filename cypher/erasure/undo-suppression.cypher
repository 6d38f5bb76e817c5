// name: undo-suppression
// purpose: Lift suppressions of forgotten people: each entry is emptied, ingests load them again.
// params: rows, today
// columns: undone
// rows: [{suppression_id, token}]. The node stays (docs/portable-cypher.md rule 15) under a
// random id, without the hashes.
UNWIND $rows AS row
MATCH (s:Suppression {suppression_id: row.suppression_id})
WHERE s.state IS NULL
SET s.suppression_id = row.token, s.email_hash = null, s.state = 'undone', s.undone_on = $today
RETURN count(s) AS undone
