// name: company-groups
// purpose: Every company with the group it is stored in now and its source, to find what changed and which families are reference data only.
// params: -
// columns: key, group_id, depth, hierarchy_issue, source, reference_only
MATCH (c:Company)
RETURN c.account_id AS key, c.group_id AS group_id, c.depth AS depth,
       c.hierarchy_issue AS hierarchy_issue, c.source AS source,
       c.reference_only AS reference_only
ORDER BY key
