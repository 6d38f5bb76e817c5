// name: erase-pending-links
// purpose: Pending link references that name a contact about to be erased.
// params: contact_id
// columns: pending_id
MATCH (p:PendingLink)
WHERE p.from_key = $contact_id OR p.to_key = $contact_id OR p.owner = $contact_id
RETURN p.pending_id AS pending_id
ORDER BY pending_id
