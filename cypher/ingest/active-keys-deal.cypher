// name: active-keys-deal
// purpose: Keys of the active Deal records the sending system wrote last, for --full deletion detection.
// params: system
// columns: key
// Records stored before systems were recorded count by their source (csv, salesforce).
MATCH (n:Deal)
WHERE coalesce(n.system, n.source) = $system AND n.active = true
RETURN n.deal_id AS key
