// name: active-keys-note
// purpose: Keys of the active Note records the sending system wrote last, for --full deletion detection.
// params: system
// columns: key
MATCH (n:Note)
WHERE coalesce(n.system, n.source) = $system AND n.active = true
RETURN n.note_id AS key
