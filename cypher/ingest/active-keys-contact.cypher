// name: active-keys-contact
// purpose: Keys of the active Contact records the sending system wrote last, for --full deletion detection.
// params: system
// columns: key
// Records stored before systems were recorded count by their source (csv, salesforce).
MATCH (n:Contact)
WHERE coalesce(n.system, n.source) = $system AND n.active = true
RETURN n.contact_id AS key
