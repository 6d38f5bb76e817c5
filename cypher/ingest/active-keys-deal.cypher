// name: active-keys-deal
// purpose: Keys of the active Deal records a source wrote, for --full deletion detection.
// params: source
// columns: key
MATCH (n:Deal)
WHERE n.source = $source AND n.active = true
RETURN n.deal_id AS key
