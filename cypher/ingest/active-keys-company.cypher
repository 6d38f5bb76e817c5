// name: active-keys-company
// purpose: Keys of the active Company records the sending system wrote last, for --full deletion detection.
// params: system
// columns: key
// Records stored before systems were recorded count by their source (csv, salesforce).
MATCH (n:Company)
WHERE coalesce(n.system, n.source) = $system AND n.active = true
RETURN n.account_id AS key
