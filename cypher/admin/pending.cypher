// name: pending
// purpose: Link references still waiting for their other end, oldest first, with where they were read.
// params: source=null, limit=100
// columns: source, run_id, since, file, line, field, reason, statement, from_key, to_key
// A reference stays pending until a run (of any source) loads the record it names. One that
// stays for long is usually a typo'd or deleted id: fix it in the source file.
MATCH (p:PendingLink)
WHERE p.state IS NULL AND ($source IS NULL OR p.source = $source)
RETURN p.source AS source, p.run_id AS run_id, p.since AS since, p.file AS file,
       p.line AS line, p.field AS field, p.reason AS reason, p.statement AS statement,
       p.from_key AS from_key, p.to_key AS to_key
ORDER BY since, source, file, line, statement, to_key
LIMIT $limit
