// name: company-groups
// purpose: Every company with the group it is stored in now, to find what changed.
// params: -
// columns: key, group_id, depth, hierarchy_issue
MATCH (c:Company)
RETURN c.account_id AS key, c.group_id AS group_id, c.depth AS depth,
       c.hierarchy_issue AS hierarchy_issue
ORDER BY key
