// name: active-keys-finance-entry
// purpose: Keys of the active FinanceEntry records the sending system wrote last, for --full deletion detection.
// params: system
// columns: key
MATCH (n:FinanceEntry)
WHERE coalesce(n.system, n.source) = $system AND n.active = true
RETURN n.entry_id AS key
