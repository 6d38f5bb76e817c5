// name: active-keys-policy
// purpose: Keys of the active Policy records the sending system wrote last, for --full deletion detection.
// params: system
// columns: key
MATCH (n:Policy)
WHERE coalesce(n.system, n.source) = $system AND n.active = true
RETURN n.policy_id AS key
