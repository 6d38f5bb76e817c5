// name: suppression-key-create
// purpose: Keep the store's suppression salt, made on the first forget and never changed after.
// params: salt
// columns: salt
// A second caller gets the salt already stored, not its own.
MERGE (k:SuppressionKey {key_id: 'suppression'})
ON CREATE SET k.salt = $salt
RETURN k.salt AS salt
