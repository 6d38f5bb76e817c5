// name: group-of
// purpose: The group a company belongs to: its top company's id and name.
// params: account_id
// columns: group_id, group_name
MATCH (c:Company {account_id: $account_id})
MATCH (g:Company {account_id: c.group_id})
RETURN g.account_id AS group_id, g.name AS group_name
