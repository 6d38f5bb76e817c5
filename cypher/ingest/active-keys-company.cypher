// name: active-keys-company
// purpose: Keys of the active Company records a source wrote, for --full deletion detection.
// params: source
// columns: key
MATCH (n:Company)
WHERE n.source = $source AND n.active = true
RETURN n.account_id AS key
