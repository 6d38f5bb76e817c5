// name: lock-acquire
// purpose: Take the ingest lock of a database if it is free, expired, ours, or named in steal_from.
// params: lock_id, holder, now, expires, steal_from
// columns: holder
// The first SET takes the node's write lock, so two runs cannot both see it free.
MERGE (l:IngestLock {lock_id: $lock_id})
SET l.touched = $now
WITH l
WHERE l.holder IS NULL OR l.holder = $holder OR l.expires < $now OR l.holder = $steal_from
SET l.holder = $holder, l.expires = $expires, l.since = $now
RETURN l.holder AS holder
