// name: findings-membership
// purpose: The membership the findings were last refreshed for (to see which companies moved since).
// params: -
// columns: members
// The JSON text of {account_id: [group_id, active]}, as findings-members read it then.
MATCH (f:Finding {finding_id: '@state'})
RETURN f.members AS members
