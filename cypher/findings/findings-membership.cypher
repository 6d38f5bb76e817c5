// name: findings-membership
// purpose: The membership the findings were last refreshed for (to see which companies moved since).
// params: -
// columns: members, pending_done
// The JSON text of {account_id: [group_id, active]}, as findings-members read it then, and
// of the ids of the completed pending links seen then.
MATCH (f:Finding {finding_id: '@state'})
RETURN f.members AS members, f.pending_done AS pending_done
