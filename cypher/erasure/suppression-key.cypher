// name: suppression-key
// purpose: The store's random salt that keys the suppression hashes (none until the first forget).
// params: -
// columns: salt
MATCH (k:SuppressionKey)
WHERE k.key_id = 'suppression'
RETURN k.salt AS salt
