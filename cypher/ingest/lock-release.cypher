// name: lock-release
// purpose: Release our ingest lock.
// params: lock_id, holder
// columns: released
MATCH (l:IngestLock {lock_id: $lock_id})
WHERE l.holder = $holder
SET l.holder = null, l.expires = null
RETURN count(l) AS released
