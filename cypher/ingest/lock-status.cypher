// name: lock-status
// purpose: Who holds the ingest lock and until when.
// params: lock_id
// columns: holder, since, expires
MATCH (l:IngestLock {lock_id: $lock_id})
RETURN l.holder AS holder, l.since AS since, l.expires AS expires
