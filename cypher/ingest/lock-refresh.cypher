// name: lock-refresh
// purpose: Extend our ingest lock lease.
// params: lock_id, holder, expires
// columns: holder
MATCH (l:IngestLock {lock_id: $lock_id})
WHERE l.holder = $holder
SET l.expires = $expires
RETURN l.holder AS holder
