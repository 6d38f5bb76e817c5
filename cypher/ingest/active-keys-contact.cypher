// name: active-keys-contact
// purpose: Keys of the active Contact records a source wrote, for --full deletion detection.
// params: source
// columns: key
MATCH (n:Contact)
WHERE n.source = $source AND n.active = true
RETURN n.contact_id AS key
